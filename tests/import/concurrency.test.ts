// Two imports of overlapping records at the same time, each on its own connections to the
// same database (as two upload workers, or the API and the command line), must leave the
// same figures as one import after the other — on SQLite and, with TEST_DATABASE_URL, on
// PostgreSQL. The sample ward's files are the data (without data/xml): one import takes its first half and
// every gateway receipt, the other its second half and every receipt again.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolvePeriod } from "~/domain/periods";
import { parseSourceDate } from "~/domain/time";
import { openDatabase, type DB } from "~/server/db.server";
import { importFiles, type FileInput } from "~/server/import/pipeline.server";
import { rebuildDerived } from "~/server/metrics/derived.server";
import { computeMetrics, computeMetricsWith } from "~/server/metrics/engine.server";
import { referenceSource } from "../reference/engine";
import { cli, testDb } from "./helpers";

const SAMPLE = path.resolve(__dirname, "../fixtures/sample-ward");
// Without its folder of 2,082 one-visit envelopes, to keep the test quick.
const order = fs.readFileSync(path.join(SAMPLE, "import-order.txt"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l && l !== "data/xml");
const expected = JSON.parse(fs.readFileSync(path.join(SAMPLE, "expected.json"), "utf8")) as Record<string, { args: string[] }>;

/** The files of an import-order entry (a folder is its files, in name order). */
function inputs(entries: string[]): FileInput[] {
  return entries.flatMap((entry) => {
    const full = path.join(SAMPLE, entry);
    const files = fs.statSync(full).isDirectory() ? fs.readdirSync(full).sort().map((f) => path.join(full, f)) : [full];
    return files.map((f) => ({ name: path.basename(f), path: f }));
  });
}

const receipts = order.filter((e) => e.includes("ket-qua-gui"));
const others = order.filter((e) => !receipts.includes(e));
const first = [...others.slice(0, Math.ceil(others.length / 2)), ...receipts];
const second = [...others.slice(Math.ceil(others.length / 2)), ...receipts];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-concurrency-"));
let sequential: { db: DB; wardId: number };
let concurrent: { db: DB; wardId: number };

beforeAll(async () => {
  sequential = await testDb(`file:${path.join(dir, "sequential.sqlite")}`);
  await importFiles(sequential.db, cli(sequential.wardId), inputs(first));
  await importFiles(sequential.db, cli(sequential.wardId), inputs(second));

  const url = `file:${path.join(dir, "concurrent.sqlite")}`;
  concurrent = await testDb(url);
  const [a, b] = [openDatabase(url), openDatabase(url)];
  try {
    const actor = cli(concurrent.wardId);
    await Promise.all([importFiles(a, actor, inputs(first)), importFiles(b, actor, inputs(second))]);
  } finally {
    await Promise.all([a.destroy(), b.destroy()]);
  }
}, 300_000);

afterAll(async () => {
  await sequential?.db.destroy();
  await concurrent?.db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("two imports of overlapping records at once", () => {
  it("store each receipt and visit once", async () => {
    for (const table of ["visit", "gateway_receipt", "display_confirmation", "onboarding_record", "activity"] as const) {
      const count = async (db: DB) => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
      expect(await count(concurrent.db), table).toBe(await count(sequential.db));
    }
  });

  for (const [name, c] of Object.entries(expected)) {
    it(`leave the figures of one import after the other: ${name}`, async () => {
      const period = resolvePeriod(c.args[c.args.indexOf("--period") + 1], Date.now() / 1000);
      const asOf = parseSourceDate(c.args[c.args.indexOf("--as-of") + 1])!.epoch;
      const facilityAt = c.args.indexOf("--facility");
      const q = { period, asOf, facilityCode: facilityAt >= 0 ? c.args[facilityAt + 1] : null };
      const figures = await computeMetrics(concurrent.db, { ...q, wardId: concurrent.wardId });
      expect(figures).toEqual(await computeMetrics(sequential.db, { ...q, wardId: sequential.wardId }));
      // The roll-ups did not drift from the base tables.
      expect(figures).toEqual(await computeMetricsWith(concurrent.db, { ...q, wardId: concurrent.wardId }, referenceSource));
    }, 60_000);
  }

  it("a rebuild of the roll-ups swaps complete figures in: a reader meanwhile sees those of before", async () => {
    const [name, c] = Object.entries(expected)[0];
    const q = {
      wardId: concurrent.wardId,
      period: resolvePeriod(c.args[c.args.indexOf("--period") + 1], Date.now() / 1000),
      asOf: parseSourceDate(c.args[c.args.indexOf("--as-of") + 1])!.epoch,
    };
    const before = await computeMetrics(concurrent.db, q);
    const rebuilding = rebuildDerived(concurrent.db, 200); // small steps: many chances to read half-built figures
    let done = false;
    void rebuilding.finally(() => (done = true));
    let reads = 0;
    while (!done) {
      expect(await computeMetrics(concurrent.db, q), `${name} during the rebuild`).toEqual(before);
      reads++;
    }
    expect(await rebuilding).toBeGreaterThan(0);
    expect(reads).toBeGreaterThan(0);
    expect(await computeMetrics(concurrent.db, q)).toEqual(before);
  }, 120_000);
});
