// One record (facility, MA_LK) summarised for the roll-ups: what its visit, receipts and
// display confirmations mean for I1–I3, and how its I2/I3 state changes over time.
//
// The roll-up tables store each state as a span [from day, until day): the state a record
// is in just before the start of day D is the span with from < D ≤ until. Spans that open
// and close within one day never straddle a day start and are not stored.
import { countedMethod, displayStateAt, earliestValidDisplay, patientKeyOf, rejectedCodeAt, sendingStateAt } from "~/domain/classify";
import { localDayOf } from "~/domain/time";

/** A row of metric_record. */
export interface RecordFacts {
  facility_id: number;
  ma_lk: string;
  checkin_day: string | null; // null when the visit was never imported
  method: string | null; // I1's counted method
  patient_key: string | null; // set when identified
  ended_at: number | null;
  end_day: string | null;
  /** JSON [[received_at, code, accepted]…] in order, up to and including the first accepted. */
  receipts: string;
  first_receipt_at: number | null; // earliest receipt, accepted or not
  accepted_at: number | null; // first accepted receipt
  accepted_day: string | null;
  displayed_at: number | null; // earliest valid display confirmation
  send_minute: number | null; // floor((accepted_at − ended_at) / 60)
  display_minute: number | null; // floor((displayed_at − accepted_at) / 60)
}

export interface VisitFields {
  checkin_at: number;
  ended_at: number | null;
  method: string;
  pid_hash: string | null;
  card_hash: string | null;
}

export interface Receipt {
  at: number;
  accepted: boolean;
  code: string;
}

export const NEVER = "9999-99"; // a span still open (after every day and month)
export const ALWAYS = "0000-00"; // a span open since before any data (before every day and month)

export const monthOf = (t: number) => localDayOf(t).slice(0, 7);

/** The record's facts, or null when nothing of it counts (no visit and no accepted receipt). */
export function recordFacts(
  facilityId: number,
  maLk: string,
  visit: VisitFields | null,
  receipts: readonly Receipt[], // in (time, import) order
  displays: readonly number[],
): RecordFacts | null {
  const firstAccepted = receipts.findIndex((r) => r.accepted);
  const acceptedAt = firstAccepted < 0 ? null : receipts[firstAccepted].at;
  if (!visit && acceptedAt === null) return null;
  const timeline = firstAccepted < 0 ? receipts : receipts.slice(0, firstAccepted + 1);
  const displayedAt = earliestValidDisplay(acceptedAt, displays);
  const patientKey = visit ? patientKeyOf(visit.pid_hash, visit.card_hash) : null;
  const endedAt = visit?.ended_at ?? null;
  return {
    facility_id: facilityId,
    ma_lk: maLk,
    checkin_day: visit ? localDayOf(visit.checkin_at) : null,
    method: visit ? countedMethod(visit.method, patientKey !== null) : null,
    patient_key: patientKey,
    ended_at: endedAt,
    end_day: endedAt === null ? null : localDayOf(endedAt),
    receipts: JSON.stringify(timeline.map((r) => [r.at, r.code, r.accepted ? 1 : 0])),
    first_receipt_at: receipts[0]?.at ?? null,
    accepted_at: acceptedAt,
    accepted_day: acceptedAt === null ? null : localDayOf(acceptedAt),
    displayed_at: displayedAt,
    send_minute: acceptedAt !== null && endedAt !== null ? Math.floor((acceptedAt - endedAt) / 60) : null,
    display_minute: displayedAt !== null && acceptedAt !== null ? Math.floor((displayedAt - acceptedAt) / 60) : null,
  };
}

export function timelineOf(f: Pick<RecordFacts, "receipts">): Receipt[] {
  return (JSON.parse(f.receipts) as Array<[number, string, number]>).map(([at, code, accepted]) => ({ at, code, accepted: accepted === 1 }));
}

export const sameFacts = (a: RecordFacts | null, b: RecordFacts | null) =>
  a === b || (a !== null && b !== null && (Object.keys(a) as Array<keyof RecordFacts>).every((k) => a[k] === b[k]));

export interface Span {
  state: string;
  code: string;
  from: string;
  until: string;
}

/**
 * I2 states over time of a visit that has ended: the classifier's state (and a rejected
 * record's code) after each receipt, until the record is sent.
 */
export function sendingSpans(f: RecordFacts): Span[] {
  if (f.end_day === null) return [];
  const timeline = timelineOf(f);
  const spans: Span[] = [];
  // The state so far, and the day it began; a state that begins and ends in one day is no span.
  let state = "notSent";
  let code = "";
  let from = ALWAYS;
  for (const r of timeline) {
    const day = localDayOf(r.at);
    if (from !== day) spans.push({ state, code, from, until: day });
    from = day;
    state = sendingStateAt(f, r.at)!;
    code = state === "rejected" ? rejectedCodeAt(timeline, r.at) : "";
    if (state === "sent") break;
  }
  spans.push({ state, code, from, until: NEVER });
  return spans;
}

/** I3 states over time: undisplayed (pending, then overdue) from the first accepted receipt, then on time or late. */
export function displaySpans(f: RecordFacts): Span[] {
  if (f.accepted_at === null) return [];
  const from = f.accepted_day!;
  if (f.displayed_at === null) return [{ state: "undisplayed", code: "", from, until: NEVER }];
  const shown = localDayOf(f.displayed_at);
  return [
    { state: "undisplayed", code: "", from, until: shown },
    { state: displayStateAt(f, f.displayed_at)!, code: "", from: shown, until: NEVER },
  ].filter((s) => s.from !== s.until);
}
