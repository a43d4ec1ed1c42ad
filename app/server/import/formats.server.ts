// Recognises what a file is from its content — never its name — and opens the matching
// reader: an XML envelope or check-in file by its root element, a workbook by its zip
// layout, JSON by its opening bracket, anything else as CSV by its header row.
import crypto from "node:crypto";
import fs from "node:fs";
import { acceptedKindsMessage, type SourceKind } from "./kinds";
import { RefusedError } from "./issues";
import { formatBytes, type ImportLimits } from "./limits.server";
import { headOf, isZip, streamOf, type ImportUnit } from "./sources.server";
import { csvDelimiter, firstLine, readCsv, readJsonArray, readXlsx } from "./tabular.server";
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

export async function openSource(unit: ImportUnit, limits: ImportLimits): Promise<OpenSource> {
  const head = await headOf(unit, HEAD_BYTES);
  if (isZip(head)) {
    // Archives were expanded already: a zip here is a workbook, or an archive inside an archive.
    if (unit.fromArchive && !(await hasWorkbookLayout(unit))) throw new RefusedError("Tệp nén nằm trong tệp nén: hãy giải nén trước.");
    return readXlsx(unit, limits);
  }
  const start = new TextDecoder().decode(head.subarray(0, 1024)).replace(/^\uFEFF/, "").trimStart();
  if (unit.size === 0 || (head.length < HEAD_BYTES && new TextDecoder().decode(head).replace(/^\uFEFF/, "").trim() === "")) {
    throw new RefusedError("Tệp rỗng: tệp không có nội dung nào. Kiểm tra đã chọn đúng tệp, hoặc xuất lại tệp từ phần mềm.");
  }
  if (start.startsWith("<")) {
    const root = sniffXmlRoot(new TextDecoder().decode(head));
    if (root === "doctype") throw new RefusedError("Tệp XML có khai báo DOCTYPE: bị từ chối vì lý do an toàn (không đọc DTD hay thực thể bên ngoài).");
    if (root === ENVELOPE_ROOT) return { kind: "visits_xml", records: readEnvelope(streamOf(unit), limits) };
    if ((CHECKIN_ROOTS as readonly string[]).includes(root ?? "")) return { kind: "checkin_xml", records: readCheckin(streamOf(unit)) };
    throw new RefusedError(`Không nhận ra loại tệp XML (phần tử gốc ${root ? `<${root}>` : "không đọc được"}). ${acceptedKindsMessage()}`);
  }
  if (start.startsWith("[") || start.startsWith("{")) {
    if (unit.size > limits.maxJsonBytes) throw new RefusedError(`Tệp JSON lớn ${formatBytes(unit.size)}, vượt giới hạn ${formatBytes(limits.maxJsonBytes)}.`);
    const bytes = unit.bytes ?? (await fs.promises.readFile(unit.path!));
    return readJsonArray(bytes.toString("utf8"));
  }
  if (isOle2(head)) {
    throw new RefusedError(`Tệp Excel 97-2003 (.xls) không đọc được: trong Excel hãy lưu lại dạng "Excel Workbook (.xlsx)" hoặc "CSV UTF-8" rồi nhập lại. ${acceptedKindsMessage()}`);
  }
  const header = firstLine(head);
  if (!header) throw new RefusedError(`Không nhận ra loại tệp (không phải XML, CSV, XLSX hay JSON). ${acceptedKindsMessage()}`);
  if (header === "not-utf8") throw new RefusedError('Tệp CSV không phải mã UTF-8: trong Excel hãy lưu bằng "CSV UTF-8 (Comma delimited)" rồi nhập lại.', 1);
  return readCsv(streamOf(unit), csvDelimiter(header));
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
