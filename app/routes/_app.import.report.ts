// GET /import/report?preview=ID&file=loi-0001.xlsx — the error report of one uploaded
// file (its rows in error as sent, plus a "Lỗi" column), while the upload's preview is
// kept: only to the user who uploaded it (error-report.server.ts, upload.server.ts).
import fs from "node:fs";
import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { IMPORT_PERMISSIONS } from "~/domain/permissions";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { errorReportOf, readPreview } from "~/server/import/upload.server";
import { xlsxResponse } from "~/server/xlsx-response.server";
import { asciiFileName } from "~/domain/text";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, IMPORT_PERMISSIONS);
  const url = new URL(request.url);
  const preview = readPreview(url.searchParams.get("preview") ?? "", user);
  const report = preview && errorReportOf(preview, url.searchParams.get("file") ?? "");
  if (!report) throw new Response("Tệp lỗi không còn (quá 1 giờ sau khi tải lên, hoặc đã hủy). Hãy tải tệp lên lại để kiểm tra.", { status: 404 });
  const db = await getDb();
  await audit(db, { action: "download", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request), target: `error_report:${report.of}` });
  const name = asciiFileName(`loi-${report.of.replace(/\.[^.]*$/, "")}.xlsx`);
  return xlsxResponse(Readable.toWeb(fs.createReadStream(report.path)) as ReadableStream, name);
}
