// I4 from metric_resident: residents whose rows all name one block are counted in SQL;
// the few who moved between blocks are worked out from their rows as of the as-of day.
import type { DB } from "../db.server";
import type { OnboardingSteps } from "~/domain/metrics-types";
import { lastDay, type Period } from "~/domain/periods";
import { addSteps, countResident, countResidents, onboardingByResident, zeroSteps, type BlockSteps } from "./ward-figures.server";
import { residentAsOf } from "./rules";
import type { Scope } from "./scope.server";

const STEPS = [
  ["vneidInstalled", "vneid_on"],
  ["level2Activated", "level2_on"],
  ["bhytLinked", "bhyt_on"],
  ["fullyOnboarded", "full_on"],
] as const;

export async function rollupResidentCounts(db: DB, s: Scope): Promise<Map<number, BlockSteps>> {
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
  return countResidents(out, await onboardingByResident(db, s.wardId, true), s.asOfDay, from, day);
}

/** I4 new completions per trend bucket, over the scope's blocks. */
export async function rollupNewCompletions(db: DB, s: Scope, buckets: Period[]): Promise<OnboardingSteps[]> {
  const out = buckets.map(() => zeroSteps());
  const blocks = new Set(s.blocks.map((b) => b.id));
  const dayOf = (bucket: Period) => (s.asOfDay < lastDay(bucket) ? s.asOfDay : lastDay(bucket));
  const last = s.asOfDay < lastDay(s.period) ? s.asOfDay : lastDay(s.period);
  const bucketOf = (date: string) => buckets.findIndex((b) => date >= b.from && date < b.toExclusive);
  const rows = await db
    .selectFrom("metric_resident")
    .select(["block_id", ...STEPS.map(([, column]) => column)])
    .where("ward_id", "=", s.wardId)
    .where("moved", "=", 0)
    .where((eb) => eb.or(STEPS.map(([, column]) => eb.and([eb(column, ">=", s.period.from), eb(column, "<=", last)]))))
    .execute();
  for (const r of rows) {
    if (!blocks.has(r.block_id!)) continue;
    for (const [step, column] of STEPS) {
      const day = r[column];
      const i = day !== null && day <= last ? bucketOf(day) : -1;
      if (i >= 0) out[i][step]++;
    }
  }
  const moved = (await onboardingByResident(db, s.wardId, true)).map((list) => residentAsOf(list, s.asOfDay));
  for (const [i, bucket] of buckets.entries()) {
    const counts = new Map<number, BlockSteps>();
    for (const resident of moved) if (resident) countResident(counts, resident, bucket.from, dayOf(bucket));
    for (const [blockId, c] of counts) if (blocks.has(blockId)) addSteps(out[i], c.newInPeriod);
  }
  return out;
}
