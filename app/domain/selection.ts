// What a dashboard-family page is asked for: `?period=` (relative or METRICS.md form,
// default this month) and an optional `?asOf=` (ISO 8601). Shared by the dashboard, the
// records behind a figure and the work list so that all three count the same records.
import { defaultAsOf, PeriodError, resolvePeriod, type Period } from "./periods";
import { parseSourceDate } from "./time";

export interface Selection {
  period: Period;
  asOf: number;
  /** The as-of time the URL asked for, to carry into links; null = "now". */
  asOfParam: string | null;
}

export const DEFAULT_PERIOD = "this-month";
/** Outstanding records are chased all year long: the work list's default is the year so far. */
export const WORKLIST_DEFAULT_PERIOD = "year-to-date";

/** Reads the period and as-of time; an unreadable value is a 400 with the reason. */
export function readSelection(params: URLSearchParams, now: number, fallback = DEFAULT_PERIOD): Selection {
  let period: Period;
  try {
    period = resolvePeriod(params.get("period") || fallback, now);
  } catch (error) {
    if (error instanceof PeriodError) throw new Response(error.message, { status: 400 });
    throw error;
  }
  const asOfParam = params.get("asOf");
  if (!asOfParam) return { period, asOf: defaultAsOf(period, now), asOfParam: null };
  const parsed = parseSourceDate(asOfParam);
  if (!parsed) throw new Response(`Thời điểm tính không hợp lệ: "${asOfParam}"`, { status: 400 });
  // Taken as given, even after the period's end: a report "as of 2 April" for Q1 counts
  // the displays confirmed by then (METRICS.md's sample does exactly this).
  return { period, asOf: parsed.epoch, asOfParam };
}

/** Query parameters that pin another page to the same period and as-of time. */
export function selectionParams(s: Selection): Record<string, string> {
  return s.asOfParam ? { period: s.period.key, asOf: s.asOfParam } : { period: s.period.key };
}
