// Readers for the table sources (FORMATS.md §2–7): CSV (UTF-8 with or without BOM, comma
// or semicolon), XLSX (first sheet, header in row 1) and JSON arrays of objects. Each
// recognises its kind from the header and yields rows keyed by canonical column name.
import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import { cellText, cellValue, columnNamed, detectTabularKind, mapHeader, type HeaderMap } from "./headers";
import { RefusedError } from "./issues";
import type { TabularKind } from "./kinds";
import type { ImportLimits } from "./limits.server";
import type { ImportUnit } from "./sources.server";
import { workbookRows } from "./workbook.server";
import type { RawRow } from "./row-reader";
import type { ParsedRecord } from "./xml.server";

export interface TabularSource {
  kind: TabularKind;
  records: AsyncIterable<ParsedRecord>;
}

/** Comma or semicolon, whichever the header line uses more. */
export function csvDelimiter(headerLine: string): "," | ";" {
  const count = (c: string) => headerLine.split(c).length - 1;
  return count(";") > count(",") ? ";" : ",";
}

/**
 * The first line of a text file's head (without BOM); "not-utf8" for text in another
 * encoding (a CSV saved by Excel as "CSV" rather than "CSV UTF-8"); null for binary data.
 */
export function firstLine(head: Uint8Array): string | "not-utf8" | null {
  // Blank lines above the header are read past (the reader skips them too).
  const text = new TextDecoder("utf-8").decode(head).replace(/^\uFEFF/, "").replace(/^(?:[ \t]*\r?\n|[ \t]*\r)+/, "");
  const end = text.search(/[\r\n]/);
  const line = end < 0 ? text : text.slice(0, end);
  if (/[\u0000-\u0008\u000e-\u001f]/.test(line)) return null;
  return line.includes("\ufffd") ? "not-utf8" : line;
}

export async function readCsv(stream: Readable, delimiter: "," | ";"): Promise<TabularSource> {
  return fromRows(csvRows(stream, delimiter));
}

/** A sheet's rows as read: its line number and its cells, the header row first. */
export type SheetRow = { line: number; cells: unknown[] };

/** The rows of a CSV text as they are, each with the line it starts on. */
export function csvRows(stream: Readable, delimiter: "," | ";"): AsyncGenerator<SheetRow> {
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    // Blank lines come through as empty records (skipped by fromRows) so that every line
    // is in some record's raw text: a record's line is the line it starts on, counted
    // here, since csv-parse's own count is the record's last line and counts a CRLF
    // inside quotes twice.
    skip_empty_lines: false,
    raw: true,
    max_record_size: 1024 * 1024,
  });
  stream.on("error", (error) => parser.destroy(error));
  stream.pipe(parser);
  return (async function* () {
    let line = 1;
    try {
      for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
        yield { line, cells: record };
        line += lineBreaks(raw);
      }
    } catch (error) {
      if (error instanceof RefusedError) throw error;
      const e = error as { message?: string };
      throw new RefusedError(`Tệp CSV không đúng định dạng (từ dòng ${line}): ${e.message ?? String(error)}`, line);
    } finally {
      stream.destroy();
    }
  })();
}

/** Line breaks in a record's raw text (csv-parse keeps one character of a CRLF that ends a record). */
const lineBreaks = (raw: string) => raw.match(/\r\n|\r|\n/g)?.length ?? 0;

/** The first tab of a workbook (workbook.server.ts reads it, counting what it inflates). */
export async function readXlsx(unit: ImportUnit, limits: ImportLimits): Promise<TabularSource> {
  return fromRows(xlsxRows(unit, limits));
}

/** The rows of a workbook's first tab as they are (exceljs cell values). */
export function xlsxRows(unit: ImportUnit, limits: ImportLimits): AsyncGenerator<SheetRow> {
  return (async function* () {
    try {
      for await (const row of workbookRows(unit, limits)) {
        const values = Array.isArray(row.values) ? row.values.slice(1) : [];
        yield { line: row.number, cells: Array.from(values, (v) => v ?? null) };
      }
    } catch (error) {
      if (error instanceof RefusedError) throw error;
      throw new RefusedError(`Tệp XLSX không đọc được: ${error instanceof Error ? error.message : String(error)}`);
    }
  })();
}

/** Header row → kind and column map; then each non-empty row keyed by canonical name. */
async function fromRows(rows: AsyncGenerator<SheetRow>): Promise<TabularSource> {
  let first = await rows.next();
  while (!first.done && first.value.cells.every((c) => cellText(c) === "")) first = await rows.next();
  if (first.done) throw new RefusedError("Tệp trống: không có dòng tiêu đề.");
  const header = first.value.cells;
  const kind = detectTabularKind(header);
  const columns = mapHeader(kind, header);
  return {
    kind,
    records: (async function* () {
      for await (const { line, cells } of rows) {
        if (cells.every((c) => cellText(c) === "")) continue;
        yield recordOf(columns, cells, line);
      }
    })(),
  };
}

function recordOf(columns: HeaderMap, cells: unknown[], line: number): ParsedRecord {
  if (cells.length > columns.length && cells.slice(columns.length).some((c) => cellText(c) !== "")) {
    return { line, errors: [{ line, reason: `Dòng có ${cells.length} cột, nhiều hơn dòng tiêu đề (${columns.length} cột).` }] };
  }
  const raw: RawRow = {};
  columns.forEach((name, i) => {
    if (name) raw[name] = cellValue(cells[i]);
  });
  return { line, raw };
}

/** A JSON array of objects (a file or an API body, read whole). */
export function readJsonArray(text: string, kind?: TabularKind): TabularSource {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new RefusedError(`Dữ liệu JSON không hợp lệ: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(data)) throw new RefusedError("Dữ liệu JSON phải là một mảng các đối tượng.");
  const objects = data.filter(isObject);
  if (objects.length === 0) throw new RefusedError("Mảng JSON không có đối tượng nào.");
  const resolved = kind ?? detectTabularKind([...new Set(objects.slice(0, 20).flatMap((o) => Object.keys(o)))]);
  return { kind: resolved, records: objectRecords(resolved, data) };
}

/** Objects keyed by column name, canonical label or the gateway's own names, as records. */
export async function* objectRecords(kind: TabularKind, rows: AsyncIterable<unknown> | Iterable<unknown>): AsyncGenerator<ParsedRecord> {
  let line = 0;
  for await (const row of rows) {
    line++;
    if (!isObject(row)) {
      yield { line, errors: [{ line, reason: "Phần tử không phải một đối tượng JSON." }] };
      continue;
    }
    const raw: RawRow = {};
    for (const [key, value] of Object.entries(row)) {
      const name = columnNamed(kind, key);
      if (name) raw[name] = value;
    }
    yield { line, raw };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
