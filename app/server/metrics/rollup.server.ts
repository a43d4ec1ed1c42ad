// The roll-up engine: the same figures as tests/reference/engine.ts, read from the tables
// derived.server.ts maintains. Costs grow with the number of days and facilities in a
// period, not with its visits; the as-of time is handled by cut.server.ts.
// What is not read from aggregates: distinct patients over a period that is not whole
// months (counted over metric_record's check-in index), and the records whose state
// changed between the cut and the as-of time (counted with the classifier's SQL form).
import type { DB } from "../db.server";
import { addDays, DAY_SECONDS, localDayOf, startOfLocalDay } from "~/domain/time";
import type { I1Figures, I2Figures, I3Figures, MethodCode, OnboardingSteps } from "~/domain/metrics-types";
import type { Period } from "~/domain/periods";
import { dayCut, monthCut, stateChanges } from "./cut.server";
import { hoursPercentiles } from "./rollup-hours.server";
import { overdueList, workListPage } from "./rollup-lists.server";
import { rollupResidentCounts, rollupNewCompletions } from "./rollup-residents.server";
import { displayStateSql } from "~/domain/classify";
import { emptyByMethod, rankCodes, rate, type OnboardingRow } from "./rules";
import { amongFacilities, facilityIds, wardFacilityIds, type Scope } from "./scope.server";
import type { FacilityCounts, MetricsSource, PageRequest, TrendCounts, VisitFigures } from "./source";

export interface Tally {
  total: number;
  identified: number;
  byMethod: Record<MethodCode, number>;
  sent: number;
  rejected: number;
  notSent: number;
  codes: Map<string, number>;
  undisplayed: number; // pending + overdue
  pending: number;
  onTime: number;
  late: number;
}

const newTally = (): Tally => ({
  total: 0, identified: 0, byMethod: emptyByMethod(),
  sent: 0, rejected: 0, notSent: 0, codes: new Map(), undisplayed: 0, pending: 0, onTime: 0, late: 0,
});

/** How figures are split: one total, per facility id, or per bucket of days. */
export type Grouping = { by: "none" } | { by: "facility" } | { by: "day"; bucketOf: (day: string) => string | null };

function keyer(g: Grouping): (facilityId: number, day: string) => string | null {
  if (g.by === "none") return () => "";
  if (g.by === "facility") return (facilityId) => String(facilityId);
  return (_f, day) => g.bucketOf(day);
}

type Part = "i1" | "i2" | "i3";
const ALL_PARTS: ReadonlySet<Part> = new Set(["i1", "i2", "i3"]);

/**
 * I1–I3 counts (those in `parts`) from the roll-ups, corrected to the exact as-of time, split
 * by `g`. `adjustments`: the pending counts and corrections (adjustmentsOf) when the caller
 * splits the same scope more than one way.
 */
async function tallies(
  db: DB, s: Scope, g: Grouping, ids = facilityIds(s), parts = ALL_PARTS, adjustments?: Adjustment[],
): Promise<Map<string, Tally>> {
  const out = new Map<string, Tally>();
  const keyOf = keyer(g);
  const tally = (facilityId: number, day: string) => {
    const k = keyOf(facilityId, day);
    if (k === null) return null;
    let t = out.get(k);
    if (!t) out.set(k, (t = newTally()));
    return t;
  };
  if (ids.length === 0) return out;
  const cut = dayCut(s.asOf);
  const byFacility = g.by === "facility";
  const byDay = g.by === "day";

  const checkins = !parts.has("i1") ? [] : await db
    .selectFrom("metric_checkin_day")
    .select((eb) => ["method", "identified", eb.fn.sum<number>("n").as("n")])
    .where("facility_id", "in", ids)
    .where("day", ">=", s.period.from)
    .where("day", "<", s.period.toExclusive)
    .groupBy(["method", "identified"])
    .$if(byFacility, (q) => q.select("facility_id").groupBy("facility_id"))
    .$if(byDay, (q) => q.select("day").groupBy("day"))
    .execute();
  for (const r of checkins as Array<{ method: string; identified: number; n: number; facility_id?: number; day?: string }>) {
    const t = tally(r.facility_id ?? 0, r.day ?? "");
    if (!t) continue;
    const n = Number(r.n);
    t.total += n;
    if (r.identified) t.identified += n;
    t.byMethod[r.method as MethodCode] = (t.byMethod[r.method as MethodCode] ?? 0) + n;
  }

  const sending = !parts.has("i2") ? [] : await db
    .selectFrom("metric_sending_span")
    .select((eb) => ["state", "code", eb.fn.sum<number>("n").as("n")])
    .where("end_day", ">=", s.period.from)
    .where("end_day", "<", s.period.toExclusive)
    .where("facility_id", "in", ids)
    .where("from_day", "<", cut.day)
    .where("until_day", ">=", cut.day)
    .groupBy(["state", "code"])
    .$if(byFacility, (q) => q.select("facility_id").groupBy("facility_id"))
    .$if(byDay, (q) => q.select("end_day as day").groupBy("end_day"))
    .execute();
  for (const r of sending as Array<{ state: string; code: string; n: number; facility_id?: number; day?: string }>) {
    const t = tally(r.facility_id ?? 0, r.day ?? "");
    if (t) addSending(t, r.state, r.code, Number(r.n));
  }

  const display = !parts.has("i3") ? [] : await db
    .selectFrom("metric_display_span")
    .select((eb) => ["state", eb.fn.sum<number>("n").as("n")])
    .where("accepted_day", ">=", s.period.from)
    .where("accepted_day", "<", s.period.toExclusive)
    .where("facility_id", "in", ids)
    .where("from_day", "<", cut.day)
    .where("until_day", ">=", cut.day)
    .groupBy("state")
    .$if(byFacility, (q) => q.select("facility_id").groupBy("facility_id"))
    .$if(byDay, (q) => q.select("accepted_day as day").groupBy("accepted_day"))
    .execute();
  for (const r of display as Array<{ state: string; n: number; facility_id?: number; day?: string }>) {
    const t = tally(r.facility_id ?? 0, r.day ?? "");
    if (t) addDisplay(t, r.state, Number(r.n));
  }

  for (const a of adjustments ?? (await adjustmentsOf(db, s, ids, parts, byFacility))) {
    if (!parts.has(a.part)) continue;
    const t = tally(a.facilityId, a.day);
    if (t) a.apply(t);
  }
  return out;
}

/** A count added to the tally of a facility and day after the roll-up rows. */
interface Adjustment {
  facilityId: number;
  day: string;
  part: Part;
  apply: (t: Tally) => void;
}

/**
 * What the roll-up rows do not give: records pending at the as-of time (accepted less than
 * 24 h before it, not displayed), per local day (and facility, with `byFacility`), and the
 * records whose state changed between the cut and the as-of time.
 */
async function adjustmentsOf(db: DB, s: Scope, ids: number[], parts: ReadonlySet<Part>, byFacility: boolean): Promise<Adjustment[]> {
  const out: Adjustment[] = [];
  if (ids.length === 0) return out;
  // Exactly 24 h elapsed without display is pending; more is overdue. At most two local
  // days, counted one by one so the index alone answers (no accepted_day read per record).
  if (parts.has("i3")) {
    for (let from = Math.max(s.start, s.asOf - DAY_SECONDS), last = Math.min(s.end - 1, s.asOf); from <= last; ) {
      const day = localDayOf(from);
      const to = Math.min(last, startOfLocalDay(addDays(day, 1)) - 1);
      const pending = await db
        .selectFrom("metric_record as r")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("accepted_at", ">=", from)
        .where("accepted_at", "<=", to)
        .where(amongFacilities(ids))
        .where(displayStateSql("r", s.asOf), "=", "pending")
        .$if(byFacility, (q) => q.select("facility_id").groupBy("facility_id"))
        .execute();
      for (const r of pending as Array<{ n: number; facility_id?: number }>) {
        const n = Number(r.n);
        out.push({ facilityId: r.facility_id ?? 0, day, part: "i3", apply: (t) => (t.pending += n) });
      }
      from = to + 1;
    }
  }

  const inPeriod = (day: string | null): day is string => day !== null && day >= s.period.from && day < s.period.toExclusive;
  for (const c of await stateChanges(db, ids, s.asOf, s.period.from, s.period.toExclusive, { i2: parts.has("i2"), i3: parts.has("i3") })) {
    const n = Number(c.n);
    if (parts.has("i2") && inPeriod(c.end_day) && (c.sending_before !== c.sending_now || c.code_before !== c.code_now)) {
      out.push({
        facilityId: c.facility_id, day: c.end_day, part: "i2",
        apply: (t) => {
          if (c.sending_before) addSending(t, c.sending_before, c.code_before, -n);
          if (c.sending_now) addSending(t, c.sending_now, c.code_now, +n);
        },
      });
    }
    if (parts.has("i3") && inPeriod(c.accepted_day) && c.display_before !== c.display_now) {
      out.push({
        facilityId: c.facility_id, day: c.accepted_day, part: "i3",
        apply: (t) => {
          if (c.display_before) addDisplay(t, c.display_before, -n);
          if (c.display_now) addDisplay(t, c.display_now, +n);
        },
      });
    }
  }
  return out;
}

/** Tallies added together (a split's parts give the whole). */
function sumTallies(parts: Iterable<Tally>): Tally {
  const sum = newTally();
  for (const t of parts) {
    sum.total += t.total;
    sum.identified += t.identified;
    for (const [method, n] of Object.entries(t.byMethod)) sum.byMethod[method as MethodCode] = (sum.byMethod[method as MethodCode] ?? 0) + n;
    sum.sent += t.sent;
    sum.rejected += t.rejected;
    sum.notSent += t.notSent;
    for (const [code, n] of t.codes) sum.codes.set(code, (sum.codes.get(code) ?? 0) + n);
    sum.undisplayed += t.undisplayed;
    sum.pending += t.pending;
    sum.onTime += t.onTime;
    sum.late += t.late;
  }
  return sum;
}

function addSending(t: Tally, state: string, code: string, n: number) {
  if (state === "sent") t.sent += n;
  else if (state === "notSent") t.notSent += n;
  else {
    t.rejected += n;
    t.codes.set(code, (t.codes.get(code) ?? 0) + n);
  }
}

function addDisplay(t: Tally, state: string, n: number) {
  if (state === "onTime") t.onTime += n;
  else if (state === "late") t.late += n;
  else t.undisplayed += n;
}

const ONLY_I3: ReadonlySet<Part> = new Set(["i3"]);

const overdueOf = (t: Tally) => t.undisplayed - t.pending;
const ended = (t: Tally) => t.sent + t.rejected + t.notSent;

const i1Counts = (t: Tally) => ({ total: t.total, identified: t.identified, rate: rate(t.identified, t.total) });
const i2Counts = (t: Tally) => ({ ended: ended(t), sent: t.sent, rejected: t.rejected, notSent: t.notSent, rate: rate(t.sent, ended(t)) });
const i3Counts = (t: Tally) => {
  const overdue = overdueOf(t);
  return { onTime: t.onTime, late: t.late, overdue, pending: t.pending, rate: rate(t.onTime, t.onTime + t.late + overdue) };
};

/** Distinct identified patients: whole months from the month links, other ranges by index. */
async function distinctPatients(db: DB, s: Scope): Promise<number> {
  const ids = facilityIds(s);
  if (ids.length === 0) return 0;
  const { from, toExclusive } = s.period;
  if (from.endsWith("-01") && toExclusive.endsWith("-01")) {
    const first = from.slice(0, 7);
    const row = await db
      .selectFrom("metric_patient_link")
      .select((eb) => eb.fn.sum<number | null>("n").as("n"))
      .where("ward_id", "=", s.wardId)
      .where("facility_id", "=", s.facilityCode === null ? 0 : ids[0])
      .where("month", ">=", first)
      .where("month", "<", toExclusive.slice(0, 7))
      .where("previous_month", "<", first)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
  const row = await db
    .selectFrom("metric_record")
    .select((eb) => eb.fn.count<number>("patient_key").distinct().as("n"))
    .where("checkin_day", ">=", from)
    .where("checkin_day", "<", toExclusive)
    .where(amongFacilities(ids))
    .where("patient_key", "is not", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** I1–I3 of the scope from its tally: what the tally holds, plus distinct patients and percentiles. */
async function visitFiguresOf(db: DB, s: Scope, t: Tally): Promise<VisitFigures> {
  const cut = await monthCut(db, s.asOf); // the histograms' cut
  const i1: I1Figures = { ...i1Counts(t), distinctPatients: await distinctPatients(db, s), byMethod: t.byMethod };
  const i2: I2Figures = { ...i2Counts(t), rejectCodes: rankCodes(t.codes), hoursToSend: await hoursPercentiles(db, s, cut, "send") };
  const i3: I3Figures = { ...i3Counts(t), hoursToDisplay: await hoursPercentiles(db, s, cut, "display") };
  return { i1, i2, i3 };
}

const bucketKeyer = (buckets: Period[]) => (day: string) => {
  for (const b of buckets) if (day >= b.from && day < b.toExclusive) return b.key;
  return null;
};

const trendOf = (counts: Map<string, Tally>, buckets: Period[], fresh: OnboardingSteps[]) =>
  buckets.map((b, i): TrendCounts => {
    const t = counts.get(b.key) ?? newTally();
    const { ended: e, sent, rate: r } = i2Counts(t);
    const { onTime, late, overdue, pending, rate: r3 } = i3Counts(t);
    return { i1: i1Counts(t), i2: { ended: e, sent, rate: r }, i3: { onTime, late, overdue, pending, rate: r3 }, i4: fresh[i] };
  });

const facilityCountsOf = (s: Scope, counts: Map<string, Tally>) => {
  const out = new Map<number, FacilityCounts>();
  for (const f of s.facilities) {
    const t = counts.get(String(f.id)) ?? newTally();
    out.set(f.id, { i1: i1Counts(t), i2: i2Counts(t), i3: i3Counts(t) });
  }
  return out;
};

/** The rates of I1–I3 alone (the dashboard's change since the previous period). */
export async function visitRates(db: DB, s: Scope): Promise<{ i1: { rate: number | null }; i2: { rate: number | null }; i3: { rate: number | null } }> {
  const t = (await tallies(db, s, { by: "none" })).get("") ?? newTally();
  return { i1: { rate: i1Counts(t).rate }, i2: { rate: i2Counts(t).rate }, i3: { rate: i3Counts(t).rate } };
}

/**
 * What one dashboard view asks of the visit roll-ups, each count read once: one cut, the
 * pending records and the changes since the cut counted once, the counts per facility (whose
 * sum is the total) and per trend bucket, the overdue list's first page.
 */
export async function pageVisitFigures(db: DB, s: Scope, buckets: Period[], overduePage: PageRequest, moved?: OnboardingRow[][]) {
  const ids = facilityIds(s);
  const adjustments = await adjustmentsOf(db, s, ids, ALL_PARTS, true);
  const byFacility = await tallies(db, s, { by: "facility" }, ids, ALL_PARTS, adjustments);
  const total = sumTallies(byFacility.values());
  const byBucket = await tallies(db, s, { by: "day", bucketOf: bucketKeyer(buckets) }, ids, ALL_PARTS, adjustments);
  return {
    visits: await visitFiguresOf(db, s, total),
    facilities: facilityCountsOf(s, byFacility),
    trend: trendOf(byBucket, buckets, await rollupNewCompletions(db, s, buckets, moved)),
    overdue: await overdueList(db, s, overduePage, overdueOf(total)),
  };
}

export const rollupSource: MetricsSource = {
  async visitFigures(db, s) {
    return visitFiguresOf(db, s, (await tallies(db, s, { by: "none" })).get("") ?? newTally());
  },
  async newlySent(db, s) {
    const ids = wardFacilityIds(s);
    const t = (await tallies(db, s, { by: "none" }, ids, ONLY_I3)).get("") ?? newTally();
    return t.undisplayed + t.onTime + t.late;
  },
  residentCounts: rollupResidentCounts,
  async trendCounts(db, s, buckets) {
    const counts = await tallies(db, s, { by: "day", bucketOf: bucketKeyer(buckets) });
    return trendOf(counts, buckets, await rollupNewCompletions(db, s, buckets));
  },
  async facilityCounts(db, s) {
    return facilityCountsOf(s, await tallies(db, s, { by: "facility" }));
  },
  async overdue(db, s, page) {
    const t = (await tallies(db, s, { by: "none" }, facilityIds(s), ONLY_I3)).get("") ?? newTally();
    return overdueList(db, s, page, overdueOf(t));
  },
  async workList(db, s, page) {
    const t = (await tallies(db, s, { by: "none" }, facilityIds(s), new Set(["i2", "i3"]))).get("") ?? newTally();
    return workListPage(db, s, page, { notSent: t.notSent, rejected: t.rejected, overdue: overdueOf(t) });
  },
};

