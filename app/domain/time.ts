// Time in the ward's zone, Asia/Ho_Chi_Minh: UTC+7 all year (no daylight saving), so a
// fixed offset is exact and needs no time-zone database. Instants are UTC epoch seconds;
// local calendar days are 'yyyy-MM-dd' strings.

export const VN_OFFSET_SECONDS = 7 * 3600;
export const DAY_SECONDS = 86400;

const pad2 = (n: number) => String(n).padStart(2, "0");
const pad4 = (n: number) => String(n).padStart(4, "0");

export function isValidCalendarDate(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false;
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Epoch seconds of a local (UTC+7) wall-clock time. */
export function localToEpoch(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 - VN_OFFSET_SECONDS;
}

/** The local day 'yyyy-MM-dd' an instant falls on. */
export function localDayOf(epochSeconds: number): string {
  const t = new Date((epochSeconds + VN_OFFSET_SECONDS) * 1000);
  return `${pad4(t.getUTCFullYear())}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
}

/** Local wall-clock parts of an instant. */
export function localParts(epochSeconds: number) {
  const t = new Date((epochSeconds + VN_OFFSET_SECONDS) * 1000);
  return {
    year: t.getUTCFullYear(),
    month: t.getUTCMonth() + 1,
    day: t.getUTCDate(),
    hour: t.getUTCHours(),
    minute: t.getUTCMinutes(),
    second: t.getUTCSeconds(),
  };
}

/** The instant a local day starts (00:00 UTC+7). */
export function startOfLocalDay(day: string): number {
  const [y, m, d] = splitDay(day);
  return localToEpoch(y, m, d);
}

export function splitDay(day: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new Error(`Not a day: ${day}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function makeDay(y: number, m: number, d: number): string {
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
}

export function addDays(day: string, n: number): string {
  const [y, m, d] = splitDay(day);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return makeDay(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export function isValidDay(day: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return !!m && isValidCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** ISO 8601 with the ward's offset: 2026-04-02T08:00:00+07:00 */
export function toIsoLocal(epochSeconds: number): string {
  const p = localParts(epochSeconds);
  return `${makeDay(p.year, p.month, p.day)}T${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}+07:00`;
}

export type ParsedDate = { epoch: number; hasTime: boolean };

/**
 * Parses every date form FORMATS.md accepts. Strings without a zone are local time.
 * A JS Date stands for an Excel date cell: Excel cells carry no zone, and exceljs
 * returns their wall-clock time in the Date's UTC fields.
 * Returns null for anything unparseable or impossible (31/02).
 */
export function parseSourceDate(value: unknown): ParsedDate | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    const hasTime = value.getUTCHours() + value.getUTCMinutes() + value.getUTCSeconds() > 0;
    return {
      epoch: localToEpoch(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate(),
        value.getUTCHours(), value.getUTCMinutes(), value.getUTCSeconds()),
      hasTime,
    };
  }
  if (typeof value !== "string") return null;
  const s = value.trim();
  if (!s) return null;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/.exec(s))) {
    return fromParts(+m[1], +m[2], +m[3], m[4], m[5], m[6]);
  }
  if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s))) {
    return fromParts(+m[3], +m[2], +m[1], m[4], m[5], m[6]);
  }
  if ((m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(s))) {
    const local = fromParts(+m[1], +m[2], +m[3], m[4], m[5], m[6]);
    if (!local || !m[7]) return local;
    if (!m[4]) return null; // a zone without a time is not ISO 8601
    const zone = m[7] === "Z" ? 0 : parseOffset(m[7]);
    if (zone === null) return null;
    return { epoch: local.epoch + VN_OFFSET_SECONDS - zone, hasTime: true };
  }
  return null;
}

function parseOffset(z: string): number | null {
  const m = /^([+-])(\d{2})(?::?(\d{2}))?$/.exec(z); // ±hh:mm, ±hhmm or ±hh (ISO 8601)
  if (!m) return null;
  const h = Number(m[2]);
  const mi = Number(m[3] ?? 0);
  if (h > 14 || mi > 59) return null;
  return (m[1] === "-" ? -1 : 1) * (h * 3600 + mi * 60);
}

function fromParts(y: number, mo: number, d: number, h?: string, mi?: string, s?: string): ParsedDate | null {
  if (!isValidCalendarDate(y, mo, d)) return null;
  const hh = h === undefined ? 0 : Number(h);
  const mm = mi === undefined ? 0 : Number(mi);
  const ss = s === undefined ? 0 : Number(s);
  if (hh > 23 || mm > 59 || ss > 59) return null;
  return { epoch: localToEpoch(y, mo, d, hh, mm, ss), hasTime: h !== undefined };
}

/** A date-only field (onboarding steps, activities, population): the local day it names. */
export function parseSourceDay(value: unknown): string | null {
  const parsed = parseSourceDate(value);
  return parsed ? localDayOf(parsed.epoch) : null;
}

/** Hours between two instants: (later − earlier) in minutes / 60 (METRICS.md). */
export function hoursBetween(earlier: number, later: number): number {
  return (later - earlier) / 60 / 60;
}
