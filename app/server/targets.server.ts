// Targets (chỉ tiêu): an indicator figure, a scope (the ward or one block), a period and
// a threshold. The catalogue of figures and the met/not-met rule live with the indicator
// types; this module only keeps the targets themselves.
import type { DB } from "./db.server";
import { TARGET_INDICATORS, type TargetIndicator, type TargetStatus } from "../domain/metrics-types";
import { defaultAsOf, parsePeriod, PeriodError } from "../domain/periods";
import { computeMetrics, evaluateTargets } from "./metrics/engine.server";

export class TargetError extends Error {}

export interface Target {
  id: number;
  indicator: TargetIndicator;
  blockId: number | null;
  period: string;
  threshold: number;
}

export interface TargetInput {
  indicator: string;
  blockId: number | null;
  period: string;
  threshold: number;
}

/** Checks a target and puts its period in canonical form ('2026-q1' → '2026-Q1'). */
async function validated(db: DB, wardId: number, input: TargetInput): Promise<TargetInput & { indicator: TargetIndicator }> {
  if (!(input.indicator in TARGET_INDICATORS)) throw new TargetError(`Chỉ số không hợp lệ: ${input.indicator}`);
  const indicator = input.indicator as TargetIndicator;
  const definition = TARGET_INDICATORS[indicator];
  if (input.blockId !== null) {
    if (!definition.blockScope) throw new TargetError(`Chỉ tiêu "${definition.label}" chỉ đặt cho toàn phường.`);
    const block = await db.selectFrom("block").select("id").where("id", "=", input.blockId).where("ward_id", "=", wardId).executeTakeFirst();
    if (!block) throw new TargetError("Khối không tồn tại.");
  }
  let period: string;
  try {
    period = parsePeriod(input.period).key;
  } catch (error) {
    throw new TargetError(error instanceof PeriodError ? error.message : `Kỳ không hợp lệ: ${input.period}`);
  }
  const t = input.threshold;
  if (definition.kind === "rate" ? !(t >= 0 && t <= 1) : !(Number.isInteger(t) && t >= 0)) {
    throw new TargetError(definition.kind === "rate" ? "Ngưỡng tỷ lệ phải từ 0 đến 1 (0 % – 100 %)." : "Ngưỡng phải là số nguyên không âm.");
  }
  return { indicator, blockId: input.blockId, period, threshold: t };
}

export async function createTarget(db: DB, wardId: number, input: TargetInput): Promise<number> {
  const t = await validated(db, wardId, input);
  const { id } = await db
    .insertInto("target")
    .values({ ward_id: wardId, indicator: t.indicator, block_id: t.blockId, period: t.period, threshold: t.threshold })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateTarget(db: DB, wardId: number, targetId: number, input: TargetInput): Promise<void> {
  const t = await validated(db, wardId, input);
  const result = await db
    .updateTable("target")
    .set({ indicator: t.indicator, block_id: t.blockId, period: t.period, threshold: t.threshold })
    .where("id", "=", targetId)
    .where("ward_id", "=", wardId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new TargetError(`Không có chỉ tiêu số ${targetId}.`);
}

export async function deleteTarget(db: DB, wardId: number, targetId: number): Promise<void> {
  const result = await db.deleteFrom("target").where("id", "=", targetId).where("ward_id", "=", wardId).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new TargetError(`Không có chỉ tiêu số ${targetId}.`);
}

export async function listTargets(db: DB, wardId: number): Promise<Target[]> {
  const rows = await db
    .selectFrom("target")
    .select(["id", "indicator", "block_id", "period", "threshold"])
    .where("ward_id", "=", wardId)
    .orderBy("period")
    .orderBy("indicator")
    .orderBy("block_id")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ id: r.id, indicator: r.indicator as TargetIndicator, blockId: r.block_id, period: r.period, threshold: r.threshold }));
}

/**
 * Every target with where it stands on its own period (as of now, or the period's end):
 * met, not met, or no data. One engine run per distinct period.
 */
export async function targetsWithStatus(db: DB, wardId: number, now: number): Promise<Array<Target & { status: TargetStatus | null }>> {
  const targets = await listTargets(db, wardId);
  const byPeriod = new Map<string, TargetStatus[]>();
  for (const key of new Set(targets.map((t) => t.period))) {
    const period = parsePeriod(key);
    const q = { wardId, period, asOf: defaultAsOf(period, now), blockId: null };
    byPeriod.set(key, await evaluateTargets(db, q, await computeMetrics(db, q)));
  }
  return targets.map((t) => ({ ...t, status: byPeriod.get(t.period)?.find((s) => s.targetId === t.id) ?? null }));
}
