// What one input becomes: a file on disk or in memory, or — for a .zip archive — each of
// its entries, expanded with limits on entry count, unpacked size and entry size so a
// zip bomb is refused before it is inflated. An .xlsx (a zip too) stays one file, judged
// by the same limits on the declared sizes of its parts before exceljs inflates it.
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import yauzl from "yauzl";
import { privateDirectory } from "../data-dir.server";
import { formatBytes, type ImportLimits } from "./limits.server";

export interface FileInput {
  name: string;
  path?: string;
  bytes?: Uint8Array;
}

export interface ImportUnit {
  name: string;
  size: number;
  bytes?: Buffer;
  path?: string;
  /** An entry of an archive (archives are not expanded twice). */
  fromArchive: boolean;
  /** Refused before reading: too large, unreadable, a zip bomb… */
  refused?: string;
  cleanup?: () => void;
}

/** Entries up to this size are read into memory; larger ones go to a temporary file. */
const IN_MEMORY_ENTRY = 8 * 1024 * 1024;

export const isZip = (head: Uint8Array) => head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;

export async function* unitsOf(input: FileInput, limits: ImportLimits, onArchive?: (entries: number) => void): AsyncGenerator<ImportUnit> {
  const refuse = (reason: string): ImportUnit => ({ name: input.name, size: 0, fromArchive: false, refused: reason });
  let unit: ImportUnit;
  if (input.bytes) {
    unit = { name: input.name, size: input.bytes.length, bytes: Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.length), fromArchive: false };
  } else if (input.path) {
    const stat = await fs.promises.stat(input.path).catch(() => null);
    if (!stat?.isFile()) return yield refuse("Không đọc được tệp.");
    unit = { name: input.name, size: stat.size, path: input.path, fromArchive: false };
  } else {
    return yield refuse("Không có nội dung tệp.");
  }
  if (unit.size > limits.maxFileBytes) return yield refuse(`Tệp lớn ${formatBytes(unit.size)}, vượt giới hạn ${formatBytes(limits.maxFileBytes)}.`);
  if (!isZip(await headOf(unit, 4))) return yield unit;

  let survey: ArchiveSurvey;
  try {
    survey = await surveyArchive(unit, limits);
  } catch (error) {
    return yield refuse(`Tệp nén .zip hỏng: ${messageOf(error)}`);
  }
  if (survey.entryCount > limits.maxArchiveEntries) {
    return yield refuse(`Tệp nén có ${survey.entryCount} mục, vượt giới hạn ${limits.maxArchiveEntries}.`);
  }
  if (survey.workbook) {
    // An Excel workbook is inflated by exceljs, not here: judged by the same limits first,
    // on every part of it (a zip bomb can hide in any part exceljs reads or skips over).
    if (survey.largestPart > limits.maxFileBytes) {
      return yield refuse(`Tệp Excel có phần giải nén ra ${formatBytes(survey.largestPart)}, vượt giới hạn ${formatBytes(limits.maxFileBytes)}.`);
    }
    if (survey.unpackedAll > limits.maxUnpackedBytes) {
      return yield refuse(`Tệp Excel giải nén ra ${formatBytes(survey.unpackedAll)}, vượt giới hạn ${formatBytes(limits.maxUnpackedBytes)}.`);
    }
    return yield unit;
  }
  if (survey.unpacked > limits.maxUnpackedBytes) {
    return yield refuse(`Tệp nén giải nén ra ${formatBytes(survey.unpacked)}, vượt giới hạn ${formatBytes(limits.maxUnpackedBytes)}.`);
  }
  if (survey.files === 0) return yield refuse("Tệp nén không có tệp nào.");
  onArchive?.(survey.files);
  yield* expandArchive(unit, input.name, limits);
}

interface ArchiveSurvey {
  entryCount: number;
  files: number;
  unpacked: number;
  /** Declared unpacked size of every entry, and of the largest one (what a workbook is judged on). */
  unpackedAll: number;
  largestPart: number;
  workbook: boolean;
}

/**
 * A first pass over the central directory, keeping only totals: the archive is judged
 * (count, declared unpacked size, workbook or not) before anything is inflated, and the
 * second pass holds one entry at a time, however many there are.
 */
async function surveyArchive(unit: ImportUnit, limits: ImportLimits): Promise<ArchiveSurvey> {
  const [zip] = await openZip(unit);
  try {
    const survey = { entryCount: zip.entryCount, files: 0, unpacked: 0, unpackedAll: 0, largestPart: 0, workbook: false };
    if (zip.entryCount > limits.maxArchiveEntries) return survey;
    let contentTypes = false;
    let workbookPart = false;
    for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
      contentTypes ||= entry.fileName === "[Content_Types].xml";
      workbookPart ||= entry.fileName.startsWith("xl/");
      survey.unpackedAll += entry.uncompressedSize;
      survey.largestPart = Math.max(survey.largestPart, entry.uncompressedSize);
      if (!isImportable(entry)) continue;
      survey.files++;
      survey.unpacked += entry.uncompressedSize;
    }
    survey.workbook = contentTypes && workbookPart;
    return survey;
  } finally {
    zip.close();
  }
}

/** Folders, macOS resource forks and hidden files are not files of the import. */
const isImportable = (entry: yauzl.Entry) =>
  !entry.fileName.endsWith("/") && !entry.fileName.startsWith("__MACOSX/") && !path.posix.basename(entry.fileName).startsWith(".");

/** Each file entry of an archive as a unit, one at a time. */
async function* expandArchive(unit: ImportUnit, archiveName: string, limits: ImportLimits): AsyncGenerator<ImportUnit> {
  const [zip, readAt] = await openZip(unit);
  let tempDir: string | null = null;
  try {
    for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
      if (!isImportable(entry)) continue;
      const name = `${archiveName}/${entry.fileName}`;
      const entryRefused = (reason: string): ImportUnit => ({ name, size: 0, fromArchive: true, refused: reason });
      if (entry.isEncrypted()) {
        yield entryRefused("Tệp trong tệp nén được mã hóa bằng mật khẩu.");
        continue;
      }
      if (entry.uncompressedSize > limits.maxFileBytes) {
        yield entryRefused(`Tệp lớn ${formatBytes(entry.uncompressedSize)}, vượt giới hạn ${formatBytes(limits.maxFileBytes)}.`);
        continue;
      }
      let extracted: ImportUnit;
      try {
        if (entry.uncompressedSize <= IN_MEMORY_ENTRY) {
          const bytes = readSmallEntry(readAt, entry);
          extracted = { name, size: bytes.length, bytes, fromArchive: true };
        } else {
          tempDir ??= fs.mkdtempSync(path.join(privateTemp(), "zip-"));
          const file = path.join(tempDir, "entry");
          await pipeline(await entryStream(zip, entry), fs.createWriteStream(file));
          extracted = { name, size: entry.uncompressedSize, path: file, fromArchive: true, cleanup: () => fs.rmSync(file, { force: true }) };
        }
      } catch (error) {
        extracted = entryRefused(`Không giải nén được: ${messageOf(error)}`);
      }
      yield extracted;
    }
  } finally {
    zip.close();
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

/** Large archive entries are unpacked here (data/tmp, 0700), never in the shared temporary folder: they hold identifiers in clear. */
const privateTemp = () => privateDirectory("tmp");

/** At start-up: what an import cut short by a crash left unpacked. */
export function clearPrivateTemp() {
  const dir = privateTemp();
  for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
}

/** The first bytes of a unit (to recognise its format). */
export async function headOf(unit: ImportUnit, length: number): Promise<Buffer> {
  if (unit.bytes) return unit.bytes.subarray(0, length);
  const handle = await fs.promises.open(unit.path!, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The unit's bytes as a stream, in 64 KB chunks. */
export function streamOf(unit: ImportUnit): Readable {
  if (unit.path) return fs.createReadStream(unit.path, { highWaterMark: 64 * 1024 });
  return Readable.from(chunksOf(unit.bytes!), { objectMode: false });
}

function* chunksOf(bytes: Buffer) {
  for (let i = 0; i < bytes.length; i += 64 * 1024) yield bytes.subarray(i, i + 64 * 1024);
}

const ZIP_OPTIONS = { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false };

/** Bytes of the archive at a position (fewer at its end). */
type ReadAt = (position: number, length: number) => Buffer;

export function openZip(unit: ImportUnit): Promise<[yauzl.ZipFile, ReadAt]> {
  return new Promise((resolve, reject) => {
    let readAt: ReadAt;
    const done = (error: Error | null, zip?: yauzl.ZipFile) => (error || !zip ? reject(error ?? new Error("zip")) : resolve([zip, readAt]));
    if (unit.bytes) {
      const bytes = unit.bytes;
      readAt = (position, length) => bytes.subarray(position, position + length);
      yauzl.fromBuffer(bytes, ZIP_OPTIONS, done);
    } else {
      const fd = fs.openSync(unit.path!, "r");
      readAt = (position, length) => {
        const buffer = Buffer.allocUnsafe(length);
        return buffer.subarray(0, fs.readSync(fd, buffer, 0, length, position));
      };
      yauzl.fromRandomAccessReader(new SyncFileReader(fd), unit.size, ZIP_OPTIONS, done);
    }
  });
}

/**
 * Reads an archive on disk with synchronous reads (answered on the next tick): a month
 * of one-visit envelopes is 100,000 entries, and a thread-pool round trip for each of
 * their headers costs more than reading them.
 */
class SyncFileReader extends yauzl.RandomAccessReader {
  constructor(private readonly fd: number) {
    super();
  }

  _readStreamForRange(start: number, end: number): Readable {
    const fd = this.fd;
    return Readable.from((function* () {
      for (let position = start; position < end; ) {
        const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, end - position));
        const read = fs.readSync(fd, chunk, 0, chunk.length, position);
        if (read === 0) throw new Error("unexpected end of file");
        position += read;
        yield chunk.subarray(0, read);
      }
    })());
  }

  read(buffer: Buffer, offset: number, length: number, position: number, callback: (error: Error | null) => void) {
    let error: Error | null = null;
    try {
      if (fs.readSync(this.fd, buffer, offset, length, position) < length) error = new Error("unexpected end of file");
    } catch (e) {
      error = e as Error;
    }
    process.nextTick(callback, error);
  }

  close(callback: (error: Error | null) => void) {
    fs.close(this.fd, callback);
  }
}

/** The next entry of the central directory, or null at its end. */
export function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const settle = () => {
      zip.off("entry", onEntry);
      zip.off("end", onEnd);
      zip.off("error", onError);
    };
    const onEntry = (entry: yauzl.Entry) => (settle(), resolve(entry));
    const onEnd = () => (settle(), resolve(null));
    const onError = (error: Error) => (settle(), reject(error));
    zip.on("entry", onEntry);
    zip.on("end", onEnd);
    zip.on("error", onError);
    zip.readEntry();
  });
}

export function entryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error || !stream ? reject(error) : resolve(stream))));
}

/**
 * A small entry read straight from its local header (yauzl has read and checked the
 * central directory) and inflated in one synchronous step — a stream per entry costs more
 * than the entry — then checked against its declared size.
 */
function readSmallEntry(readAt: ReadAt, entry: yauzl.Entry): Buffer {
  const header = readAt(entry.relativeOffsetOfLocalHeader, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50) throw new Error("không thấy phần đầu của tệp trong tệp nén");
  const start = entry.relativeOffsetOfLocalHeader + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const stored = readAt(start, entry.compressedSize);
  if (stored.length < entry.compressedSize) throw new Error("tệp nén bị cắt cụt");
  let bytes: Buffer;
  if (entry.compressionMethod === 0) bytes = stored;
  else if (entry.compressionMethod === 8) bytes = zlib.inflateRawSync(stored, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  else throw new Error(`cách nén ${entry.compressionMethod} không hỗ trợ`);
  if (bytes.length !== entry.uncompressedSize) throw new Error("kích thước sau giải nén khác kích thước khai báo");
  return bytes;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
