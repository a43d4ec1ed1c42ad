// The Excel template the health station drafts an estimate in: the R3's estimate sheet
// (REPORTS.md: STT, Nội dung, Đơn vị tính, Số lượng, Đơn giá, Thành tiền, Căn cứ / ghi
// chú; a heading row with the subtotal per group; the total row), downloaded, filled,
// and read back when uploaded.
import ExcelJS from "exceljs";
import { BUDGET_CATEGORY_LABELS, parseCode } from "../domain/codes";
import { lineAmount, parseDong, parseQuantity, romanNumeral, sumDong } from "../domain/budget";
import { formatMoney } from "../domain/format";
import { cellText, cellValue } from "./import/headers";
import { importLimits } from "./import/limits.server";
import { unitsOf } from "./import/sources.server";
import type { OfficialFrame } from "../domain/official-document";
import { BUDGET_CATEGORIES, checkLine, type BudgetCategory, type NewBudgetLine } from "./budget.server";
import { newOfficialWorkbook, OfficialSheet, officialXlsxBytes } from "./reports/official-document.server";
import { ESTIMATE_COLUMNS, estimateRows, type R3Line } from "./reports/r3.server";
import { withoutDiacritics } from "../domain/text";

const ESTIMATE_HEADER = ESTIMATE_COLUMNS.map((c) => c.header);

/**
 * The template the health station fills: the R3's estimate sheet for a draft (blank
 * number and date), every group listed with the current lines and empty rows to fill.
 */
export async function estimateTemplate(frame: OfficialFrame, lines: Array<R3Line & { category: BudgetCategory }>, at: number): Promise<Uint8Array> {
  const wb = newOfficialWorkbook(at);
  const s = new OfficialSheet(wb, "Dự toán", { columnWidths: [6, 30, 9, 8, 13, 14, 18], leftColumns: 3 });
  s.frame(frame);
  s.paragraph(
    "Điền mỗi khoản chi vào một dòng dưới nhóm của nó (thêm dòng nếu cần, giữ nguyên các dòng nhóm I, II, …). "
      + "Số lượng là số nguyên; đơn giá là số đồng nguyên. Thành tiền và các dòng cộng được tính lại khi tải lên.",
    { italic: true },
  );
  const groups = BUDGET_CATEGORIES.map((c, i) => {
    const own = lines.filter((l) => l.category === c);
    return { numeral: romanNumeral(i + 1), label: BUDGET_CATEGORY_LABELS[c], subtotal: sumDong(own.map((l) => l.amount)), lines: own };
  });
  s.table({
    columns: ESTIMATE_COLUMNS,
    rows: [...estimateRows(groups, 3), { cells: ["", "Tổng cộng", "", null, null, sumDong(lines.map((l) => l.amount)), ""], bold: true }],
  });
  return officialXlsxBytes(wb);
}

export interface SheetProblem {
  row: number;
  reason: string;
}

export interface ReadEstimate {
  lines: NewBudgetLine[];
  errors: SheetProblem[];
  warnings: SheetProblem[];
}

const fold = (s: string) => withoutDiacritics(s).toLowerCase().replace(/\s+/g, " ").trim();
const HEADER_KEYS = ["stt", "noi dung", "don vi tinh", "so luong", "don gia", "thanh tien", "can cu"];

/**
 * Reads a filled template (or an R3 sheet): the row whose cells start with the table's
 * header names, then group headings (a Roman numeral and a category's name) and lines
 * under them, to the `Tổng cộng` row. Every row that cannot be read is an error with its
 * row number and reason; a Thành tiền that is not Số lượng × Đơn giá is a warning, and
 * the product is used.
 */
export async function readEstimateWorkbook(name: string, bytes: Uint8Array): Promise<ReadEstimate> {
  const fail = (reason: string): ReadEstimate => ({ lines: [], errors: [{ row: 0, reason }], warnings: [] });
  if (!/\.xlsx$/i.test(name)) return fail("Chỉ nhận tệp Excel .xlsx (tải mẫu ở trên, điền rồi lưu dưới dạng .xlsx).");
  for await (const unit of unitsOf({ name, bytes }, importLimits())) {
    if (unit.refused) return fail(unit.refused);
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) as unknown as ArrayBuffer);
  } catch {
    return fail("Tệp Excel không đọc được.");
  }
  const sheet = workbook.worksheets.find((s) => s.state !== "hidden" && s.state !== "veryHidden");
  if (!sheet) return fail("Tệp Excel không có trang tính nào.");

  const texts = (row: ExcelJS.Row) => Array.from({ length: 7 }, (_, i) => cellText(row.getCell(i + 1).value));
  let headerAt = 0;
  sheet.eachRow((row) => {
    if (headerAt) return;
    const t = texts(row).map(fold);
    if (HEADER_KEYS.every((k, i) => t[i].startsWith(k))) headerAt = row.number;
  });
  if (!headerAt) return fail(`Không thấy dòng tiêu đề bảng (${ESTIMATE_HEADER.join(", ")}). Hãy dùng tệp mẫu.`);

  const result: ReadEstimate = { lines: [], errors: [], warnings: [] };
  let category: BudgetCategory | null = null;
  for (let r = headerAt + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const [stt, content, unit, , , , basis] = texts(row);
    const quantityRaw = cellValue(row.getCell(4).value);
    const priceRaw = cellValue(row.getCell(5).value);
    const amountRaw = cellValue(row.getCell(6).value);
    const filled = [content, unit, cellText(quantityRaw), cellText(priceRaw), basis].some((v) => v !== "");
    if (/^\(1\)$/.test(stt)) continue; // the column-number row
    if (fold(content).startsWith("tong cong") || fold(stt).startsWith("bang chu")) break;
    if (/^[IVX]+\.?$/.test(stt)) {
      const label = content.replace(/^[IVX]+\.\s*/, "");
      category = parseCode(BUDGET_CATEGORY_LABELS, label) ?? categoryByPrefix(label);
      if (!category) result.errors.push({ row: r, reason: `Nhóm "${content}" không phải một nhóm chi của dự toán (${Object.values(BUDGET_CATEGORY_LABELS).join("; ")}).` });
      continue;
    }
    if (!filled) continue;
    if (!category) {
      result.errors.push({ row: r, reason: "Khoản chi nằm trước mọi nhóm I, II, …; hãy đặt nó dưới nhóm của nó." });
      continue;
    }
    const quantity = parseQuantity(quantityRaw);
    const unitPrice = parseDong(priceRaw);
    const reasons: string[] = [];
    if (!content) reasons.push("thiếu nội dung");
    if (!unit) reasons.push("thiếu đơn vị tính");
    if (quantity === null) reasons.push(`số lượng "${cellText(quantityRaw)}" phải là số nguyên dương`);
    if (unitPrice === null) reasons.push(`đơn giá "${cellText(priceRaw)}" phải là số đồng nguyên, không âm`);
    if (reasons.length > 0) {
      result.errors.push({ row: r, reason: reasons.join("; ") });
      continue;
    }
    const line: NewBudgetLine = { category, content, unit, quantity: quantity!, unitPrice: unitPrice!, basis: basis || null };
    try {
      checkLine(line, `Dòng ${r}`);
    } catch (error) {
      result.errors.push({ row: r, reason: (error as Error).message.replace(/^Dòng \d+: /, "") });
      continue;
    }
    const amount = lineAmount(line.quantity, line.unitPrice);
    const written = parseDong(amountRaw);
    if (cellText(amountRaw) !== "" && written !== amount) {
      result.warnings.push({ row: r, reason: `Thành tiền ghi ${cellText(amountRaw)}, khác Số lượng × Đơn giá = ${formatMoney(amount)}; dùng ${formatMoney(amount)}.` });
    }
    result.lines.push(line);
  }
  if (result.lines.length === 0 && result.errors.length === 0) result.errors.push({ row: headerAt, reason: "Bảng chưa có khoản chi nào." });
  return result;
}

/** A heading written shorter than the label ("Trang thiết bị", "Tập huấn"). */
function categoryByPrefix(label: string): BudgetCategory | null {
  const wanted = fold(label);
  if (!wanted) return null;
  const hits = BUDGET_CATEGORIES.filter((c) => fold(BUDGET_CATEGORY_LABELS[c]).startsWith(wanted));
  return hits.length === 1 ? hits[0] : null;
}
