// The demo ward's data as the files its officials would import, month by month, keyed by
// the CSV column names of FORMATS.md. Deterministic for a seed, and lazy: files are made
// one at a time, so ten million visits take no more memory than thirty thousand.
import { addDays, startOfLocalDay } from "~/domain/time";
import { dayWeight, elapsedIntervals, intervalsLength, openingIntervals, timelineOf, type Timeline } from "./calendar";
import { activityFiles } from "./activities";
import { onboardingEntries, populationFiles, type OnboardingEntry } from "./onboarding";
import { peopleOf, type People } from "./people";
import { DEMO_FACILITIES, type DemoFacility } from "./profile";
import { unitOf } from "./random";
import { facilityDay, type DayRecords, type VisitContext } from "./visits";

export type DemoKind = "visits_table" | "receipts" | "displays" | "onboarding" | "population" | "activities";

export interface DemoFile {
  kind: DemoKind;
  name: string;
  /** 'yyyy-MM' the file reports on. */
  month: string;
  rows: Array<Record<string, string>>;
}

export interface DemoOptions {
  seed: number;
  /** Visits over the pilot year (approximately: today's are cut at `now`). */
  visits: number;
  /** Epoch seconds; the last day of data is the local day of this instant. */
  now: number;
  /** Largest visit file; a facility-month with more visits comes in parts. */
  maxRowsPerFile?: number;
}

export interface DemoPlan {
  timeline: Timeline;
  people: People;
  /** Visits per facility (index of DEMO_FACILITIES) per day of the timeline. */
  visitsPerDay: number[][];
  totalVisits: number;
}

/**
 * Spreads the visits over facilities and days by weight (weekday, season, holidays, a
 * little noise; today only up to now). Rounding the running total keeps the sum exact.
 */
export function planDemo(opts: DemoOptions): DemoPlan {
  const timeline = timelineOf(opts.now);
  const weights = DEMO_FACILITIES.map((f) =>
    timeline.days.map((day) => {
      const open = intervalsLength(openingIntervals(f, day));
      const elapsed = intervalsLength(elapsedIntervals(f, day, opts.now));
      const noise = 0.85 + 0.3 * unitOf(opts.seed, "noise", f.code, day);
      return open === 0 ? 0 : f.share * dayWeight(f, day) * noise * (elapsed / open);
    }),
  );
  const total = weights.flat().reduce((s, w) => s + w, 0);
  let running = 0;
  let allotted = 0;
  const visitsPerDay = weights.map((days) =>
    days.map((w) => {
      running += w;
      const upTo = Math.round((opts.visits * running) / total);
      const count = upTo - allotted;
      allotted = upTo;
      return count;
    }),
  );
  return { timeline, people: peopleOf(opts.visits), visitsPerDay, totalVisits: allotted };
}

/** A weekday near the middle of the pilot, when the station's certificate had lapsed. */
function certificateLapseDay(t: Timeline): string {
  let day = t.days[Math.floor(t.days.length * 0.45)];
  while ([0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())) day = addDays(day, 1);
  return day;
}

/** About six visits of the last three days still open, or 3 % of them in a big demo. */
function unclosedChance(plan: DemoPlan): number {
  const recent = plan.visitsPerDay.reduce((sum, days) => sum + days.slice(-3).reduce((a, b) => a + b, 0), 0);
  return Math.min(0.5, Math.max(0.03, 6 / Math.max(1, recent)));
}

function* facilityMonthFiles(
  ctx: VisitContext, plan: DemoPlan, facilityIndex: number, facility: DemoFacility, month: string, maxRows: number,
): Generator<DemoFile> {
  let buffer: DayRecords = { visits: [], receipts: [], displays: [] };
  let part = 0;
  function* flush(): Generator<DemoFile> {
    part++;
    const suffix = part > 1 || buffer.visits.length >= maxRows ? `-phan-${part}` : "";
    yield { kind: "visits_table", name: `luot-kcb-${facility.code}-${month}${suffix}.csv`, month, rows: buffer.visits };
    if (buffer.receipts.length) yield { kind: "receipts", name: `ket-qua-gui-cong-${facility.code}-${month}${suffix}.csv`, month, rows: buffer.receipts };
    if (buffer.displays.length) yield { kind: "displays", name: `xac-nhan-hien-thi-${facility.code}-${month}${suffix}.csv`, month, rows: buffer.displays };
    buffer = { visits: [], receipts: [], displays: [] };
  }
  for (let dayIndex = 0; dayIndex < plan.timeline.days.length; dayIndex++) {
    if (!plan.timeline.days[dayIndex].startsWith(month)) continue;
    const day = facilityDay(ctx, facilityIndex, facility, dayIndex, plan.visitsPerDay[facilityIndex][dayIndex]);
    buffer.visits.push(...day.visits);
    buffer.receipts.push(...day.receipts);
    buffer.displays.push(...day.displays);
    if (buffer.visits.length >= maxRows) yield* flush();
  }
  if (buffer.visits.length) yield* flush();
}

function* onboardingFiles(entries: OnboardingEntry[], month: string): Generator<DemoFile> {
  const ofMonth = entries.filter((e) => e.month === month);
  const file = (name: string, list: OnboardingEntry[]): DemoFile[] =>
    list.length ? [{ kind: "onboarding", name, month, rows: list.map((e) => e.row) }] : [];
  yield* file(`ho-tro-cong-an-${month}.csv`, ofMonth.filter((e) => e.unit === "cong_an"));
  yield* file(`ho-tro-tram-y-te-${month}.csv`, ofMonth.filter((e) => e.unit === "tram_y_te"));
  const blocks = [...new Set(ofMonth.filter((e) => e.unit === "ban_can_su_khoi").map((e) => e.block))].sort((a, b) => a - b);
  for (const block of blocks) {
    yield* file(`ho-tro-khoi-${block}-${month}.csv`, ofMonth.filter((e) => e.unit === "ban_can_su_khoi" && e.block === block));
  }
}

/** Every file of the demo, in the order the ward would have imported them. */
export function* demoFiles(opts: DemoOptions, plan: DemoPlan = planDemo(opts)): Generator<DemoFile> {
  const { timeline, people } = plan;
  const maxRows = opts.maxRowsPerFile ?? 50_000;
  const ctx: VisitContext = {
    seed: opts.seed,
    timeline,
    people,
    certificateLapseDay: certificateLapseDay(timeline),
    displayCutoff: startOfLocalDay(timeline.today),
    unclosedChance: unclosedChance(plan),
  };
  const population = populationFiles(opts.seed, timeline);
  const onboarding = onboardingEntries(opts.seed, timeline, people);
  yield { kind: "population", name: `dan-so-trong-dien-${timeline.startDay}.csv`, month: timeline.months[0], rows: population.initial };
  for (let monthIndex = 0; monthIndex < timeline.months.length; monthIndex++) {
    const month = timeline.months[monthIndex];
    if (population.revisionDay.startsWith(month) && monthIndex > 0) {
      yield { kind: "population", name: `dan-so-trong-dien-${population.revisionDay}.csv`, month, rows: population.revised };
    }
    for (let f = 0; f < DEMO_FACILITIES.length; f++) {
      yield* facilityMonthFiles(ctx, plan, f, DEMO_FACILITIES[f], month, maxRows);
    }
    yield* onboardingFiles(onboarding, month);
    for (const file of activityFiles(opts.seed, timeline, monthIndex)) {
      const who = file.block === null ? "phuong" : `khoi-${file.block}`;
      yield { kind: "activities", name: `hoat-dong-tuyen-truyen-${who}-${month}.csv`, month, rows: file.rows };
    }
  }
}
