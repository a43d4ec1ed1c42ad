// I4 from metric_resident: residents whose rows all name one block are counted in SQL;
// the few who moved between blocks are worked out from their rows as of the as-of day.
import type { DB } from "../db.server";
import type { OnboardingSteps } from "~/domain/metrics-types";
import { lastDay, type Period } from "~/domain/periods";
import { addSteps, countResident, countResidents, onboardingByResident, zeroSteps, type BlockSteps } from "./ward-figures.server";
import { residentAsOf, type OnboardingRow } from "./rules";
import type { Scope } from "./scope.server";

const STEPS = [
  ["vneidInstalled", "vneid_on"],
  ["level2Activated", "level2_on"],
  ["bhytLinked", "bhyt_on"],
  ["fullyOnboarded", "full_on"],
] as const;

/** `moved`: the rows of residents who moved between blocks (onboardingByResident), when already read. */
export async function rollupResidentCounts(db: DB, s: Scope, moved?: OnboardingRow[][]): Promise<Map<number, BlockSteps>> {
  const day = s.i4Day;
  const from = s.period.from;
  const rows = await db
    .selectFrom("metric_resident")
    .select((eb) => [
      "block_id",
      ...STEPS.flatMap(([step, column]) => [
        eb.fn.sum<number>(eb.case().when(column, "<=", day).then(1).else(0).end()).as(`c_${step}`),
        eb.fn.sum<number>(eb.case().when(eb.and([eb(column, ">=", from), eb(column, "<=", day)])).then(1).else(0).end()).as(`n_${step}`),
      ]),
    ])
    .where("ward_id", "=", s.wardId)
    .where("moved", "=", 0)
    .groupBy("block_id")
    .execute();
  const out = new Map<number, BlockSteps>();
  for (const r of rows as Array<Record<string, number>>) {
    const c: BlockSteps = { cumulative: zeroSteps(), newInPeriod: zeroSteps() };
    for (const [step] of STEPS) {
      c.cumulative[step] = Number(r[`c_${step}`]);
      c.newInPeriod[step] = Number(r[`n_${step}`]);
    }
    out.set(r.block_id, c);
  }
  return countResidents(out, moved ?? (await onboardingByResident(db, s.wardId, true)), s.asOfDay, from, day);
}

/**
 * I4 new completions per trend bucket, over the scope's blocks: residents who stayed in
 * one block counted per day in SQL (a few hundred rows per step, not a row per resident),
 * those who moved from their rows.
 */
export async function rollupNewCompletions(db: DB, s: Scope, buckets: Period[], movedRows?: OnboardingRow[][]): Promise<OnboardingSteps[]> {
  const out = buckets.map(() => zeroSteps());
  const blocks = new Set(s.blocks.map((b) => b.id));
  const dayOf = (bucket: Period) => (s.asOfDay < lastDay(bucket) ? s.asOfDay : lastDay(bucket));
  const last = s.asOfDay < lastDay(s.period) ? s.asOfDay : lastDay(s.period);
  const bucketOf = (date: string) => buckets.findIndex((b) => date >= b.from && date < b.toExclusive);
  for (const [step, column] of blocks.size === 0 ? [] : STEPS) {
    const days = await db
      .selectFrom("metric_resident")
      .select((eb) => [eb.ref(column).as("day"), eb.fn.countAll<number>().as("n")])
      .where("ward_id", "=", s.wardId)
      .where("moved", "=", 0)
      .where("block_id", "in", [...blocks])
      .where(column, ">=", s.period.from)
      .where(column, "<=", last)
      .groupBy(column)
      .execute();
    for (const { day, n } of days) {
      const i = bucketOf(day!);
      if (i >= 0) out[i][step] += Number(n);
    }
  }
  const moved = (movedRows ?? (await onboardingByResident(db, s.wardId, true))).map((list) => residentAsOf(list, s.asOfDay));
  for (const [i, bucket] of buckets.entries()) {
    const counts = new Map<number, BlockSteps>();
    for (const resident of moved) if (resident) countResident(counts, resident, bucket.from, dayOf(bucket));
    for (const [blockId, c] of counts) if (blocks.has(blockId)) addSteps(out[i], c.newInPeriod);
  }
  return out;
}
