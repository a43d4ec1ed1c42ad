// Small pure helpers the dashboard views share: change against the previous period,
// rates from exact counts, target labels and links to the records behind a figure.
import { formatNumber } from "~/domain/format";
import { ONBOARDING_STEPS, type OnboardingStep, type TargetState, type TargetStatus } from "~/domain/metrics-types";

export const TARGET_LABELS: Record<TargetState, string> = {
  met: "Đạt",
  not_met: "Chưa đạt",
  no_data: "Chưa có dữ liệu",
};

/** A rate from exact counts; a zero denominator has no rate (shown "—"). */
export const rateOf = (part: number, whole: number | null): number | null =>
  whole === null || whole === 0 ? null : part / whole;

export interface Change {
  direction: "up" | "down" | "same";
  text: string;
}

/**
 * Change of a rate in percentage points ("+2,3 điểm %"); none when either side has no
 * rate: a change from "—" means nothing.
 */
export function changeOf(current: number | null, previous: number | null): Change | null {
  if (current === null || previous === null) return null;
  const points = (current - previous) * 100;
  const shown = formatNumber(Math.abs(points), 1);
  // Compare what is shown, so "+0,0 điểm %" never appears with an arrow.
  if (shown === "0,0") return { direction: "same", text: "không đổi" };
  return { direction: points > 0 ? "up" : "down", text: `${points > 0 ? "+" : "−"}${shown} điểm %` };
}

/** The page listing the records behind a figure, for the same period and as-of time. */
export function recordsHref(figure: string, period: string, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams({ figure, period });
  for (const [k, v] of Object.entries(extra)) if (v) params.set(k, v);
  return `/records?${params.toString()}`;
}

/**
 * The target a card shows: the first of `indicators` set for the scope (ward = null or
 * one block), preferring one set for exactly the selected period over a longer one.
 */
export function pickTarget(
  targets: readonly TargetStatus[],
  indicators: readonly string[],
  blockId: number | null,
  periodKey: string,
): TargetStatus | null {
  for (const indicator of indicators) {
    const matching = targets.filter((t) => t.indicator === indicator && t.blockId === blockId);
    const chosen = matching.find((t) => t.period === periodKey) ?? matching[0];
    if (chosen) return chosen;
  }
  return null;
}

/**
 * Target rates for a block's onboarding bars: the block's own, else the ward's (a ward
 * target is the bar every block is measured against when it has none of its own).
 */
export function blockStepTargets(
  targets: readonly TargetStatus[],
  block: { id: number | null; name: string },
  periodKey: string,
): Partial<Record<OnboardingStep, number>> {
  const out: Partial<Record<OnboardingStep, number>> = {};
  for (const step of ONBOARDING_STEPS) {
    const indicator = [`i4.${step}.rate`];
    const target =
      (block.id !== null ? pickTarget(targets, indicator, block.id, periodKey) : null) ??
      pickTarget(targets, indicator, null, periodKey);
    if (target) out[step] = target.threshold;
  }
  return out;
}
