// Which target a figure is measured against: pure choices the dashboard's server side
// and its cards share (the targets themselves are app/server/targets.server.ts's).
import { ONBOARDING_STEPS, type OnboardingStep, type TargetStatus } from "./metrics-types";

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
  blockId: number,
  periodKey: string,
): Partial<Record<OnboardingStep, number>> {
  const out: Partial<Record<OnboardingStep, number>> = {};
  for (const step of ONBOARDING_STEPS) {
    const indicator = [`i4.${step}.rate`];
    const target =
      pickTarget(targets, indicator, blockId, periodKey) ??
      pickTarget(targets, indicator, null, periodKey);
    if (target) out[step] = target.threshold;
  }
  return out;
}
