// Property: on random wards, imported in random batches with re-imports and deletions,
// the roll-up engine gives exactly the reference engine's figures for any period,
// as-of time, facility and block; and the roll-ups kept incrementally equal a rebuild.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePeriod, defaultAsOf } from "~/domain/periods";
import { computeMetricsWith, trendBuckets, type MetricsQuery } from "~/server/metrics/engine.server";
import { rebuildDerived, SECOND_COLUMNS } from "~/server/metrics/derived.server";
import { referenceSource } from "../reference/engine";
import { rollupSource } from "~/server/metrics/rollup.server";
import { resolveScope } from "~/server/metrics/scope.server";
import type { DB } from "~/server/db.server";
import { at, WardFixture } from "./fixture";

const START = at(2026, 1, 1);
const END = at(2026, 5, 1);
const H = 3600;

/** Instants that like month and day boundaries, where off-by-one errors live. */
const boundary = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom(1, 1, 1, 2, 15, 28), fc.constantFrom(-86401, -86400, -86399, -1, 0, 0, 1, 86399, 86400))
  .map(([m, d, s]) => at(2026, m, d) + s);
const instant = fc.oneof(
  fc.integer({ min: START, max: END }),
  fc.integer({ min: 0, max: (END - START) / H }).map((h) => START + h * H),
  { arbitrary: boundary, weight: 2 },
);
const offset = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });

const record = fc.record({
  facility: fc.integer({ min: 0, max: 2 }),
  visit: fc.option(
    fc.record({
      checkin: instant,
      length: fc.option(fc.oneof(offset(0, 30).map((h) => h * H), offset(0, 30 * H)), { freq: 5 }),
      patient: fc.option(fc.oneof(fc.constantFrom("P1", "P2", "P3", "P4", "P5", "P6").map((p) => ({ pid: p })), fc.constantFrom("C1", "C2", "C3").map((c) => ({ card: c }))), { freq: 4 }),
      method: fc.constantFrom("the_can_cuoc", "so_dinh_danh", "the_bhyt", "khong"),
    }),
    { freq: 8 },
  ),
  receipts: fc.array(
    fc.record({
      at: fc.oneof(
        offset(-3, 30 * 24).map((h) => ({ after: h * H })),
        offset(-3 * H, 60 * 24 * H).map((s) => ({ after: s })),
        boundary.map((t) => ({ t })),
      ),
      code: fc.constantFrom("200", "200", "E101", "E205", "E307"),
    }),
    { maxLength: 3 },
  ),
  // After the record's first receipt: exactly 24 h and one second either side come up often.
  displays: fc.array(
    fc.oneof({ arbitrary: fc.constantFrom(-1, 0, 86399, 86400, 86401), weight: 3 }, offset(-5, 80).map((h) => h * H), offset(-5 * H, 80 * H), boundary.map((t) => ({ t }))),
    { maxLength: 2 },
  ),
});

const onboardingRow = fc.record({
  resident: fc.constantFrom("R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"),
  block: fc.integer({ min: 1, max: 3 }),
  vneid: fc.option(instant),
  level2: fc.option(instant),
  bhyt: fc.option(instant),
});

const day = (t: number | null) => (t === null ? undefined : new Date((t + 7 * H) * 1000).toISOString().slice(0, 10));

const ward = fc.record({
  first: fc.array(record, { minLength: 1, maxLength: 30 }),
  changes: fc.array(fc.array(fc.tuple(fc.nat(40), fc.oneof(record.map((r) => ({ kind: "import" as const, r })), fc.constant({ kind: "delete" as const }))), { maxLength: 8 }), { maxLength: 3 }),
  onboarding: fc.array(fc.array(onboardingRow, { maxLength: 8 }), { maxLength: 3 }),
  population: fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), instant, fc.nat(2000)), { maxLength: 4 }),
});

const query = fc.record({
  period: fc.constantFrom("2026-01", "2026-02", "2026-03", "2026-01", "2026-02", "2026-03", "2026-Q1", "2026-H1", "2026", "2026-W05", "2026-W09", "2026-03-01", "2026-01-20..2026-03-10", "2026-02-01..2026-03-31"),
  asOf: fc.option(instant, { freq: 2 }),
  facility: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 3 }),
  block: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 4 }),
});

type Ward = typeof ward extends fc.Arbitrary<infer T> ? T : never;
type Rec = typeof record extends fc.Arbitrary<infer T> ? T : never;

async function build(w: Ward): Promise<{ f: WardFixture; facilities: number[] }> {
  const f = await WardFixture.create();
  const facilities = [await f.facility("11111"), await f.facility("22222"), await f.facility("33333")];
  let receiptSeq = 0;
  const write = async (i: number, r: Rec) => {
    const fid = facilities[r.facility];
    const maLk = `R${i}`;
    let base = START + i * 7919 * 60; // receipts of a visit-less record still need a time
    if (r.visit) {
      const ended = r.visit.length === null ? null : r.visit.checkin + r.visit.length;
      await f.visit({ facility: fid, maLk, checkin: r.visit.checkin, ended, ...(r.visit.patient ?? {}), method: r.visit.patient ? r.visit.method : "khong" });
      base = ended ?? r.visit.checkin;
    }
    const times = r.receipts.map((x) => ("t" in x.at ? x.at.t : base + x.at.after + (receiptSeq++ % 7 === 0 ? 1 : 0)));
    for (const [j, x] of r.receipts.entries()) await f.receipt(fid, maLk, times[j], x.code);
    const accepted = times.filter((_, j) => r.receipts[j].code === "200");
    const first = accepted.length ? Math.min(...accepted) : base + 30 * H;
    for (const d of r.displays) {
      const t = typeof d === "number" ? first + d : d.t;
      await f.display(fid, maLk, t, t % 2 ? "bhxh" : "kiem_tra").catch(() => undefined);
    }
  };
  for (const [i, r] of w.first.entries()) await write(i, r);
  await f.commit();
  for (const batch of w.changes) {
    for (const [n, change] of batch) {
      const i = n % (w.first.length + 5);
      if (change.kind === "import") await write(i, change.r);
      else for (const fid of facilities) await f.deleteVisit(fid, `R${i}`);
    }
    await f.commit();
  }
  for (const batch of w.onboarding) {
    for (const o of batch) await f.onboarding(o.block, o.resident, { vneid: day(o.vneid), level2: day(o.level2), bhyt: day(o.bhyt) });
    await f.commit();
  }
  for (const [b, effective, n] of w.population) await f.population(b, day(effective)!, n).catch(() => undefined);
  return { f, facilities };
}

async function snapshot(db: DB) {
  const tables = ["metric_record", "metric_checkin_day", "metric_sending_span", "metric_display_span", "metric_hours", "metric_patient_month", "metric_patient_link", "metric_resident"] as const;
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const rows = (await db.selectFrom(t).selectAll().execute()) as Array<Record<string, unknown>>;
    out[t] = rows.filter((r) => r.n === undefined || r.n !== 0).map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

describe("roll-up engine against the reference engine", () => {
  it("gives the same figures, trends, facility rows and lists", async () => {
    await fc.assert(
      fc.asyncProperty(ward, fc.array(query, { minLength: 1, maxLength: 4 }), async (w, queries) => {
        const { f, facilities } = await build(w);
        for (const q of queries) {
          const period = parsePeriod(q.period);
          const mq: MetricsQuery = {
            wardId: f.wardId, period, asOf: q.asOf ?? defaultAsOf(period, END),
            facilityCode: q.facility === null ? null : ["11111", "22222", "33333"][q.facility],
            blockId: q.block === null ? null : f.blocks[q.block - 1],
          };
          const [expected, actual] = [await computeMetricsWith(f.db, mq, referenceSource), await computeMetricsWith(f.db, mq, rollupSource)];
          expect(actual).toEqual(expected);
          const s = await resolveScope(f.db, mq);
          for (const g of ["week", "month"] as const) {
            const buckets = trendBuckets(period, g);
            expect(await rollupSource.trendCounts(f.db, s, buckets)).toEqual(await referenceSource.trendCounts(f.db, s, buckets));
          }
          expect(await rollupSource.facilityCounts(f.db, s)).toEqual(await referenceSource.facilityCounts(f.db, s));
          for (const page of [{ limit: 3, offset: 0 }, { limit: 4, offset: 2 }, { limit: 1000, offset: 0 }]) {
            expect(await rollupSource.overdue(f.db, s, page)).toEqual(await referenceSource.overdue(f.db, s, page));
            expect(await rollupSource.workList(f.db, s, page)).toEqual(await referenceSource.workList(f.db, s, page));
          }
        }
        expect(facilities).toHaveLength(3);
        const incremental = await snapshot(f.db);
        await rebuildDerived(f.db, 7);
        expect(await snapshot(f.db)).toEqual(incremental);
        // Histogram rows from before their per-second counts (0003): the engine reads records instead.
        await f.db.updateTable("metric_hours").set(Object.fromEntries(SECOND_COLUMNS.map((c) => [c, 0]))).execute();
        const mq: MetricsQuery = { wardId: f.wardId, period: parsePeriod("2026"), asOf: END };
        expect(await computeMetricsWith(f.db, mq, rollupSource)).toEqual(await computeMetricsWith(f.db, mq, referenceSource));
        await f.db.destroy();
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 60) },
    );
  }, 300_000);
});
