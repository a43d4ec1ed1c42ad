// Reporting periods (METRICS.md): half-open ranges of local days [from, toExclusive).
import { addDays, daysInMonth, isValidDay, localDayOf, makeDay, splitDay, startOfLocalDay } from "./time";

export type PeriodKind = "day" | "week" | "month" | "quarter" | "half" | "year" | "range";

/** The buckets a trend is drawn in. */
export type TrendBy = "week" | "month";

export interface Period {
  kind: PeriodKind;
  /** The canonical string: '2026', '2026-H1', '2026-Q3', '2026-03', '2026-W05', '2026-03-15', 'a..b'. */
  key: string;
  from: string; // first day, inclusive
  toExclusive: string; // first day after the period
}

export class PeriodError extends Error {}

/** The last day of the period, as METRICS.md's JSON writes `to`. */
export const lastDay = (p: Period) => addDays(p.toExclusive, -1);

export function parsePeriod(input: string): Period {
  const s = input.trim();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(s))) {
    const y = Number(m[1]);
    return { kind: "year", key: s, from: makeDay(y, 1, 1), toExclusive: makeDay(y + 1, 1, 1) };
  }
  if ((m = /^(\d{4})-H([12])$/i.exec(s))) {
    const y = Number(m[1]);
    const h = Number(m[2]);
    return {
      kind: "half", key: `${y}-H${h}`,
      from: makeDay(y, h === 1 ? 1 : 7, 1),
      toExclusive: h === 1 ? makeDay(y, 7, 1) : makeDay(y + 1, 1, 1),
    };
  }
  if ((m = /^(\d{4})-Q([1-4])$/i.exec(s))) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    return {
      kind: "quarter", key: `${y}-Q${q}`,
      from: makeDay(y, 3 * q - 2, 1),
      toExclusive: q === 4 ? makeDay(y + 1, 1, 1) : makeDay(y, 3 * q + 1, 1),
    };
  }
  if ((m = /^(\d{4})-W(\d{2})$/i.exec(s))) {
    const y = Number(m[1]);
    const w = Number(m[2]);
    if (w < 1 || w > isoWeeksInYear(y)) throw new PeriodError(`Tuần không hợp lệ: ${s}`);
    const from = addDays(isoWeekOneMonday(y), (w - 1) * 7);
    return { kind: "week", key: `${y}-W${String(w).padStart(2, "0")}`, from, toExclusive: addDays(from, 7) };
  }
  if ((m = /^(\d{4})-(\d{2})$/.exec(s))) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) throw new PeriodError(`Tháng không hợp lệ: ${s}`);
    return { kind: "month", key: s, from: makeDay(y, mo, 1), toExclusive: mo === 12 ? makeDay(y + 1, 1, 1) : makeDay(y, mo + 1, 1) };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    if (!isValidDay(s)) throw new PeriodError(`Ngày không hợp lệ: ${s}`);
    return { kind: "day", key: s, from: s, toExclusive: addDays(s, 1) };
  }
  if ((m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(s))) {
    const [a, b] = [m[1], m[2]];
    if (!isValidDay(a) || !isValidDay(b)) throw new PeriodError(`Ngày không hợp lệ: ${s}`);
    if (b < a) throw new PeriodError(`Ngày kết thúc trước ngày bắt đầu: ${s}`);
    return { kind: "range", key: `${a}..${b}`, from: a, toExclusive: addDays(b, 1) };
  }
  throw new PeriodError(
    `Kỳ không hợp lệ: "${s}". Dùng 2026, 2026-H1, 2026-Q3, 2026-03, 2026-W05, 2026-03-15 hoặc 2026-01-01..2026-03-31.`,
  );
}

/** Relative periods for the picker, resolved against today's local day. */
export const RELATIVE_PERIODS = ["this-month", "last-month", "this-quarter", "last-quarter", "year-to-date", "this-year"] as const;
export type RelativePeriod = (typeof RELATIVE_PERIODS)[number];

export function resolvePeriod(input: string, nowEpoch: number): Period {
  const today = localDayOf(nowEpoch);
  const [y, m] = splitDay(today);
  const q = Math.ceil(m / 3);
  switch (input as RelativePeriod) {
    case "this-month":
      return parsePeriod(`${y}-${String(m).padStart(2, "0")}`);
    case "last-month":
      return m === 1 ? parsePeriod(`${y - 1}-12`) : parsePeriod(`${y}-${String(m - 1).padStart(2, "0")}`);
    case "this-quarter":
      return parsePeriod(`${y}-Q${q}`);
    case "last-quarter":
      return q === 1 ? parsePeriod(`${y - 1}-Q4`) : parsePeriod(`${y}-Q${q - 1}`);
    case "year-to-date":
      return parsePeriod(`${makeDay(y, 1, 1)}..${today}`);
    case "this-year":
      return parsePeriod(String(y));
    default:
      return parsePeriod(input);
  }
}

/** "As of" = the end of the period, or now if the period is not over (METRICS.md). */
export function defaultAsOf(period: Period, nowEpoch: number): number {
  return Math.min(nowEpoch, startOfLocalDay(period.toExclusive));
}

/** The period of the same kind just before this one (for "change since last period"). */
export function previousPeriod(p: Period): Period {
  const [y, m] = splitDay(p.from);
  switch (p.kind) {
    case "year":
      return parsePeriod(String(y - 1));
    case "half":
      return parsePeriod(m === 1 ? `${y - 1}-H2` : `${y}-H1`);
    case "quarter": {
      const q = Math.ceil(m / 3);
      return parsePeriod(q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`);
    }
    case "month":
      return parsePeriod(m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`);
    case "week": {
      const from = addDays(p.from, -7);
      return { kind: "week", key: isoWeekKey(from), from, toExclusive: p.from };
    }
    case "day":
      return parsePeriod(addDays(p.from, -1));
    case "range": {
      const length = dayCount(p);
      return parsePeriod(`${addDays(p.from, -length)}..${addDays(p.from, -1)}`);
    }
  }
}

export function dayCount(p: Period): number {
  return Math.round((startOfLocalDay(p.toExclusive) - startOfLocalDay(p.from)) / 86400);
}

function isoWeekOneMonday(year: number): string {
  // ISO week 1 is the week with the year's first Thursday; 4 January is always in it.
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const dow = (jan4.getUTCDay() + 6) % 7; // Monday = 0
  return addDays(makeDay(year, 1, 4), -dow);
}

function isoWeeksInYear(year: number): number {
  const days = Math.round((startOfLocalDay(isoWeekOneMonday(year + 1)) - startOfLocalDay(isoWeekOneMonday(year))) / 86400);
  return days / 7;
}

export function isoWeekKey(day: string): string {
  const [y] = splitDay(day);
  for (const year of [y + 1, y, y - 1]) {
    const monday = isoWeekOneMonday(year);
    if (day >= monday) {
      const week = Math.floor((startOfLocalDay(day) - startOfLocalDay(monday)) / 86400 / 7) + 1;
      return `${year}-W${String(week).padStart(2, "0")}`;
    }
  }
  throw new Error("unreachable");
}

const ROMAN = ["I", "II", "III", "IV"];

/** The period as a ward official writes it: "Tháng 3/2026", "Quý I/2026", … */
export function periodLabel(p: Period): string {
  const [y, m, d] = splitDay(p.from);
  switch (p.kind) {
    case "year":
      return `Năm ${y}`;
    case "half":
      return m === 1 ? `6 tháng đầu năm ${y}` : `6 tháng cuối năm ${y}`;
    case "quarter":
      return `Quý ${ROMAN[Math.ceil(m / 3) - 1]}/${y}`;
    case "month":
      return `Tháng ${m}/${y}`;
    case "week":
      return `Tuần ${p.key.slice(6)}/${p.key.slice(0, 4)} (${viDay(p.from)} – ${viDay(lastDay(p))})`;
    case "day":
      return `Ngày ${String(d).padStart(2, "0")}/${String(m).padStart(2, "0")}/${y}`;
    case "range":
      return `Từ ${viDay(p.from)} đến ${viDay(lastDay(p))}`;
  }
}

function viDay(day: string): string {
  const [y, m, d] = splitDay(day);
  return `${String(d).padStart(2, "0")}/${String(m).padStart(2, "0")}/${y}`;
}

/** The months a period covers, as 'yyyy-MM' (for trend charts). */
export function monthsOf(p: Period): string[] {
  const out: string[] = [];
  let [y, m] = splitDay(p.from);
  const last = lastDay(p);
  while (makeDay(y, m, 1) <= last) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    m === 12 ? ((y += 1), (m = 1)) : (m += 1);
  }
  return out;
}

export { daysInMonth };
