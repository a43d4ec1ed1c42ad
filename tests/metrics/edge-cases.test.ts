// A hand-built March 2026 whose every figure was worked out by hand (comments give the
// arithmetic). Both engines must print exactly METRICS.md's object for it.
import { beforeAll, describe, expect, it } from "vitest";
import { parsePeriod } from "~/domain/periods";
import { computeMetricsWith, evaluateTargets, type MetricsQuery } from "~/server/metrics/engine.server";
import { publicMetrics } from "~/domain/metrics-types";
import { referenceSource } from "../reference/engine";
import { rollupSource } from "~/server/metrics/rollup.server";
import type { MetricsSource } from "~/server/metrics/source";
import { at, expectFigures, WardFixture } from "./fixture";

const H = 3600;
let w: WardFixture;
let A: number;
let B: number;
const march = parsePeriod("2026-03");
const endOfMarch = at(2026, 4, 1); // the default as-of time of a past March

beforeAll(async () => {
  w = await WardFixture.create();
  A = await w.facility("11111", "Trạm Y tế");
  B = await w.facility("22222", "Phòng khám");
  // V1: checked in at the very first instant of March; sent after 4 h; shown exactly 24 h later (on time).
  await w.visit({ facility: A, maLk: "V1", checkin: at(2026, 3, 1), ended: at(2026, 3, 1, 1), pid: "P1", method: "the_can_cuoc" });
  await w.receipt(A, "V1", at(2026, 3, 1, 5));
  await w.receipt(A, "V1", at(2026, 3, 1, 6)); // a second acceptance: the first stands
  await w.display(A, "V1", at(2026, 3, 2, 5));
  // V2: checked in in February (not in I1), ended in March; rejected, then accepted 24 h after the end; shown 24 h 1 s after (late).
  await w.visit({ facility: A, maLk: "V2", checkin: at(2026, 2, 28, 23, 59), ended: at(2026, 3, 1, 0, 30), pid: "P1", method: "so_dinh_danh" });
  await w.receipt(A, "V2", at(2026, 3, 1, 2), "E101");
  await w.receipt(A, "V2", at(2026, 3, 2, 0, 30));
  await w.display(A, "V2", at(2026, 3, 3, 0, 30, 1));
  // V3: checked in at the last second of March, ended at the first instant of April (not in I2).
  await w.visit({ facility: A, maLk: "V3", checkin: at(2026, 3, 31, 23, 59, 59), ended: at(2026, 4, 1), card: "C1", method: "the_bhyt" });
  await w.receipt(A, "V3", at(2026, 4, 1, 1));
  // V4: no valid identifier (counted `khong`); rejected twice — the latest code (E307) counts.
  await w.visit({ facility: B, maLk: "V4", checkin: at(2026, 3, 10, 8), ended: at(2026, 3, 10, 9), method: "khong" });
  await w.receipt(B, "V4", at(2026, 3, 10, 10), "E205");
  await w.receipt(B, "V4", at(2026, 3, 11, 10), "E307");
  // V5: rejected E205.
  await w.visit({ facility: B, maLk: "V5", checkin: at(2026, 3, 12, 8), ended: at(2026, 3, 12, 9), pid: "P2", method: "so_dinh_danh" });
  await w.receipt(B, "V5", at(2026, 3, 12, 10), "E205");
  // V6: never sent.
  await w.visit({ facility: B, maLk: "V6", checkin: at(2026, 3, 15, 8), ended: at(2026, 3, 15, 9), card: "C2", method: "the_bhyt" });
  // V7: the same patient as V5; rejected E101, accepted only on 5 April (after the as-of time).
  await w.visit({ facility: B, maLk: "V7", checkin: at(2026, 3, 20, 8), ended: at(2026, 3, 20, 9), pid: "P2", method: "so_dinh_danh" });
  await w.receipt(B, "V7", at(2026, 3, 20, 10), "E101");
  await w.receipt(B, "V7", at(2026, 4, 5, 10));
  // V8: accepted exactly 24 h before the as-of time, not shown: pending.
  await w.visit({ facility: A, maLk: "V8", checkin: at(2026, 3, 30, 8), ended: at(2026, 3, 30, 9), pid: "P3", method: "so_dinh_danh" });
  await w.receipt(A, "V8", at(2026, 3, 31));
  // V9: accepted 24 h 1 s before the as-of time; shown only after it: overdue.
  await w.visit({ facility: A, maLk: "V9", checkin: at(2026, 3, 29, 8), ended: at(2026, 3, 29, 9), pid: "P4", method: "so_dinh_danh" });
  await w.receipt(A, "V9", at(2026, 3, 30, 23, 59, 59));
  await w.display(A, "V9", at(2026, 4, 2));
  // V10: still open: in I1 only.
  await w.visit({ facility: A, maLk: "V10", checkin: at(2026, 3, 25, 8), ended: null, pid: "P5", method: "so_dinh_danh" });
  // V11: accepted an hour BEFORE its recorded end (−1 h kept as is); a confirmation before the receipt is invalid.
  await w.visit({ facility: A, maLk: "V11", checkin: at(2026, 3, 5, 8), ended: at(2026, 3, 5, 10), pid: "P6", method: "so_dinh_danh" });
  await w.receipt(A, "V11", at(2026, 3, 5, 9));
  await w.display(A, "V11", at(2026, 3, 5, 8));
  await w.display(A, "V11", at(2026, 3, 5, 12));
  // A receipt for a visit never imported: in I3 all the same; shown 48 h later (late).
  await w.receipt(A, "NOVISIT", at(2026, 3, 15, 12));
  await w.display(A, "NOVISIT", at(2026, 3, 17, 12));
  // A confirmation with no receipt at all: unmatched, counts nowhere.
  await w.display(B, "DISPONLY", at(2026, 3, 10));

  // I4. R1: vneid in February, the rest in March (fully onboarded 10 March) — block 1.
  await w.onboarding(1, "R1", { vneid: "2026-02-20", level2: "2026-03-05", bhyt: "2026-03-10" });
  // R2 moved: block 2 then block 3; the row with the latest step date (15 March) decides: block 3.
  await w.onboarding(2, "R2", { vneid: "2026-03-02" });
  await w.onboarding(3, "R2", { level2: "2026-03-15" });
  // R3: vneid recorded twice, the earliest stands; level2 on 1 April is after day D.
  await w.onboarding(4, "R3", { vneid: "2026-03-20" });
  await w.onboarding(4, "R3", { vneid: "2026-03-05", level2: "2026-04-01" });
  // R4: fully onboarded in block 5 by 12 March; a row for block 6 dated 1 April — not later than the
  // as-of time (1 April 00:00, March's default) — moves them, steps and all, to block 6, though D is 31 March.
  await w.onboarding(5, "R4", { vneid: "2026-03-10", level2: "2026-03-11", bhyt: "2026-03-12" });
  await w.onboarding(6, "R4", { vneid: "2026-04-01" });
  // R5: two rows with the same latest date: the one imported last (block 8) decides.
  await w.onboarding(7, "R5", { vneid: "2026-03-08" });
  await w.onboarding(8, "R5", { level2: "2026-03-08" });
  // R6: only a future date.
  await w.onboarding(9, "R6", { vneid: "2026-04-10" });
  await w.population(1, "2025-12-01", 1000);
  await w.population(1, "2026-03-15", 1100);
  await w.population(1, "2026-04-01", 1200);
  await w.population(2, "2026-04-01", 500); // not yet in effect on 31 March
  await w.population(3, "2026-01-01", 800);

  await w.activity("2026-03-01", "hoi_nghi", "tram_y_te", 50);
  await w.activity("2026-03-31", "bai_viet", "van_hoa_xa_hoi", null);
  await w.activity("2026-03-15", "tap_huan", "cong_an", 20, 1);
  await w.activity("2026-04-01", "loa_fm", "ubnd", 100);
  await w.activity("2026-02-28", "loa_fm", "ubnd", 100);

  await w.estimate(2026, 1, "approved", [10_000_000, 2_500_000]);
  await w.estimate(2026, 2, "draft", [15_000_000]);
  await w.expenditure("2026-03-10", 3_000_000);
  await w.expenditure("2026-02-01", 1_000_000);
  await w.expenditure("2026-03-31", 1_500_000);
  await w.commit();
});

const zero = { vneidInstalled: 0, level2Activated: 0, bhytLinked: 0, fullyOnboarded: 0 };
const block = (n: number, eligible: number | null, cum: number[], fresh: number[]) => ({
  block: `Khối ${n}`, eligible,
  vneidInstalled: cum[0], level2Activated: cum[1], bhytLinked: cum[2], fullyOnboarded: cum[3],
  newInPeriod: { vneidInstalled: fresh[0], level2Activated: fresh[1], bhytLinked: fresh[2], fullyOnboarded: fresh[3] },
});

const expected = {
  period: { from: "2026-03-01", to: "2026-03-31" },
  asOf: "2026-04-01T00:00:00+07:00",
  facility: null,
  // Checked in in March: V1, V3–V11 (10); V4 has no identifier. Patients P1 C1 P2 C2 P3 P4 P5 P6.
  i1: {
    total: 10, identified: 9, rate: 0.9, distinctPatients: 8,
    byMethod: { the_can_cuoc: 1, so_dinh_danh: 6, the_bhyt: 2, khong: 1 },
  },
  // Ended in March: V1 V2 V4 V5 V6 V7 V8 V9 V11. Sent: V1 V2 V8 V9 V11. Rejected: V4 (E307) V5 (E205) V7 (E101).
  // Hours to send: −1, 4, 15, 24, 38h59m59s → median 15; p90 at 3.6: 86400 + 0.6 × 53999 s.
  i2: {
    ended: 9, sent: 5, rejected: 3, notSent: 1, rate: 5 / 9,
    rejectCodes: [{ code: "E101", count: 1 }, { code: "E205", count: 1 }, { code: "E307", count: 1 }],
    hoursToSend: { median: 15, p90: (86400 + 0.6 * 53999) / H },
  },
  // First accepted in March: V1 (on time, 24 h), V2 (late, 24 h 1 s), V8 (pending), V9 (overdue), V11 (on time, 3 h), NOVISIT (late, 48 h).
  // Hours to display: 3, 24, 24h0m1s, 48 → median (86400 + 86401)/2 s; p90 at 2.7: 86401 + 0.7 × 86399 s.
  i3: {
    onTime: 2, late: 2, overdue: 1, pending: 1, rate: 2 / 5,
    hoursToDisplay: { median: 86400.5 / H, p90: (86401 + 0.7 * 86399) / H },
  },
  i4: {
    asOf: "2026-03-31",
    ward: { eligible: 1900, vneidInstalled: 5, level2Activated: 4, bhytLinked: 2, fullyOnboarded: 2 },
    blocks: [
      block(1, 1100, [1, 1, 1, 1], [0, 1, 1, 1]),
      block(2, null, [0, 0, 0, 0], [0, 0, 0, 0]),
      block(3, 800, [1, 1, 0, 0], [1, 1, 0, 0]),
      block(4, null, [1, 0, 0, 0], [1, 0, 0, 0]),
      block(5, null, [0, 0, 0, 0], [0, 0, 0, 0]),
      block(6, null, [1, 1, 1, 1], [1, 1, 1, 1]),
      block(7, null, [0, 0, 0, 0], [0, 0, 0, 0]),
      block(8, null, [1, 1, 0, 0], [1, 1, 0, 0]),
      block(9, null, [0, 0, 0, 0], [0, 0, 0, 0]),
    ],
  },
  i5: {
    total: 3, reach: 70,
    byType: { hoi_nghi: 1, bai_viet: 1, loa_fm: 0, mang_xa_hoi: 0, tap_huan: 1, khac: 0 },
    byUnit: { tram_y_te: 1, cong_an: 1, van_hoa_xa_hoi: 1, tai_chinh_ke_toan: 0, ban_can_su_khoi: 0, ubnd: 0 },
  },
  // Spent 4.500.000 of the approved 12.500.000; 2 residents newly fully onboarded (R1, R4); 6 records newly sent.
  i6: {
    year: 2026, estimated: 15_000_000, approved: 12_500_000, spent: 4_500_000, executionRate: 0.36,
    costPerFullyOnboarded: 2_250_000, costPerRecordSent: 750_000,
  },
};

const engines: Array<[string, MetricsSource]> = [
  ["reference", referenceSource],
  ["roll-up", rollupSource],
];

describe.each(engines)("%s engine on a hand-computed March", (_name, source) => {
  const query = (over: Partial<MetricsQuery> = {}): MetricsQuery => ({ wardId: w.wardId, period: march, asOf: endOfMarch, ...over });
  const compute = async (over: Partial<MetricsQuery> = {}) => publicMetrics(await computeMetricsWith(w.db, query(over), source));

  it("gives every figure of METRICS.md's object", async () => {
    expectFigures(await compute(), expected);
  });

  it("turns pending into overdue one second after 24 hours", async () => {
    const m = await compute({ asOf: endOfMarch + 1 });
    expect(m.i3).toMatchObject({ onTime: 2, late: 2, overdue: 2, pending: 0, rate: 2 / 6 });
  });

  it("ignores receipts and confirmations after the as-of time, counting one at exactly it", async () => {
    const before = await compute({ asOf: at(2026, 4, 5, 9, 59, 59) });
    expect(before.i2).toMatchObject({ sent: 5, rejected: 3, notSent: 1 });
    const atIt = await compute({ asOf: at(2026, 4, 5, 10) });
    expect(atIt.i2).toMatchObject({ sent: 6, rejected: 2, notSent: 1 });
    expect(atIt.i2.rejectCodes).toEqual([{ code: "E205", count: 1 }, { code: "E307", count: 1 }]);
    // V9's confirmation on 2 April now counts: 72 h 1 s after its receipt, late.
    expect(atIt.i3).toMatchObject({ onTime: 2, late: 3, overdue: 1, pending: 0 });
    // Early on 1 March only V2's rejection (at 02:00 exactly) had happened.
    const early = await compute({ asOf: at(2026, 3, 1, 2) });
    // The population is still every visit ended in March (an end time is not an as-of event).
    expect(early.i2).toMatchObject({ ended: 9, sent: 0, rejected: 1, notSent: 8 });
    expect(early.i2.rejectCodes).toEqual([{ code: "E101", count: 1 }]);
    expect(early.i3).toMatchObject({ onTime: 0, late: 0, overdue: 0, pending: 0, rate: null, hoursToDisplay: { median: null, p90: null } });
    expect(early.i4.asOf).toBe("2026-03-01");
    // Between V4's two rejections its code is the first one's; from the second on, the second's.
    const between = await compute({ asOf: at(2026, 3, 11, 9, 59, 59) });
    expect(between.i2).toMatchObject({ sent: 3, rejected: 1, notSent: 5 });
    expect(between.i2.rejectCodes).toEqual([{ code: "E205", count: 1 }]);
    expect((await compute({ asOf: at(2026, 3, 11, 10) })).i2.rejectCodes).toEqual([{ code: "E307", count: 1 }]);
    // At a day start, an acceptance at exactly that instant counts (V8, 31 March 00:00:00), as
    // does one a second before (V9); both are still pending.
    const dayStart = await compute({ asOf: at(2026, 3, 31) });
    expect(dayStart.i2).toMatchObject({ sent: 5, rejected: 3, notSent: 1 });
    expect(dayStart.i3).toMatchObject({ onTime: 2, late: 2, overdue: 0, pending: 2 });
    expect((await compute({ asOf: at(2026, 3, 31) - 1 })).i2).toMatchObject({ sent: 4, rejected: 3, notSent: 2 });
  });

  it("filters I1–I3 by facility and leaves I4–I6 ward-wide", async () => {
    const m = await compute({ facilityCode: "22222" });
    expect(m.facility).toBe("22222");
    expect(m.i1).toEqual({ total: 4, identified: 3, rate: 0.75, distinctPatients: 2, byMethod: { the_can_cuoc: 0, so_dinh_danh: 2, the_bhyt: 1, khong: 1 } });
    expect(m.i2).toMatchObject({ ended: 4, sent: 0, rejected: 3, notSent: 1, rate: 0, hoursToSend: { median: null, p90: null } });
    expect(m.i3).toMatchObject({ onTime: 0, late: 0, overdue: 0, pending: 0, rate: null });
    expectFigures(m.i4, expected.i4);
    expectFigures(m.i6, expected.i6);
  });

  it("shows a block committee its own block only", async () => {
    const m = await compute({ blockId: w.blocks[0] });
    expectFigures(m.i4, { asOf: "2026-03-31", ward: { eligible: 1100, ...{ vneidInstalled: 1, level2Activated: 1, bhytLinked: 1, fullyOnboarded: 1 } }, blocks: [expected.i4.blocks[0]] });
    expect(m.i5).toMatchObject({ total: 1, reach: 20, byType: { tap_huan: 1, hoi_nghi: 0 } });
  });

  it("gives a one-value and a two-value percentile", async () => {
    // 5 March: only V11 ended (−1 h) — median = p90 = −1. 1 March: V1 (4 h) and V2 (24 h) — median 14, p90 22.
    const one = await compute({ period: parsePeriod("2026-03-05") });
    expect(one.i2.hoursToSend).toEqual({ median: -1, p90: -1 });
    const two = await compute({ period: parsePeriod("2026-03-01") });
    expect(two.i2.hoursToSend.median).toBeCloseTo(14, 12);
    expect(two.i2.hoursToSend.p90).toBeCloseTo(22, 12);
  });

  it("keeps a resident in their old block until the as-of day reaches the move", async () => {
    const m = await compute({ asOf: endOfMarch - 1 });
    expect(m.i4.blocks[4]).toMatchObject({ vneidInstalled: 1, fullyOnboarded: 1, newInPeriod: { fullyOnboarded: 1 } });
    expect(m.i4.blocks[5]).toMatchObject({ vneidInstalled: 0, fullyOnboarded: 0 });
  });

  it("counts a period's I4 news from its own first day", async () => {
    const m = await compute({ period: parsePeriod("2026-03-10..2026-03-12") });
    expect(m.i4.asOf).toBe("2026-03-12");
    // R1 bhyt (10th) and full; R4 (in block 6 as of 1 April) all three steps (10–12) and full.
    expect(m.i4.blocks[0].newInPeriod).toEqual({ ...zero, bhytLinked: 1, fullyOnboarded: 1 });
    expect(m.i4.blocks[5].newInPeriod).toEqual({ vneidInstalled: 1, level2Activated: 1, bhytLinked: 1, fullyOnboarded: 1 });
    expect(m.i4.ward.eligible).toBe(1000 + 800);
  });
});

describe("targets", () => {
  it("applies an exact period's target, else a rate's enclosing year, and says when there is no data", async () => {
    await w.target("i1.rate", "2026-03", 0.95); // exact: 0.9 < 0.95
    await w.target("i1.rate", "2026", 0.5); // beaten by the exact one
    await w.target("i2.rate", "2026", 0.5); // enclosing year: 5/9 ≥ 0.5
    await w.target("i5.total", "2026", 10); // a count set for the year does not judge a month
    await w.target("i5.total", "2026-03", 1, 1); // block 1's activities in March: 1 ≥ 1
    await w.target("i4.level2Activated.rate", "2026-Q1", 0.01, 2); // block 2 has no population: no data
    await w.target("i3.rate", "2026-04", 0.1); // another period
    const q = { wardId: w.wardId, period: march, asOf: endOfMarch };
    const m = await computeMetricsWith(w.db, q, referenceSource);
    const statuses = await evaluateTargets(w.db, q, m);
    const brief = statuses.map((s) => [s.indicator, s.period, s.block, s.value, s.status]);
    expect(brief).toEqual([
      ["i1.rate", "2026-03", null, 0.9, "not_met"],
      ["i2.rate", "2026", null, 5 / 9, "met"],
      ["i5.total", "2026-03", "Khối 1", 1, "met"],
      ["i4.level2Activated.rate", "2026-Q1", "Khối 2", null, "no_data"],
    ]);
  });
});
