// GET /imports/:id/errors — the error report of one imported file, as CSV for Excel.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { errorReportCsv } from "~/server/import/history.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:imports");
  const db = await getDb();
  const report = await errorReportCsv(db, user, Number(params.id));
  if (!report) throw new Response("Không có tệp nhập này", { status: 404 });
  await audit(db, { action: "download", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request), target: `import_batch:${params.id}` });
  return new Response(report.csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${report.fileName}"`,
      "Cache-Control": "no-store",
    },
  });
}
