// GET /imports/:id/errors — the errors and warnings the history keeps of one imported
// file, as an .xlsx by line (the rows themselves are in the upload page's error report).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { errorReportList } from "~/server/import/history.server";
import { listWorkbook } from "~/server/xlsx.server";
import { xlsxResponse } from "~/server/xlsx-response.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:imports");
  const db = await getDb();
  const list = await errorReportList(db, user, Number(params.id));
  if (!list) throw new Response("Không có tệp nhập này", { status: 404 });
  await audit(db, { action: "download", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request), target: `import_batch:${params.id}` });
  return xlsxResponse(await listWorkbook(list), `bao-cao-loi-nhap-${params.id}.xlsx`);
}
