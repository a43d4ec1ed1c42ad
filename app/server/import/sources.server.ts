// What one input becomes: a file on disk or in memory, or — for a .zip archive — each of
// its entries, expanded with limits on entry count, unpacked size and entry size so a
// zip bomb is refused before it is inflated. An .xlsx (a zip too) stays one file.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";
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

  let zip: yauzl.ZipFile;
  let tempDir: string | null = null;
  try {
    zip = await openZip(unit);
  } catch (error) {
    return yield refuse(`Tệp nén .zip hỏng: ${messageOf(error)}`);
  }
  try {
    if (zip.entryCount > limits.maxArchiveEntries) {
      return yield refuse(`Tệp nén có ${zip.entryCount} mục, vượt giới hạn ${limits.maxArchiveEntries}.`);
    }
    let entries: yauzl.Entry[];
    try {
      entries = await readEntries(zip);
    } catch (error) {
      return yield refuse(`Tệp nén .zip hỏng: ${messageOf(error)}`);
    }
    if (entries.some((e) => e.fileName === "[Content_Types].xml") && entries.some((e) => e.fileName.startsWith("xl/"))) {
      return yield unit; // an Excel workbook
    }
    const files = entries.filter((e) => !e.fileName.endsWith("/") && !e.fileName.startsWith("__MACOSX/") && !path.posix.basename(e.fileName).startsWith("."));
    const unpacked = files.reduce((n, e) => n + e.uncompressedSize, 0);
    if (unpacked > limits.maxUnpackedBytes) {
      return yield refuse(`Tệp nén giải nén ra ${formatBytes(unpacked)}, vượt giới hạn ${formatBytes(limits.maxUnpackedBytes)}.`);
    }
    if (files.length === 0) return yield refuse("Tệp nén không có tệp nào.");
    onArchive?.(files.length);
    for (const entry of files) {
      const name = `${input.name}/${entry.fileName}`;
      const entryRefused = (reason: string): ImportUnit => ({ name, size: 0, fromArchive: true, refused: reason });
      if (entry.isEncrypted()) {
        yield entryRefused("Tệp trong tệp nén được mã hóa bằng mật khẩu.");
      } else if (entry.uncompressedSize > limits.maxFileBytes) {
        yield entryRefused(`Tệp lớn ${formatBytes(entry.uncompressedSize)}, vượt giới hạn ${formatBytes(limits.maxFileBytes)}.`);
      } else {
        let extracted: ImportUnit;
        try {
          if (entry.uncompressedSize <= IN_MEMORY_ENTRY) {
            const bytes = await readEntry(zip, entry);
            extracted = { name, size: bytes.length, bytes, fromArchive: true };
          } else {
            tempDir ??= fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-zip-"));
            const file = path.join(tempDir, "entry");
            await pipeline(await entryStream(zip, entry), fs.createWriteStream(file));
            extracted = { name, size: entry.uncompressedSize, path: file, fromArchive: true, cleanup: () => fs.rmSync(file, { force: true }) };
          }
        } catch (error) {
          extracted = entryRefused(`Không giải nén được: ${messageOf(error)}`);
        }
        yield extracted;
      }
    }
  } finally {
    zip.close();
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  }
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

function openZip(unit: ImportUnit): Promise<yauzl.ZipFile> {
  const options = { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false };
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, zip?: yauzl.ZipFile) => (error || !zip ? reject(error ?? new Error("zip")) : resolve(zip));
    if (unit.bytes) yauzl.fromBuffer(unit.bytes, options, done);
    else yauzl.open(unit.path!, options, done);
  });
}

function readEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on("entry", (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once("end", () => resolve(entries));
    zip.once("error", reject);
    zip.readEntry();
  });
}

function entryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error || !stream ? reject(error) : resolve(stream))));
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await entryStream(zip, entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
