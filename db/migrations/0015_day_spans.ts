// I2's and I3's state spans by day instead of by month: the roll-ups then give every
// record's state just before any day start, and the dashboard's comparison with the first
// days of the previous period (an as-of time at a day start inside a month) reads them
// directly instead of classifying a month's records again. The columns are renamed and
// every span recomputed from metric_record, which holds each record's receipt timeline.
import type { Kysely } from "kysely";

const TABLES = [
  { table: "metric_sending_span", day: "end_day" },
  { table: "metric_display_span", day: "accepted_day" },
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const { table } of TABLES) {
    await db.schema.alterTable(table).renameColumn("from_month", "from_day").execute();
    await db.schema.alterTable(table).renameColumn("until_month", "until_day").execute();
  }
  await fillDaySpans(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { table } of TABLES) {
    await db.schema.alterTable(table).renameColumn("from_day", "from_month").execute();
    await db.schema.alterTable(table).renameColumn("until_day", "until_month").execute();
  }
  await fillSpans(db, localMonth, ["from_month", "until_month"], 10_000);
}

// What follows is the span logic of this migration's time (app/server/metrics/record-facts.ts),
// kept here so that the migration gives the same rows whatever that file becomes.

const NEVER = "9999-99";
const ALWAYS = "0000-00";
const DAY = 86_400;
/** Vietnam's local day (UTC+7, no daylight saving time), and its month. */
const localDay = (t: number) => new Date((t + 7 * 3600) * 1000).toISOString().slice(0, 10);
const localMonth = (t: number) => localDay(t).slice(0, 7);

interface Row {
  facility_id: number;
  ma_lk: string;
  end_day: string | null;
  receipts: string;
  accepted_at: number | null;
  accepted_day: string | null;
  displayed_at: number | null;
}

type Span = [state: string, code: string, from: string, until: string];

/**
 * The state after each receipt day (`unit`: day or month): sent from the day of the first
 * accepted receipt, else rejected with that day's last code. The two copies of this logic
 * agree on what recordFacts writes to metric_record (a display is never before the
 * acceptance there).
 */
function sendingSpans(r: Row, unit: (t: number) => string): Span[] {
  if (r.end_day === null) return [];
  const spans: Span[] = [];
  let [state, code, from] = ["notSent", "", ALWAYS];
  for (const [at, receiptCode, accepted] of JSON.parse(r.receipts) as Array<[number, string, number]>) {
    const day = unit(at);
    if (from !== day) spans.push([state, code, from, day]);
    from = day;
    [state, code] = accepted === 1 || (r.accepted_at !== null && r.accepted_at <= at) ? ["sent", ""] : ["rejected", receiptCode];
    if (state === "sent") break;
  }
  spans.push([state, code, from, NEVER]);
  return spans;
}

function displaySpans(r: Row, unit: (t: number) => string): Span[] {
  if (r.accepted_at === null) return [];
  const accepted = unit(r.accepted_at);
  if (r.displayed_at === null) return [["undisplayed", "", accepted, NEVER]];
  const shown = unit(r.displayed_at);
  const state = r.displayed_at - r.accepted_at <= DAY ? "onTime" : "late";
  const spans: Span[] = [["undisplayed", "", accepted, shown], [state, "", shown, NEVER]];
  return spans.filter(([, , from, until]) => from !== until);
}

/** Every span row recomputed by day from metric_record, read in pages of `pageSize` records by key. */
export const fillDaySpans = (db: Kysely<any>, pageSize = 10_000) => fillSpans(db, localDay, ["from_day", "until_day"], pageSize);

async function fillSpans(db: Kysely<any>, unit: (t: number) => string, [fromColumn, untilColumn]: [string, string], pageSize: number): Promise<void> {
  for (const { table } of TABLES) await db.deleteFrom(table).execute();
  const counts = TABLES.map(() => new Map<string, number>());
  const count = (k: number, facility: number, day: string, [state, code, from, until]: Span) => {
    const key = JSON.stringify([facility, day, state, code, from, until]);
    counts[k].set(key, (counts[k].get(key) ?? 0) + 1);
  };
  for (let last: Row | undefined; ; ) {
    const rows: Row[] = await db
      .selectFrom("metric_record")
      .select(["facility_id", "ma_lk", "end_day", "receipts", "accepted_at", "accepted_day", "displayed_at"])
      .$if(last !== undefined, (q) =>
        q.where((eb) => eb.or([eb("facility_id", ">", last!.facility_id), eb.and([eb("facility_id", "=", last!.facility_id), eb("ma_lk", ">", last!.ma_lk)])])),
      )
      .orderBy("facility_id")
      .orderBy("ma_lk")
      .limit(pageSize)
      .execute();
    if (rows.length === 0) break;
    last = rows[rows.length - 1];
    for (const r of rows) {
      for (const span of sendingSpans(r, unit)) count(0, r.facility_id, r.end_day!, span);
      for (const span of displaySpans(r, unit)) count(1, r.facility_id, r.accepted_day!, span);
    }
  }
  for (const [k, { table, day }] of TABLES.entries()) {
    const rows = [...counts[k]].map(([key, n]) => {
      const [facility_id, d, state, code, from, until] = JSON.parse(key) as [number, string, string, string, string, string];
      return { facility_id, [day]: d, state, code, [fromColumn]: from, [untilColumn]: until, n };
    });
    for (let i = 0; i < rows.length; i += 1000) await db.insertInto(table).values(rows.slice(i, i + 1000)).execute();
  }
}
