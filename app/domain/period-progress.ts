// Where a period stands against the clock: over, running (how many of its days have
// begun) or not yet begun. A running period is compared with the same number of first
// days of the previous one, so a two-day-old month is not set against a whole month.
import { addDays, localDayOf, localParts, splitDay } from "./time";
import { dayCount, lastDay, parsePeriod, periodLabel, previousPeriod, type Period } from "./periods";

export type PeriodState = "closed" | "running" | "future";

export interface PeriodProgress {
  state: PeriodState;
  /** Days of the period begun by `asOf` (today counts); the whole length when closed, 0 in the future. */
  elapsedDays: number;
  totalDays: number;
}

/** The period's state at `asOf` (epoch seconds). */
export function periodProgress(p: Period, asOf: number): PeriodProgress {
  const today = localDayOf(asOf);
  const totalDays = dayCount(p);
  if (today < p.from) return { state: "future", elapsedDays: 0, totalDays };
  if (today > lastDay(p) || asOf >= endOf(p)) return { state: "closed", elapsedDays: totalDays, totalDays };
  const elapsedDays = dayCount({ ...p, toExclusive: addDays(today, 1) });
  return { state: "running", elapsedDays, totalDays };
}

const endOf = (p: Period) => Date.parse(`${p.toExclusive}T00:00:00+07:00`) / 1000;

/** "kỳ chưa kết thúc — 2/31 ngày", or null for a closed period. */
export function progressNote(progress: PeriodProgress): string | null {
  if (progress.state === "running") return `kỳ chưa kết thúc — ${progress.elapsedDays}/${progress.totalDays} ngày`;
  if (progress.state === "future") return "kỳ chưa bắt đầu";
  return null;
}

export interface Comparison {
  /** What the change is measured against. */
  period: Period;
  /** How the screen names it: "Tháng 11/2026" or "cùng 2 ngày đầu Tháng 11/2026". */
  label: string;
}

/**
 * The previous period, whole when this one is over, else only its first `elapsedDays`
 * days (never more days than it has).
 */
export function comparisonPeriod(p: Period, progress: PeriodProgress): Comparison {
  const previous = previousPeriod(p);
  if (progress.state !== "running") return { period: previous, label: periodLabel(previous) };
  const days = Math.min(progress.elapsedDays, dayCount(previous));
  if (days === dayCount(previous)) return { period: previous, label: periodLabel(previous) };
  const cut = parsePeriod(`${previous.from}..${addDays(previous.from, days - 1)}`);
  return { period: cut, label: `cùng ${days} ngày đầu ${periodLabel(previous)}` };
}

/** Days at the start of a month during which the dashboard opens on the month just closed. */
export const EARLY_MONTH_DAYS = 5;

/** The dashboard's default period: last month during a month's first days, this month after. */
export function landingPeriod(now: number): { value: "this-month" | "last-month"; early: boolean } {
  const early = localParts(now).day <= EARLY_MONTH_DAYS;
  return { value: early ? "last-month" : "this-month", early };
}

/**
 * A trend bucket is partial when it is cut short by the period's edge (a week spilling
 * into the next month) or not over at the as-of time.
 */
export function isPartialBucket(bucket: { key: string; from: string; to: string }, asOf: number): boolean {
  const full = fullBucket(bucket.key);
  if (full && (bucket.from !== full.from || bucket.to !== lastDay(full))) return true;
  return localDayOf(asOf) <= bucket.to && asOf < Date.parse(`${addDays(bucket.to, 1)}T00:00:00+07:00`) / 1000;
}

function fullBucket(key: string): Period | null {
  try {
    return parsePeriod(key);
  } catch {
    return null;
  }
}

/** '2026-W47' from 16/11 to 22/11 → "Tuần 47 (16/11–22/11)"; '2026-03' → "T3/2026". */
export function bucketLabel(bucket: { key: string; from: string; to: string }): string {
  const week = /^(\d{4})-W(\d{2})$/.exec(bucket.key);
  if (week) return `Tuần ${Number(week[2])} (${dayMonth(bucket.from)}–${dayMonth(bucket.to)})`;
  const month = /^(\d{4})-(\d{2})$/.exec(bucket.key);
  return month ? `T${Number(month[2])}/${month[1]}` : bucket.key;
}

function dayMonth(day: string): string {
  const [, m, d] = splitDay(day);
  return `${String(d).padStart(2, "0")}/${String(m).padStart(2, "0")}`;
}
