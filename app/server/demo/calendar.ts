// The demo's calendar: the pilot year ending now, opening hours, holidays and seasons,
// so the visit curve has the weekly and yearly rhythm a health station knows.
import { addDays, localDayOf, localParts, makeDay, splitDay, startOfLocalDay } from "~/domain/time";
import type { DemoFacility } from "./profile";

export interface Timeline {
  now: number;
  /** The pilot's first day: the 1st of the month twelve months before this one. */
  startDay: string;
  today: string;
  days: string[];
  /** 'yyyy-MM' of every month from the start to this one. */
  months: string[];
}

export function timelineOf(now: number): Timeline {
  const today = localDayOf(now);
  const [y, m] = splitDay(today);
  const start = makeDay(y - 1, m, 1);
  const days: string[] = [];
  for (let d = start; d <= today; d = addDays(d, 1)) days.push(d);
  const months = [...new Set(days.map((d) => d.slice(0, 7)))];
  return { now, startDay: start, today, days, months };
}

/** How far into the pilot a day is: 0 on the first day, 1 today. */
export const progressOf = (t: Timeline, dayIndex: number) => (t.days.length > 1 ? dayIndex / (t.days.length - 1) : 1);

/** Lunar New Year's day (mùng 1 Tết). */
const TET = ["2024-02-10", "2025-01-29", "2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-03"];
/** Hùng Kings' Commemoration (10/3 âm lịch). */
const HUNG_KINGS = ["2024-04-18", "2025-04-07", "2026-04-26", "2027-04-16", "2028-04-04", "2029-04-23", "2030-04-12"];
const SOLAR_HOLIDAYS = ["01-01", "04-30", "05-01", "09-01", "09-02"];

function isHoliday(day: string): boolean {
  return SOLAR_HOLIDAYS.includes(day.slice(5)) || HUNG_KINGS.includes(day);
}

/** Days from the nearest Tết, or null when more than a week away. */
function daysFromTet(day: string): number | null {
  for (const tet of TET) {
    const diff = (startOfLocalDay(day) - startOfLocalDay(tet)) / 86400;
    if (Math.abs(diff) <= 7) return diff;
  }
  return null;
}

// Dengue and respiratory seasons on the south-central coast: busiest in the rainy months
// (September–December), quiet around Tết.
const SEASON = [1.05, 0.9, 1.0, 0.95, 0.95, 1.0, 1.05, 1.1, 1.15, 1.2, 1.15, 1.05];

const weekdayOf = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday

/** Relative busyness of a facility on a day (before random day-to-day noise). */
export function dayWeight(facility: DemoFacility, day: string): number {
  const month = Number(day.slice(5, 7));
  let w = SEASON[month - 1];
  const weekday = weekdayOf(day);
  if (facility.kind === "tram_y_te") {
    w *= weekday === 1 ? 1.3 : weekday === 6 ? 0.35 : weekday === 0 ? 0.08 : 1;
  } else {
    w *= weekday === 0 || weekday === 6 ? 1.35 : 1;
  }
  const tet = daysFromTet(day);
  if (tet !== null) {
    if (tet >= -1 && tet <= 4) w *= facility.kind === "tram_y_te" ? 0.06 : 0; // on duty only
    else if (tet < -1) w *= 1.25; // the rush for medicine before the holiday
    else w *= 0.8;
  } else if (isHoliday(day)) {
    w *= facility.kind === "tram_y_te" ? 0.1 : 0.5;
  }
  return w;
}

/** Opening hours as [from, to) minutes after local midnight. */
export function openingIntervals(facility: DemoFacility, day: string): Array<[number, number]> {
  const weekday = weekdayOf(day);
  if (facility.kind === "tram_y_te") {
    if (weekday === 0) return [[450, 660]];
    if (weekday === 6) return [[420, 690]];
    return [[420, 690], [810, 1020]];
  }
  // Private clinics open after hospital hours on weekdays, all day at weekends.
  if (weekday === 0 || weekday === 6) return [[420, 660], [900, 1230]];
  return [[1020, 1230]];
}

/** The opening hours of a day that have already passed at `now` (all of them before today). */
export function elapsedIntervals(facility: DemoFacility, day: string, now: number): Array<[number, number]> {
  const intervals = openingIntervals(facility, day);
  if (day !== localDayOf(now)) return intervals;
  const p = localParts(now);
  const minute = p.hour * 60 + p.minute;
  return intervals.filter(([from]) => from < minute).map(([from, to]) => [from, Math.min(to, minute)]);
}

export const intervalsLength = (intervals: Array<[number, number]>) => intervals.reduce((s, [a, b]) => s + (b - a), 0);
