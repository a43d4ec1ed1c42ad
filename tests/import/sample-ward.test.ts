// The synthetic sample ward, imported in import-order.txt order through the real command
// line into an empty database: every file is accepted, the duplicate envelope in the zip
// changes nothing, the I1 figures the visits alone decide match expected.json, and a
// second run finds everything unchanged (activities: refused as a duplicate).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "~/server/db.server";
import { sskdt as runSskdt } from "../ops/sskdt";
import { startOfLocalDay } from "~/domain/time";
import { TEST_SECRET } from "./helpers";

const WARD = path.resolve(__dirname, "../fixtures/sample-ward");
/** The paths as import-order.txt gives them, relative to the sample ward's folder (the CLI runs there). */
const ORDER = fs.readFileSync(path.join(WARD, "import-order.txt"), "utf8").split("\n").filter(Boolean);

let dir: string;
let env: Record<string, string>;

/** `sskdt args…` run from the sample ward's folder, as a child process on the test's database. */
const sskdt = (...args: string[]) => runSskdt(args, env, WARD);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sskdt-sample-"));
  env = { DATABASE_URL: `file:${path.join(dir, "sskdt.sqlite")}`, SSKDT_SECRET: TEST_SECRET };
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Outcome { name: string; kind: string; status: string; counts: Record<string, number> }

describe("the sample ward through `sskdt import`", () => {
  let first: Outcome[];

  it("imports every path in order from the sample's folder, exit code 0", async () => {
    const run = await sskdt("import", ...ORDER, "--json");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    first = JSON.parse(run.stdout);
    expect(first.filter((o) => o.status !== "committed").map((o) => [path.basename(o.name), o.status])).toEqual([["dup-TYT000001.xml", "unchanged"]]);
    expect(first.every((o) => o.counts.invalid === 0)).toBe(true);
  }, 120_000);

  it("stores each visit once and gives expected.json's I1 figures", async () => {
    const db: DB = openDatabase(env.DATABASE_URL);
    try {
      const expected = JSON.parse(fs.readFileSync(path.join(WARD, "expected.json"), "utf8")) as Record<string, { args: string[]; expect: { period: { from: string; to: string }; i1: Record<string, unknown> } }>;
      for (const { expect: want } of Object.values(expected)) {
        const from = startOfLocalDay(want.period.from);
        const to = startOfLocalDay(want.period.to) + 86400;
        const visits = await db.selectFrom("visit").select(["method", "patient_key"]).where("checkin_at", ">=", from).where("checkin_at", "<", to).execute();
        const byMethod = { the_can_cuoc: 0, so_dinh_danh: 0, the_bhyt: 0, khong: 0 };
        for (const v of visits) byMethod[v.method as keyof typeof byMethod]++;
        const identified = visits.filter((v) => v.method !== "khong").length;
        expect({
          total: visits.length, identified, rate: identified / visits.length,
          distinctPatients: new Set(visits.map((v) => v.patient_key).filter(Boolean)).size, byMethod,
        }).toEqual(want.i1);
      }
      const open = await db.selectFrom("visit").select("ma_lk").where("ended_at", "is", null).orderBy("ma_lk").execute();
      expect(open.map((v) => v.ma_lk)).toEqual(["TYTOPEN0", "TYTOPEN1", "TYTOPEN2", "TYTOPEN3", "TYTOPEN4", "TYTOPEN5"]);
    } finally {
      await db.destroy();
    }
  });

  it("a second run changes nothing; the activities file is refused as a duplicate", async () => {
    const run = await sskdt("import", ...ORDER, "--json");
    expect(run.code).toBe(1);
    const second: Outcome[] = JSON.parse(run.stdout);
    const statuses = new Map<string, number>();
    for (const o of second) statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1);
    expect(Object.fromEntries(statuses)).toEqual({ unchanged: second.length - 1, duplicate: 1 });
    expect(second.find((o) => o.status === "duplicate")!.kind).toBe("activities");
  }, 120_000);

  it("prints a readable summary and a dry run writes nothing", async () => {
    const run = await sskdt("import", "data/dan-so.csv", "--dry-run");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ .*dan-so\.csv — Dân số trong diện theo khối: checked \(dry run\); new 0, updated 0, unchanged 12, invalid 0/);
    const bad = path.join(dir, "lạ.csv");
    fs.writeFileSync(bad, "ho_ten,dia_chi\nAn,Hà Nội\n");
    const refused = await sskdt("import", bad);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/✗ .*lạ\.csv — loại không xác định: REFUSED/);
    expect(refused.stdout).toMatch(/Không nhận ra loại tệp/);
  }, 60_000);
});
