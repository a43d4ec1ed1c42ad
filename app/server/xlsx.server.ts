// A list as an Excel workbook a ward official can filter, sort and print: a title and a
// period line, one bold header row with an autofilter, frozen under the title and
// repeated on every printed page, times as real date cells (dd/mm/yyyy hh:mm, the
// ward's wall clock) and numbers as numbers.
import ExcelJS from "exceljs";
import { VN_OFFSET_SECONDS } from "~/domain/time";

export type XlsxCell = string | number | null | { epoch: number | null };

export interface XlsxColumn {
  header: string;
  width: number;
  /** text (kept as typed: MA_LK "0012" stays "0012"), time (epoch seconds), number. */
  type: "text" | "time" | "number";
  numFmt?: string;
}

export interface XlsxList {
  sheet: string;
  title: string;
  subtitle: string;
  columns: XlsxColumn[];
  rows: XlsxCell[][];
}

/** The columns a list of records starts with: row number, facility (name, code), MA_LK. */
export const RECORD_KEY_COLUMNS: XlsxColumn[] = [
  { header: "STT", width: 6, type: "number" },
  { header: "Cơ sở KCB", width: 30, type: "text" },
  { header: "Mã cơ sở", width: 10, type: "text" },
  { header: "Mã liên kết (MA_LK)", width: 22, type: "text" },
];

/** An instant as Excel's date: Excel has no zone, so the cell holds the ward's local time. */
export const excelTime = (epoch: number) => new Date((epoch + VN_OFFSET_SECONDS) * 1000);

const HEADER_ROW = 4;

export async function listWorkbook(list: XlsxList): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(list.sheet.slice(0, 31), {
    pageSetup: {
      paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
    },
    headerFooter: { oddFooter: "Trang &P/&N" },
  });
  sheet.columns = list.columns.map((c, i) => ({ key: `c${i}`, width: c.width }));
  sheet.addRow([list.title]).font = { bold: true, size: 13 };
  sheet.addRow([list.subtitle]);
  sheet.addRow([]);
  const header = sheet.addRow(list.columns.map((c) => c.header));
  header.font = { bold: true };
  header.eachCell((c) => {
    c.border = { bottom: { style: "thin" } };
    c.alignment = { wrapText: true, vertical: "middle" };
    c.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF5" } };
  });
  for (const values of list.rows) {
    const row = sheet.addRow(
      values.map((v) => (v !== null && typeof v === "object" ? (v.epoch === null ? null : excelTime(v.epoch)) : v)),
    );
    list.columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      if (c.type === "text") cell.numFmt = "@";
      else if (c.type === "time") cell.numFmt = c.numFmt ?? "dd/mm/yyyy hh:mm";
      else if (c.numFmt) cell.numFmt = c.numFmt;
    });
  }
  sheet.autoFilter = { from: { row: HEADER_ROW, column: 1 }, to: { row: HEADER_ROW + list.rows.length, column: list.columns.length } };
  sheet.views = [{ state: "frozen", ySplit: HEADER_ROW }];
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}
