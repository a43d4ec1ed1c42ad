// The as-of time against the roll-ups. Span rows give each record's I2/I3 state just before
// a day start, histogram rows its durations just before a month start (the "cut"); the
// records whose state may change between the cut and the as-of time are classified at
// both in SQL, with the classifier, and counted (stateChanges; the durations:
// rollup-hours.server.ts). The spans' cut is the start of the as-of day when the as-of
// time is one (a period's end), else the next day start ("now": nothing happened after
// it), so at most a day's events are counted again. Of the two month starts around the
// as-of time, the histograms' cut is the one with fewer events in between.
import { sql } from "kysely";
import type { DB } from "../db.server";
import { displayStateSql, rejectedCodeSql, sendingStateSql, type SendingState } from "~/domain/classify";
import { addDays, localDayOf, startOfLocalDay } from "~/domain/time";
import { amongFacilities } from "./scope.server";

/** A cut: the instant the roll-ups give states just before, and the events between it and the as-of time. */
interface Cut {
  /** The cut's instant: rows give the state at at − 1. */
  at: number;
  /** Events in [lo, hi] are on the other side of the as-of time from the cut. */
  lo: number;
  hi: number;
}

/** The spans' cut: rows count with from_day < day ≤ until_day. */
export interface DayCut extends Cut {
  day: string;
}

/** The histograms' cut: rows count with event_month < month. */
export interface MonthCut extends Cut {
  month: string;
}

export function dayCut(asOf: number): DayCut {
  const day = localDayOf(asOf);
  const start = startOfLocalDay(day);
  if (asOf === start) return { day, at: start, lo: start, hi: asOf };
  const next = addDays(day, 1);
  const end = startOfLocalDay(next);
  return { day: next, at: end, lo: asOf + 1, hi: end - 1 };
}

const FEW = 200; // corrections cheap enough not to look at the other side

export function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

/** Receipts and display confirmations in [lo, hi], counted up to `cap` of each. */
async function eventsBetween(db: DB, lo: number, hi: number, cap: number): Promise<number> {
  if (lo > hi) return 0;
  const receipts = db.selectFrom("gateway_receipt").select("id").where("received_at", ">=", lo).where("received_at", "<=", hi).limit(cap);
  const displays = db.selectFrom("metric_record").select("facility_id").where("displayed_at", ">=", lo).where("displayed_at", "<=", hi).limit(cap);
  const [a, b] = await Promise.all([
    db.selectFrom(receipts.as("r")).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    db.selectFrom(displays.as("d")).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return Number(a.n) + Number(b.n);
}

export async function monthCut(db: DB, asOf: number): Promise<MonthCut> {
  const month = localDayOf(asOf).slice(0, 7);
  const start = startOfLocalDay(`${month}-01`);
  const following = nextMonth(month);
  const end = startOfLocalDay(`${following}-01`);
  const atStart: MonthCut = { month, at: start, lo: start, hi: asOf };
  const atEnd: MonthCut = { month: following, at: end, lo: asOf + 1, hi: end - 1 };
  // Usually one side is empty: a period's end is a month start, "now" has no events after it.
  const first = asOf === start ? atStart : atEnd;
  const second = first === atStart ? atEnd : atStart;
  const cost = await eventsBetween(db, first.lo, first.hi, 50_000);
  if (cost <= FEW) return first;
  return (await eventsBetween(db, second.lo, second.hi, cost)) < cost ? second : first;
}

/** The roll-ups' I3 state of the row aliased `alias` at t: on time, late, not yet displayed, or none. */
const displaySpanStateSql = (alias: string, t: number) =>
  sql<"onTime" | "late" | "undisplayed" | null>`case ${displayStateSql(alias, t)} when 'onTime' then 'onTime' when 'late' then 'late'
    when 'pending' then 'undisplayed' when 'overdue' then 'undisplayed' else null end`;

/** Records of one state change, counted: the I2 state (and code) and I3 state before the cut (`…_before`) and at the as-of time. */
export interface StateChange {
  facility_id: number;
  end_day: string | null;
  accepted_day: string | null;
  sending_before: SendingState | null;
  code_before: string;
  sending_now: SendingState | null;
  code_now: string;
  display_before: "onTime" | "late" | "undisplayed" | null;
  display_now: "onTime" | "late" | "undisplayed" | null;
  n: number;
}

/**
 * The records of the given facilities, visits ended or accepted in [from, toExclusive), whose
 * I2 state, rejected code or I3 state may differ between the spans' cut (dayCut) and the as-of time,
 * classified at both and counted (`i2`/`i3`: the indicators the caller reads). A span's
 * state changes only at a record's first accepted receipt, its display confirmation or a
 * rejected receipt, so the records are those with one of these in [lo, hi]: three
 * disjoint sets, each read from its own index. (Pending turning overdue needs no event:
 * the spans hold both as undisplayed, and the caller counts the pending records apart.)
 */
export async function stateChanges(
  db: DB, facilityIds: number[], asOf: number, from: string, toExclusive: string, wanted: { i2: boolean; i3: boolean },
): Promise<StateChange[]> {
  const cut = dayCut(asOf);
  // Usually nothing happened in between ("now", a day start): two cheap counts spare the classifying queries.
  if (facilityIds.length === 0 || (await eventsBetween(db, cut.lo, cut.hi, 1)) === 0) return [];
  const before = cut.at - 1;
  const counted = () =>
    db
      .selectFrom("metric_record as r")
      .select((eb) => [
        "r.facility_id",
        "r.end_day",
        "r.accepted_day",
        sendingStateSql("r", before).as("sending_before"),
        rejectedCodeSql("r", before).as("code_before"),
        sendingStateSql("r", asOf).as("sending_now"),
        rejectedCodeSql("r", asOf).as("code_now"),
        displaySpanStateSql("r", before).as("display_before"),
        displaySpanStateSql("r", asOf).as("display_now"),
        eb.fn.countAll<number>().as("n"),
      ])
      .where(amongFacilities(facilityIds))
      .where((eb) =>
        eb.or([
          eb.and([eb("r.end_day", ">=", from), eb("r.end_day", "<", toExclusive)]),
          eb.and([eb("r.accepted_day", ">=", from), eb("r.accepted_day", "<", toExclusive)]),
        ]),
      )
      // By the select's aliases (repeating the expressions would bind their times again, which
      // PostgreSQL refuses): no alias may be a column of metric_record, or it would group by that.
      .groupBy(["r.facility_id", "r.end_day", "r.accepted_day", "sending_before", "code_before", "sending_now", "code_now", "display_before", "display_now"]);
  const none = Promise.resolve([]);
  const [accepted, displayed, rejected] = await Promise.all([
    // Accepted in [lo, hi]: I2 becomes (or stops being) sent, I3 begins (or not yet).
    counted().where("r.accepted_at", ">=", cut.lo).where("r.accepted_at", "<=", cut.hi).execute(),
    // Displayed in [lo, hi], accepted before: I3 only (a display is never before the acceptance).
    !wanted.i3 ? none : counted().where("r.displayed_at", ">=", cut.lo).where("r.displayed_at", "<=", cut.hi).where("r.accepted_at", "<", cut.lo).execute(),
    // A rejected receipt in [lo, hi], not accepted by hi: I2's state or code only.
    !wanted.i2 ? none : counted()
      .where((eb) =>
        eb(
          eb.refTuple("r.facility_id", "r.ma_lk"),
          "in",
          eb
            .selectFrom("gateway_receipt")
            .select(["facility_id", "ma_lk"])
            .where("received_at", ">=", cut.lo)
            .where("received_at", "<=", cut.hi)
            .where("accepted", "=", 0)
            .$asTuple("facility_id", "ma_lk"),
        ),
      )
      .where((eb) => eb.or([eb("r.accepted_at", "is", null), eb("r.accepted_at", ">", cut.hi)]))
      .execute(),
  ]);
  return [...accepted, ...displayed, ...rejected] as StateChange[];
}
