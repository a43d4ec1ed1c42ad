// A report version's .xlsx: the stored bytes of a submitted version (byte-identical on
// every download), built from the live figures for a draft. Every download is audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { getReport, ReportError, sha256, xlsxOf } from "~/server/reports/reports.server";
import { xlsxResponse } from "~/server/xlsx-response.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "report:export");
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("Không tìm thấy báo cáo", { status: 404 });
  const db = await getDb();
  const row = await getReport(db, user.wardId, id).catch((error: unknown) => {
    if (error instanceof ReportError) throw new Response(error.message, { status: error.status });
    throw error;
  });
  const bytes = await xlsxOf(db, row, Math.floor(Date.now() / 1000));
  const hash = sha256(bytes);
  await audit(db, {
    action: "download", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request),
    target: `report:${row.id}`, detail: { kind: row.kind, period: row.period, version: row.version, status: row.status, sha256: hash },
  });
  const number = row.number === null ? "du-thao" : `so-${String(row.number).padStart(2, "0")}`;
  const fileName = `bao-cao-${row.kind.toLowerCase()}-${row.period}-ban-${row.version}-${number}.xlsx`;
  return xlsxResponse(bytes, fileName, { "X-Content-SHA256": hash });
}
