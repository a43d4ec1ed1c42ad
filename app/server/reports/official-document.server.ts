// One sheet of an official document (Decree 30/2020/NĐ-CP, Appendix I; REPORTS.md) in an
// exceljs workbook: the two-column header, number and date line, title and summary, the
// caller's body (paragraphs and tables of numeric cells), the signature block and
// "Nơi nhận"; Times New Roman, A4 portrait, margins 20/20/30/15 mm, print area, fit to
// width, a table's header rows repeated on every printed page, page numbers in the
// footer. Every report (R1–R4) builds on this so all of them look the same.
//
// The bytes are reproducible: the workbook's created/modified times and the zip entries'
// times come from the document's as-of instant, never from the clock, so the same
// figures always give the same file (a frozen report's sha-256 never changes).
import ExcelJS from "exceljs";
import { dateLine, MOTTO_LINE, NATION_LINE, numberLine, RECIPIENTS_HEADING, recipientLines, signatureLines, unitLines, type OfficialFrame } from "~/domain/official-document";
import { localParts } from "~/domain/time";

export const DOCUMENT_FONT = "Times New Roman";
/** Whole numbers: shown "1.234" in a Vietnamese Excel, "1,234" in an English one. */
export const COUNT_FORMAT = "#,##0";
/** Whole đồng. */
export const MONEY_FORMAT = "#,##0";
/** A fraction 0…1 shown as a percent with one decimal. */
export const PERCENT_FORMAT = "0.0%";
/** Hours and other measures with one decimal. */
export const DECIMAL_FORMAT = "#,##0.0";

const MM_PER_INCH = 25.4;
/** Decree 30: top and bottom 20 mm, left 30 mm, right 15 mm (exceljs wants inches). */
export const PAGE_MARGINS = {
  top: 20 / MM_PER_INCH,
  bottom: 20 / MM_PER_INCH,
  left: 30 / MM_PER_INCH,
  right: 15 / MM_PER_INCH,
  header: 8 / MM_PER_INCH,
  footer: 8 / MM_PER_INCH,
} as const;

export const PAGE_FOOTER = `&C&"${DOCUMENT_FONT},Regular"&10Trang &P/&N`;

export type CellKind = "text" | "count" | "percent" | "money" | "decimal";
export type CellValue = string | number | null;

export interface TableColumn {
  header: string;
  kind: CellKind;
  /** Sheet columns this column covers (merged); default 1. */
  span?: number;
  /** Text alignment; default centred for the first column, left for the others. */
  align?: "left" | "center" | "right";
}

export interface TableRow {
  cells: CellValue[];
  /** A total or group row: bold. */
  bold?: boolean;
  /** Per-cell kind overriding the column's (a targets table mixes rates and counts). */
  kinds?: Array<CellKind | undefined>;
}

export interface TableSpec {
  /** One per sheet column from the first; fewer columns than the sheet leave the rest empty. */
  columns: TableColumn[];
  /** An optional header row above the column headers: labels spanning several columns. */
  groups?: Array<{ label: string; span: number }>;
  rows: TableRow[];
  /** Repeat this table's header rows at the top of every printed page (one table per sheet). */
  repeatHeader?: boolean;
}

export interface TableRange {
  /** First and last header row, first and last body row (1-based sheet rows). */
  headerFirst: number;
  headerLast: number;
  bodyFirst: number;
  bodyLast: number;
  /** Sheet column range [from, to] of each table column. */
  columns: Array<[number, number]>;
}

const FORMATS: Record<Exclude<CellKind, "text">, string> = {
  count: COUNT_FORMAT,
  percent: PERCENT_FORMAT,
  money: MONEY_FORMAT,
  decimal: DECIMAL_FORMAT,
};

const thin: Partial<ExcelJS.Border> = { style: "thin" };
const box: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };
const font = (size: number, extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({ name: DOCUMENT_FONT, size, ...extra });

/** A workbook whose metadata comes from the document's as-of instant (epoch seconds). */
export function newOfficialWorkbook(asOf: number, creator = "sskdt-dashboard"): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  const at = new Date(asOf * 1000);
  workbook.creator = creator;
  workbook.lastModifiedBy = creator;
  workbook.created = at;
  workbook.modified = at;
  workbook.calcProperties = { fullCalcOnLoad: false };
  return workbook;
}

export interface OfficialSheetOptions {
  /** Column widths in Excel characters, left to right; together ≈ 85–95 for A4 portrait at 100 %. */
  columnWidths: number[];
  /** How many of the first columns the header's left block spans; default ≈ 40 %. */
  leftColumns?: number;
}

/**
 * Builds one official sheet top to bottom:
 *   const s = new OfficialSheet(workbook, "Báo cáo", { columnWidths: [6, 40, 14, 14, 14] });
 *   s.frame(frame); s.heading("1. …"); s.table({ … }); s.paragraph("…"); s.close(frame);
 * frame() writes the header, title and summary; close() the signature, "Nơi nhận", the
 * print area. Nothing else is needed for the page setup.
 */
export class OfficialSheet {
  readonly sheet: ExcelJS.Worksheet;
  readonly columnCount: number;
  private readonly left: number;
  private row = 0;
  private printTitles: string | null = null;

  constructor(workbook: ExcelJS.Workbook, name: string, options: OfficialSheetOptions) {
    this.columnCount = options.columnWidths.length;
    if (this.columnCount < 2) throw new Error("An official sheet needs at least two columns");
    this.left = Math.min(this.columnCount - 1, Math.max(1, options.leftColumns ?? Math.round(this.columnCount * 0.4)));
    this.sheet = workbook.addWorksheet(name, {
      pageSetup: {
        paperSize: 9, // A4
        orientation: "portrait",
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        horizontalCentered: true,
        margins: { ...PAGE_MARGINS },
      },
      headerFooter: { oddFooter: PAGE_FOOTER, evenFooter: PAGE_FOOTER },
      views: [{ showGridLines: false }],
      properties: { defaultRowHeight: 18 },
    });
    this.sheet.columns = options.columnWidths.map((width) => ({ width, style: { font: font(12) } }));
  }

  /** The next row number (1-based) that will be written. */
  get nextRow(): number {
    return this.row + 1;
  }

  private line(): ExcelJS.Row {
    this.row += 1;
    return this.sheet.getRow(this.row);
  }

  /** Writes text in columns [from, to] merged, with a font and alignment. */
  private put(r: ExcelJS.Row, from: number, to: number, value: ExcelJS.CellValue, f: Partial<ExcelJS.Font>, align: ExcelJS.Alignment["horizontal"] = "center", wrap = false) {
    if (to > from) this.sheet.mergeCells(r.number, from, r.number, to);
    const cell = r.getCell(from);
    cell.value = value;
    cell.font = f;
    cell.alignment = { horizontal: align, vertical: "middle", wrapText: wrap };
    return cell;
  }

  /** A short rule under a header block: the middle third of its columns (at least one). */
  private rule(r: ExcelJS.Row, from: number, to: number) {
    const span = to - from + 1;
    const width = Math.max(1, Math.round(span / 3));
    const start = from + Math.floor((span - width) / 2);
    for (let c = start; c < start + width; c++) r.getCell(c).border = { top: thin };
  }

  /** Estimated row height for wrapped text over columns [from, to]. */
  private heightFor(text: string, from: number, to: number, size: number): number {
    let chars = 0;
    for (let c = from; c <= to; c++) chars += this.sheet.getColumn(c).width ?? 10;
    const perLine = Math.max(1, Math.floor((chars * 11) / size));
    const lines = text.split("\n").reduce((n, part) => n + Math.max(1, Math.ceil(part.length / perLine)), 0);
    return Math.max(18, lines * size * 1.35);
  }

  /** Header (two columns), title and summary. */
  frame(f: OfficialFrame): void {
    const n = this.columnCount;
    const [authority, unit] = unitLines(f);
    let r = this.line();
    this.put(r, 1, this.left, authority, font(12, { bold: true }));
    this.put(r, this.left + 1, n, NATION_LINE, font(12, { bold: true }));
    r = this.line();
    this.put(r, 1, this.left, unit, font(12, { bold: true }));
    this.put(r, this.left + 1, n, MOTTO_LINE, font(13, { bold: true }));
    r = this.line();
    r.height = 6;
    this.rule(r, 1, this.left);
    this.rule(r, this.left + 1, n);
    r = this.line();
    this.put(r, 1, this.left, numberLine(f.number, f.symbol), font(13));
    this.put(r, this.left + 1, n, dateLine(f.place, f.day), font(13, { italic: true }));
    this.line();
    r = this.line();
    this.put(r, 1, n, f.title.toLocaleUpperCase("vi"), font(14, { bold: true }));
    r = this.line();
    this.put(r, 1, n, f.summary, font(13, { bold: true }), "center", true);
    r.height = this.heightFor(f.summary, 1, n, 13);
    for (const text of f.subtitle ?? []) {
      r = this.line();
      this.put(r, 1, n, text, font(12, { italic: true }), "center", true);
    }
    this.line();
  }

  /** A section heading ("1. Kết quả …"), bold, across the sheet. */
  heading(text: string): void {
    const r = this.line();
    this.put(r, 1, this.columnCount, text, font(13, { bold: true }), "left", true);
    r.height = this.heightFor(text, 1, this.columnCount, 13);
  }

  /** A paragraph of text across the sheet, wrapped; an empty text writes "(Không có)". */
  paragraph(text: string, options: { italic?: boolean } = {}): void {
    const body = text.trim() || "(Không có)";
    const r = this.line();
    this.put(r, 1, this.columnCount, body, font(13, { italic: options.italic ?? false }), "justify", true);
    r.getCell(1).alignment = { horizontal: "justify", vertical: "top", wrapText: true };
    r.height = this.heightFor(body, 1, this.columnCount, 13);
  }

  /** An empty row. */
  gap(): void {
    this.line();
  }

  /**
   * A bordered table; figures are numeric cells with the column's format (or the row's
   * `kinds` override), null an empty cell. A column may span several sheet columns.
   */
  table(spec: TableSpec): TableRange {
    // Sheet column range [from, to] of each table column.
    const at: Array<[number, number]> = [];
    let next = 1;
    for (const col of spec.columns) {
      const span = Math.max(1, col.span ?? 1);
      at.push([next, next + span - 1]);
      next += span;
    }
    if (next - 1 > this.columnCount) throw new Error(`Table needs ${next - 1} columns, the sheet has ${this.columnCount}`);
    const bordered = (r: ExcelJS.Row, from: number, to: number) => {
      for (let k = from; k <= to; k++) r.getCell(k).border = box;
    };
    const headerFirst = this.nextRow;
    // With groups (spans counted in table columns), a column under an empty label spans both header rows.
    const spansBoth = new Set<number>();
    if (spec.groups) {
      const r = this.line();
      let i = 0;
      for (const g of spec.groups) {
        const [from, to] = [at[i][0], at[i + g.span - 1][1]];
        if (g.label === "") for (let k = i; k < i + g.span; k++) spansBoth.add(k);
        else {
          this.put(r, from, to, g.label, font(11, { bold: true }), "center", true);
          bordered(r, from, to);
        }
        i += g.span;
      }
    }
    const h = this.line();
    spec.columns.forEach((col, i) => {
      const [from, to] = at[i];
      const top = spansBoth.has(i) ? h.number - 1 : h.number;
      if (top < h.number || to > from) this.sheet.mergeCells(top, from, h.number, to);
      const cell = this.sheet.getCell(top, from);
      cell.value = col.header;
      cell.font = font(11, { bold: true });
      cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
      bordered(h, from, to);
      if (top < h.number) bordered(this.sheet.getRow(top), from, to);
    });
    h.height = Math.max(...spec.columns.map((col, i) => this.heightFor(col.header, at[i][0], at[i][1], 11)));
    const headerLast = this.row;
    const bodyFirst = this.nextRow;
    for (const row of spec.rows) {
      const r = this.line();
      let height = 18;
      spec.columns.forEach((col, i) => {
        const [from, to] = at[i];
        if (to > from) this.sheet.mergeCells(r.number, from, r.number, to);
        bordered(r, from, to);
        const cell = r.getCell(from);
        const value = row.cells[i] ?? null;
        const kind = row.kinds?.[i] ?? col.kind;
        cell.font = font(11, { bold: row.bold ?? false });
        if (kind === "text") {
          const text = value === null ? "" : String(value);
          cell.value = text;
          cell.alignment = { vertical: "middle", wrapText: true, horizontal: col.align ?? (i === 0 ? "center" : "left") };
          height = Math.max(height, this.heightFor(text, from, to, 11));
        } else {
          if (value !== null && typeof value !== "number") throw new Error(`Column "${col.header}" holds figures, got text "${value}"`);
          cell.value = value;
          cell.numFmt = FORMATS[kind];
          cell.alignment = { horizontal: "right", vertical: "middle" };
        }
      });
      r.height = height;
    }
    const range = { headerFirst, headerLast, bodyFirst, bodyLast: this.row, columns: at };
    if (spec.repeatHeader) this.printTitles = `${headerFirst}:${headerLast}`;
    return range;
  }

  /**
   * Several signature blocks side by side across the sheet, left to right (an estimate is
   * signed by its proposer, its reviewer and its approver), each: its capitalised lines,
   * room for signature and seal, the full name in bold. Call before close(f, { signers: false }).
   */
  signatures(blocks: Array<{ lines: string[]; name: string }>): void {
    const n = this.columnCount;
    const ranges = blocks.map((_, i): [number, number] => [
      1 + Math.floor((i * n) / blocks.length), Math.floor(((i + 1) * n) / blocks.length),
    ]);
    this.line();
    const height = Math.max(...blocks.map((b) => b.lines.length));
    for (let k = 0; k < height + 5; k++) {
      const r = this.line();
      blocks.forEach((b, i) => {
        const [from, to] = ranges[i];
        const text = k < height ? b.lines[k] ?? "" : k === height + 4 ? b.name : "";
        if (text || k === 0) this.put(r, from, to, text, font(k < height ? 12 : 13, { bold: k < height || k === height + 4 }), "center", true);
      });
    }
  }

  /**
   * Signature block (right) beside "Nơi nhận" (left), then the print area. With
   * `signers: false` the frame's block is left out (signatures() wrote the signers).
   */
  close(f: OfficialFrame, options: { signers?: boolean } = {}): void {
    const n = this.columnCount;
    this.line();
    const sig = signatureLines(f.signature);
    const recipients = recipientLines(f.recipients, f.archive);
    const left: Array<[string, Partial<ExcelJS.Font>]> = [
      [RECIPIENTS_HEADING, font(12, { bold: true, italic: true })],
      ...recipients.map((l): [string, Partial<ExcelJS.Font>] => [l, font(11)]),
    ];
    const right: Array<[string, Partial<ExcelJS.Font>]> = options.signers === false ? [] : [
      ...sig.map((l): [string, Partial<ExcelJS.Font>] => [l, font(13, { bold: true })]),
      ["", font(13)], ["", font(13)], ["", font(13)], ["", font(13)],
      [f.signature.name, font(13, { bold: true })],
    ];
    const count = Math.max(left.length, right.length);
    for (let i = 0; i < count; i++) {
      const r = this.line();
      if (left[i]) this.put(r, 1, this.left, left[i][0], left[i][1], "left");
      if (right[i]) this.put(r, this.left + 1, n, right[i][0], right[i][1], "center");
    }
    this.sheet.pageSetup.printArea = `A1:${this.sheet.getColumn(n).letter}${this.row}`;
    if (this.printTitles) this.sheet.pageSetup.printTitlesRow = this.printTitles;
  }
}

/** The workbook's bytes, the same for the same content: zip entry times set to `modified`. */
export async function officialXlsxBytes(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  const buffer = new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
  return stampZipTimes(buffer, Math.floor(workbook.modified.getTime() / 1000));
}

/**
 * Sets every entry's DOS time and date, in the local and central headers, to `at` in
 * Vietnam time (exceljs's zip writer stamps the clock). Works on zips without zip64,
 * which is all exceljs writes.
 */
export function stampZipTimes(zip: Uint8Array, at: number): Uint8Array {
  const t = localParts(at);
  const dosTime = (t.hour << 11) | (t.minute << 5) | Math.floor(t.second / 2);
  const dosDate = (Math.max(0, t.year - 1980) << 9) | (t.month << 5) | t.day;
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("Not a zip file");
  const entries = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  for (let k = 0; k < entries; k++) {
    if (view.getUint32(p, true) !== 0x02014b50) throw new Error("Broken zip central directory");
    view.setUint16(p + 12, dosTime, true);
    view.setUint16(p + 14, dosDate, true);
    const local = view.getUint32(p + 42, true);
    if (view.getUint32(local, true) !== 0x04034b50) throw new Error("Broken zip local header");
    view.setUint16(local + 10, dosTime, true);
    view.setUint16(local + 12, dosDate, true);
    p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return zip;
}
