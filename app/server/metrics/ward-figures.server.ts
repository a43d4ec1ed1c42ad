// I4's eligible population and block listing, I5 and I6: small tables (blocks, activities,
// budget), read directly by both engines.
import type { DB } from "../db.server";
import { ACTIVITY_TYPE_LABELS, ACTIVITY_UNIT_LABELS, codesOf } from "~/domain/codes";
import type {
  ActivityTypeCode, ActivityUnitCode, BlockOnboarding, I4Figures, I5Figures, I6Figures, OnboardingSteps,
} from "~/domain/metrics-types";
import { rate, residentAsOf, type OnboardingRow } from "./rules";
import type { Scope } from "./scope.server";

export interface BlockSteps {
  /** Residents with each step done on or before day D. */
  cumulative: OnboardingSteps;
  /** Steps whose (earliest) date falls in the period, up to day D. */
  newInPeriod: OnboardingSteps;
}

export const zeroSteps = (): OnboardingSteps => ({ vneidInstalled: 0, level2Activated: 0, bhytLinked: 0, fullyOnboarded: 0 });

export function addSteps(into: OnboardingSteps, from: OnboardingSteps): void {
  into.vneidInstalled += from.vneidInstalled;
  into.level2Activated += from.level2Activated;
  into.bhytLinked += from.bhytLinked;
  into.fullyOnboarded += from.fullyOnboarded;
}

/** Adds one resident (as of day D) to its block's cumulative and new-in-period counts. */
export function countResident(
  out: Map<number, BlockSteps>,
  r: { blockId: number; vneid: string | null; level2: string | null; bhyt: string | null; full: string | null },
  from: string,
  day: string,
): void {
  let c = out.get(r.blockId);
  if (!c) out.set(r.blockId, (c = { cumulative: zeroSteps(), newInPeriod: zeroSteps() }));
  const steps = [
    ["vneidInstalled", r.vneid],
    ["level2Activated", r.level2],
    ["bhytLinked", r.bhyt],
    ["fullyOnboarded", r.full],
  ] as const;
  for (const [step, date] of steps) {
    if (date === null || date > day) continue;
    c.cumulative[step]++;
    if (date >= from) c.newInPeriod[step]++;
  }
}

/**
 * The ward's onboarding rows grouped by resident, each in import order; `movedOnly`: only
 * residents whose rows name more than one block (metric_resident.moved).
 */
export async function onboardingByResident(db: DB, wardId: number, movedOnly: boolean): Promise<OnboardingRow[][]> {
  const rows = await db
    .selectFrom("onboarding_record as o")
    .innerJoin("block as b", "b.id", "o.block_id")
    .select(["o.id", "o.pid_hash", "o.block_id", "o.vneid_installed_on", "o.level2_activated_on", "o.bhyt_linked_on"])
    .where("b.ward_id", "=", wardId)
    .$if(movedOnly, (q) =>
      q.where("o.pid_hash", "in", (eb) => eb.selectFrom("metric_resident").select("pid_hash").where("ward_id", "=", wardId).where("moved", "=", 1)),
    )
    .orderBy("o.pid_hash")
    .orderBy("o.id")
    .execute();
  const out = new Map<string, OnboardingRow[]>();
  for (const r of rows) {
    const list = out.get(r.pid_hash) ?? [];
    list.push({ id: r.id, blockId: r.block_id, vneid: r.vneid_installed_on, level2: r.level2_activated_on, bhyt: r.bhyt_linked_on });
    out.set(r.pid_hash, list);
  }
  return [...out.values()];
}

/** Residents (their rows) as of the as-of day, counted into `out` at day `day` from `from`. */
export function countResidents(out: Map<number, BlockSteps>, residents: OnboardingRow[][], asOfDay: string, from: string, day: string): Map<number, BlockSteps> {
  for (const list of residents) {
    const resident = residentAsOf(list, asOfDay);
    if (resident) countResident(out, resident, from, day);
  }
  return out;
}

/** The population figure with the latest effective date on or before `day`, per block. */
export async function eligibleOn(db: DB, blockIds: number[], day: string): Promise<Map<number, number>> {
  if (blockIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("block_population")
    .select(["block_id", "effective_date", "population"])
    .where("block_id", "in", blockIds)
    .where("effective_date", "<=", day)
    .orderBy("block_id")
    .orderBy("effective_date")
    .execute();
  const latest = new Map<number, number>();
  for (const r of rows) latest.set(r.block_id, r.population); // ordered: the last one wins
  return latest;
}

/**
 * I4 from per-block counts. The ward's figures are the sum over the blocks listed (one
 * block in a block committee's view); the ward's eligible population is the sum of the
 * blocks' figures in effect, null when no block has one.
 */
export async function i4Figures(db: DB, s: Scope, counts: Map<number, BlockSteps>): Promise<I4Figures> {
  const eligible = await eligibleOn(db, s.blocks.map((b) => b.id), s.i4Day);
  const ward = { eligible: null as number | null, ...zeroSteps() };
  const blocks: BlockOnboarding[] = s.blocks.map((b) => {
    const c = counts.get(b.id) ?? { cumulative: zeroSteps(), newInPeriod: zeroSteps() };
    const e = eligible.get(b.id) ?? null;
    if (e !== null) ward.eligible = (ward.eligible ?? 0) + e;
    addSteps(ward, c.cumulative);
    return { blockId: b.id, block: b.name, eligible: e, ...c.cumulative, newInPeriod: { ...c.newInPeriod } };
  });
  return { asOf: s.i4Day, ward, blocks };
}

/** I5: activities dated in the period (of the block, in a block view), every code listed. */
export async function i5Figures(db: DB, s: Scope): Promise<I5Figures> {
  const rows = await db
    .selectFrom("activity")
    .select((eb) => ["type", "unit", eb.fn.countAll<number>().as("n"), eb.fn.sum<number | null>("participants").as("reach")])
    .where("ward_id", "=", s.wardId)
    .where("date", ">=", s.period.from)
    .where("date", "<", s.period.toExclusive)
    .$if(s.blockId !== null, (q) => q.where("block_id", "=", s.blockId))
    .groupBy(["type", "unit"])
    .execute();
  const byType = Object.fromEntries(codesOf(ACTIVITY_TYPE_LABELS).map((c) => [c, 0])) as Record<ActivityTypeCode, number>;
  const byUnit = Object.fromEntries(codesOf(ACTIVITY_UNIT_LABELS).map((c) => [c, 0])) as Record<ActivityUnitCode, number>;
  let total = 0;
  let reach = 0;
  for (const r of rows) {
    const n = Number(r.n);
    total += n;
    reach += Number(r.reach ?? 0);
    byType[r.type as ActivityTypeCode] = (byType[r.type as ActivityTypeCode] ?? 0) + n;
    byUnit[r.unit as ActivityUnitCode] = (byUnit[r.unit as ActivityUnitCode] ?? 0) + n;
  }
  return { total, reach, byType, byUnit };
}

async function estimateTotal(db: DB, estimateId: number | undefined): Promise<number> {
  if (estimateId === undefined) return 0;
  const row = await db
    .selectFrom("budget_line")
    .select((eb) => eb.fn.sum<number | null>("amount").as("total"))
    .where("estimate_id", "=", estimateId)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

/**
 * I6 for the fiscal (calendar) year of the period's first day: estimated = lines of the
 * latest version, approved = lines of the latest approved version, spent = expenditures
 * dated in the period. Cost-effectiveness divides by the ward's residents newly fully
 * onboarded and records newly sent (first accepted receipt) in the period.
 */
export async function i6Figures(db: DB, s: Scope, newlyFullyOnboarded: number, newlySent: number): Promise<I6Figures> {
  const year = Number(s.period.from.slice(0, 4));
  const versions = await db
    .selectFrom("budget_estimate")
    .select(["id", "status"])
    .where("ward_id", "=", s.wardId)
    .where("year", "=", year)
    .orderBy("version", "desc")
    .execute();
  const estimated = await estimateTotal(db, versions[0]?.id);
  const approved = await estimateTotal(db, versions.find((v) => v.status === "approved")?.id);
  const spentRow = await db
    .selectFrom("expenditure")
    .select((eb) => eb.fn.sum<number | null>("amount").as("spent"))
    .where("ward_id", "=", s.wardId)
    .where("date", ">=", s.period.from)
    .where("date", "<", s.period.toExclusive)
    .executeTakeFirst();
  const spent = Number(spentRow?.spent ?? 0);
  return {
    year,
    estimated,
    approved,
    spent,
    executionRate: rate(spent, approved),
    costPerFullyOnboarded: rate(spent, newlyFullyOnboarded),
    costPerRecordSent: rate(spent, newlySent),
  };
}
