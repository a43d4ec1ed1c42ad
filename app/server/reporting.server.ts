// Who has sent what (the ward secretary's "reporting rates", as DHIS2 calls them): per
// facility and source the last import and the months with no data; per block the last
// onboarding and activity entries and the months with neither; and the short list of
// gaps ("Khối 7 chưa có số liệu tháng 11") the vice chair's dashboard shows.
// Everything is read from indexes and roll-ups, never by scanning the visits.
import { sql } from "kysely";
import { monthRange, monthsToCheck, monthWords, REPORTING_SOURCE_PHRASES, REPORTING_SOURCES, type ReportingSource } from "../domain/pilot";
import { localDayOf } from "../domain/time";
import type { DB } from "./db.server";
import { listBlocks } from "./ward.server";

export { REPORTING_SOURCES, type ReportingSource };

const SOURCE_TABLE = { visits: "visit", receipts: "gateway_receipt", displays: "display_confirmation" } as const;

export interface SourceStatus {
  source: ReportingSource;
  lastImportAt: number | null;
  /** Months of the pilot (first month with any data → this month) with no row of this source. */
  monthsWithoutData: string[];
}

export interface FacilityReporting {
  id: number;
  code: string;
  name: string;
  sources: SourceStatus[];
}

export interface BlockReporting {
  id: number;
  name: string;
  lastOnboardingAt: number | null;
  lastActivityOn: string | null;
  monthsWithoutData: string[];
}

export interface Reporting {
  months: string[];
  facilities: FacilityReporting[];
  blocks: BlockReporting[];
}

const substrMonth = (column: string) => sql<string>`substr(${sql.ref(column)}, 1, 7)`;

/** Local month → [start, end) epoch seconds. */
function monthBounds(month: string): [number, number] {
  const next = monthRange(month, "9999-12")[1];
  return [Date.parse(`${month}-01T00:00:00+07:00`) / 1000, Date.parse(`${next}-01T00:00:00+07:00`) / 1000];
}

/** When the facility `f` last imported rows of the table: its newest batch's creation time (an index seek). */
const lastImportSql = (table: (typeof SOURCE_TABLE)[ReportingSource]) =>
  sql<number | null>`(select b.created_at from import_batch b
    where b.id = (select max(t.batch_id) from ${sql.table(table)} t where t.facility_id = f.id))`;

/**
 * 1 when the facility `f` has data of the source in the month: a visit checked in (roll-up
 * per day), an accepted gateway receipt (records' roll-up) or a display confirmation; each
 * one index seek.
 */
function hasDataSql(source: ReportingSource, month: string) {
  const [from, to] = monthBounds(month);
  const exists =
    source === "visits"
      ? sql`select 1 from metric_checkin_day c where c.facility_id = f.id and c.day >= ${`${month}-01`} and c.day <= ${`${month}-31`}`
      : source === "receipts" // by the time index (the unary + keeps the planner off the facility's key)
        ? sql`select 1 from metric_record r where +r.facility_id = f.id and r.accepted_at >= ${from} and r.accepted_at < ${to}`
        : sql`select 1 from display_confirmation d where d.facility_id = f.id and d.displayed_at >= ${from} and d.displayed_at < ${to}`;
  return sql<number>`case when exists (${exists}) then 1 else 0 end`;
}

/** Every facility of the ward with, per source, its last import and the months without data: one statement. */
async function facilityReporting(db: DB, wardId: number, months: string[]): Promise<FacilityReporting[]> {
  const sources = Object.keys(REPORTING_SOURCES) as ReportingSource[];
  const column = (source: ReportingSource, i: number) => `${source}_${i}`;
  const rows = (await db
    .selectFrom("facility as f")
    .select(["f.id", "f.code", "f.name"])
    .select(sources.map((source) => lastImportSql(SOURCE_TABLE[source]).as(`${source}_last`)))
    .select(sources.flatMap((source) => months.map((m, i) => hasDataSql(source, m).as(column(source, i)))))
    .where("f.ward_id", "=", wardId)
    .orderBy("f.code")
    .execute()) as Array<{ id: number; code: string; name: string } & Record<string, unknown>>;
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    sources: sources.map((source) => ({
      source,
      lastImportAt: r[`${source}_last`] == null ? null : Number(r[`${source}_last`]),
      monthsWithoutData: months.filter((_, i) => Number(r[column(source, i)]) !== 1),
    })),
  }));
}

/** The first month with any visit or onboarding in the ward: where the pilot's months start. */
async function firstMonth(db: DB, wardId: number, now: number): Promise<string> {
  const visit = await db
    .selectFrom("metric_checkin_day")
    .innerJoin("facility", "facility.id", "metric_checkin_day.facility_id")
    .select((eb) => eb.fn.min("day").as("day"))
    .where("facility.ward_id", "=", wardId)
    .executeTakeFirst();
  const activity = await db.selectFrom("activity").select((eb) => eb.fn.min("date").as("day")).where("ward_id", "=", wardId).executeTakeFirst();
  const days = [visit?.day, activity?.day].filter((d): d is string => typeof d === "string");
  const today = localDayOf(now).slice(0, 7);
  const first = days.length ? days.sort()[0].slice(0, 7) : today;
  // At most two years back: older gaps are history, not something to urge.
  const floor = `${Number(today.slice(0, 4)) - 2}${today.slice(4)}`;
  return first < floor ? floor : first;
}

/**
 * The state of every facility and block over the pilot's months (first month with data →
 * this month), or over the `only` months given (the dashboard's panel).
 */
export async function reporting(db: DB, wardId: number, now: number, only?: string[]): Promise<Reporting> {
  const from = await firstMonth(db, wardId, now);
  const months = monthRange(from, localDayOf(now).slice(0, 7)).filter((m) => !only || only.includes(m));
  const facilityRows = await facilityReporting(db, wardId, months);

  const blocks = await listBlocks(db, wardId);
  const lastOnboarding = await db
    .selectFrom("onboarding_record")
    .innerJoin("import_batch", "import_batch.id", "onboarding_record.batch_id")
    .select(["onboarding_record.block_id", (eb) => eb.fn.max("import_batch.created_at").as("at")])
    .where("import_batch.ward_id", "=", wardId)
    .groupBy("onboarding_record.block_id")
    .execute();
  // Only the steps dated in the months checked: the dashboard's panel checks two, and
  // reads two months of records rather than every one since the pilot began.
  const [low, high] = [`${months[0]}-01`, `${months.at(-1)}-31`];
  const onboardingMonths = months.length === 0 ? [] : await db
    .selectFrom("onboarding_record")
    .innerJoin("block", "block.id", "onboarding_record.block_id")
    .select(["onboarding_record.block_id", "vneid_installed_on", "level2_activated_on", "bhyt_linked_on"])
    .where("block.ward_id", "=", wardId)
    .where((eb) => eb.or([
      eb.between("vneid_installed_on", low, high), eb.between("level2_activated_on", low, high), eb.between("bhyt_linked_on", low, high),
    ]))
    .execute();
  const activities = await db
    .selectFrom("activity")
    .select(["block_id", substrMonth("date").as("month"), (eb) => eb.fn.max("date").as("last")])
    .where("ward_id", "=", wardId)
    .where("block_id", "is not", null)
    .groupBy(["block_id", substrMonth("date")])
    .execute();
  const blockRows: BlockReporting[] = blocks.map((b) => {
    const seen = new Set<string>();
    for (const r of onboardingMonths) {
      if (r.block_id !== b.id) continue;
      for (const d of [r.vneid_installed_on, r.level2_activated_on, r.bhyt_linked_on]) if (d) seen.add(d.slice(0, 7));
    }
    let lastActivityOn: string | null = null;
    for (const a of activities) {
      if (a.block_id !== b.id) continue;
      seen.add(a.month);
      if (a.last && (!lastActivityOn || a.last > lastActivityOn)) lastActivityOn = a.last;
    }
    const at = lastOnboarding.find((o) => o.block_id === b.id)?.at;
    return { id: b.id, name: b.name, lastOnboardingAt: at ? Number(at) : null, lastActivityOn, monthsWithoutData: months.filter((m) => !seen.has(m)) };
  });
  return { months, facilities: facilityRows, blocks: blockRows };
}

export interface ReportingGap {
  text: string; // "Khối 7 chưa có số liệu tháng 11"
  href: string;
}

/** The gaps of the months the panel checks (domain/pilot.ts monthsToCheck), as sentences. */
export async function reportingGaps(db: DB, wardId: number, now: number): Promise<ReportingGap[]> {
  const r = await reporting(db, wardId, now, monthsToCheck(now));
  const gaps: ReportingGap[] = [];
  for (const month of r.months) {
    const words = monthWords(month, now);
    for (const b of r.blocks) {
      if (b.monthsWithoutData.includes(month)) gaps.push({ text: `${b.name} chưa có số liệu ${words}`, href: "/reporting" });
    }
    for (const f of r.facilities) {
      const missing = f.sources.filter((s) => s.monthsWithoutData.includes(month)).map((s) => REPORTING_SOURCE_PHRASES[s.source]);
      if (missing.length) gaps.push({ text: `${f.name} (${f.code}) chưa gửi ${missing.join(", ")} ${words}`, href: "/reporting" });
    }
  }
  return gaps;
}
