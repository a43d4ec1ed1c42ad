// The error report of one uploaded file: the rows that were not imported, in the file's
// own columns and order with a "Lỗi" column added, every one of them (not the first
// thousand the history keeps). The sender fixes the rows in place and uploads the report
// itself again: the import ignores the extra column. An XML or JSON file has no columns
// to give back, so its report lists each error with its line.
//
// It quotes the sender's rows, personal IDs included, so it is only ever written into
// the upload's private preview folder and is deleted with it (upload.server.ts).
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { cellText, cellValue } from "./headers";
import type { Issue } from "./issues";
import type { ImportLimits } from "./limits.server";
import { openSheetRows } from "./formats.server";
import type { SheetRow } from "./tabular.server";
import type { FileOutcome } from "./pipeline.server";
import { unitsOf, type FileInput, type ImportUnit } from "./sources.server";

const ERROR_COLUMN = "Lỗi";
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF5" } };
const ERROR_FONT: Partial<ExcelJS.Font> = { color: { argb: "FFB00020" } };

/**
 * After an import: the report of each file with rows in error, into `dir`, named in its
 * outcome (loi-0001.xlsx for the first file read). An input with such a file is opened
 * again (an archive expanded again): its n-th file read is its n-th outcome. A report
 * that cannot be written is left out; the import stands.
 */
export async function writeErrorReports(read: Array<{ input: FileInput; outcomes: FileOutcome[] }>, errorsOf: Map<FileOutcome, Issue[]>, dir: string, limits: ImportLimits): Promise<void> {
  let offset = 0;
  for (const { input, outcomes } of read) {
    const first = offset;
    offset += outcomes.length;
    if (!outcomes.some((o) => errorsOf.has(o))) continue;
    let index = 0;
    for await (const unit of unitsOf(input, limits)) {
      const outcome = outcomes[index++];
      const errors = outcome && errorsOf.get(outcome);
      try {
        if (!errors) continue;
        const name = `loi-${String(first + index).padStart(4, "0")}.xlsx`;
        await writeErrorReport(unit, limits, errors, path.join(dir, name));
        outcome.errorReport = name;
      } catch (error) {
        console.error(`error report of ${outcome.name} not written:`, error);
      } finally {
        unit.cleanup?.();
      }
    }
  }
}

/** Writes the report of `errors` (all of a file's errors) to `out`. */
async function writeErrorReport(unit: ImportUnit, limits: ImportLimits, errors: Issue[], out: string): Promise<void> {
  const rows = await openSheetRows(unit, limits);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: fs.createWriteStream(out, { mode: 0o600 }), useStyles: true, useSharedStrings: false });
  if (!rows) {
    writeIssueList(workbook, errors);
  } else {
    const byLine = new Map<number, Issue[]>();
    for (const e of errors) if (e.line !== null) byLine.set(e.line, [...(byLine.get(e.line) ?? []), e]);
    let headerLine: number | null;
    try {
      headerLine = await writeRows(workbook, rows, byLine);
    } finally {
      await rows.return(undefined);
    }
    // Why the whole file was refused, and the header's own problems (a column twice…), on a sheet of their own.
    const wholeFile = [...errors.filter((e) => e.line === null), ...(headerLine === null ? [] : (byLine.get(headerLine) ?? []))];
    if (wholeFile.length) writeIssueList(workbook, wholeFile, "Lỗi của cả tệp");
  }
  await workbook.commit();
}

/** The header row, then each row with errors: its cells as read, and its reasons. The header's line. */
async function writeRows(workbook: ExcelJS.stream.xlsx.WorkbookWriter, rows: AsyncGenerator<SheetRow>, byLine: Map<number, Issue[]>): Promise<number | null> {
  const sheet = workbook.addWorksheet("Dòng lỗi", { views: [{ state: "frozen", ySplit: 1 }] });
  let header: { line: number; width: number } | null = null;
  let given = 0;
  for await (const { line, cells } of rows) {
    if (!header) {
      if (cells.every((c) => cellText(c) === "")) continue;
      header = { line, width: cells.length };
      cells.forEach((c, i) => (sheet.getColumn(i + 1).width = Math.min(40, Math.max(10, cellText(c).length + 2))));
      sheet.getColumn(cells.length + 1).width = 60;
      const row = sheet.addRow([...cells.map(cellValue), ERROR_COLUMN]);
      row.font = { bold: true };
      row.eachCell((c) => (c.fill = HEADER_FILL));
      row.commit();
      continue;
    }
    const issues = byLine.get(line);
    if (!issues) continue;
    const width = Math.max(header.width, cells.length);
    const values = Array.from({ length: width }, (_, i) => cellValue(cells[i]) ?? null);
    const row = sheet.addRow([...values, reasonsOf(line, issues)]);
    values.forEach((v, i) => {
      if (typeof v === "string") row.getCell(i + 1).numFmt = "@"; // an ID typed again keeps its leading zero
    });
    const reasons = row.getCell(width + 1);
    reasons.font = ERROR_FONT;
    reasons.alignment = { wrapText: true, vertical: "top" };
    row.commit();
    given++;
  }
  if (header) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + given, column: header.width + 1 } };
  sheet.commit();
  return header?.line ?? null;
}

/** Each error as a line: the file's line, the column, the reason. */
function writeIssueList(workbook: ExcelJS.stream.xlsx.WorkbookWriter, issues: Issue[], name = "Lỗi") {
  const sheet = workbook.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = [{ width: 8 }, { width: 20 }, { width: 80 }];
  const header = sheet.addRow(["Dòng", "Cột", "Lỗi"]);
  header.font = { bold: true };
  header.eachCell((c) => (c.fill = HEADER_FILL));
  header.commit();
  for (const issue of issues) sheet.addRow([issue.line, issue.field ?? "", issue.reason]).commit();
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + issues.length, column: 3 } };
  sheet.commit();
}

const reasonsOf = (line: number, issues: Issue[]) => `Dòng ${line}: ${issues.map((i) => i.reason).join(" ")}`;
