// Builders for import tests: a migrated database with its ward, actors, and source files
// written the way the facilities' software writes them. All people here are invented.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import ExcelJS from "exceljs";
import { afterEach, beforeEach } from "vitest";
import { openMigratedDatabase, type DB } from "~/server/db.server";
import { setInstallationSecret } from "~/server/crypto.server";
import { ensureWard } from "~/server/ward.server";
import { importFiles, type FileOutcome, type ImportActor } from "~/server/import/pipeline.server";
import type { Role } from "~/domain/permissions";

export const TEST_SECRET = "import-tests-secret-0123456789abcdef";

/** The facilities of the tests' ward list (FORMATS.md §8): rows naming another code are invalid. */
export const TEST_FACILITY_CODES = ["38120", "38A15", "79001", "79002", "79003", "01001", "11111", "12345", "22222", "33333"] as const;

export async function testDb(url = ":memory:", opts: { facilities?: readonly string[] } = {}): Promise<{ db: DB; wardId: number }> {
  setInstallationSecret(TEST_SECRET);
  const db = await openMigratedDatabase(url);
  const ward = await ensureWard(db);
  await registerFacilities(db, ward.id, opts.facilities ?? TEST_FACILITY_CODES);
  return { db, wardId: ward.id };
}

/** Puts codes in the ward's facility list, as an administrator's list would. */
export async function registerFacilities(db: DB, wardId: number, codes: readonly string[]) {
  for (const code of codes) {
    await db.insertInto("facility").values({ ward_id: wardId, code, name: `Cơ sở ${code}`, kind: "khac" }).onConflict((oc) => oc.column("code").doNothing()).execute();
  }
}

export const cli = (wardId: number): ImportActor => ({ wardId, userId: null, tokenId: null, channel: "cli", role: null, blockId: null });

export async function asUser(db: DB, wardId: number, role: Role, blockNumber?: number): Promise<ImportActor> {
  const block = blockNumber === undefined ? null : await db.selectFrom("block").select("id").where("number", "=", blockNumber).executeTakeFirstOrThrow();
  return { wardId, userId: null, tokenId: null, channel: "upload", role, blockId: block?.id ?? null, username: role };
}

/** Imports files given as text (or bytes) by name. */
export async function importTexts(db: DB, actor: ImportActor, files: Record<string, string | Uint8Array>, dryRun = false): Promise<FileOutcome[]> {
  const inputs = Object.entries(files).map(([name, content]) => ({ name, bytes: typeof content === "string" ? Buffer.from(content, "utf8") : content }));
  return importFiles(db, actor, inputs, { dryRun });
}

export async function importOne(db: DB, actor: ImportActor, name: string, content: string | Uint8Array, dryRun = false): Promise<FileOutcome> {
  const [outcome] = await importTexts(db, actor, { [name]: content }, dryRun);
  return outcome;
}

export type Fields = Record<string, string>;

const PERSON = {
  MA_BN: "BN0001",
  HO_TEN: "Trần Thị Giả Định",
  NGAY_SINH: "198705120000",
  GIOI_TINH: "2",
  DIA_CHI: "Số 1, Khối 3, Phường Thí Điểm",
  DIEN_THOAI: "0900000001",
  MAXA_CU_TRU: "17464",
};

/** A <TONG_HOP> (XML1) document: the visit's fields plus the personal details the facility sends. */
export function tongHop(fields: Fields, attrs = ""): string {
  const all = { ...PERSON, MA_LOAI_KCB: "01", MA_DOITUONG_KCB: "1.1", ...fields };
  const body = Object.entries(all).map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join("");
  return `<?xml version="1.0" encoding="utf-8"?><TONG_HOP${attrs}>${body}</TONG_HOP>`;
}

export const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

export interface EnvelopeOptions {
  facility?: string;
  /** SOLUONGHOSO as written; defaults to the number of HOSO. */
  count?: string;
  /** Replaces the XML1 payload of every HOSO. */
  payload?: string;
  /** FILEHOSO elements added after XML1 in every HOSO. */
  extraFiles?: string;
  /** Attributes of every <TONG_HOP> (namespaces). */
  tongHopAttrs?: string;
}

/** A GIAMDINHHS envelope with one HOSO per visit. */
export function envelope(visits: Fields[], opts: EnvelopeOptions = {}): string {
  const hoso = visits
    .map((v) => `<HOSO><FILEHOSO><LOAIHOSO>XML1</LOAIHOSO><NOIDUNGFILE>${opts.payload ?? base64(tongHop(v, opts.tongHopAttrs))}</NOIDUNGFILE></FILEHOSO>${opts.extraFiles ?? ""}</HOSO>`)
    .join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<GIAMDINHHS xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<THONGTINDONVI><MACSKCB>${opts.facility ?? "38120"}</MACSKCB></THONGTINDONVI>
<THONGTINHOSO><NGAYLAP>20260304</NGAYLAP><SOLUONGHOSO>${opts.count ?? visits.length}</SOLUONGHOSO>
<DANHSACHHOSO>
${hoso}
</DANHSACHHOSO></THONGTINHOSO><CHUKYDONVI/></GIAMDINHHS>`;
}

/** A check-in file (CHI_TIEU_TRANG_THAI_KCB) with one TRANG_THAI_KCB per visit. */
export function checkinFile(visits: Fields[]): string {
  const records = visits
    .map((v) => `<TRANG_THAI_KCB>${Object.entries({ ...PERSON, MA_LOAI_KCB: "01", ...v }).map(([k, val]) => `<${k}>${escapeXml(val)}</${k}>`).join("")}</TRANG_THAI_KCB>`)
    .join("");
  return `<?xml version="1.0" encoding="utf-8"?><CHI_TIEU_TRANG_THAI_KCB><DSACH_TRANG_THAI_KCB>${records}</DSACH_TRANG_THAI_KCB></CHI_TIEU_TRANG_THAI_KCB>`;
}

export const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A CSV from rows of cells. */
export const csv = (rows: Array<Array<string | number>>, delimiter = ",") => rows.map((r) => r.join(delimiter)).join("\n") + "\n";

export async function count(db: DB, table: "visit" | "gateway_receipt" | "display_confirmation" | "onboarding_record" | "block_population" | "activity" | "import_batch" | "facility"): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every row of every data table an import writes, to compare before and after. */
export async function snapshot(db: DB) {
  return {
    visit: await db.selectFrom("visit").selectAll().orderBy("id").execute(),
    gateway_receipt: await db.selectFrom("gateway_receipt").selectAll().orderBy("id").execute(),
    display_confirmation: await db.selectFrom("display_confirmation").selectAll().orderBy("id").execute(),
    onboarding_record: await db.selectFrom("onboarding_record").selectAll().orderBy("id").execute(),
    block_population: await db.selectFrom("block_population").selectAll().orderBy("id").execute(),
    activity: await db.selectFrom("activity").selectAll().orderBy("id").execute(),
    facility: await db.selectFrom("facility").selectAll().orderBy("id").execute(),
  };
}

/**
 * For a describe block: a migrated database and a temporary folder per test. Files are
 * written to the folder and imported by path, in the order given — the command line's route.
 */
export function onDisk() {
  const t = { db: undefined as unknown as DB, wardId: 0, dir: "" };
  beforeEach(async () => {
    ({ db: t.db, wardId: t.wardId } = await testDb());
    t.dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-import-"));
  });
  afterEach(async () => {
    await t.db.destroy();
    fs.rmSync(t.dir, { recursive: true, force: true });
  });
  const importPaths = (files: Record<string, string | Uint8Array>): Promise<FileOutcome[]> => {
    const inputs = Object.entries(files).map(([name, content]) => {
      const p = path.join(t.dir, name);
      fs.writeFileSync(p, content);
      return { name, path: p };
    });
    return importFiles(t.db, cli(t.wardId), inputs);
  };
  const importPath = async (name: string, content: string | Uint8Array) => (await importPaths({ [name]: content }))[0];
  return { t, importPaths, importPath };
}

/** A workbook whose first sheet holds the rows. */
export async function xlsxOf(rows: unknown[][], setup?: (ws: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Sheet1");
  for (const r of rows) ws.addRow(r);
  setup?.(ws);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Each sheet of a workbook as its rows of cell values (exceljs's, 1-based arrays made 0-based). */
export async function sheetsOf(bytes: ArrayBuffer | Uint8Array): Promise<Array<{ name: string; rows: unknown[][]; sheet: ExcelJS.Worksheet }>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)) as unknown as ArrayBuffer);
  return wb.worksheets.map((sheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return { name: sheet.name, rows, sheet };
  });
}

/**
 * An .xlsx zip bomb: a real workbook's parts around an `xl/worksheets/sheet1.xml` of
 * `unpackedMB` megabytes of blanks (then `</sheetData>…`), a few MB compressed. The
 * deflate stream is one full-flushed 1 MB block repeated, so building it is quick.
 */
export function xlsxBomb(unpackedMB: number, opts: { declaredSize?: number; header?: string[] } = {}): Buffer {
  const MB = 1024 * 1024;
  const blanks = Buffer.alloc(MB, 0x20);
  const headerRow = opts.header
    ? `<row r="1">${opts.header.map((h, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${h}</t></is></c>`).join("")}</row>`
    : "";
  const start = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${headerRow}`);
  const end = Buffer.from("</sheetData></worksheet>");
  const block = zlib.deflateRawSync(blanks, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const parts = [zlib.deflateRawSync(start, { finishFlush: zlib.constants.Z_FULL_FLUSH })];
  let crc = zlib.crc32(start);
  for (let i = 0; i < unpackedMB; i++) {
    parts.push(block);
    crc = zlib.crc32(blanks, crc);
  }
  parts.push(zlib.deflateRawSync(end));
  crc = zlib.crc32(end, crc);
  // `declaredSize`: what the zip headers claim, when they lie.
  const sheet = { name: "xl/worksheets/sheet1.xml", data: Buffer.concat(parts), crc, size: opts.declaredSize ?? start.length + unpackedMB * MB + end.length };
  const small = (name: string, text: string) => {
    const raw = Buffer.from(text);
    return { name, data: zlib.deflateRawSync(raw), crc: zlib.crc32(raw), size: raw.length };
  };
  const entries = [
    small("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    small("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    small("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
    sheet,
  ];
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(directory.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, eocd]);
}
