// Derived tables (roll-ups) kept current inside the import transaction, so the figures
// change the moment an import commits and no dashboard request scans raw visits.
// The import pipeline calls updateDerived with the keys a file touched; each touched
// record is re-read from the base tables, and the roll-ups move by (new − old).
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database, SecondCounts } from "../../../db/schema";
import { monthOf, recordFacts, sameFacts, displaySpans, sendingSpans, type Receipt, type RecordFacts } from "./record-facts";
import { insertRows, type Conflict } from "../bulk.server";

export interface DerivedChange {
  /** Records (facility, MA_LK) whose visit, receipts or display confirmations changed. */
  records: Array<{ facilityId: number; maLk: string }>;
  /** Residents (personal-ID hashes) whose onboarding records changed. */
  residents: string[];
}

type Db = Kysely<Database> | Transaction<Database>;

const CHUNK = 500;

export async function updateDerived(trx: Transaction<Database>, change: DerivedChange): Promise<void> {
  if (change.records.length > 0) await refreshRecords(trx, change.records);
  if (change.residents.length > 0) await refreshResidents(trx, change.residents);
}

function* chunks<T>(items: T[], size = CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

// ---- Records -------------------------------------------------------------------------

async function refreshRecords(db: Db, records: DerivedChange["records"]): Promise<void> {
  const byFacility = new Map<number, Set<string>>();
  for (const r of records) {
    let set = byFacility.get(r.facilityId);
    if (!set) byFacility.set(r.facilityId, (set = new Set()));
    set.add(r.maLk);
  }
  const facilities = await db.selectFrom("facility").select(["id", "ward_id"]).where("id", "in", [...byFacility.keys()]).execute();
  const deltas = new Deltas();
  for (const { id: facilityId, ward_id: wardId } of facilities) {
    for (const maLks of chunks([...byFacility.get(facilityId)!])) {
      const [olds, current] = await Promise.all([storedFacts(db, facilityId, maLks), currentFacts(db, facilityId, maLks)]);
      const upserts: Array<{ old: RecordFacts | null; neu: RecordFacts }> = [];
      const deletes: string[] = [];
      for (const maLk of maLks) {
        const old = olds.get(maLk) ?? null;
        const neu = current.get(maLk) ?? null;
        if (sameFacts(old, neu)) continue;
        deltas.addChange(old, neu, wardId);
        if (neu) upserts.push({ old, neu });
        else deletes.push(maLk);
      }
      await writeFacts(db, facilityId, upserts, deletes);
    }
  }
  await deltas.apply(db);
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

// ---- Aggregate deltas ----------------------------------------------------------------

type CountTable = "metric_checkin_day" | "metric_sending_span" | "metric_display_span" | "metric_hours" | "metric_patient_link";

const KEYS: Record<CountTable, string[]> = {
  metric_checkin_day: ["facility_id", "day", "method", "identified"],
  metric_sending_span: ["end_day", "facility_id", "state", "code", "from_month", "until_month"],
  metric_display_span: ["accepted_day", "facility_id", "state", "code", "from_month", "until_month"],
  metric_hours: ["kind", "grain", "level", "slot", "facility_id", "bucket", "event_month"],
  metric_patient_link: ["ward_id", "facility_id", "month", "previous_month"],
};

const SEP = "\u0001";

/** Changes to the count tables, summed by row key before anything is written. */
class Deltas {
  private counts = new Map<CountTable, Map<string, Delta>>();
  private patients = new Map<string, number>(); // ward|facility|patient|month → visits

  /** `second`: for a minute bucket of metric_hours, the duration's second of the minute. */
  private add(table: CountTable, key: Array<string | number>, n: number, second: number | null = null) {
    let map = this.counts.get(table);
    if (!map) this.counts.set(table, (map = new Map()));
    const k = key.join(SEP);
    let delta = map.get(k);
    if (!delta) map.set(k, (delta = { n: 0, seconds: null }));
    delta.n += n;
    if (second !== null) (delta.seconds ??= new Array<number>(60).fill(0))[second] += n;
  }

  /**
   * A record's facts changed from `old` to `neu` (either may be null): each part of the
   * roll-ups moves by new − old, and a part whose facts are the same on both sides is
   * left alone (it would add and take away the same counts).
   */
  addChange(old: RecordFacts | null, neu: RecordFacts | null, wardId: number): void {
    const differ = (...columns: Array<keyof RecordFacts>) => old === null || neu === null || columns.some((c) => old[c] !== neu[c]);
    for (const [f, sign] of [[old, -1], [neu, +1]] as const) {
      if (f === null) continue;
      if (differ("checkin_day", "method", "patient_key")) this.addCheckin(f, wardId, sign);
      if (differ("end_day", "receipts")) {
        for (const s of sendingSpans(f)) this.add("metric_sending_span", [f.end_day!, f.facility_id, s.state, s.code, s.from, s.until], sign);
      }
      if (differ("accepted_at", "accepted_day", "displayed_at")) {
        for (const s of displaySpans(f)) this.add("metric_display_span", [f.accepted_day!, f.facility_id, s.state, s.code, s.from, s.until], sign);
      }
      if (f.accepted_at !== null && f.ended_at !== null && differ("accepted_at", "ended_at", "end_day")) {
        this.addHours("send", f.end_day!, f.facility_id, f.accepted_at, f.accepted_at - f.ended_at, sign);
      }
      if (f.displayed_at !== null && differ("displayed_at", "accepted_at", "accepted_day")) {
        this.addHours("display", f.accepted_day!, f.facility_id, f.displayed_at, f.displayed_at - f.accepted_at!, sign);
      }
    }
  }

  private addCheckin(f: RecordFacts, wardId: number, sign: 1 | -1): void {
    if (f.checkin_day === null) return;
    const fid = f.facility_id;
    this.add("metric_checkin_day", [fid, f.checkin_day, f.method!, f.patient_key === null ? 0 : 1], sign);
    if (f.patient_key === null) return;
    for (const scope of [fid, 0]) {
      const k = [wardId, scope, f.patient_key, f.checkin_day.slice(0, 7)].join(SEP);
      this.patients.set(k, (this.patients.get(k) ?? 0) + sign);
    }
  }

  private addHours(kind: string, day: string, fid: number, eventAt: number, seconds: number, sign: number) {
    const event = monthOf(eventAt);
    const hour = Math.floor(seconds / 3600);
    const minute = Math.floor(seconds / 60);
    this.add("metric_hours", [kind, "m", "D", day.slice(0, 7), fid, Math.floor(seconds / 86400), event], sign);
    this.add("metric_hours", [kind, "m", "h", day.slice(0, 7), fid, hour, event], sign);
    this.add("metric_hours", [kind, "m", "m", day.slice(0, 7), fid, minute, event], sign, seconds - minute * 60);
    this.add("metric_hours", [kind, "d", "h", day, fid, hour, event], sign);
  }

  async apply(db: Db): Promise<void> {
    await this.applyPatients(db);
    for (const [table, map] of this.counts) await addCounts(db, table, map);
  }

  /**
   * A patient's months with a visit, and the (month, previous month) links that count
   * distinct patients: a patient is counted in a run of months by the first month whose
   * previous visit month lies before the run.
   */
  private async applyPatients(db: Db): Promise<void> {
    const groups = new Map<string, Map<string, Map<string, number>>>(); // ward|facility → patient → month → delta
    for (const [k, n] of this.patients) {
      if (n === 0) continue;
      const [ward, facility, patient, month] = k.split(SEP);
      const scope = `${ward}${SEP}${facility}`;
      let byPatient = groups.get(scope);
      if (!byPatient) groups.set(scope, (byPatient = new Map()));
      let months = byPatient.get(patient);
      if (!months) byPatient.set(patient, (months = new Map()));
      months.set(month, n);
    }
    for (const [scope, byPatient] of groups) {
      const [wardId, facilityId] = scope.split(SEP).map(Number);
      for (const patients of chunks([...byPatient.keys()])) {
        const rows = await db
          .selectFrom("metric_patient_month")
          .select(["patient_key", "month", "n"])
          .where("ward_id", "=", wardId)
          .where("facility_id", "=", facilityId)
          .where("patient_key", "in", patients)
          .execute();
        const stored = new Map<string, Map<string, number>>();
        for (const r of rows) {
          if (!stored.has(r.patient_key)) stored.set(r.patient_key, new Map());
          stored.get(r.patient_key)!.set(r.month, r.n);
        }
        const writes: Array<{ ward_id: number; facility_id: number; patient_key: string; month: string; n: number }> = [];
        for (const patient of patients) {
          const before = stored.get(patient) ?? new Map<string, number>();
          const after = new Map(before);
          for (const [month, n] of byPatient.get(patient)!) {
            after.set(month, (after.get(month) ?? 0) + n);
            writes.push({ ward_id: wardId, facility_id: facilityId, patient_key: patient, month, n: after.get(month)! });
          }
          const monthsBefore = [...before.keys()].filter((m) => before.get(m)! > 0).sort();
          const monthsAfter = [...after.keys()].filter((m) => after.get(m)! > 0).sort();
          if (monthsBefore.join() === monthsAfter.join()) continue;
          monthsBefore.forEach((m, i) => this.add("metric_patient_link", [wardId, facilityId, m, monthsBefore[i - 1] ?? "0000-00"], -1));
          monthsAfter.forEach((m, i) => this.add("metric_patient_link", [wardId, facilityId, m, monthsAfter[i - 1] ?? "0000-00"], +1));
        }
        await insertRows(db, "metric_patient_month", writes, PATIENT_MONTH_CONFLICT);
        // Months that lost their last visit: the only rows this can leave at 0 or below.
        const emptied = [...new Set(writes.filter((w) => w.n <= 0).map((w) => w.patient_key))];
        if (emptied.length === 0) continue;
        await db
          .deleteFrom("metric_patient_month")
          .where("ward_id", "=", wardId)
          .where("facility_id", "=", facilityId)
          .where("patient_key", "in", emptied)
          .where("n", "<=", 0)
          .execute();
      }
    }
  }
}

const PATIENT_MONTH_CONFLICT: Conflict = {
  key: "metric_patient_month n",
  apply: (q) => q.onConflict((oc) => oc.columns(["ward_id", "facility_id", "patient_key", "month"]).doUpdateSet((eb) => ({ n: eb.ref("excluded.n") }))),
};

interface Delta {
  n: number;
  seconds: number[] | null; // per second of the minute, for metric_hours' minute buckets
}

/** s00 … s59 of metric_hours (0003). */
export const SECOND_COLUMNS = Array.from({ length: 60 }, (_, s) => `s${String(s).padStart(2, "0")}` as keyof SecondCounts);

/** Adds deltas to a count table; rows that fall to 0 stay (their key space is small). */
async function addCounts(db: Db, table: CountTable, deltas: Map<string, Delta>): Promise<void> {
  const columns = KEYS[table];
  const numeric = new Set(["facility_id", "identified", "bucket", "ward_id"]);
  const counted = table === "metric_hours" ? ["n", ...SECOND_COLUMNS] : ["n"];
  const rows = [...deltas]
    .filter(([, d]) => d.n !== 0 || d.seconds?.some((x) => x !== 0))
    .map(([k, d]) => {
      const values = k.split(SEP);
      const row: Record<string, string | number> = { n: d.n };
      if (counted.length > 1) SECOND_COLUMNS.forEach((c, i) => (row[c] = d.seconds?.[i] ?? 0));
      columns.forEach((c, i) => (row[c] = numeric.has(c) ? Number(values[i]) : values[i]));
      return row;
    });
  const plus = Object.fromEntries(counted.map((c) => [c, sql`${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`]));
  await insertRows(db, table, rows, { key: `${table} add`, apply: (q) => q.onConflict((oc) => oc.columns(columns).doUpdateSet(plus)) });
}

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
    // Records with a visit, then those with only receipts (recomputing one twice changes nothing).
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
        await updateDerived(trx, { records: rows.map((r) => ({ facilityId: r.facility_id, maLk: r.ma_lk })), residents: [] });
      }
    }
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
