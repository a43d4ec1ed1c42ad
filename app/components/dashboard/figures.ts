// Small pure helpers the dashboard views share: change against the previous period,
// rates from exact counts, target labels and links to the records behind a figure
// (which target a card shows is domain/targets.ts's, shared with the server).
import { formatNumber } from "~/domain/format";
import type { TargetState } from "~/domain/metrics-types";

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
