// No personal identifier, card number, name, address or phone of the source files ever
// reaches the database file: every fixture is imported into a temporary file database,
// then its raw bytes (main file and write-ahead log, read while still open) are searched.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/server/db.server";
import { importFiles } from "~/server/import/pipeline.server";
import { cli, testDb } from "./helpers";

const WARD = path.resolve(__dirname, "../fixtures/sample-ward");
const ORDER = fs.readFileSync(path.join(WARD, "import-order.txt"), "utf8").split("\n").filter(Boolean);

/** Every personal value the fixtures hold, read independently of the importer. */
function personalValues() {
  const numbers = new Set<string>(); // 12-digit personal IDs, 10-digit social-insurance numbers, phones
  const texts = new Set<string>(); // names and addresses
  const addCard = (card: string) => {
    for (const part of card.split(";")) {
      const digits = part.trim().match(/\d{10}$/);
      if (digits) numbers.add(digits[0]);
    }
  };
  const readXml = (xml: string) => {
    for (const m of xml.matchAll(/<NOIDUNGFILE>([^<]+)<\/NOIDUNGFILE>/g)) readXml(Buffer.from(m[1], "base64").toString("utf8"));
    for (const m of xml.matchAll(/<SO_CCCD>(\d{12})<\/SO_CCCD>/g)) numbers.add(m[1]);
    for (const m of xml.matchAll(/<MA_THE_BHYT>([^<]+)<\/MA_THE_BHYT>/g)) addCard(m[1]);
    for (const m of xml.matchAll(/<DIEN_THOAI>(\d{9,})<\/DIEN_THOAI>/g)) numbers.add(m[1]);
    for (const m of xml.matchAll(/<(HO_TEN|DIA_CHI)>([^<]+)<\/\1>/g)) texts.add(m[2].replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
  };
  const files = (p: string): string[] => (fs.statSync(p).isDirectory() ? fs.readdirSync(p).flatMap((f) => files(path.join(p, f))) : [p]);
  for (const file of ORDER.flatMap((p) => files(path.join(WARD, p)))) {
    if (file.endsWith(".zip")) continue; // its entries are the folder's files (checked below)
    const text = fs.readFileSync(file, "utf8");
    if (file.endsWith(".xml")) readXml(text);
    else for (const m of text.matchAll(/(?<![\dA-Z])(\d{12}|[A-Z]{2}\d{13}|\d{10})(?![\d])/g)) (m[1].length === 12 ? numbers.add(m[1]) : addCard(m[1]));
  }
  return { numbers, texts };
}

let db: DB;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-privacy-"));
  let wardId: number;
  ({ db, wardId } = await testDb(`file:${path.join(dir, "sskdt.sqlite")}`));
  const outcomes = await importFiles(db, cli(wardId), ORDER.map((p) => ({ name: p, path: path.join(WARD, p) })).flatMap((f) =>
    fs.statSync(f.path).isDirectory() ? fs.readdirSync(f.path).sort().map((n) => ({ name: n, path: path.join(f.path, n) })) : [f]));
  expect(outcomes.filter((o) => o.status === "refused")).toEqual([]);
}, 120_000);

afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("personal data in the database file", () => {
  // Reads the SQLite file and its WAL byte by byte; on PostgreSQL the second test's check of the rows stands.
  it.skipIf(Boolean(process.env.TEST_DATABASE_URL))("holds no personal ID, card or phone number, name or address from the sources", () => {
    const { numbers, texts } = personalValues();
    expect(numbers.size).toBeGreaterThan(1000);
    expect(texts.size).toBeGreaterThan(3);
    const files = fs.readdirSync(dir).filter((f) => f.startsWith("sskdt.sqlite")).map((f) => path.join(dir, f));
    expect(files.some((f) => f.endsWith("-wal") && fs.statSync(f).size > 0)).toBe(true);
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      const latin = bytes.toString("latin1");
      const found = new Set<string>();
      for (const run of latin.match(/\d{9,}/g) ?? []) {
        for (const length of [9, 10, 12]) {
          for (let i = 0; i + length <= run.length; i++) if (numbers.has(run.slice(i, i + length))) found.add(run.slice(i, i + length));
        }
      }
      expect([file, [...found]]).toEqual([file, []]);
      for (const text of texts) expect([file, bytes.includes(Buffer.from(text, "utf8"))]).toEqual([file, false]);
    }
  });

  it("keeps only hashes and last four characters", async () => {
    const row = await db.selectFrom("visit").select(["pid_hash", "pid_last4", "card_hash", "card_last4"]).where("pid_hash", "is not", null).where("card_hash", "is not", null).executeTakeFirstOrThrow();
    expect(row.pid_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(row.pid_last4).toMatch(/^\d{4}$/);
    expect(row.card_last4).toMatch(/^\d{4}$/);
  });
});
