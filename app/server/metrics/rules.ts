// The roll-up engine's arithmetic (percentiles, rates, ranked codes) and I4's resident
// rule, as pure functions. A record's I1–I3 states are app/domain/classify.ts's.
import { METHOD_LABELS, codesOf } from "~/domain/codes";
import type { MethodCode } from "~/domain/metrics-types";

/** Linear interpolation between closest ranks (METRICS.md): the two ranks (0-based) of position p·(n−1) among n values, and the weight of the upper one. */
export function percentileRanks(n: number, p: number): { lo: number; hi: number; weight: number } {
  const position = p * (n - 1);
  const lo = Math.floor(position);
  return { lo, hi: Math.ceil(position), weight: position - lo };
}

export const rate = (part: number, whole: number | null) => (whole === null || whole === 0 ? null : part / whole);

/** Every method code at 0: METRICS.md lists them all. */
export const emptyByMethod = () => Object.fromEntries(codesOf(METHOD_LABELS).map((c) => [c, 0])) as Record<MethodCode, number>;

/** Most frequent first; equal counts by code ascending, so two runs print the same list. */
export function rankCodes(counts: Map<string, number>): Array<{ code: string; count: number }> {
  return [...counts]
    .filter(([, count]) => count > 0)
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Lists: by facility code, then MA_LK. */
export const compareKeys = (a: { facilityCode: string; maLk: string }, b: { facilityCode: string; maLk: string }) =>
  a.facilityCode < b.facilityCode ? -1 : a.facilityCode > b.facilityCode ? 1 : a.maLk < b.maLk ? -1 : a.maLk > b.maLk ? 1 : 0;

// ---- I4: residents --------------------------------------------------------------------

export interface OnboardingRow {
  id: number; // import order
  blockId: number;
  vneid: string | null;
  level2: string | null;
  bhyt: string | null;
}

export interface ResidentSteps {
  blockId: number;
  vneid: string | null;
  level2: string | null;
  bhyt: string | null;
  full: string | null; // the day of the last of the three steps
}

const minDay = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);
const maxDay = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);

/**
 * One resident as of day `cutoff` (the as-of day: METRICS.md ignores onboarding dates
 * later than the as-of time): later dates are ignored; per step the earliest date stands;
 * the block is that of the row with the latest step date (tie: imported last). The counts
 * are then taken at day D, which may be earlier. Null when no step is dated by the cutoff.
 */
export function residentAsOf(rows: readonly OnboardingRow[], cutoff: string): ResidentSteps | null {
  const seen = (d: string | null) => (d !== null && d <= cutoff ? d : null);
  let block: { day: string; id: number; blockId: number } | null = null;
  let vneid: string | null = null;
  let level2: string | null = null;
  let bhyt: string | null = null;
  for (const r of rows) {
    const [a, b, c] = [seen(r.vneid), seen(r.level2), seen(r.bhyt)];
    vneid = minDay(vneid, a);
    level2 = minDay(level2, b);
    bhyt = minDay(bhyt, c);
    const latest = maxDay(maxDay(a, b), c);
    if (latest !== null && (block === null || latest > block.day || (latest === block.day && r.id > block.id))) {
      block = { day: latest, id: r.id, blockId: r.blockId };
    }
  }
  if (block === null) return null;
  const full = vneid && level2 && bhyt ? maxDay(maxDay(vneid, level2), bhyt) : null;
  return { blockId: block.blockId, vneid, level2, bhyt, full };
}
