// Exact median and 90th percentile of hours to send / to display from histograms: day
// buckets find the day (of duration) a rank falls in, hour buckets the hour, minute
// buckets the minute, and the minute's per-second counts the exact value (durations are
// whole seconds). Whole months of the
// period use month rows; the days outside whole months use day rows and their records,
// read by index. Histogram rows from before the per-second counts send the last step to
// the records of that one minute.
import { sql } from "kysely";
import type { DB } from "../db.server";
import type { HoursSummary } from "~/domain/metrics-types";
import { addDays } from "~/domain/time";
import { nextMonth, type MonthCut } from "./cut.server";
import { percentileRanks } from "./rules";
import { SECOND_COLUMNS } from "./derived.server";
import { amongFacilities, facilityIds, type Scope } from "./scope.server";

type Kind = "send" | "display";

const COLUMNS = {
  send: { minute: "send_minute", day: "end_day", event: "accepted_at" },
  display: { minute: "display_minute", day: "accepted_day", event: "displayed_at" },
} as const;

interface Split {
  months: string[]; // whole months inside the period, in order (contiguous)
  days: string[]; // the other days of the period
}

export function splitPeriod(from: string, toExclusive: string): Split {
  const months: string[] = [];
  const days: string[] = [];
  for (let day = from; day < toExclusive; ) {
    const month = day.slice(0, 7);
    const next = `${nextMonth(month)}-01`;
    if (day.endsWith("-01") && next <= toExclusive) {
      months.push(month);
      day = next;
    } else {
      days.push(day);
      day = addDays(day, 1);
    }
  }
  return { months, days };
}

const dayOf = (seconds: number) => Math.floor(seconds / 86400);
const hourOf = (seconds: number) => Math.floor(seconds / 3600);
const minuteOf = (seconds: number) => Math.floor(seconds / 60);
const range = (lo: number, n: number) => Array.from({ length: n }, (_, i) => lo + i);

function bump(map: Map<number, number>, key: number, n: number) {
  map.set(key, (map.get(key) ?? 0) + n);
}

/** The key whose cumulative count passes `rank`, and the rank within it. */
function locate(counts: Map<number, number>, rank: number): { key: number; rank: number } {
  let before = 0;
  for (const key of [...counts.keys()].sort((a, b) => a - b)) {
    const n = counts.get(key)!;
    if (rank < before + n) return { key, rank: rank - before };
    before += n;
  }
  throw new Error("Roll-up histogram shorter than its count: rebuild with `sskdt metrics --rebuild`.");
}

/**
 * The period's durations that the histograms at the cut count and the as-of time does not,
 * or the other way round: records sent (displayed) between the cut and the as-of time,
 * counted +1 when the cut is before the as-of time and −1 when it is after.
 */
async function changedDurations(db: DB, s: Scope, cut: MonthCut, kind: Kind, ids: number[], months: ReadonlySet<string>) {
  const col = COLUMNS[kind];
  if (cut.lo > cut.hi) return [];
  const sign = cut.at <= s.asOf ? +1 : -1;
  const seconds = kind === "send" ? sql<number>`accepted_at - ended_at` : sql<number>`displayed_at - accepted_at`;
  const rows = await db
    .selectFrom("metric_record")
    .select((eb) => [eb.ref(col.day).$castTo<string>().as("day"), seconds.as("seconds")])
    .where(col.event, ">=", cut.lo)
    .where(col.event, "<=", cut.hi)
    .where(amongFacilities(ids))
    .where(col.day, ">=", s.period.from)
    .where(col.day, "<", s.period.toExclusive)
    .$if(kind === "send", (q) => q.where("ended_at", "is not", null))
    .execute();
  return rows.map((r) => ({ inMonths: months.has(r.day.slice(0, 7)), seconds: Number(r.seconds), sign }));
}

export async function hoursPercentiles(db: DB, s: Scope, cut: MonthCut, kind: Kind): Promise<HoursSummary> {
  const ids = facilityIds(s);
  if (ids.length === 0) return { median: null, p90: null };
  const col = COLUMNS[kind];
  const { months, days } = splitPeriod(s.period.from, s.period.toExclusive);
  const monthSet = new Set(months);

  const corrections = await changedDurations(db, s, cut, kind, ids, monthSet);
  const histogram = (grain: "m" | "d", level: "D" | "h" | "m", slots: string[], buckets?: number[]) =>
    db
      .selectFrom("metric_hours")
      .select((eb) => ["bucket", eb.fn.sum<number>("n").as("n")])
      .where("kind", "=", kind)
      .where("grain", "=", grain)
      .where("level", "=", level)
      .where("slot", "in", slots)
      .where("facility_id", "in", ids)
      .where("event_month", "<", cut.month)
      .$if(buckets !== undefined, (q) => q.where("bucket", ">=", buckets![0]).where("bucket", "<=", buckets!.at(-1)!))
      .groupBy("bucket")
      .execute();

  // Day buckets first (a year of hour rows is thousands), then the hours of one day.
  const partialDayHours = days.length ? await histogram("d", "h", days) : [];
  const byDay = new Map<number, number>();
  if (months.length) for (const r of await histogram("m", "D", months)) bump(byDay, r.bucket, Number(r.n));
  for (const r of partialDayHours) bump(byDay, dayOf(r.bucket * 3600), Number(r.n));
  for (const c of corrections) bump(byDay, dayOf(c.seconds), c.sign);
  let n = 0;
  for (const count of byDay.values()) n += count;
  if (n <= 0) return { median: null, p90: null };
  const dayCache = new Map<number, Map<number, number>>();
  const hoursIn = async (day: number) => {
    let hours = dayCache.get(day);
    if (hours) return hours;
    hours = new Map<number, number>();
    const inIt = range(day * 24, 24);
    if (months.length) for (const r of await histogram("m", "h", months, inIt)) bump(hours, r.bucket, Number(r.n));
    for (const r of partialDayHours) if (dayOf(r.bucket * 3600) === day) bump(hours, r.bucket, Number(r.n));
    for (const c of corrections) if (dayOf(c.seconds) === day) bump(hours, hourOf(c.seconds), c.sign);
    dayCache.set(day, hours);
    return hours;
  };

  /** Durations (seconds) of the period's records in the given minutes, as they stand at the as-of time. */
  const exact = async (minutes: number[], dayFilter: { days: string[] } | { from: string; to: string }) => {
    const rows = await db
      .selectFrom("metric_record")
      .select(["ended_at", "accepted_at", "displayed_at"])
      .where(col.minute, "in", minutes)
      .$if("days" in dayFilter, (q) => q.where(col.day, "in", (dayFilter as { days: string[] }).days))
      .$if("from" in dayFilter, (q) => q.where(col.day, ">=", (dayFilter as { from: string }).from).where(col.day, "<", (dayFilter as { to: string }).to))
      .where(amongFacilities(ids))
      .where(col.event, "<=", s.asOf)
      .execute();
    return rows.map((r) => (kind === "send" ? r.accepted_at! - r.ended_at! : r.displayed_at! - r.accepted_at!));
  };

  const hourCache = new Map<number, { counts: Map<number, number>; dayValues: number[] }>();
  const inHour = async (hour: number) => {
    let cached = hourCache.get(hour);
    if (cached) return cached;
    const counts = new Map<number, number>();
    const inIt = range(hour * 60, 60);
    if (months.length) for (const r of await histogram("m", "m", months, inIt)) bump(counts, r.bucket, Number(r.n));
    for (const c of corrections) if (c.inMonths && hourOf(c.seconds) === hour) bump(counts, minuteOf(c.seconds), c.sign);
    const dayValues = days.length ? await exact(inIt, { days }) : [];
    for (const v of dayValues) bump(counts, minuteOf(v), 1);
    hourCache.set(hour, (cached = { counts, dayValues }));
    return cached;
  };
  /** The minute's durations per second of it; null when the histogram's seconds are incomplete (rows from before 0003). */
  const secondsOf = async (minute: number, total: number, dayValues: number[]) => {
    const counts = new Map<number, number>();
    if (months.length) {
      // The few rows (months × facilities × event months) added up here: sixty sums cost
      // PostgreSQL more to plan than the rows take to read.
      const rows = await db
        .selectFrom("metric_hours")
        .select([...SECOND_COLUMNS])
        .where("kind", "=", kind)
        .where("grain", "=", "m")
        .where("level", "=", "m")
        .where("slot", "in", months)
        .where("facility_id", "in", ids)
        .where("bucket", "=", minute)
        .where("event_month", "<", cut.month)
        .execute();
      for (const row of rows) SECOND_COLUMNS.forEach((c, s) => bump(counts, s, Number(row[c])));
    }
    for (const c of corrections) if (c.inMonths && minuteOf(c.seconds) === minute) bump(counts, c.seconds - minute * 60, c.sign);
    for (const v of dayValues) if (minuteOf(v) === minute) bump(counts, v - minute * 60, 1);
    let sum = 0;
    for (const n of counts.values()) sum += n;
    return sum === total ? counts : null;
  };
  const minuteCache = new Map<number, number[]>();
  const inMinute = async (minute: number, dayValues: number[]) => {
    let values = minuteCache.get(minute);
    if (values) return values;
    values = months.length ? await exact([minute], { from: `${months[0]}-01`, to: `${nextMonth(months.at(-1)!)}-01` }) : [];
    values.push(...dayValues.filter((v) => minuteOf(v) === minute));
    values.sort((a, b) => a - b);
    minuteCache.set(minute, values);
    return values;
  };
  const valueAt = async (rank: number) => {
    const d = locate(byDay, rank);
    const h = locate(await hoursIn(d.key), d.rank);
    const { counts, dayValues } = await inHour(h.key);
    const m = locate(counts, h.rank);
    const seconds = await secondsOf(m.key, counts.get(m.key)!, dayValues);
    if (seconds) return m.key * 60 + locate(seconds, m.rank).key;
    const values = await inMinute(m.key, dayValues);
    if (m.rank >= values.length) throw new Error("Roll-up histogram and records disagree: rebuild with `sskdt metrics --rebuild`.");
    return values[m.rank];
  };
  const at = async (p: number) => {
    const r = percentileRanks(n, p);
    const lo = await valueAt(r.lo);
    const hi = r.hi === r.lo ? lo : await valueAt(r.hi);
    return (lo + (hi - lo) * r.weight) / 3600;
  };
  return { median: await at(0.5), p90: await at(0.9) };
}
