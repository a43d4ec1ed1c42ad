import { beforeAll, describe, expect, it } from "vitest";
import { setInstallationSecret } from "~/server/crypto.server";
import { openMigratedDatabase, type DB } from "~/server/db.server";
import { loadDemoWard, type DemoLoadResult } from "~/server/demo/demo.server";
import { computeMetrics, evaluateTargets } from "~/server/metrics/engine.server";
import { verifyPassword } from "~/server/users.server";
import { getSetting, getWard, listBlocks } from "~/server/ward.server";
import { parsePeriod } from "~/domain/periods";

const NOW = Date.parse("2026-03-19T10:30:00+07:00") / 1000; // a Thursday morning
const PASSWORD = "demo-password-1";
let db: DB;
let loaded: DemoLoadResult;
let wardId: number;

beforeAll(async () => {
  setInstallationSecret("demo-load-test-secret-0123456789abcdef");
  db = await openMigratedDatabase(":memory:");
  loaded = await loadDemoWard(db, { visits: 3000, password: PASSWORD, seed: 11, now: NOW });
  wardId = (await db.selectFrom("ward").select("id").executeTakeFirstOrThrow()).id;
});

const metrics = (period: string) => computeMetrics(db, { wardId, period: parsePeriod(period), asOf: NOW });

describe("the loaded demo ward", () => {
  it("names the ward and its signer, and registers its health station and two clinics", async () => {
    expect(await getWard(db, wardId)).toMatchObject({ name: "Phường Hòa Thạnh", code: "22483" });
    expect(await getSetting(db, wardId, "signer")).toEqual({ onBehalf: "KT. CHỦ TỊCH", title: "PHÓ CHỦ TỊCH", name: "Phạm Quốc Thắng" });
    const facilities = await db.selectFrom("facility").select(["code", "kind"]).orderBy("code").execute();
    expect(facilities.map((f) => f.kind).sort()).toEqual(["phong_kham", "phong_kham", "tram_y_te"]);
    expect(facilities.every((f) => /^[0-9A-Z]{5}$/.test(f.code))).toBe(true);
  });

  it("imported every file whole through the pipeline, with no invalid row", async () => {
    const batches = await db.selectFrom("import_batch").select(["status", "invalid_rows", "channel"]).execute();
    expect(batches.length).toBe(loaded.files + 1); // the facility list, then the generated files
    expect(batches.every((b) => b.status === "committed" && b.invalid_rows === 0 && b.channel === "cli")).toBe(true);
    const visits = await db.selectFrom("visit").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(visits.n).toBe(3000);
    expect(loaded.rows.visits_table).toBe(3000);
  });

  it("lets each demo user sign in with the demo password, block committees scoped to their block", async () => {
    const usernames = loaded.users.map((u) => u.username);
    expect(usernames).toEqual(["lanhdao", "tramyte", "congan", "vanhoa", "taichinh", ...Array.from({ length: 9 }, (_, i) => `khoi${i + 1}`), "quantri"]);
    const blocks = new Map((await listBlocks(db, wardId)).map((b) => [b.id, b.number]));
    for (const u of loaded.users) {
      const stored = await db.selectFrom("app_user").select(["password_hash", "role", "block_id"]).where("username", "=", u.username).executeTakeFirstOrThrow();
      expect(await verifyPassword(stored.password_hash, PASSWORD)).toBe(true);
      expect(await verifyPassword(stored.password_hash, "wrong-password")).toBe(false);
      if (u.username.startsWith("khoi")) expect(blocks.get(stored.block_id!)).toBe(Number(u.username.slice(4)));
      else expect(stored.block_id).toBeNull();
    }
  });

  it("gives sensible figures for the pilot year through the indicator engine", async () => {
    const m = await metrics("2025-03-01..2026-03-19");
    expect(m.i1.total).toBe(3000);
    expect(m.i1.rate).toBeGreaterThan(0.7);
    expect(m.i1.rate).toBeLessThan(0.99);
    expect(m.i1.byMethod.khong).toBeGreaterThan(0);
    expect(m.i1.distinctPatients).toBeLessThan(m.i1.identified); // patients come back
    expect(m.i2.rate).toBeGreaterThan(0.85);
    expect(m.i2.rate).toBeLessThan(0.99);
    expect(m.i2.rejected).toBeGreaterThan(0);
    expect(m.i2.notSent).toBeGreaterThan(0);
    expect(m.i2.hoursToSend.median).toBeGreaterThan(0);
    expect(m.i2.hoursToSend.median).toBeLessThan(24);
    expect(m.i3.onTime).toBeGreaterThan(m.i3.late);
    expect(m.i3.late).toBeGreaterThan(0);
    expect(m.i3.overdue).toBeGreaterThan(0);
    expect(m.i3.rate).toBeGreaterThan(0.6);
    expect(m.i4.blocks).toHaveLength(9);
    for (const b of m.i4.blocks) {
      expect(b.eligible).toBeGreaterThanOrEqual(1200);
      expect(b.eligible).toBeLessThanOrEqual(1800);
      expect(b.fullyOnboarded).toBeLessThanOrEqual(b.bhytLinked);
    }
    const rate = (block: string) => {
      const b = m.i4.blocks.find((x) => x.block === block)!;
      return b.fullyOnboarded / b.eligible!;
    };
    expect(rate("Khối 1")).toBeGreaterThan(2 * rate("Khối 8")); // active and lagging blocks
    expect(Object.values(m.i5.byType).every((n) => n > 0)).toBe(true);
  });

  it("has live data this month: today's visits, a few still open, the last day's records pending display", async () => {
    const m = await metrics("2026-03");
    expect(m.i1.total).toBeGreaterThan(50);
    expect(m.i1.total - m.i2.ended).toBeGreaterThan(0); // open visits are in I1 but not I2
    expect(m.i3.pending).toBeGreaterThan(0);
    const today = await metrics("2026-03-19");
    expect(today.i1.total).toBeGreaterThan(0);
  });

  it("keeps last year's approved budget with spending and this year's estimate in review", async () => {
    const lastYear = await metrics("2025");
    expect(lastYear.i6.approved).toBeGreaterThan(50_000_000);
    expect(lastYear.i6.spent).toBeGreaterThan(0);
    expect(lastYear.i6.executionRate).toBeGreaterThan(0.7);
    expect(lastYear.i6.executionRate).toBeLessThanOrEqual(1);
    const thisYear = await metrics("2026");
    expect(thisYear.i6.estimated).toBeGreaterThan(50_000_000);
    expect(thisYear.i6.approved).toBe(0);
    const estimates = await db.selectFrom("budget_estimate").select(["id", "year", "status"]).orderBy("year").execute();
    expect(estimates.map((e) => [e.year, e.status])).toEqual([[2025, "approved"], [2026, "submitted"]]);
    // Sent, returned by the finance officer for a quote, sent again: waiting for review.
    const reviews = await db.selectFrom("budget_review").select(["decision", "comment"]).where("estimate_id", "=", estimates[1].id).orderBy("id").execute();
    expect(reviews.map((r) => r.decision)).toEqual(["submit", "return_review", "submit"]);
    expect(reviews[1].comment).toMatch(/báo giá/);
    const categories = await db.selectFrom("budget_line").select("category").distinct().where("estimate_id", "=", estimates[1].id).execute();
    expect(categories.map((c) => c.category).sort()).toEqual(["internet", "khac", "nhan_su", "tap_huan", "thiet_bi", "truyen_thong"]);
  });

  it("sets this year's targets (some met, some not), the plan's tasks in both phases, and the station's checklist", async () => {
    const q1 = await metrics("2026-Q1");
    const statuses = await evaluateTargets(db, { wardId, period: parsePeriod("2026-Q1"), asOf: NOW }, q1);
    expect(statuses.length).toBeGreaterThanOrEqual(3 + 9);
    const states = new Set(statuses.map((s) => s.status));
    expect(states.has("met")).toBe(true);
    expect(states.has("not_met")).toBe(true);
    const tasks = await db.selectFrom("plan_task").select(["phase", "status", "done_on"]).execute();
    expect(new Set(tasks.map((t) => t.phase))).toEqual(new Set([1, 2]));
    expect(tasks.filter((t) => t.phase === 1).every((t) => t.status === "done" && t.done_on! <= "2026-03-19")).toBe(true);
    expect(tasks.some((t) => t.status === "doing")).toBe(true);
    const items = await db.selectFrom("infrastructure_item").select(["status", "facility_id"]).execute();
    expect(new Set(items.map((i) => i.status))).toEqual(new Set(["dat", "chua_dat", "dang_trien_khai"]));
  });
});
