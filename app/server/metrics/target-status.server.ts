// Targets against the figures of the selected period: met when the figure reaches the
// threshold, not met below it, no data when the figure has none (a rate over 0).
//
// Which target applies to a period: the one set for exactly that period; failing that,
// for a rate or a cumulative onboarding count, the target of the shortest period that
// encloses it (a 2026 rate target is the bar for 2026-Q1 too; a count of activities set
// for the year cannot be judged on one quarter, so flow counts need an exact period).
import type { DB } from "../db.server";
import { TARGET_INDICATORS, type MetricsJson, type OnboardingCounts, type OnboardingStep, type TargetIndicator, type TargetStatus } from "~/domain/metrics-types";
import { dayCount, parsePeriod, PeriodError, type Period } from "~/domain/periods";
import { rate } from "./rules";
import type { Scope } from "./scope.server";
import { i5Figures } from "./ward-figures.server";

interface TargetRow {
  id: number;
  indicator: string;
  block_id: number | null;
  period: string;
  threshold: number;
}

/** Figures that hold at a point in time, so a longer period's target applies to its parts. */
const isLevel = (indicator: TargetIndicator) =>
  TARGET_INDICATORS[indicator].kind === "rate" || /^i4\.[a-zA-Z]+$/.test(indicator);

function periodOf(key: string): Period | null {
  try {
    return parsePeriod(key);
  } catch (error) {
    if (error instanceof PeriodError) return null;
    throw error;
  }
}

/** The targets that apply to the selected period, one per (indicator, scope). */
function applicable(rows: TargetRow[], selected: Period): TargetRow[] {
  const best = new Map<string, { row: TargetRow; days: number }>();
  for (const row of rows) {
    if (!(row.indicator in TARGET_INDICATORS)) continue;
    const p = periodOf(row.period);
    if (!p) continue;
    const exact = p.key === selected.key;
    const encloses = p.from <= selected.from && p.toExclusive >= selected.toExclusive;
    if (!exact && !(encloses && isLevel(row.indicator as TargetIndicator))) continue;
    const days = exact ? 0 : dayCount(p); // exact beats any enclosing period
    const key = `${row.indicator}|${row.block_id ?? ""}`;
    const current = best.get(key);
    if (!current || days < current.days || (days === current.days && row.id > current.row.id)) best.set(key, { row, days });
  }
  return [...best.values()].map((b) => b.row).sort((a, b) => a.id - b.id);
}

function onboardingValue(counts: OnboardingCounts | undefined, indicator: string): number | null {
  if (!counts) return null;
  const [, step, isRate] = indicator.split(".") as [string, OnboardingStep, string | undefined];
  return isRate ? rate(counts[step], counts.eligible) : counts[step];
}

export async function targetStatuses(db: DB, s: Scope, m: MetricsJson): Promise<TargetStatus[]> {
  const rows = await db
    .selectFrom("target")
    .select(["id", "indicator", "block_id", "period", "threshold"])
    .where("ward_id", "=", s.wardId)
    .execute();
  const blockName = new Map(s.wardBlocks.map((b) => [b.id, b.name])); // for the label only
  const blockI5 = new Map<number, MetricsJson["i5"]>();
  const out: TargetStatus[] = [];
  for (const row of applicable(rows, s.period)) {
    const indicator = row.indicator as TargetIndicator;
    const definition = TARGET_INDICATORS[indicator];
    // A block committee sees its own block's targets, and the ward's rates as its bar.
    if (s.blockId !== null && row.block_id !== s.blockId && !(row.block_id === null && definition.kind === "rate" && definition.blockScope)) continue;
    const blockId = row.block_id ?? s.blockId;
    let value: number | null;
    if (indicator.startsWith("i4.")) {
      const counts = blockId === null ? m.i4.ward : m.i4.blocks.find((b) => b.blockId === blockId);
      value = onboardingValue(counts, indicator);
    } else if (indicator.startsWith("i5.")) {
      let i5 = m.i5;
      if (row.block_id !== null && s.blockId === null) {
        if (!blockI5.has(row.block_id)) blockI5.set(row.block_id, await i5Figures(db, { ...s, blockId: row.block_id }));
        i5 = blockI5.get(row.block_id)!;
      }
      value = indicator === "i5.total" ? i5.total : i5.reach;
    } else {
      const [group, figure] = indicator.split(".") as ["i1" | "i2" | "i3" | "i6", string];
      value = (m[group] as unknown as Record<string, number | null>)[figure] ?? null;
    }
    out.push({
      targetId: row.id,
      indicator,
      label: definition.label,
      kind: definition.kind,
      blockId: row.block_id,
      block: row.block_id === null ? null : (blockName.get(row.block_id) ?? null),
      period: row.period,
      threshold: row.threshold,
      value,
      status: value === null ? "no_data" : value >= row.threshold ? "met" : "not_met",
    });
  }
  return out;
}
