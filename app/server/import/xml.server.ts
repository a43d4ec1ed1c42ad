// Streaming readers for the XML sources (FORMATS.md §1): the GIAMDINHHS envelope, whose
// XML1 payloads are base64 <TONG_HOP> documents, and the check-in file. Only the visit
// fields are collected; everything else (names, addresses, XML2…XML15) is read past.
// A DOCTYPE anywhere refuses the file: no DTD or entity is ever read.
import { xmlProblem } from "../../domain/import-messages";
import { SaxesParser, type SaxesTagPlain } from "saxes";
import type { Issue } from "./issues";
import { RefusedError } from "./issues";
import type { ImportLimits } from "./limits.server";
import { formatBytes } from "./limits.server";
import { XML_VISIT_FIELDS } from "./kinds";
import type { RawRow } from "./row-reader";

type Chunks = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** One record of a source: its fields, or why it could not be read. */
export type ParsedRecord = { line: number | null; raw: RawRow } | { line: number | null; errors: Issue[] };

export const ENVELOPE_ROOT = "GIAMDINHHS";
export const CHECKIN_ROOTS = ["CHI_TIEU_TRANG_THAI_KCB", "DSACH_TRANG_THAI_KCB", "TRANG_THAI_KCB"] as const;
const CHECKIN_RECORD = "TRANG_THAI_KCB";
const VISIT_FIELDS: ReadonlySet<string> = new Set(XML_VISIT_FIELDS);

const localName = (name: string) => name.slice(name.indexOf(":") + 1);

/** saxes prefixes "line:column: "; the line is given separately. */
const saxesMessage = (error: Error) => xmlProblem(error.message.replace(/^(.*?:)?\d+:\d+: /, ""));

const DOCTYPE_REFUSED = "Tệp XML có khai báo DOCTYPE: bị từ chối vì lý do an toàn (không đọc DTD hay thực thể bên ngoài).";

function newParser(): SaxesParser {
  const parser = new SaxesParser({ position: true });
  parser.on("doctype", () => {
    throw new RefusedError(DOCTYPE_REFUSED, parser.line);
  });
  parser.on("error", (error) => {
    throw new RefusedError(`XML không hợp lệ ở dòng ${parser.line}: ${saxesMessage(error)}. Mở tệp bằng Notepad++ hoặc trình duyệt để xem dòng này, hoặc xuất lại tệp từ phần mềm KCB.`, parser.line);
  });
  return parser;
}

/** Feeds UTF-8 chunks to a parser, yielding what each chunk completes. */
async function* drive<T>(chunks: Chunks, parser: SaxesParser, produced: T[]): AsyncGenerator<T> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const decode = (chunk?: Uint8Array) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new RefusedError("Tệp XML không phải văn bản UTF-8.");
    }
  };
  for await (const chunk of chunks) {
    parser.write(decode(chunk));
    yield* produced.splice(0);
  }
  parser.write(decode());
  parser.close();
  yield* produced.splice(0);
}

/** The visits of a GIAMDINHHS envelope, one per HOSO; refused whole when the envelope is broken. */
export async function* readEnvelope(chunks: Chunks, limits: ImportLimits): AsyncGenerator<ParsedRecord> {
  const parser = newParser();
  const produced: ParsedRecord[] = [];
  const stack: string[] = [];
  let text: string[] | null = null; // the text of the element being captured
  let textLength = 0;
  let facility: string | null = null; // the envelope's MACSKCB, once read
  // Records read before the envelope's MACSKCB (it normally comes first) wait for it.
  const waiting: ParsedRecord[] = [];
  const emit = (record: ParsedRecord) => {
    // MA_CSKCB of the record, else the envelope's MACSKCB.
    if ("raw" in record && !record.raw.ma_cskcb) {
      if (facility === null) return void waiting.push(record);
      record.raw.ma_cskcb = facility;
    }
    produced.push(record);
  };
  let declaredCount: string | null = null;
  let hosoCount = 0;
  let hoso: { line: number; payloads: string[]; other: boolean } | null = null;
  let file: { type: string | null; content: string | null; tooLarge: boolean } | null = null;
  const maxBase64 = Math.ceil(limits.maxPayloadBytes / 3) * 4 * 1.1 + 4096; // whitespace-wrapped base64

  parser.on("opentag", (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    const parent = stack[stack.length - 1];
    stack.push(name);
    if (stack.length === 1 && name !== ENVELOPE_ROOT) throw new RefusedError(`Phần tử gốc <${name}> không phải hồ sơ gửi Cổng giám định (<${ENVELOPE_ROOT}>).`, parser.line);
    if (name === "HOSO" && parent === "DANHSACHHOSO") {
      hosoCount++;
      hoso = { line: parser.line, payloads: [], other: false };
    } else if (name === "FILEHOSO" && parent === "HOSO") {
      file = { type: null, content: null, tooLarge: false };
    } else if ((name === "MACSKCB" && parent === "THONGTINDONVI") || (name === "SOLUONGHOSO" && parent === "THONGTINHOSO") || (file && parent === "FILEHOSO" && name === "LOAIHOSO")) {
      [text, textLength] = [[], 0];
    } else if (file && parent === "FILEHOSO" && name === "NOIDUNGFILE" && (file.type === null || file.type === "XML1")) {
      [text, textLength] = [[], 0]; // XML2…XML15 are skipped without decoding
    }
  });
  const onText = (t: string) => {
    if (!text) return;
    text.push(t);
    textLength += t.length;
    if (textLength > maxBase64) {
      throw new RefusedError(`Nội dung XML1 vượt quá giới hạn ${formatBytes(limits.maxPayloadBytes)} sau khi giải mã.`, parser.line);
    }
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("closetag", (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    stack.pop();
    const value = text?.join("").trim() ?? "";
    const parent = stack[stack.length - 1];
    if (name === "MACSKCB" && parent === "THONGTINDONVI") {
      facility = value;
      waiting.splice(0).forEach(emit);
    }
    else if (name === "SOLUONGHOSO" && parent === "THONGTINHOSO") declaredCount = value;
    else if (file && name === "LOAIHOSO") file.type = value.toUpperCase();
    else if (file && name === "NOIDUNGFILE" && text) file.content = value;
    else if (file && name === "FILEHOSO") {
      if (file.type === "XML1" && file.content !== null) hoso!.payloads.push(file.content);
      else if (file.type === "XML1") hoso!.other = true; // an XML1 without content
      file = null;
    } else if (hoso && name === "HOSO" && parent === "DANHSACHHOSO") {
      emit(readHoso(hoso, limits));
      hoso = null;
    } else if (stack.length === 0) {
      facility ??= "";
      waiting.splice(0).forEach(emit);
      if (hosoCount === 0) throw new RefusedError("Hồ sơ không có HOSO nào.");
      if (declaredCount === null || !/^\d+$/.test(declaredCount)) throw new RefusedError("Thiếu hoặc sai SOLUONGHOSO (số lượng hồ sơ).");
      if (Number(declaredCount) !== hosoCount) {
        throw new RefusedError(`SOLUONGHOSO ghi ${declaredCount} nhưng tệp có ${hosoCount} HOSO.`);
      }
    }
    text = null;
  });
  yield* drive(chunks, parser, produced);
}

function readHoso(hoso: { line: number; payloads: string[]; other: boolean }, limits: ImportLimits): ParsedRecord {
  const fail = (reason: string): ParsedRecord => ({ line: hoso.line, errors: [{ line: hoso.line, reason }] });
  if (hoso.payloads.length === 0) return fail(hoso.other ? "HOSO có XML1 nhưng không có NOIDUNGFILE." : "HOSO không có XML1 (bảng tổng hợp).");
  if (hoso.payloads.length > 1) return fail("HOSO có nhiều hơn một XML1.");
  const base64 = hoso.payloads[0].replace(/\s+/g, "");
  if (!base64 || base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return fail("NOIDUNGFILE của XML1 không phải base64 hợp lệ.");
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length > limits.maxPayloadBytes) throw new RefusedError(`Nội dung XML1 vượt quá giới hạn ${formatBytes(limits.maxPayloadBytes)} sau khi giải mã.`, hoso.line);
  const result = readTongHop(bytes);
  if ("error" in result) return fail(result.error);
  return { line: hoso.line, raw: result.raw };
}

/** The visit fields of a decoded XML1 <TONG_HOP> document. */
function readTongHop(bytes: Buffer): { raw: RawRow } | { error: string } {
  let xml: string;
  try {
    xml = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { error: "Nội dung XML1 không phải văn bản UTF-8." };
  }
  const parser = new SaxesParser();
  let depth = 0;
  let field: string | null = null;
  let text: string[] = [];
  let root: string | null = null;
  const raw: RawRow = {};
  parser.on("doctype", () => {
    throw new RefusedError(DOCTYPE_REFUSED);
  });
  parser.on("opentag", (tag: SaxesTagPlain) => {
    depth++;
    const name = localName(tag.name);
    if (depth === 1) root = name;
    if (depth === 2 && VISIT_FIELDS.has(name)) [field, text] = [name, []];
  });
  const onText = (t: string) => field && text.push(t);
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("closetag", () => {
    if (depth === 2 && field) {
      raw[field.toLowerCase()] = text.join("").trim();
      field = null;
    }
    depth--;
  });
  let malformed: string | null = null;
  parser.on("error", (error) => {
    malformed ??= saxesMessage(error);
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof RefusedError) throw error;
    malformed ??= xmlProblem(String(error));
  }
  if (malformed) return { error: `Nội dung XML1 không phải XML hợp lệ: ${malformed}` };
  if (root !== "TONG_HOP") return { error: `Nội dung XML1 có phần tử gốc <${root}>, không phải <TONG_HOP>.` };
  return { raw };
}

/**
 * The visits of a check-in file, whichever of the three roots it has: one per
 * <TRANG_THAI_KCB> as a rule, or any of the three elements that holds the visit fields
 * itself (a single-visit file rooted at <CHI_TIEU_TRANG_THAI_KCB> with MA_LK… under it).
 */
export async function* readCheckin(chunks: Chunks): AsyncGenerator<ParsedRecord> {
  const parser = newParser();
  const produced: ParsedRecord[] = [];
  // One frame per open element: a check-in element collects the visit fields directly under it.
  const stack: Array<{ line: number; raw: RawRow | null; fields: number; record: boolean; holdsRecords?: boolean }> = [];
  let field: string | null = null;
  let text: string[] = [];
  let count = 0;
  parser.on("opentag", (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    const isCheckin = (CHECKIN_ROOTS as readonly string[]).includes(name);
    if (stack.length === 0 && !isCheckin) {
      throw new RefusedError(`Phần tử gốc <${name}> không phải tệp check-in (${CHECKIN_ROOTS.map((r) => `<${r}>`).join(", ")}).`, parser.line);
    }
    const parent = stack[stack.length - 1];
    if (parent?.raw && VISIT_FIELDS.has(name)) [field, text] = [name, []];
    // <TRANG_THAI_KCB> is a record even with none of the fields (then an invalid one).
    stack.push({ line: parser.line, raw: isCheckin && !field ? {} : null, fields: 0, record: name === CHECKIN_RECORD });
  });
  const onText = (t: string) => field && text.push(t);
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("closetag", () => {
    const frame = stack.pop()!;
    const parent = stack[stack.length - 1];
    if (field && parent?.raw) {
      parent.raw[field.toLowerCase()] = text.join("").trim();
      parent.fields++;
      field = null;
    } else if (frame.raw && (frame.fields > 0 || frame.record) && !frame.holdsRecords) {
      produced.push({ line: frame.line, raw: frame.raw });
      count++;
      for (const outer of stack) outer.holdsRecords = true;
    }
    if (stack.length === 0 && count === 0) throw new RefusedError("Tệp check-in không có bản ghi <TRANG_THAI_KCB> nào.");
  });
  yield* drive(chunks, parser, produced);
}

/**
 * The root element of an XML document from its first bytes, skipping the declaration,
 * comments and processing instructions; "doctype" when a DOCTYPE comes first.
 */
export function sniffXmlRoot(head: string): string | "doctype" | null {
  let s = head.replace(/^\uFEFF/, "");
  for (;;) {
    s = s.trimStart();
    if (s.startsWith("<?")) {
      const end = s.indexOf("?>");
      if (end < 0) return null;
      s = s.slice(end + 2);
    } else if (s.startsWith("<!--")) {
      const end = s.indexOf("-->");
      if (end < 0) return null;
      s = s.slice(end + 3);
    } else if (/^<!DOCTYPE/i.test(s)) {
      return "doctype";
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)/.exec(s);
      return m ? localName(m[1]) : null;
    }
  }
}
