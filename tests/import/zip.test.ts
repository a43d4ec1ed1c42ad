// .zip archives: each entry is a file of the import; limits on entries, unpacked size and
// entry size refuse zip bombs before they are inflated.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import yazl from "yazl";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DB } from "~/server/db.server";
import { importFiles } from "~/server/import/pipeline.server";
import { cli, count, envelope, importOne, testDb, xlsxBomb } from "./helpers";

let db: DB;
let wardId: number;
beforeEach(async () => ({ db, wardId } = await testDb()));
afterEach(() => db.destroy());

function zip(entries: Record<string, string | Buffer>): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) {
    if (name.endsWith("/")) z.addEmptyDirectory(name);
    else z.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name);
  }
  z.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    z.outputStream.on("data", (c: Buffer) => chunks.push(c)).on("end", () => resolve(Buffer.concat(chunks))).on("error", reject);
  });
}

const visit = (maLk: string) => envelope([{ MA_LK: maLk, MA_CSKCB: "38120", NGAY_VAO: "202603040815", NGAY_RA: "202603040830" }]);

function withEnv<T>(vars: Record<string, string>, run: () => Promise<T>): Promise<T> {
  Object.assign(process.env, vars);
  return run().finally(() => {
    for (const k of Object.keys(vars)) delete process.env[k];
  });
}

describe("archives", () => {
  it("imports every entry as a file, from a path or bytes, skipping folders and system files", async () => {
    const bytes = await zip({
      "thang-03/": "",
      "thang-03/LK1.xml": visit("LK1"),
      "thang-03/LK2.xml": visit("LK2"),
      "thang-03/dup-LK1.xml": visit("LK1"),
      "__MACOSX/thang-03/._LK1.xml": "binary junk",
      "thang-03/.DS_Store": "junk",
      "ket-qua.csv": "ma_cskcb,ma_lk,thoi_gian_tiep_nhan,ma_ket_qua\n38120,LK1,20260304100000,200\n",
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-zip-test-"));
    try {
      fs.writeFileSync(path.join(dir, "a.zip"), bytes);
      const outcomes = await importFiles(db, cli(wardId), [{ name: "a.zip", path: path.join(dir, "a.zip") }]);
      expect(outcomes.map((o) => [o.name, o.kind, o.status])).toEqual([
        ["a.zip/thang-03/LK1.xml", "visits_xml", "committed"],
        ["a.zip/thang-03/LK2.xml", "visits_xml", "committed"],
        ["a.zip/thang-03/dup-LK1.xml", "visits_xml", "unchanged"],
        ["a.zip/ket-qua.csv", "receipts", "committed"],
      ]);
      expect(await count(db, "visit")).toBe(2);
      expect(await count(db, "import_batch")).toBe(4);
      const again = await importOne(db, cli(wardId), "a.zip", bytes);
      expect(again.status).toBe("unchanged");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses an archive with too many entries", async () => {
    const bytes = await zip(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`LK${i}.xml`, visit(`LK${i}`)])));
    const [outcome] = await withEnv({ SSKDT_IMPORT_MAX_ARCHIVE_ENTRIES: "5" }, () => importFiles(db, cli(wardId), [{ name: "many.zip", bytes }]));
    expect(outcome).toMatchObject({ name: "many.zip", status: "refused" });
    expect(outcome.errors[0].reason).toMatch(/6 mục, vượt giới hạn 5/);
    expect(await count(db, "visit")).toBe(0);
  });

  it("refuses a zip bomb by its declared unpacked size, before inflating it", async () => {
    const bytes = await zip({ "a.csv": Buffer.alloc(20 * 1024 * 1024, 0x61), "b.xml": visit("B1") });
    expect(bytes.length).toBeLessThan(200_000);
    const [outcome] = await withEnv({ SSKDT_IMPORT_MAX_UNPACKED_BYTES: String(10 * 1024 * 1024) }, () => importFiles(db, cli(wardId), [{ name: "bomb.zip", bytes }]));
    expect(outcome.status).toBe("refused");
    expect(outcome.errors[0].reason).toMatch(/giải nén ra 20,0 MB, vượt giới hạn 10,0 MB/);
    expect(await count(db, "visit")).toBe(0);
  });

  it("refuses an .xlsx whose parts unpack beyond the limits, from a file on disk, before exceljs inflates it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-bomb-"));
    try {
      const file = path.join(dir, "bomb.xlsx");
      fs.writeFileSync(file, xlsxBomb(20));
      const [whole] = await withEnv({ SSKDT_IMPORT_MAX_UNPACKED_BYTES: String(10 * 1024 * 1024) }, () => importFiles(db, cli(wardId), [{ name: "bomb.xlsx", path: file }]));
      expect(whole.status).toBe("refused");
      expect(whole.errors[0].reason).toMatch(/Tệp Excel giải nén ra 20,0 MB, vượt giới hạn 10,0 MB/);
      const [part] = await withEnv({ SSKDT_IMPORT_MAX_FILE_BYTES: String(15 * 1024 * 1024) }, () => importFiles(db, cli(wardId), [{ name: "bomb.xlsx", path: file }]));
      expect(part.status).toBe("refused");
      expect(part.errors[0].reason).toMatch(/Tệp Excel có phần giải nén ra 20,0 MB, vượt giới hạn 15,0 MB/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses an entry larger than a file may be, and an archive inside an archive; imports the rest", async () => {
    const inner = await zip({ "x.xml": visit("X1") });
    const bytes = await zip({ "big.csv": Buffer.alloc(3000, 0x61), "inner.zip": inner, "ok.xml": visit("OK1") });
    const outcomes = await withEnv({ SSKDT_IMPORT_MAX_FILE_BYTES: "2500" }, () => importFiles(db, cli(wardId), [{ name: "mixed.zip", bytes }]));
    expect(outcomes.map((o) => [o.name, o.status])).toEqual([
      ["mixed.zip/big.csv", "refused"],
      ["mixed.zip/inner.zip", "refused"],
      ["mixed.zip/ok.xml", "committed"],
    ]);
    expect(outcomes[0].errors[0].reason).toMatch(/vượt giới hạn/);
    expect(outcomes[1].errors[0].reason).toMatch(/Tệp nén nằm trong tệp nén/);
  });

  it("refuses a damaged archive", async () => {
    const bytes = await zip({ "a.xml": visit("A1"), "b.xml": visit("B1") });
    const outcome = await importOne(db, cli(wardId), "broken.zip", bytes.subarray(0, bytes.length - 30));
    expect(outcome.status).toBe("refused");
    expect(outcome.errors[0].reason).toMatch(/zip hỏng/);
  });
});
