// The one classifier of a record's states (METRICS.md I1–I3), defined once: the pure
// functions the roll-ups, lists and reports call, and beside each its SQL form over
// metric_record's columns, so that a query filtering or counting by a state classifies
// exactly as the function does. tests/metrics/classify.test.ts checks that the two agree,
// on SQLite and on PostgreSQL.
import { sql, type RawBuilder } from "kysely";
import type { MethodCode } from "./metrics-types";
import { DAY_SECONDS } from "./time";

// ---- I1: the counted method ------------------------------------------------------------

const METHODS: ReadonlySet<string> = new Set(["the_can_cuoc", "so_dinh_danh", "the_bhyt"]);

/** The method I1 counts: a visit with no valid identifier is `khong` whatever its column says. */
export function countedMethod(stored: string, identified: boolean): MethodCode {
  if (!identified) return "khong";
  return METHODS.has(stored) ? (stored as MethodCode) : "khong";
}

/** Distinct patient: the personal ID, else the insurance card (METRICS.md I1). */
export const patientKeyOf = (pidHash: string | null, cardHash: string | null) =>
  pidHash ? `P:${pidHash}` : cardHash ? `C:${cardHash}` : null;

// ---- I2 and I3: states at an as-of time ------------------------------------------------

/** The times a record's I2 and I3 states are read from: metric_record's columns. */
export interface RecordTimes {
  /** Visit end; null while the visit is open or was never imported. */
  ended_at: number | null;
  /** The record's earliest gateway receipt, accepted or not. */
  first_receipt_at: number | null;
  /** Its first accepted receipt. */
  accepted_at: number | null;
  /** Its earliest valid display confirmation (not earlier than the first accepted receipt). */
  displayed_at: number | null;
}

export type SendingState = "sent" | "rejected" | "notSent";

/**
 * I2's three-way split at time t: sent (an accepted receipt by t), rejected (receipts by t,
 * none accepted), not sent (no receipt by t). Null for a visit that has not ended, which
 * is in no population of I2.
 */
export function sendingStateAt(r: Pick<RecordTimes, "ended_at" | "first_receipt_at" | "accepted_at">, t: number): SendingState | null {
  if (r.ended_at === null) return null;
  if (r.accepted_at !== null && r.accepted_at <= t) return "sent";
  if (r.first_receipt_at !== null && r.first_receipt_at <= t) return "rejected";
  return "notSent";
}

export type DisplayState = "onTime" | "late" | "overdue" | "pending";

/**
 * I3's split at time t; null when the record is not (yet) in I3's population, i.e. has no
 * accepted receipt by t. Exactly 24 h is on time; exactly 24 h elapsed without display is
 * still pending. A display confirmation after t does not count at t.
 */
export function displayStateAt(r: Pick<RecordTimes, "accepted_at" | "displayed_at">, t: number): DisplayState | null {
  if (r.accepted_at === null || r.accepted_at > t) return null;
  if (r.displayed_at !== null && r.displayed_at <= t) return r.displayed_at - r.accepted_at <= DAY_SECONDS ? "onTime" : "late";
  return t - r.accepted_at > DAY_SECONDS ? "overdue" : "pending";
}

/** The earliest display confirmation not earlier than the first accepted receipt (FORMATS.md 4). */
export function earliestValidDisplay(acceptedAt: number | null, displays: Iterable<number>): number | null {
  if (acceptedAt === null) return null;
  let best: number | null = null;
  for (const d of displays) if (d >= acceptedAt && (best === null || d < best)) best = d;
  return best;
}

// ---- The same states in SQL ------------------------------------------------------------

const column = (alias: string, name: keyof RecordTimes) => sql.ref(`${alias}.${name}`);

/** sendingStateAt over the metric_record row aliased `alias`. */
export function sendingStateSql(alias: string, t: number): RawBuilder<SendingState | null> {
  const [ended, first, accepted] = [column(alias, "ended_at"), column(alias, "first_receipt_at"), column(alias, "accepted_at")];
  return sql<SendingState | null>`case when ${ended} is null then null
    when ${accepted} <= ${t} then 'sent'
    when ${first} <= ${t} then 'rejected'
    else 'notSent' end`;
}

/** displayStateAt over the metric_record row aliased `alias`. */
export function displayStateSql(alias: string, t: number): RawBuilder<DisplayState | null> {
  const [accepted, displayed] = [column(alias, "accepted_at"), column(alias, "displayed_at")];
  return sql<DisplayState | null>`case when ${accepted} is null or ${accepted} > ${t} then null
    when ${displayed} <= ${t} then case when ${displayed} - ${accepted} <= ${DAY_SECONDS} then 'onTime' else 'late' end
    when ${t} - ${accepted} > ${DAY_SECONDS} then 'overdue'
    else 'pending' end`;
}

// ---- I2's rejected code at an as-of time -----------------------------------------------

/** A rejected record's code at time t: its latest receipt's by then, receipts in (time, import) order. */
export function rejectedCodeAt(timeline: ReadonlyArray<{ at: number; code: string }>, t: number): string {
  let code = "";
  for (const r of timeline) {
    if (r.at > t) break;
    code = r.code;
  }
  return code;
}

/**
 * The code I2 gives the metric_record row aliased `alias` at time t: rejectedCodeAt over its
 * receipts in gateway_receipt when sendingStateSql says rejected, else ''.
 */
export function rejectedCodeSql(alias: string, t: number): RawBuilder<string> {
  const [facility, maLk] = [sql.ref(`${alias}.facility_id`), sql.ref(`${alias}.ma_lk`)];
  return sql<string>`case when ${sendingStateSql(alias, t)} = 'rejected' then
    (select g.result_code from gateway_receipt g where g.facility_id = ${facility} and g.ma_lk = ${maLk} and g.received_at <= ${t}
      order by g.received_at desc, g.id desc limit 1)
    else '' end`;
}
