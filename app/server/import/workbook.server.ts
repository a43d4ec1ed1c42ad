// Reading an .xlsx without trusting its zip headers. exceljs's own reader inflates every
// part its streaming unzip meets (the parts it skips are drained, that is inflated too)
// and believes the sizes they declare; a sheet that comes before the shared strings is
// copied whole into the system's temporary folder. So the parts are taken here from the
// central directory instead, inflated by yauzl — which stops an entry the moment it
// yields more than it declared — through a counter that refuses the file once a part
// or the whole has inflated past the import limits. Only the parts needed are inflated
// (relations, workbook, shared strings, styles, the first tab), in that order, and handed
// to exceljs's part parsers; the sheet streams with back-pressure, so reading stops where
// the reader stops (after the header row, when the sender may not import that kind).
import { Transform, type Readable } from "node:stream";
import ExcelJS from "exceljs";
import type yauzl from "yauzl";
import { RefusedError } from "./issues";
import { formatBytes, type ImportLimits } from "./limits.server";
import { entryStream, nextEntry, openZip, type ImportUnit } from "./sources.server";

/** exceljs's part parsers (WorkbookReader's, exceljs 4.4): what its own parse() calls for each part. */
interface PartParsers {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
  workbookRels?: Array<{ Id: string; Target: string }>;
  model?: { sheets?: Array<{ id: number; rId: string; state?: string }> };
}

/** Parts other than the sheet and its strings are a few KB: anything bigger is not an honest workbook. */
const SMALL_PART_BYTES = 16 * 1024 * 1024;

let inflatedTotal = 0;
/** Bytes inflated from workbooks by this process so far (tests and benchmarks read it). */
export const inflatedWorkbookBytes = () => inflatedTotal;

/** The first tab's rows, as exceljs reads them. */
export async function* workbookRows(unit: ImportUnit, limits: ImportLimits): AsyncGenerator<ExcelJS.Row> {
  const [zip] = await openZip(unit);
  try {
    const entries = new Map<string, yauzl.Entry>();
    for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) entries.set(entry.fileName.replace(/^\//, ""), entry);
    const parsers = new ExcelJS.stream.xlsx.WorkbookReader(null as unknown as Readable, {
      sharedStrings: "cache", hyperlinks: "ignore", styles: "cache", worksheets: "emit", entries: "ignore",
    }) as unknown as PartParsers;
    const budget = { total: 0 };
    const part = (name: string, max: number) => {
      const entry = entries.get(name);
      return entry ? counted(zip, entry, max, budget, limits) : null;
    };
    const rels = await part("xl/_rels/workbook.xml.rels", SMALL_PART_BYTES);
    if (rels) await parsers._parseRels(rels);
    const book = await part("xl/workbook.xml", SMALL_PART_BYTES);
    if (!book) throw new RefusedError("Tệp XLSX không có xl/workbook.xml: không phải một bảng tính Excel.");
    await parsers._parseWorkbook(book);
    // Shared strings are held in memory whole, as a JSON file is.
    const strings = await part("xl/sharedStrings.xml", Math.min(limits.maxFileBytes, limits.maxJsonBytes));
    if (strings) for await (const _ of parsers._parseSharedStrings(strings)) void _;
    const styles = await part("xl/styles.xml", SMALL_PART_BYTES);
    if (styles) await parsers._parseStyles(styles);

    const sheetFile = firstTabFile(parsers, entries);
    if (!sheetFile) throw new RefusedError("Tệp XLSX không có trang tính nào.");
    const sheet = (await part(sheetFile, limits.maxFileBytes))!;
    const sheetNo = /sheet(\d+)\.xml$/.exec(sheetFile)?.[1] ?? "1";
    try {
      for (const { eventType, value } of parsers._parseWorksheet(sheet, sheetNo)) {
        if (eventType === "worksheet") yield* value;
      }
    } finally {
      sheet.destroy();
    }
  } finally {
    zip.close();
  }
}

/**
 * The part of the first visible tab (tabs can be moved, so not always sheet1.xml), by the
 * workbook's list of sheets and its relations; else the lowest-numbered sheet part.
 */
function firstTabFile(parsers: PartParsers, entries: Map<string, yauzl.Entry>): string | null {
  const tabs = parsers.model?.sheets ?? [];
  const first = tabs.find((t) => t.state !== "hidden" && t.state !== "veryHidden") ?? tabs[0];
  const target = first && parsers.workbookRels?.find((r) => r.Id === first.rId)?.Target;
  if (target) {
    const name = target.startsWith("/") ? target.slice(1) : `xl/${target}`;
    if (entries.has(name)) return name;
  }
  const sheets = [...entries.keys()].filter((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n));
  sheets.sort((a, b) => Number(/(\d+)\.xml$/.exec(a)?.[1] ?? 0) - Number(/(\d+)\.xml$/.exec(b)?.[1] ?? 0));
  return sheets[0] ?? null;
}

/** A part's inflated bytes, counted as they come: refused past `max` for the part or the unpacked limit for the workbook. */
async function counted(zip: yauzl.ZipFile, entry: yauzl.Entry, max: number, budget: { total: number }, limits: ImportLimits): Promise<Readable> {
  if (entry.isEncrypted()) throw new RefusedError("Tệp XLSX được mã hóa bằng mật khẩu: hãy bỏ mật khẩu rồi nhập lại.");
  const tooBig = (size: number) => `Tệp XLSX có phần "${entry.fileName}" giải nén ra hơn ${formatBytes(size)}, vượt giới hạn.`;
  if (entry.uncompressedSize > max) throw new RefusedError(tooBig(max));
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      budget.total += chunk.length;
      inflatedTotal += chunk.length;
      if (size > max) return done(new RefusedError(tooBig(max)));
      if (budget.total > limits.maxUnpackedBytes) return done(new RefusedError(`Tệp XLSX giải nén ra hơn ${formatBytes(limits.maxUnpackedBytes)}, vượt giới hạn.`));
      done(null, chunk);
    },
  });
  const source = await entryStream(zip, entry);
  source.on("error", (error) => counter.destroy(error.message.includes("too many bytes") ? new RefusedError(`Tệp XLSX có phần "${entry.fileName}" giải nén ra nhiều hơn kích thước khai báo: tệp bị hỏng hoặc cố ý làm sai, bị từ chối.`) : error));
  counter.on("close", () => source.destroy());
  return source.pipe(counter);
}
