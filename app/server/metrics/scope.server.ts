// What a metrics query covers, resolved once: the ward's facilities and blocks, the
// period's instants and the days I4 is counted at. Both engines start from it.
import { sql } from "kysely";
import type { DB } from "../db.server";
import { lastDay, type Period } from "~/domain/periods";
import { localDayOf, startOfLocalDay } from "~/domain/time";

export interface MetricsQuery {
  wardId: number;
  period: Period;
  asOf: number; // epoch seconds
  facilityCode?: string | null;
  /** Block committee view: I4 and I5 of this block only. */
  blockId?: number | null;
}

export interface Facility {
  id: number;
  code: string;
  name: string;
}

export interface Block {
  id: number;
  number: number;
  name: string;
}

export interface Scope {
  wardId: number;
  period: Period;
  asOf: number;
  /** Every facility of the ward, by code. */
  wardFacilities: Facility[];
  /** The facilities I1–I3 count: one when filtered, else all of the ward's. */
  facilities: Facility[];
  facilityCode: string | null;
  /** Every block of the ward, by number; `blocks` is what I4/I5 list (one for a block view). */
  wardBlocks: Block[];
  blocks: Block[];
  blockId: number | null;
  start: number; // first instant of the period
  end: number; // first instant after the period
  asOfDay: string;
  /** I4's day D: the earlier of the period's last day and the as-of day. */
  i4Day: string;
}

export class MetricsQueryError extends Error {}

export async function resolveScope(db: DB, q: MetricsQuery): Promise<Scope> {
  const wardFacilities = await db
    .selectFrom("facility")
    .select(["id", "code", "name"])
    .where("ward_id", "=", q.wardId)
    .orderBy("code")
    .execute();
  const facilityCode = q.facilityCode ?? null;
  const facilities = facilityCode === null ? wardFacilities : wardFacilities.filter((f) => f.code === facilityCode);
  if (facilityCode !== null && facilities.length === 0) {
    throw new MetricsQueryError(`Không có cơ sở KCB mã ${facilityCode} trong phường.`);
  }
  const wardBlocks = await db
    .selectFrom("block")
    .select(["id", "number", "name"])
    .where("ward_id", "=", q.wardId)
    .orderBy("number")
    .execute();
  const blockId = q.blockId ?? null;
  const blocks = blockId === null ? wardBlocks : wardBlocks.filter((b) => b.id === blockId);
  if (blockId !== null && blocks.length === 0) throw new MetricsQueryError("Khối không thuộc phường.");
  const asOfDay = localDayOf(q.asOf);
  return { wardId: q.wardId, asOf: q.asOf, wardFacilities, facilities, facilityCode, wardBlocks, blocks, blockId, asOfDay, ...periodFields(q.period, asOfDay) };
}

function periodFields(period: Period, asOfDay: string) {
  const last = lastDay(period);
  return {
    period,
    start: startOfLocalDay(period.from),
    end: startOfLocalDay(period.toExclusive),
    i4Day: asOfDay < last ? asOfDay : last,
  };
}

export const facilityIds = (s: Scope) => s.facilities.map((f) => f.id);
export const wardFacilityIds = (s: Scope) => s.wardFacilities.map((f) => f.id);

/** The same ward, facility and block over another period and as-of time, with no query. */
export function withQuery(s: Scope, q: MetricsQuery): Scope {
  if (q.wardId !== s.wardId || (q.facilityCode ?? null) !== s.facilityCode || (q.blockId ?? null) !== s.blockId) {
    throw new Error("withQuery: another ward, facility or block needs its own scope");
  }
  const asOfDay = localDayOf(q.asOf);
  return { ...s, asOf: q.asOf, asOfDay, ...periodFields(q.period, asOfDay) };
}

/** The same scope over another period (trend buckets), keeping the as-of time. */
export function withPeriod(s: Scope, period: Period): Scope {
  return { ...s, ...periodFields(period, s.asOfDay) };
}

/**
 * `facility_id IN (…)` that the planner will not pick an index for (unary plus, valid SQL on
 * PostgreSQL too): on metric_record and gateway_receipt the time range is the selective
 * part, and SQLite would otherwise walk each facility's whole primary key.
 */
export const amongFacilities = (ids: number[]) => sql<boolean>`+facility_id in (${sql.join(ids.length ? ids : [-1])})`;
