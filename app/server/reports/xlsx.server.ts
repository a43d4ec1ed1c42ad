// A report's content as an .xlsx in the Decree 30 layout. Only reads the content, so a
// frozen report's JSON gives the same file again, and a draft's the file the CLI writes.
import { formatDay, formatDateTime } from "~/domain/format";
import { TARGET_INDICATORS } from "~/domain/metrics-types";
import { TARGET_MARK_LABELS, visitGroups, type R1Content, type R2Content, type R4Content, type ReportContent, type TargetMark } from "~/domain/report-content";
import { WORK_KIND_LABELS } from "~/domain/work-kinds";
import { newOfficialWorkbook, officialXlsxBytes, OfficialSheet, type CellKind, type TableColumn, type TableRow } from "./official-document.server";

const TARGET_STATUS_TEXT = { met: "Đạt", not_met: "Chưa đạt", no_data: "Chưa có số liệu" } as const;

export async function reportXlsx(content: ReportContent): Promise<Uint8Array> {
  const workbook = newOfficialWorkbook(content.asOf);
  if (content.kind === "R1") r1Sheet(workbook, content, content.r1!);
  if (content.kind === "R2") r2Sheet(workbook, content, content.r2!);
  if (content.kind === "R4") r4Sheet(workbook, content, content.r4!);
  return officialXlsxBytes(workbook);
}

type Workbook = ReturnType<typeof newOfficialWorkbook>;

const markKind = (m: TargetMark): CellKind => (m.kind === "count" ? "count" : "percent");
const markText = (m: TargetMark) => TARGET_MARK_LABELS[m.status];

function texts(s: OfficialSheet, c: ReportContent, first: number) {
  s.heading(`${first}. Khó khăn, vướng mắc`);
  s.paragraph(c.difficulties);
  s.heading(`${first + 1}. Đề xuất, kiến nghị`);
  s.paragraph(c.proposals);
}

// R1: 11 sheet columns; the widest table (I4 per block) uses one each.
export const R1_WIDTHS = [5, 17, 9, 9, 9, 9, 9, 8, 9, 9, 11];

function r1Sheet(wb: Workbook, c: ReportContent, r: R1Content) {
  const s = new OfficialSheet(wb, "Báo cáo", { columnWidths: R1_WIDTHS, leftColumns: 4 });
  s.frame(c.frame);

  s.heading("1. Công tác chỉ đạo, tuyên truyền");
  const countTable = (header: string, items: Array<{ label: string; count: number }>, countHeader: string, totals: TableRow[]) =>
    s.table({
      columns: [{ header: "STT", kind: "text" }, { header, kind: "text", span: 7 }, { header: countHeader, kind: "count", span: 3 }],
      rows: [...items.map((t, i): TableRow => ({ cells: [String(i + 1), t.label, t.count] })), ...totals],
    });
  countTable("Hoạt động tuyên truyền, tập huấn", r.i5.byType, "Số lượng", [
    { cells: ["", "Tổng số hoạt động", r.i5.total], bold: true },
    { cells: ["", "Lượt người được tiếp cận", r.i5.reach], bold: true },
  ]);
  countTable("Đơn vị thực hiện", r.i5.byUnit, "Số hoạt động", [{ cells: ["", "Cộng", r.i5.total], bold: true }]);

  s.heading("2. Kết quả thực hiện");
  s.heading("2.1. Tiếp nhận khám bệnh, chữa bệnh bằng định danh, liên thông dữ liệu và hiển thị trên VNeID");
  const visitColumns: TableColumn[] = [
    { header: "STT", kind: "text" }, { header: "Cơ sở KCB / chỉ số", kind: "text", span: 3 },
    { header: "Tổng số", kind: "count" }, { header: "Kết quả", kind: "count" }, { header: "Tỷ lệ", kind: "percent" },
    { header: "Chỉ tiêu", kind: "percent" }, { header: "Đánh giá", kind: "text", span: 3, align: "center" },
  ];
  const visitRows: TableRow[] = [];
  const groups = visitGroups(c, r);
  groups.forEach((g, gi) => {
    visitRows.push({ cells: [String(gi + 1), g.title, null, null, null, null, ""], bold: true });
    for (const row of g.rows) {
      visitRows.push({
        cells: ["", row.label, row.whole, row.part, row.rate, row.target.threshold, markText(row.target)],
        kinds: [undefined, undefined, undefined, undefined, undefined, markKind(row.target)],
      });
    }
  });
  // R1's tables each have their own header, so none repeats: one row range per sheet can.
  s.table({ columns: visitColumns, rows: visitRows });

  s.heading(`2.2. Hỗ trợ người dân cài đặt VNeID, định danh mức 2, tích hợp thẻ BHYT (lũy kế đến ngày ${formatDay(r.metrics.i4.asOf)})`);
  const onboardingRow = (b: R1Content["wardOnboarding"], stt: string, bold = false): TableRow => ({
    cells: [stt, b.label, b.eligible, b.vneidInstalled, b.level2Activated, b.bhytLinked, b.fullyOnboarded, b.rate, b.newFullyOnboarded, b.target.threshold, markText(b.target)],
    kinds: [undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, markKind(b.target)],
    bold,
  });
  s.table({
    columns: [
      { header: "STT", kind: "text" }, { header: "Khối", kind: "text" }, { header: "Dân số đủ điều kiện", kind: "count" },
      { header: "Cài đặt VNeID", kind: "count" }, { header: "Định danh mức 2", kind: "count" }, { header: "Tích hợp thẻ BHYT", kind: "count" },
      { header: "Hoàn thành 3 bước", kind: "count" }, { header: "Tỷ lệ hoàn thành", kind: "percent" },
      { header: "Hoàn thành mới trong kỳ", kind: "count" }, { header: "Chỉ tiêu", kind: "percent" }, { header: "Đánh giá", kind: "text", align: "center" },
    ],
    rows: [...r.blocks.map((b, i) => onboardingRow(b, String(i + 1))), onboardingRow(r.wardOnboarding, "", true)],
  });

  s.heading("2.3. Đánh giá các chỉ tiêu của kỳ");
  s.table({
    columns: [
      { header: "STT", kind: "text" }, { header: "Chỉ tiêu", kind: "text", span: 4 }, { header: "Phạm vi", kind: "text", span: 2 },
      { header: "Mức chỉ tiêu", kind: "percent" }, { header: "Kết quả", kind: "percent" }, { header: "Đánh giá", kind: "text", span: 2, align: "center" },
    ],
    rows: r.targets.length
      ? r.targets.map((t, i): TableRow => {
          const k: CellKind = t.kind === "count" ? "count" : "percent";
          return {
            cells: [String(i + 1), TARGET_INDICATORS[t.indicator as keyof typeof TARGET_INDICATORS]?.label ?? t.label, t.block ?? "Toàn phường", t.threshold, t.value, TARGET_STATUS_TEXT[t.status]],
            kinds: [undefined, undefined, undefined, k, k],
          };
        })
      : [{ cells: ["", "Không có chỉ tiêu nào áp dụng cho kỳ này.", "", null, null, ""] }],
  });

  s.heading(`3. Kinh phí thực hiện năm ${r.i6.year} (lũy kế từ ${formatDay(r.i6Period.from)} đến ${formatDay(r.i6Period.to)})`);
  s.table({
    columns: [{ header: "STT", kind: "text" }, { header: "Nội dung", kind: "text", span: 7 }, { header: "Giá trị", kind: "money", span: 3 }],
    rows: [
      { cells: ["1", "Dự toán (đồng)", r.i6.estimated] },
      { cells: ["2", "Được phê duyệt (đồng)", r.i6.approved] },
      { cells: ["3", "Đã chi (đồng)", r.i6.spent] },
      { cells: ["4", "Tỷ lệ giải ngân", r.i6.executionRate], kinds: [undefined, undefined, "percent"] },
      { cells: ["5", "Chi phí cho một người hoàn thành 3 bước (đồng)", r.i6.costPerFullyOnboarded] },
      { cells: ["6", "Chi phí cho một hồ sơ liên thông (đồng)", r.i6.costPerRecordSent] },
    ],
  });
  texts(s, c, 4);
  s.close(c.frame);
}

// R2: STT, visit type (2 columns), then the six figures.
export const R2_WIDTHS = [5, 16, 16, 10, 10, 10, 10, 10, 10];

function r2Sheet(wb: Workbook, c: ReportContent, r: R2Content) {
  const s = new OfficialSheet(wb, "Báo cáo", { columnWidths: R2_WIDTHS, leftColumns: 3 });
  s.frame(c.frame);
  const columns: TableColumn[] = [
    { header: "STT", kind: "text" }, { header: "Loại hình khám bệnh, chữa bệnh", kind: "text", span: 2 },
    { header: "Số lượt KCB", kind: "count" }, { header: "Đã gửi lên Cổng", kind: "count" },
    { header: "Số lượt KCB", kind: "count" }, { header: "Đã gửi lên Cổng", kind: "count" },
    { header: "Số lượt KCB", kind: "count" }, { header: "Đã gửi lên Cổng", kind: "count" },
  ];
  const groups = [{ label: "", span: 2 }, { label: "Có thẻ BHYT", span: 2 }, { label: "Không có thẻ BHYT", span: 2 }, { label: "Tổng số", span: 2 }];
  const figures = (x: { insuredVisits: number; insuredSent: number; uninsuredVisits: number; uninsuredSent: number }) => [
    x.insuredVisits, x.insuredSent, x.uninsuredVisits, x.uninsuredSent, x.insuredVisits + x.uninsuredVisits, x.insuredSent + x.uninsuredSent,
  ];
  r.facilities.forEach((f, fi) => {
    s.heading(`${fi + 1}. ${f.name} (mã cơ sở ${f.code})`);
    s.table({
      columns,
      groups,
      rows: [
        ...f.rows.map((row, i): TableRow => ({ cells: [String(i + 1), row.label, ...figures(row)] })),
        { cells: ["", "Tổng cộng", ...figures(f.total)], bold: true },
      ],
      repeatHeader: fi === 0,
    });
  });
  if (r.facilities.length > 1) {
    s.heading(`${r.facilities.length + 1}. Toàn phường`);
    s.table({ columns, groups, rows: [{ cells: ["", "Tổng cộng", ...figures(r.total)], bold: true }] });
  }
  const next = r.facilities.length + (r.facilities.length > 1 ? 2 : 1);
  texts(s, c, next);
  s.close(c.frame);
}

// R4: the work list, one record a row.
export const R4_WIDTHS = [5, 12, 15, 13, 7, 18, 12, 12, 8];

function r4Sheet(wb: Workbook, c: ReportContent, r: R4Content) {
  const s = new OfficialSheet(wb, "Danh sách", { columnWidths: R4_WIDTHS, leftColumns: 4 });
  s.frame(c.frame);
  s.heading(
    `Tổng số ${r.rows.length} hồ sơ: ${r.counts.not_sent} chưa gửi, ${r.counts.rejected} bị từ chối, ${r.counts.overdue} quá hạn hiển thị trên VNeID.`,
  );
  s.table({
    columns: [
      { header: "STT", kind: "text" }, { header: "Cơ sở KCB", kind: "text" }, { header: "Mã liên kết (MA_LK)", kind: "text" },
      { header: "Việc cần làm", kind: "text" }, { header: "Mã lỗi", kind: "text", align: "center" }, { header: "Nội dung lỗi", kind: "text" },
      { header: "Kết thúc KCB", kind: "text", align: "center" }, { header: "Cổng tiếp nhận", kind: "text", align: "center" },
      { header: "Số giờ chờ", kind: "decimal" },
    ],
    rows: r.rows.map((row, i) => ({
      cells: [
        String(i + 1), `${row.facilityName} (${row.facilityCode})`, row.maLk, WORK_KIND_LABELS[row.kind], row.rejectCode ?? "",
        row.rejectMessage ?? "", row.endedAt === null ? "" : formatDateTime(row.endedAt), row.receivedAt === null ? "" : formatDateTime(row.receivedAt),
        Math.round(row.hoursWaiting * 10) / 10,
      ],
    })),
    repeatHeader: true,
  });
  texts(s, c, 1);
  s.close(c.frame);
}
