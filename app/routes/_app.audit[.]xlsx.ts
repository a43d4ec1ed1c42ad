// The audit log's current selection (user, action, dates) as an .xlsx file, newest
// first, at most EXPORT_LIMIT entries. The export itself is audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import ExcelJS from "exceljs";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { auditLines, filterParams, readAuditFilter } from "~/server/audit/viewer.server";
import { formatDateTime } from "~/domain/format";
import { xlsxResponse } from "~/server/xlsx-response.server";

const EXPORT_LIMIT = 100_000;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:audit");
  const filter = readAuditFilter(new URL(request.url).searchParams);
  const db = await getDb();
  const lines = await auditLines(db, user.wardId, filter, { limit: EXPORT_LIMIT });

  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Nhật ký", { pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = [
    { key: "at", width: 18 }, { key: "username", width: 16 }, { key: "action", width: 24 },
    { key: "target", width: 30 }, { key: "detail", width: 70 }, { key: "ip", width: 16 },
  ];
  sheet.addRow(["NHẬT KÝ HỆ THỐNG"]).font = { bold: true, size: 13 };
  const chosen = [
    filter.username && `người dùng ${filter.username}`, filter.action && `thao tác ${filter.action}`,
    filter.from && `từ ${filter.from}`, filter.to && `đến ${filter.to}`,
  ].filter(Boolean).join(" · ");
  sheet.addRow([`${chosen || "Tất cả các mục"} · xuất lúc ${formatDateTime(Math.floor(Date.now() / 1000))} · ${lines.length} mục${lines.length === EXPORT_LIMIT ? " (giới hạn, hãy lọc hẹp hơn)" : ""}`]);
  sheet.addRow([]);
  sheet.addRow(["Thời gian", "Người dùng", "Thao tác", "Đối tượng", "Chi tiết", "Địa chỉ IP"]).font = { bold: true };
  // Every cell is text: a value starting with = + - @ stays a value, never a formula.
  for (const l of lines) {
    const row = sheet.addRow([l.at, l.username ?? "", l.action, l.target, l.detail, l.ip ?? ""]);
    row.eachCell((c) => { c.numFmt = "@"; });
    row.getCell("detail").alignment = { wrapText: true, vertical: "top" };
  }
  sheet.views = [{ state: "frozen", ySplit: 4 }];
  const bytes = await workbook.xlsx.writeBuffer();

  await audit(db, {
    action: "export", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request),
    target: "audit.xlsx", detail: { ...filterParams(filter), rows: lines.length },
  });
  return xlsxResponse(new Uint8Array(bytes as ArrayBuffer), `nhat-ky-${new Date().toISOString().slice(0, 10)}.xlsx`);
}
