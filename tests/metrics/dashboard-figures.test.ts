// dashboardFigures reads each count once for a whole dashboard view (the period's totals
// as the sum of its facilities', pending records and corrections found once, of the
// previous period only the rates and I4): it must give exactly what the separate engine
// calls give, on a ward with records pending, overdue and corrected around the as-of time.
import { describe, expect, it } from "vitest";
import { defaultAsOf, parsePeriod, previousPeriod } from "~/domain/periods";
import {
  computeMetrics, dashboardFigures, evaluateTargets, facilityBreakdown, metricsTrend, overdueRecords, type MetricsQuery,
} from "~/server/metrics/engine.server";
import { at, WardFixture } from "./fixture";

const H = 3600;

/** A ward of three facilities, four months of visits with receipts and displays, onboarding and targets. */
async function ward(): Promise<WardFixture> {
  const w = await WardFixture.create();
  const facilities = [await w.facility("11111"), await w.facility("22222"), await w.facility("33333")];
  let seed = 7; // mulberry32
  const next = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n | 0;
  };
  for (let i = 0; i < 400; i++) {
    const facility = facilities[next(3)];
    const checkin = at(2026, 1, 1) + next(150 * 24) * H + next(3600);
    const ended = next(10) === 0 ? null : checkin + next(4 * H);
    const patient = next(4) === 0 ? {} : next(2) ? { pid: `P${next(60)}` } : { card: `C${next(30)}` };
    const method = (["the_can_cuoc", "so_dinh_danh", "the_bhyt", "khong"] as const)[next(4)];
    await w.visit({ facility, maLk: `R${i}`, checkin, ended, ...patient, method: "pid" in patient || "card" in patient ? method : "khong" });
    let t = (ended ?? checkin) + next(48 * H);
    for (let k = next(4); k > 0; k--) {
      const code = next(3) === 0 ? "E101" : "200";
      await w.receipt(facility, `R${i}`, t, code);
      if (code === "200" && next(3) > 0) await w.display(facility, `R${i}`, t + next(50 * H)).catch(() => undefined);
      t += next(30 * H);
    }
  }
  await w.commit();
  for (let i = 0; i < 60; i++) {
    const day = (t: number) => new Date((t + 7 * H) * 1000).toISOString().slice(0, 10);
    const step = () => (next(3) === 0 ? undefined : day(at(2026, 1, 1) + next(150) * 24 * H));
    await w.onboarding(1 + next(3), `N${next(40)}`, { vneid: step(), level2: step(), bhyt: step() });
  }
  await w.commit();
  await w.population(1, "2026-01-01", 500);
  await w.population(2, "2026-03-15", 800);
  await w.target("i2.rate", "2026", 0.8);
  await w.target("i4.fullyOnboarded", "2026-Q1", 5, 1);
  await w.target("i5.total", "2026-03", 2, 2);
  return w;
}

describe("dashboardFigures", () => {
  it("equals computeMetrics, metricsTrend, facilityBreakdown, overdueRecords and evaluateTargets", async () => {
    const w = await ward();
    const cases: Array<[string, number | null, number | null]> = [
      ["2026-03", null, null],
      ["2026-03", at(2026, 3, 20, 10), null],
      ["2026-Q1", null, null],
      ["2026", at(2026, 4, 12, 15, 30), null],
      ["2026-04", at(2026, 4, 30, 23), null],
      ["2026-W10", null, null],
      ["2026-02", null, 1],
      ["2026", at(2026, 5, 1), 2],
    ];
    for (const [key, asOf, blockNumber] of cases) {
      const period = parsePeriod(key);
      const q: MetricsQuery = { wardId: w.wardId, period, asOf: asOf ?? defaultAsOf(period, at(2026, 6, 1)), blockId: blockNumber === null ? null : w.blocks[blockNumber - 1] };
      const prev = previousPeriod(period);
      const prevQ: MetricsQuery = { ...q, period: prev, asOf: defaultAsOf(prev, q.asOf) };
      for (const g of ["week", "month"] as const) {
        const page = { limit: 5, offset: 0 };
        const got = await dashboardFigures(w.db, q, prevQ, g, page);
        const label = `${key} as of ${q.asOf}, block ${blockNumber}, by ${g}`;
        const metrics = await computeMetrics(w.db, q);
        expect(got.metrics, label).toEqual(metrics);
        const before = await computeMetrics(w.db, prevQ);
        expect(got.previous, label).toEqual({ i1: { rate: before.i1.rate }, i2: { rate: before.i2.rate }, i3: { rate: before.i3.rate }, i4: before.i4 });
        expect(got.trend, label).toEqual(await metricsTrend(w.db, q, g));
        expect(got.facilities, label).toEqual(await facilityBreakdown(w.db, q));
        expect(got.overdue, label).toEqual(await overdueRecords(w.db, q, page));
        expect(got.targets, label).toEqual(await evaluateTargets(w.db, q, metrics));
      }
      // The ward is not empty where it matters.
      if (key === "2026-Q1" && blockNumber === null) {
        const m = await computeMetrics(w.db, q);
        expect(Math.min(m.i1.identified, m.i2.sent, m.i2.rejected, m.i3.onTime, m.i3.late, m.i3.overdue, m.i4.ward.fullyOnboarded)).toBeGreaterThan(0);
      }
      if (key === "2026" && asOf === at(2026, 4, 12, 15, 30)) expect((await computeMetrics(w.db, q)).i3.pending).toBeGreaterThan(0);
    }
    await w.db.destroy();
  });
});
