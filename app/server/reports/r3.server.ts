// R3, the budget estimate and its justification (REPORTS.md): the estimate in the
// official layout (groups with subtotals, Tổng cộng, Bằng chữ), and a justification
// sheet tying the money to results — approved vs spent per line, execution rate, and
// I6's cost per resident fully onboarded and per record sent with the counts they rest
// on — signed by proposer, reviewer and approver. The frame and page layout are the
// shared official-document module's. An approved estimate's R3 is frozen at approval.
import type { Transaction } from "kysely";
import type { Database } from "../../../db/schema";
import type { DB } from "../db.server";
import { ESTIMATE_KIND_LABELS, ESTIMATE_STATUS_LABELS, romanNumeral, type EstimateKind, type EstimateStatus } from "~/domain/budget";
import { BUDGET_CATEGORY_LABELS } from "~/domain/codes";
import { formatDateTime, moneyInWords } from "~/domain/format";
import type { I6Figures } from "~/domain/metrics-types";
import { REPORT_SYMBOL, signatureLines, type OfficialFrame } from "~/domain/official-document";
import { lastDay, parsePeriod } from "~/domain/periods";
import { localDayOf } from "~/domain/time";
import { BUDGET_CATEGORIES, BudgetError, currentApproved, yearExecution, type LineExecution } from "../budget.server";
import { computeMetrics } from "../metrics/engine.server";
import { getSetting, getWard } from "../ward.server";
import { newOfficialWorkbook, OfficialSheet, officialXlsxBytes, type TableColumn, type TableRow } from "./official-document.server";

/** A line as the R3 shows it; `spent` is null while the estimate is not the approved one in force. */
export type R3Line = Pick<LineExecution, "content" | "unit" | "quantity" | "unitPrice" | "amount" | "basis"> & { spent: number | null };

export interface R3Content {
  asOf: number;
  frame: OfficialFrame;
  estimate: { id: number; year: number; version: number; kind: EstimateKind; status: EstimateStatus; title: string };
  groups: Array<{ numeral: string; label: string; subtotal: number; lines: R3Line[] }>;
  total: number;
  totalInWords: string;
  /** Whether the figures of spending belong to this estimate (it is the year's approved one in force). */
  inForce: boolean;
  /** Spending in the year on no line of this estimate (outside it, or on lines it dropped). */
  outside: number;
  spent: number | null;
  executionRate: number | null;
  i6: I6Figures;
  /** The results I6's cost-effectiveness rests on, over the year to the as-of time. */
  results: { from: string; to: string; newlyFullyOnboarded: number; newlySent: number };
  signers: Array<{ lines: string[]; name: string }>;
}

type Reader = DB | Transaction<Database>;

/** The R3 of one estimate, figures as of `asOf` (epoch seconds). */
export async function r3Content(db: Reader, wardId: number, estimateId: number, asOf: number): Promise<R3Content> {
  const e = await db.selectFrom("budget_estimate").selectAll().where("id", "=", estimateId).where("ward_id", "=", wardId).executeTakeFirst();
  if (!e) throw new BudgetError(`Không có dự toán số ${estimateId}.`);
  const lines = await db.selectFrom("budget_line").selectAll().where("estimate_id", "=", e.id).orderBy("position").execute();
  const yearEnd = `${e.year}-12-31`;
  const asOfDay = localDayOf(asOf) < yearEnd ? localDayOf(asOf) : yearEnd;
  const execution = await yearExecution(db, wardId, e.year, asOfDay);
  const inForce = execution?.estimate.id === e.id;
  const spentOf = new Map((inForce ? execution!.lines : []).map((l) => [l.id, l.spent]));

  const groups = BUDGET_CATEGORIES.filter((c) => lines.some((l) => l.category === c)).map((c, i) => {
    const own = lines.filter((l) => l.category === c);
    return {
      numeral: romanNumeral(i + 1),
      label: BUDGET_CATEGORY_LABELS[c],
      subtotal: own.reduce((s, l) => s + l.amount, 0),
      lines: own.map((l): R3Line => ({
        content: l.content, unit: l.unit, quantity: l.quantity, unitPrice: l.unit_price, amount: l.amount, basis: l.basis,
        spent: inForce ? spentOf.get(l.id) ?? 0 : null,
      })),
    };
  });
  const total = groups.reduce((s, g) => s + g.subtotal, 0);

  const period = parsePeriod(String(e.year));
  const metrics = await computeMetrics(db as DB, { wardId, period, asOf });
  const i3 = metrics.i3;
  const results = {
    from: period.from,
    to: asOfDay < lastDay(period) ? asOfDay : lastDay(period),
    newlyFullyOnboarded: metrics.i4.blocks.reduce((s, b) => s + b.newInPeriod.fullyOnboarded, 0),
    newlySent: i3.onTime + i3.late + i3.overdue + i3.pending,
  };

  const [ward, signer, recipients] = await Promise.all([getWard(db as DB, wardId), getSetting(db as DB, wardId, "signer"), getSetting(db as DB, wardId, "recipients")]);
  const names = new Map(
    (await db.selectFrom("app_user").select(["id", "display_name"]).where("id", "in", [e.created_by ?? -1, e.reviewed_by ?? -1, e.approved_by ?? -1]).execute())
      .map((u) => [u.id, u.display_name]),
  );
  const signature = { onBehalfOfBody: "TM. Ủy ban nhân dân", onBehalf: signer.onBehalf, title: signer.title, name: signer.name };
  const approved = e.status === "approved";
  const frame: OfficialFrame = {
    authority: "Ủy ban nhân dân",
    unitName: ward.name,
    number: null,
    symbol: REPORT_SYMBOL,
    place: ward.placeName,
    day: approved && e.approved_at ? localDayOf(e.approved_at) : null,
    title: "Dự toán kinh phí",
    summary: `${e.title} (${ESTIMATE_KIND_LABELS[e.kind as EstimateKind] ?? e.kind}, phiên bản ${e.version})`,
    subtitle: [
      `Trạng thái: ${ESTIMATE_STATUS_LABELS[e.status as EstimateStatus]}${approved && e.approved_at ? ` ngày ${formatDateTime(e.approved_at)}` : ""}`,
      `Số liệu thực hiện tính đến ${formatDateTime(asOf)}`,
    ],
    signature,
    recipients,
    archive: "Lưu: VT, TC-KT.",
  };
  return {
    asOf,
    frame,
    estimate: { id: e.id, year: e.year, version: e.version, kind: e.kind as EstimateKind, status: e.status as EstimateStatus, title: e.title },
    groups,
    total,
    totalInWords: `Bằng chữ: ${moneyInWords(total)}`,
    inForce,
    outside: inForce ? execution!.outside : 0,
    spent: inForce ? execution!.spent : null,
    executionRate: inForce ? execution!.executionRate : null,
    i6: metrics.i6,
    results,
    signers: [
      { lines: ["ĐƠN VỊ ĐỀ XUẤT", "TRẠM Y TẾ"], name: names.get(e.created_by ?? -1) ?? "" },
      { lines: ["ĐƠN VỊ THẨM ĐỊNH", "TÀI CHÍNH - KẾ TOÁN"], name: names.get(e.reviewed_by ?? -1) ?? "" },
      { lines: signatureLines(signature), name: signature.name || (names.get(e.approved_by ?? -1) ?? "") },
    ],
  };
}

/** The estimate's table, shared by the R3 and the template the station fills. */
export const ESTIMATE_COLUMNS: TableColumn[] = [
  { header: "STT", kind: "text" },
  { header: "Nội dung", kind: "text" },
  { header: "Đơn vị tính", kind: "text" },
  { header: "Số lượng", kind: "count" },
  { header: "Đơn giá (đồng)", kind: "money" },
  { header: "Thành tiền (đồng)", kind: "money" },
  { header: "Căn cứ / ghi chú", kind: "text" },
];
const ESTIMATE_WIDTHS = [6, 30, 9, 8, 13, 14, 18];

export function estimateRows(groups: R3Content["groups"], blankRows = 0): TableRow[] {
  const rows: TableRow[] = [];
  for (const g of groups) {
    rows.push({ cells: [g.numeral, g.label, "", null, null, g.subtotal, ""], bold: true });
    g.lines.forEach((l, i) => rows.push({ cells: [String(i + 1), l.content, l.unit, l.quantity, l.unitPrice, l.amount, l.basis ?? ""] }));
    for (let b = 0; b < blankRows; b++) rows.push({ cells: ["", "", "", null, null, null, ""] });
  }
  return rows;
}

const rate = (spent: number | null, approved: number) => (spent === null || approved <= 0 ? null : spent / approved);

/** The R3 workbook; the same content gives the same bytes. */
export async function r3Xlsx(c: R3Content): Promise<Uint8Array> {
  const wb = newOfficialWorkbook(c.asOf);
  const est = new OfficialSheet(wb, "Dự toán", { columnWidths: ESTIMATE_WIDTHS, leftColumns: 3 });
  est.frame(c.frame);
  est.table({
    columns: ESTIMATE_COLUMNS,
    rows: [...estimateRows(c.groups), { cells: ["", "Tổng cộng", "", null, null, c.total, ""], bold: true }],
    repeatHeader: true,
  });
  est.paragraph(c.totalInWords, { italic: true });
  est.signatures(c.signers);
  est.close(c.frame, { signers: false });

  const just = new OfficialSheet(wb, "Thuyết minh", { columnWidths: [6, 32, 15, 15, 15, 11], leftColumns: 2 });
  just.frame({ ...c.frame, title: "Thuyết minh dự toán", summary: `Kinh phí được duyệt, đã chi và kết quả đạt được năm ${c.estimate.year}` });
  just.heading("1. Kinh phí được duyệt và đã chi theo từng nội dung");
  const rows: TableRow[] = [];
  for (const g of c.groups) {
    const spent = g.lines.every((l) => l.spent === null) ? null : g.lines.reduce((s, l) => s + (l.spent ?? 0), 0);
    rows.push({ cells: [g.numeral, g.label, g.subtotal, spent, spent === null ? null : g.subtotal - spent, rate(spent, g.subtotal)], bold: true });
    g.lines.forEach((l, i) => rows.push({ cells: [String(i + 1), l.content, l.amount, l.spent, l.spent === null ? null : l.amount - l.spent, rate(l.spent, l.amount)] }));
  }
  if (c.outside > 0) rows.push({ cells: ["", "Chi không thuộc dòng nào của dự toán này", null, c.outside, null, null] });
  rows.push({ cells: ["", "Tổng cộng", c.total, c.spent, c.spent === null ? null : c.total - c.spent, c.executionRate], bold: true });
  just.table({
    columns: [
      { header: "STT", kind: "text" }, { header: "Nội dung", kind: "text" }, { header: "Được duyệt (đồng)", kind: "money" },
      { header: "Đã chi (đồng)", kind: "money" }, { header: "Còn lại (đồng)", kind: "money" }, { header: "Tỷ lệ thực hiện", kind: "percent" },
    ],
    rows,
  });
  if (!c.inForce) just.paragraph("Dự toán này chưa phải bản được phê duyệt đang hiệu lực của năm: chưa ghi chi theo các dòng của nó.", { italic: true });
  just.heading("2. Hiệu quả sử dụng kinh phí (chỉ số I6)");
  const r = c.results;
  just.table({
    columns: [{ header: "STT", kind: "text" }, { header: "Chỉ tiêu", kind: "text", span: 3 }, { header: "Giá trị", kind: "money", span: 2 }],
    rows: [
      { cells: ["1", `Dự toán năm ${c.i6.year} (bản mới nhất, đồng)`, c.i6.estimated] },
      { cells: ["2", "Được phê duyệt (đồng)", c.i6.approved] },
      { cells: ["3", `Đã chi trong năm, từ ${dmy(r.from)} (đồng)`, c.i6.spent] },
      { cells: ["4", "Tỷ lệ thực hiện (đã chi / được duyệt)", c.i6.executionRate], kinds: [undefined, undefined, "percent"] },
      { cells: ["5", `Người dân mới hoàn thành cả 3 bước (${dmy(r.from)} – ${dmy(r.to)})`, r.newlyFullyOnboarded], kinds: [undefined, undefined, "count"] },
      { cells: ["6", "Chi phí cho mỗi người hoàn thành 3 bước (đồng) = (3) / (5)", wholeOrNull(c.i6.spent, c.i6.costPerFullyOnboarded)] },
      { cells: ["7", `Hồ sơ KCB mới liên thông lên Cổng (${dmy(r.from)} – ${dmy(r.to)})`, r.newlySent], kinds: [undefined, undefined, "count"] },
      { cells: ["8", "Chi phí cho mỗi hồ sơ liên thông (đồng) = (3) / (7)", wholeOrNull(c.i6.spent, c.i6.costPerRecordSent)] },
    ],
  });
  just.paragraph("Ô để trống: chưa có số liệu (chưa chi, hoặc chưa có kết quả để chia).", { italic: true });
  just.signatures(c.signers);
  just.close(c.frame, { signers: false });
  return officialXlsxBytes(wb);
}

/** A cost in whole đồng, or none when nothing was spent or there is nothing to divide by. */
const wholeOrNull = (spent: number, cost: number | null) => (spent > 0 && cost !== null ? Math.round(cost) : null);
const dmy = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

/** Approval stores the R3 as approved (see budget.server transition's `freeze`). */
export async function freezeR3(trx: Transaction<Database>, estimateId: number, at: number) {
  const e = await trx.selectFrom("budget_estimate").select("ward_id").where("id", "=", estimateId).executeTakeFirstOrThrow();
  const content = await r3Content(trx, e.ward_id, estimateId, at);
  return { xlsx: await r3Xlsx(content), figures: content };
}

/** The R3 of one estimate: its frozen bytes once approved, else built now. */
export async function r3Of(db: DB, wardId: number, estimateId: number, now: number): Promise<{ bytes: Uint8Array; frozen: boolean; year: number; version: number }> {
  const e = await db.selectFrom("budget_estimate").select(["frozen_xlsx", "year", "version"]).where("id", "=", estimateId).where("ward_id", "=", wardId).executeTakeFirst();
  if (!e) throw new BudgetError(`Không có dự toán số ${estimateId}.`);
  if (e.frozen_xlsx) return { bytes: new Uint8Array(e.frozen_xlsx), frozen: true, year: e.year, version: e.version };
  return { bytes: await r3Xlsx(await r3Content(db, wardId, estimateId, now)), frozen: false, year: e.year, version: e.version };
}

/** The year's R3 with spending to date: the approved estimate in force, else the latest version. */
export async function yearR3(db: DB, wardId: number, year: number, asOf: number): Promise<{ content: R3Content; bytes: Uint8Array }> {
  const chosen = (await currentApproved(db, wardId, year))
    ?? (await db.selectFrom("budget_estimate").selectAll().where("ward_id", "=", wardId).where("year", "=", year).orderBy("version", "desc").executeTakeFirst());
  if (!chosen) throw new BudgetError(`Năm ${year} chưa có dự toán.`);
  const content = await r3Content(db, wardId, chosen.id, asOf);
  return { content, bytes: await r3Xlsx(content) };
}

export { sha256 as sha256Hex } from "./reports.server";
