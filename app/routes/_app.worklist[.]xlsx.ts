// The work list as an Excel file for the health station to work through offline:
// the same records, order and columns as the page, every row (no paging). Audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import ExcelJS from "exceljs";
import { readSelection, WORKLIST_DEFAULT_PERIOD } from "~/components/dashboard/selection";
import { WORK_KIND_LABELS } from "~/components/dashboard/work-kinds";
import { formatDateTime } from "~/domain/format";
import { periodLabel } from "~/domain/periods";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requirePermission } from "~/server/guard.server";
import { listFacilities } from "~/server/dashboard/records.server";
import { workList } from "~/server/metrics/engine.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:worklist");
  const params = new URL(request.url).searchParams;
  const { period, asOf } = readSelection(params, Math.floor(Date.now() / 1000), WORKLIST_DEFAULT_PERIOD);
  const facility = params.get("facility") || null;
  const db = await getDb();
  const q = { wardId: user.wardId, period, asOf, ...(facility ? { facilityCode: facility } : {}) };
  const [list, facilities] = await Promise.all([workList(db, q, { limit: Number.MAX_SAFE_INTEGER, offset: 0 }), listFacilities(db, user.wardId)]);
  const names = new Map(facilities.map((f) => [f.code, f.name]));

  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Hồ sơ cần xử lý", { pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = [
    { key: "stt", width: 6 }, { key: "facility", width: 30 }, { key: "maLk", width: 22 }, { key: "kind", width: 24 },
    { key: "code", width: 10 }, { key: "message", width: 40 }, { key: "ended", width: 18 }, { key: "received", width: 18 },
    { key: "hours", width: 12 },
  ];
  sheet.addRow(["DANH SÁCH HỒ SƠ CẦN XỬ LÝ"]).font = { bold: true, size: 13 };
  sheet.addRow([`Kỳ: ${periodLabel(period)} · tính đến ${formatDateTime(asOf)}${facility ? ` · cơ sở ${facility}` : ""}`]);
  sheet.addRow([]);
  const header = sheet.addRow([
    "STT", "Cơ sở KCB", "Mã liên kết (MA_LK)", "Việc cần làm", "Mã lỗi", "Nội dung lỗi", "Kết thúc KCB", "Cổng tiếp nhận", "Số giờ chờ",
  ]);
  header.font = { bold: true };
  header.eachCell((c) => {
    c.border = { bottom: { style: "thin" } };
    c.alignment = { wrapText: true, vertical: "middle" };
  });
  list.rows.forEach((r, i) => {
    const row = sheet.addRow([
      i + 1,
      `${names.get(r.facilityCode) ?? ""} (${r.facilityCode})`,
      r.maLk,
      WORK_KIND_LABELS[r.kind],
      r.rejectCode ?? "",
      r.rejectMessage ?? "",
      r.endedAt === null ? "" : formatDateTime(r.endedAt),
      r.receivedAt === null ? "" : formatDateTime(r.receivedAt),
      Math.round(r.hoursWaiting * 10) / 10,
    ]);
    row.getCell("maLk").numFmt = "@";
    row.getCell("hours").numFmt = "#,##0.0";
  });
  sheet.views = [{ state: "frozen", ySplit: 4 }];
  const bytes = await workbook.xlsx.writeBuffer();

  await audit(db, {
    action: "export", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request),
    target: "worklist.xlsx", detail: { period: period.key, facility, rows: list.rows.length },
  });
  const fileName = `ho-so-can-xu-ly-${period.key.replace("..", "_")}.xlsx`;
  return new Response(new Uint8Array(bytes as ArrayBuffer), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
