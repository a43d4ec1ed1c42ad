// Derived tables (roll-ups) kept current inside the import transaction, so the figures
// change the moment an import commits and no dashboard request scans raw visits.
// The import pipeline calls updateDerived with the keys a file touched: each touched
// record's facts (metric_record) are recomputed from the base tables, then every summary
// row those facts feed (per facility and day, or month) is recomputed whole from
// metric_record: writing the same facts twice gives the same rows.
import { sql, type Kysely, type Transaction } from "kysely";
import { addDays, startOfLocalDay } from "~/domain/time";
import type { Database, SecondCounts } from "../../../db/schema";
import { nextMonth } from "./cut.server";
import { amongFacilities } from "./scope.server";
import {
  ALWAYS, displaySpans, monthOf, recordFacts, sameFacts, sendingSpans, type Receipt, type RecordFacts, type Span,
} from "./record-facts";
import { insertRows, type Conflict } from "../bulk.server";

export interface DerivedChange {
  /** Records (facility, MA_LK) whose visit, receipts or display confirmations changed. */
  records: Array<{ facilityId: number; maLk: string }>;
  /** Residents (personal-ID hashes) whose onboarding records changed. */
  residents: string[];
}

type Db = Kysely<Database> | Transaction<Database>;

const CHUNK = 500;

/**
 * One writer of a ward's roll-ups at a time: every import transaction, and anything else
 * that calls updateDerived, first locks the ward's row (PostgreSQL; on SQLite the
 * transaction's write lock already does it). A summary row is recomputed from what the
 * transaction sees, so two at once could each miss the other's records; and facilities and
 * duplicate files are looked up before they are added.
 */
export async function lockWard(trx: Transaction<Database>, wardId: number): Promise<void> {
  await trx.updateTable("ward").set((eb) => ({ code: eb.ref("code") })).where("id", "=", wardId).execute();
}

export async function updateDerived(trx: Transaction<Database>, change: DerivedChange): Promise<void> {
  if (change.records.length > 0) {
    const touched = new Touched();
    await refreshRecords(trx, change.records, touched);
    await summarise(trx, touched);
  }
  if (change.residents.length > 0) await refreshResidents(trx, change.residents);
}

function* chunks<T>(items: T[], size = CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

// ---- Records -------------------------------------------------------------------------

/** Recomputes the records' facts; what changed is added to `touched`. */
async function refreshRecords(db: Db, records: DerivedChange["records"], touched: Touched): Promise<void> {
  const byFacility = new KeySets<string>();
  for (const r of records) byFacility.add(r.facilityId, r.maLk);
  const facilities = await db.selectFrom("facility").select(["id", "ward_id"]).where("id", "in", [...byFacility.keys()]).execute();
  for (const { id: facilityId, ward_id: wardId } of facilities) {
    for (const maLks of chunks([...byFacility.get(facilityId)!])) {
      const [olds, current] = await Promise.all([storedFacts(db, facilityId, maLks), currentFacts(db, facilityId, maLks)]);
      const upserts: Array<{ old: RecordFacts | null; neu: RecordFacts }> = [];
      const deletes: string[] = [];
      for (const maLk of maLks) {
        const old = olds.get(maLk) ?? null;
        const neu = current.get(maLk) ?? null;
        if (sameFacts(old, neu)) continue;
        touched.add(old, neu, wardId);
        if (neu) upserts.push({ old, neu });
        else deletes.push(maLk);
      }
      await writeFacts(db, facilityId, upserts, deletes);
    }
  }
}

async function storedFacts(db: Db, facilityId: number, maLks: string[]): Promise<Map<string, RecordFacts>> {
  const rows = await db.selectFrom("metric_record").selectAll().where("facility_id", "=", facilityId).where("ma_lk", "in", maLks).execute();
  return new Map(rows.map((r) => [r.ma_lk, r]));
}

/**
 * The receipts that make up each record's timeline: every receipt up to and including
 * its first accepted one, in (time, import) order. Each record's bound (its first accepted
 * receipt's time, else its latest receipt's) is found in the index, and only the receipts
 * up to it are read: a file that adds later receipts to records already sent reads one
 * row per record, not all of them.
 */
async function timelineReceipts(db: Db, facilityId: number, maLks: string[]) {
  const bounds = db
    .selectFrom("gateway_receipt")
    .select((eb) => [
      "ma_lk",
      eb.fn.coalesce(eb.fn.min(eb.case().when("accepted", "=", 1).then(eb.ref("received_at")).end()), eb.fn.max("received_at")).as("bound"),
    ])
    .where("facility_id", "=", facilityId)
    .where("ma_lk", "in", maLks)
    .groupBy("ma_lk");
  return db
    .selectFrom(bounds.as("b"))
    .crossJoin("gateway_receipt as r")
    .select(["r.ma_lk", "r.received_at", "r.accepted", "r.result_code"])
    .where("r.facility_id", "=", facilityId)
    .whereRef("r.ma_lk", "=", "b.ma_lk")
    .whereRef("r.received_at", "<=", "b.bound")
    .orderBy("r.ma_lk")
    .orderBy("r.received_at")
    .orderBy("r.id")
    .execute();
}

/** The records' facts as the base tables give them now. */
async function currentFacts(db: Db, facilityId: number, maLks: string[]): Promise<Map<string, RecordFacts>> {
  const visits = await db
    .selectFrom("visit")
    .select(["ma_lk", "checkin_at", "ended_at", "method", "pid_hash", "card_hash"])
    .where("facility_id", "=", facilityId)
    .where("ma_lk", "in", maLks)
    .execute();
  const receipts = groupBy(await timelineReceipts(db, facilityId, maLks), (r): Receipt => ({ at: r.received_at, accepted: r.accepted === 1, code: r.result_code }));
  // Display confirmations count only for a record with an accepted receipt.
  const sent = [...receipts].filter(([, list]) => list.some((r) => r.accepted)).map(([maLk]) => maLk);
  const displays = groupBy(
    sent.length === 0
      ? []
      : await db.selectFrom("display_confirmation").select(["ma_lk", "displayed_at"]).where("facility_id", "=", facilityId).where("ma_lk", "in", sent).execute(),
    (d) => d.displayed_at,
  );
  const visitOf = new Map(visits.map((v) => [v.ma_lk, v]));
  const out = new Map<string, RecordFacts>();
  for (const maLk of maLks) {
    const facts = recordFacts(facilityId, maLk, visitOf.get(maLk) ?? null, receipts.get(maLk) ?? [], displays.get(maLk) ?? []);
    if (facts) out.set(maLk, facts);
  }
  return out;
}

function groupBy<R extends { ma_lk: string }, T>(rows: R[], map: (r: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.ma_lk);
    if (list) list.push(map(r));
    else out.set(r.ma_lk, [map(r)]);
  }
  return out;
}

const FACT_COLUMNS = [
  "checkin_day", "method", "patient_key", "ended_at", "end_day", "receipts", "first_receipt_at", "accepted_at", "accepted_day", "displayed_at", "send_minute", "display_minute",
] as const satisfies ReadonlyArray<Exclude<keyof RecordFacts, "facility_id" | "ma_lk">>;

/** An upsert of metric_record that sets `columns` on a stored row. */
const factConflict = (columns: readonly string[]): Conflict => ({
  key: `metric_record ${columns.join(",")}`,
  apply: (q) => q.onConflict((oc) => oc.columns(["facility_id", "ma_lk"]).doUpdateSet((eb) => Object.fromEntries(columns.map((c) => [c, eb.ref(`excluded.${c}`)])))),
});

/**
 * New facts are upserted in groups by the columns that changed, each setting only those:
 * SQLite rewrites the entries of every index holding a column that is set, changed or
 * not, and metric_record has six.
 */
async function writeFacts(db: Db, facilityId: number, upserts: Array<{ old: RecordFacts | null; neu: RecordFacts }>, deletes: string[]): Promise<void> {
  const groups = new Map<string, { columns: string[]; rows: RecordFacts[] }>();
  for (const { old, neu } of upserts) {
    const columns = old === null ? FACT_COLUMNS : FACT_COLUMNS.filter((c) => old[c] !== neu[c]);
    const key = columns.join(",");
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { columns: [...columns], rows: [] }));
    group.rows.push(neu);
  }
  for (const { columns, rows } of groups.values()) await insertRows(db, "metric_record", rows, factConflict(columns));
  for (const batch of chunks(deletes)) {
    await db.deleteFrom("metric_record").where("facility_id", "=", facilityId).where("ma_lk", "in", batch).execute();
  }
}

// ---- Summaries -------------------------------------------------------------------------

/**
 * The summary rows a change of facts touches, per facility: check-in days (I1), end days
 * (I2's spans), acceptance days (I3's spans), the months of the hours histograms, and the
 * patients whose months with a visit may have changed. Each is recomputed whole from
 * metric_record (summarise), so a summary row never depends on what it held before.
 */
class Touched {
  readonly checkinDays = new KeySets<string>();
  readonly endDays = new KeySets<string>();
  readonly acceptedDays = new KeySets<string>();
  readonly sendMonths = new KeySets<string>();
  readonly displayMonths = new KeySets<string>();
  /** ward id → facility id → patient keys. */
  readonly patients = new Map<number, KeySets<string>>();

  /** A record's facts changed from `old` to `neu` (either may be null): both sides' rows are recomputed. */
  add(old: RecordFacts | null, neu: RecordFacts | null, wardId: number): void {
    const differ = (...columns: Array<keyof RecordFacts>) => old === null || neu === null || columns.some((c) => old[c] !== neu[c]);
    for (const f of [old, neu]) {
      if (f === null) continue;
      const fid = f.facility_id;
      if (f.checkin_day !== null && differ("checkin_day", "method", "patient_key")) {
        this.checkinDays.add(fid, f.checkin_day);
        if (f.patient_key !== null) {
          if (!this.patients.has(wardId)) this.patients.set(wardId, new KeySets());
          this.patients.get(wardId)!.add(fid, f.patient_key);
        }
      }
      if (f.end_day !== null && differ("end_day", "receipts")) this.endDays.add(fid, f.end_day);
      if (f.accepted_day !== null && differ("accepted_at", "accepted_day", "displayed_at")) this.acceptedDays.add(fid, f.accepted_day);
      if (f.end_day !== null && f.accepted_at !== null && differ("accepted_at", "ended_at", "end_day")) this.sendMonths.add(fid, f.end_day.slice(0, 7));
      if (f.accepted_day !== null && f.displayed_at !== null && differ("displayed_at", "accepted_at", "accepted_day")) {
        this.displayMonths.add(fid, f.accepted_day.slice(0, 7));
      }
    }
  }
}

/** Sets of keys per facility id. */
class KeySets<K> extends Map<number, Set<K>> {
  add(facilityId: number, key: K): void {
    let set = this.get(facilityId);
    if (!set) this.set(facilityId, (set = new Set()));
    set.add(key);
  }
}

/** Recomputes every summary row `touched` names, from metric_record. */
async function summarise(db: Db, touched: Touched): Promise<void> {
  for (const [fid, days] of touched.checkinDays) await summariseCheckins(db, fid, [...days]);
  for (const [fid, days] of touched.endDays) await summariseSpans(db, SENDING, fid, [...days]);
  for (const [fid, days] of touched.acceptedDays) await summariseSpans(db, DISPLAY, fid, [...days]);
  for (const [fid, months] of touched.sendMonths) for (const month of months) await summariseHours(db, "send", fid, month);
  for (const [fid, months] of touched.displayMonths) for (const month of months) await summariseHours(db, "display", fid, month);
  for (const [wardId, byFacility] of touched.patients) await summarisePatients(db, wardId, byFacility);
}

/** I1: visits per facility, check-in day, counted method and identified, by GROUP BY. */
async function summariseCheckins(db: Db, facilityId: number, days: string[]): Promise<void> {
  const identified = sql<number>`case when patient_key is null then 0 else 1 end`;
  for (const batch of chunks(days)) {
    await db.deleteFrom("metric_checkin_day").where("facility_id", "=", facilityId).where("day", "in", batch).execute();
    await db
      .insertInto("metric_checkin_day")
      .columns(["facility_id", "day", "method", "identified", "n"])
      .expression(
        db
          .selectFrom("metric_record")
          .select((eb) => ["facility_id", "checkin_day", "method", identified.as("identified"), eb.fn.countAll<number>().as("n")])
          .where("facility_id", "=", facilityId)
          .where("checkin_day", "in", batch)
          .groupBy(["facility_id", "checkin_day", "method", identified]),
      )
      .execute();
  }
}

const RUN_DAYS = 31; // a run's records are held in memory: a rebuild touches every day

/** Days as runs of consecutive days [from, to), each one range of an index, at most RUN_DAYS long. */
function dayRuns(days: string[]): Array<{ from: string; to: string; length: number }> {
  const runs: Array<{ from: string; to: string; length: number }> = [];
  for (const day of [...days].sort()) {
    const last = runs[runs.length - 1];
    if (last && last.to === day && last.length < RUN_DAYS) Object.assign(last, { to: addDays(day, 1), length: last.length + 1 });
    else runs.push({ from: day, to: addDays(day, 1), length: 1 });
  }
  return runs;
}

interface SpanKind {
  table: "metric_sending_span" | "metric_display_span";
  /** The summary's day column, and the record's time it is the local day of. */
  day: "end_day" | "accepted_day";
  time: "ended_at" | "accepted_at";
  spans: (f: RecordFacts) => Span[];
}
const SENDING: SpanKind = { table: "metric_sending_span", day: "end_day", time: "ended_at", spans: sendingSpans };
const DISPLAY: SpanKind = { table: "metric_display_span", day: "accepted_day", time: "accepted_at", spans: displaySpans };

/** I2 or I3: the state spans of every record of the facility and days, counted. */
async function summariseSpans(db: Db, kind: SpanKind, facilityId: number, days: string[]): Promise<void> {
  for (const run of dayRuns(days)) {
    const records = await db
      .selectFrom("metric_record")
      .selectAll()
      .where(amongFacilities([facilityId]))
      .where(kind.time, ">=", startOfLocalDay(run.from))
      .where(kind.time, "<", startOfLocalDay(run.to))
      .execute();
    const counts = new Counts();
    for (const f of records) for (const s of kind.spans(f)) counts.add([f[kind.day]!, s.state, s.code, s.from, s.until]);
    await db.deleteFrom(kind.table).where("facility_id", "=", facilityId).where(kind.day, ">=", run.from).where(kind.day, "<", run.to).execute();
    const rows = counts.rows(([day, state, code, from, until], n) => ({
      facility_id: facilityId, [kind.day]: day, state, code, from_day: from, until_day: until, n,
    }));
    await insertRows(db, kind.table, rows);
  }
}

/**
 * The hours histograms of one facility and population month: to send (records ended in
 * the month, by visit end) or to display (records accepted in the month). Each duration
 * counts in buckets of days, hours and minutes over the month (with its second within the
 * minute), and of hours per day; `event_month` is the month the duration ended in.
 */
async function summariseHours(db: Db, kind: "send" | "display", facilityId: number, month: string): Promise<void> {
  const first = `${month}-01`;
  const next = `${nextMonth(month)}-01`;
  const [time, until] = kind === "send" ? (["ended_at", "accepted_at"] as const) : (["accepted_at", "displayed_at"] as const);
  const records = await db
    .selectFrom("metric_record")
    .select(["ended_at", "end_day", "accepted_at", "accepted_day", "displayed_at"])
    .where(amongFacilities([facilityId]))
    .where(time, ">=", startOfLocalDay(first))
    .where(time, "<", startOfLocalDay(next))
    .where(until, "is not", null)
    .execute();
  const counts = new Counts();
  for (const f of records) {
    const [day, start, end] = kind === "send" ? [f.end_day!, f.ended_at!, f.accepted_at!] : [f.accepted_day!, f.accepted_at!, f.displayed_at!];
    const seconds = end - start;
    const event = monthOf(end);
    const minute = Math.floor(seconds / 60);
    counts.add(["m", "D", month, Math.floor(seconds / 86400), event]);
    counts.add(["m", "h", month, Math.floor(seconds / 3600), event]);
    counts.add(["m", "m", month, minute, event], seconds - minute * 60);
    counts.add(["d", "h", day, Math.floor(seconds / 3600), event]);
  }
  await db
    .deleteFrom("metric_hours")
    .where("kind", "=", kind)
    .where("facility_id", "=", facilityId)
    .where((eb) => eb.or([eb.and([eb("grain", "=", "m"), eb("slot", "=", month)]), eb.and([eb("grain", "=", "d"), eb("slot", ">=", first), eb("slot", "<", next)])]))
    .execute();
  const rows = counts.rows(([grain, level, slot, bucket, event], n, seconds) => ({
    kind, grain, level, slot, facility_id: facilityId, bucket, event_month: event, n,
    ...Object.fromEntries(SECOND_COLUMNS.map((c, i) => [c, seconds?.[i] ?? 0])),
  }));
  await insertRows(db, "metric_hours", rows);
}

const SEP = "\u0001";

/** Counts by key (a tuple), with per-second counts for the keys given a second. */
class Counts {
  private map = new Map<string, { key: Array<string | number>; n: number; seconds: number[] | null }>();

  add(key: Array<string | number>, second: number | null = null, by = 1): void {
    const k = key.join(SEP);
    let entry = this.map.get(k);
    if (!entry) this.map.set(k, (entry = { key, n: 0, seconds: null }));
    entry.n += by;
    if (second !== null) (entry.seconds ??= new Array<number>(60).fill(0))[second] += by;
  }

  /** One row per key whose count is not 0. */
  rows<R>(row: (key: any[], n: number, seconds: number[] | null) => R): R[] {
    return [...this.map.values()].filter((e) => e.n !== 0).map((e) => row(e.key, e.n, e.seconds));
  }
}

/**
 * Distinct patients: each patient's months with a visit (per facility, and ward-wide as
 * facility 0) are recomputed from metric_record; the (month, previous month) links that
 * count distinct patients over a run of months — a patient counts in a run by the first
 * month whose previous visit month lies before it — move from the patient's old months to
 * the new. Those links sum over every patient of the ward, so they are the one summary
 * still moved by a difference (new − old).
 */
async function summarisePatients(db: Db, wardId: number, byFacility: KeySets<string>): Promise<void> {
  const wardFacilities = (await db.selectFrom("facility").select("id").where("ward_id", "=", wardId).execute()).map((f) => f.id);
  const wardWide = new Set([...byFacility.values()].flatMap((set) => [...set]));
  const scopes: Array<[number, number[], Set<string>]> = [
    ...[...byFacility].map(([fid, patients]): [number, number[], Set<string>] => [fid, [fid], patients]),
    [0, wardFacilities, wardWide],
  ];
  const links = new Counts(); // new − old, per (facility scope, month, previous month)
  const month = sql<string>`substr(checkin_day, 1, 7)`;
  for (const [scope, facilities, patients] of scopes) {
    for (const batch of chunks([...patients])) {
      const now = await db
        .selectFrom("metric_record")
        .select((eb) => ["patient_key", month.as("month"), eb.fn.countAll<number>().as("n")])
        .where("facility_id", "in", facilities)
        .where("patient_key", "in", batch)
        .groupBy(["patient_key", month])
        .execute();
      const stored = await db
        .selectFrom("metric_patient_month")
        .select(["patient_key", "month"])
        .where("ward_id", "=", wardId)
        .where("facility_id", "=", scope)
        .where("patient_key", "in", batch)
        .execute();
      const monthsOf = (rows: Array<{ patient_key: string | null; month: string }>) => {
        const out = new Map<string, string[]>();
        for (const r of rows) out.set(r.patient_key!, [...(out.get(r.patient_key!) ?? []), r.month]);
        for (const list of out.values()) list.sort();
        return out;
      };
      const [before, after] = [monthsOf(stored), monthsOf(now)];
      for (const patient of batch) {
        const [was, is] = [before.get(patient) ?? [], after.get(patient) ?? []];
        if (was.join() === is.join()) continue;
        was.forEach((m, i) => links.add([scope, m, was[i - 1] ?? ALWAYS], null, -1));
        is.forEach((m, i) => links.add([scope, m, is[i - 1] ?? ALWAYS]));
      }
      await db.deleteFrom("metric_patient_month").where("ward_id", "=", wardId).where("facility_id", "=", scope).where("patient_key", "in", batch).execute();
      await insertRows(db, "metric_patient_month", now.map((r) => ({ ward_id: wardId, facility_id: scope, patient_key: r.patient_key!, month: r.month, n: Number(r.n) })));
    }
  }
  const rows = links.rows(([facility, month, previous], n) => ({ ward_id: wardId, facility_id: facility, month, previous_month: previous, n }));
  await insertRows(db, "metric_patient_link", rows, LINK_ADD);
}

/** Adds to a link count; counts that fall to 0 stay (their key space is small). */
const LINK_ADD: Conflict = {
  key: "metric_patient_link add",
  apply: (q) =>
    q.onConflict((oc) =>
      oc.columns(["ward_id", "facility_id", "month", "previous_month"]).doUpdateSet({ n: sql`${sql.ref("metric_patient_link.n")} + ${sql.ref("excluded.n")}` }),
    ),
};

/** s00 … s59 of metric_hours (0003). */
export const SECOND_COLUMNS = Array.from({ length: 60 }, (_, s) => `s${String(s).padStart(2, "0")}` as keyof SecondCounts);

// ---- Residents -----------------------------------------------------------------------

const earliest = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);

/** Each resident's earliest step dates; the block when every row names the same one. */
async function refreshResidents(db: Db, pidHashes: string[]): Promise<void> {
  for (const pids of chunks([...new Set(pidHashes)])) {
    const rows = await db
      .selectFrom("onboarding_record as o")
      .innerJoin("block as b", "b.id", "o.block_id")
      .select(["b.ward_id", "o.pid_hash", "o.block_id", "o.vneid_installed_on", "o.level2_activated_on", "o.bhyt_linked_on"])
      .where("o.pid_hash", "in", pids)
      .orderBy("o.id") // the same block_id for a moved resident whichever way the rows come (PostgreSQL has no implicit order)
      .execute();
    const residents = new Map<string, Database["metric_resident"]>();
    for (const r of rows) {
      const key = `${r.ward_id}${SEP}${r.pid_hash}`;
      const m = residents.get(key);
      if (!m) {
        residents.set(key, {
          ward_id: r.ward_id, pid_hash: r.pid_hash, block_id: r.block_id, moved: 0,
          vneid_on: r.vneid_installed_on, level2_on: r.level2_activated_on, bhyt_on: r.bhyt_linked_on, full_on: null,
        });
        continue;
      }
      if (m.block_id !== r.block_id) m.moved = 1;
      m.vneid_on = earliest(m.vneid_on, r.vneid_installed_on);
      m.level2_on = earliest(m.level2_on, r.level2_activated_on);
      m.bhyt_on = earliest(m.bhyt_on, r.bhyt_linked_on);
    }
    for (const m of residents.values()) {
      if (m.vneid_on && m.level2_on && m.bhyt_on) m.full_on = [m.vneid_on, m.level2_on, m.bhyt_on].sort()[2];
    }
    await db.deleteFrom("metric_resident").where("pid_hash", "in", pids).execute();
    await insertRows(db, "metric_resident", [...residents.values()]);
  }
}

// ---- Rebuild -------------------------------------------------------------------------

const DERIVED_TABLES = [
  "metric_record", "metric_checkin_day", "metric_sending_span", "metric_display_span", "metric_hours",
  "metric_patient_month", "metric_patient_link", "metric_resident",
] as const;

/**
 * Recomputes every roll-up from the base tables (after a restore, or to check the
 * incremental path), in one transaction: until it commits, readers see the figures as they
 * were, never half-built ones, and imports wait (the wards' rows are locked, as an import
 * locks its ward's). Returns the number of records summarised.
 */
export async function rebuildDerived(db: Kysely<Database>, batchSize = 5000): Promise<number> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("ward").set((eb) => ({ code: eb.ref("code") })).execute();
    for (const t of DERIVED_TABLES) await trx.deleteFrom(t).execute();
    // Records with a visit, then those with only receipts (recomputing one twice changes
    // nothing); the summaries once at the end, from every record's facts.
    const touched = new Touched();
    for (const table of ["visit", "gateway_receipt"] as const) {
      for (let last = 0; ; ) {
        const rows = await trx
          .selectFrom(table)
          .select(["id", "facility_id", "ma_lk"])
          .where("id", ">", last)
          .orderBy("id")
          .limit(batchSize)
          .execute();
        if (rows.length === 0) break;
        last = rows[rows.length - 1].id;
        await refreshRecords(trx, rows.map((r) => ({ facilityId: r.facility_id, maLk: r.ma_lk })), touched);
      }
    }
    await summarise(trx, touched);
    for (let last = 0; ; ) {
      const rows = await trx.selectFrom("onboarding_record").select(["id", "pid_hash"]).where("id", ">", last).orderBy("id").limit(batchSize).execute();
      if (rows.length === 0) break;
      last = rows[rows.length - 1].id;
      await updateDerived(trx, { records: [], residents: rows.map((r) => r.pid_hash) });
    }
  });
  const { n } = await db.selectFrom("metric_record").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(n);
}
