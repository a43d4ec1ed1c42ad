// Recognises what a file is from its content — never its name — and opens the matching
// reader: an XML envelope or check-in file by its root element, a workbook by its zip
// layout, JSON by its opening bracket, anything else as CSV by its header row.
import crypto from "node:crypto";
import fs from "node:fs";
import { acceptedKindsMessage, type SourceKind } from "./kinds";
import { RefusedError } from "./issues";
import { formatBytes, type ImportLimits } from "./limits.server";
import { headOf, isZip, streamOf, type ImportUnit } from "./sources.server";
import { csvDelimiter, csvRows, firstLine, readCsv, readJsonArray, readXlsx, xlsxRows, type SheetRow } from "./tabular.server";
import { CHECKIN_ROOTS, ENVELOPE_ROOT, readCheckin, readEnvelope, sniffXmlRoot, type ParsedRecord } from "./xml.server";

export interface OpenSource {
  kind: SourceKind;
  records: AsyncIterable<ParsedRecord>;
}

const HEAD_BYTES = 64 * 1024;

/** The kind of an XML file from its first bytes: the envelope or a check-in file; null for anything else. */
export function xmlKindOf(head: Uint8Array): "visits_xml" | "checkin_xml" | null {
  const root = sniffXmlRoot(new TextDecoder().decode(head));
  if (root === ENVELOPE_ROOT) return "visits_xml";
  return (CHECKIN_ROOTS as readonly string[]).includes(root ?? "") ? "checkin_xml" : null;
}

/** How a file is written, as told by its first bytes (never its name). */
type Format = { type: "xlsx" } | { type: "csv"; delimiter: "," | ";" } | { type: "json" } | { type: "xml"; kind: "visits_xml" | "checkin_xml" };

/** The file's format; refused, with what to do, when it is none that is read. */
async function formatOf(unit: ImportUnit, limits: ImportLimits): Promise<Format> {
  const head = await headOf(unit, HEAD_BYTES);
  if (isZip(head)) {
    // Archives were expanded already: a zip here is a workbook, or an archive inside an archive.
    if (unit.fromArchive && !(await hasWorkbookLayout(unit))) throw new RefusedError("Tệp nén nằm trong tệp nén: hãy giải nén trước.");
    return { type: "xlsx" };
  }
  const start = new TextDecoder().decode(head.subarray(0, 1024)).replace(/^\uFEFF/, "").trimStart();
  if (unit.size === 0 || (head.length < HEAD_BYTES && new TextDecoder().decode(head).replace(/^\uFEFF/, "").trim() === "")) {
    throw new RefusedError("Tệp rỗng: tệp không có nội dung nào. Kiểm tra đã chọn đúng tệp, hoặc xuất lại tệp từ phần mềm.");
  }
  if (start.startsWith("<")) {
    const root = sniffXmlRoot(new TextDecoder().decode(head));
    if (root === "doctype") throw new RefusedError("Tệp XML có khai báo DOCTYPE: bị từ chối vì lý do an toàn (không đọc DTD hay thực thể bên ngoài).");
    if (root === ENVELOPE_ROOT) return { type: "xml", kind: "visits_xml" };
    if ((CHECKIN_ROOTS as readonly string[]).includes(root ?? "")) return { type: "xml", kind: "checkin_xml" };
    throw new RefusedError(`Không nhận ra loại tệp XML (phần tử gốc ${root ? `<${root}>` : "không đọc được"}). ${acceptedKindsMessage()}`);
  }
  if (start.startsWith("[") || start.startsWith("{")) {
    if (unit.size > limits.maxJsonBytes) throw new RefusedError(`Tệp JSON lớn ${formatBytes(unit.size)}, vượt giới hạn ${formatBytes(limits.maxJsonBytes)}.`);
    return { type: "json" };
  }
  if (isOle2(head)) {
    throw new RefusedError(`Tệp Excel 97-2003 (.xls) không đọc được: trong Excel hãy lưu lại dạng "Excel Workbook (.xlsx)" hoặc "CSV UTF-8" rồi nhập lại. ${acceptedKindsMessage()}`);
  }
  const header = firstLine(head);
  if (!header) throw new RefusedError(`Không nhận ra loại tệp (không phải XML, CSV, XLSX hay JSON). ${acceptedKindsMessage()}`);
  if (header === "not-utf8") throw new RefusedError('Tệp CSV không phải mã UTF-8: trong Excel hãy lưu bằng "CSV UTF-8 (Comma delimited)" rồi nhập lại.', 1);
  return { type: "csv", delimiter: csvDelimiter(header) };
}

export async function openSource(unit: ImportUnit, limits: ImportLimits): Promise<OpenSource> {
  const format = await formatOf(unit, limits);
  switch (format.type) {
    case "xlsx":
      return readXlsx(unit, limits);
    case "csv":
      return readCsv(streamOf(unit), format.delimiter);
    case "json":
      return readJsonArray((unit.bytes ?? (await fs.promises.readFile(unit.path!))).toString("utf8"));
    case "xml":
      return { kind: format.kind, records: format.kind === "visits_xml" ? readEnvelope(streamOf(unit), limits) : readCheckin(streamOf(unit)) };
  }
}

/**
 * A table file's rows as written, header first (for the error report, which gives the
 * rows back in their own columns); null for XML and JSON, which have no such rows.
 */
export async function openSheetRows(unit: ImportUnit, limits: ImportLimits): Promise<AsyncGenerator<SheetRow> | null> {
  const format = await formatOf(unit, limits);
  if (format.type === "xlsx") return xlsxRows(unit, limits);
  if (format.type === "csv") return csvRows(streamOf(unit), format.delimiter);
  return null;
}

/** The signature of an OLE2 compound file: an Excel 97-2003 workbook (.xls). */
const isOle2 = (head: Uint8Array) => Buffer.from(head.subarray(0, 8)).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));

/** An Office Open XML workbook lists "[Content_Types].xml" and "xl/…" near its start. */
async function hasWorkbookLayout(unit: ImportUnit): Promise<boolean> {
  const names = (unit.bytes ?? (await headOf(unit, 1024 * 1024))).toString("latin1");
  return names.includes("[Content_Types].xml") && names.includes("xl/");
}

/** SHA-256 of the unit's bytes: what tells a re-imported file. */
export async function contentHashOf(unit: ImportUnit): Promise<string> {
  const hash = crypto.createHash("sha256");
  if (unit.bytes) return hash.update(unit.bytes).digest("hex");
  for await (const chunk of fs.createReadStream(unit.path!)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
