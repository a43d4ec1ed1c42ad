// The records behind a dashboard figure, one page at a time: which visits make up
// "1.327 identified" or "193 overdue". Each figure's population and classification are
// METRICS.md's, to the record; the columns are facility, MA_LK and times only (never a
// personal identifier, not even masked).
import { sql, type AliasedSelectQueryBuilder, type SelectQueryBuilder } from "kysely";
import type { Database } from "../../../db/schema";
import type { I1_FIGURES, I2_FIGURES, I3_FIGURES, RecordFigure, SendingStatus } from "~/domain/record-labels";
import type { MethodCode } from "~/domain/metrics-types";
import { startOfLocalDay } from "~/domain/time";
import type { Period } from "~/domain/periods";
import type { DB } from "../db.server";
import { DAY_SECONDS as DAY, displayStateAt, type DisplayState } from "../metrics/rules";

export interface FigureRecord {
  facilityCode: string;
  maLk: string;
  checkinAt: number | null; // null: an I3 record whose visit was never imported
  endedAt: number | null;
  method: MethodCode | null;
  /** First accepted receipt at the as-of time. */
  receivedAt: number | null;
  /** First display confirmation at the as-of time. */
  displayedAt: number | null;
  /** Result code of the latest receipt, for a record the gateway refused. */
  lastResultCode: string | null;
  /** When the gateway refused it (the latest receipt's time), for a record it refused. */
  rejectedAt: number | null;
  /** The gateway's message with that refusal. */
  rejectMessage: string | null;
  sending: SendingStatus | null; // I2's split; null while the visit is open or not imported
  display: DisplayState | null; // I3's split; null without an accepted receipt
}

export interface RecordQuery {
  wardId: number;
  period: Period;
  asOf: number;
  facilityCode?: string | null;
  /** Only records whose latest receipt carries this result code (a refused record's code). */
  resultCode?: string | null;
}

/** One page of the records behind `figure`, in the order their clock started. */
export async function figureRecords(
  db: DB,
  q: RecordQuery,
  figure: RecordFigure,
  page: { limit: number; offset: number },
): Promise<{ total: number; rows: FigureRecord[] }> {
  const all = recordsOf(db, q, figure);
  const base = q.resultCode ? all.where("v.last_result_code", "=", q.resultCode) : all;
  const { total } = await db
    .selectFrom(base.as("r"))
    .select((eb) => eb.fn.countAll<number>().as("total"))
    .executeTakeFirstOrThrow();
  const order = figure.startsWith("i1.") ? "v.checkin_at" : figure.startsWith("i2.") ? "v.ended_at" : "v.received_at";
  const rows = await base
    .orderBy(order)
    .orderBy("v.facility_code")
    .orderBy("v.ma_lk")
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    total: Number(total),
    rows: rows.map((r) => ({
      facilityCode: r.facility_code,
      maLk: r.ma_lk,
      checkinAt: r.checkin_at,
      endedAt: r.ended_at,
      method: r.method as MethodCode | null,
      receivedAt: r.received_at,
      displayedAt: r.displayed_at,
      lastResultCode: r.accepted_count === 0 && r.receipt_count > 0 ? r.last_result_code : null,
      rejectedAt: r.accepted_count === 0 && r.receipt_count > 0 ? r.last_received_at : null,
      rejectMessage: r.accepted_count === 0 && r.receipt_count > 0 ? r.last_message : null,
      sending: r.ended_at === null ? null : r.accepted_count > 0 ? "sent" : r.receipt_count > 0 ? "rejected" : "notSent",
      // I3's split at the as-of time: the engine's own rule.
      display: r.received_at === null ? null : displayStateAt(r.received_at, r.displayed_at, q.asOf),
    })),
  };
}

/** The facilities of a ward, for filters and to name a facility code. */
export async function listFacilities(db: DB, wardId: number): Promise<Array<{ code: string; name: string }>> {
  return db.selectFrom("facility").select(["code", "name"]).where("ward_id", "=", wardId).orderBy("code").execute();
}

// ---- Queries -------------------------------------------------------------------------

/** A record of a population, before its receipts and displays are looked at. */
interface Source {
  facility_id: number;
  facility_code: string;
  ma_lk: string;
  checkin_at: number | null;
  ended_at: number | null;
  identified: number | null; // 1 when the visit carries a valid identifier; null without a visit
  method: string | null;
}

interface Facts extends Source {
  received_at: number | null;
  receipt_count: number;
  accepted_count: number;
  last_result_code: string | null;
  last_received_at: number | null;
  last_message: string | null;
}

type Row = Facts & { displayed_at: number | null };
type Records = SelectQueryBuilder<Database & { v: Row }, "v", Row>;

/**
 * The visit's identification as I1 counts it (alias `w`): valid personal ID or card
 * present, and the method column only where it names one of the three methods
 * (the engine's `countedMethod`).
 */
const visitColumns = [
  sql<number | null>`case when w.id is null then null when w.pid_hash is not null or w.card_hash is not null then 1 else 0 end`.as("identified"),
  sql<string | null>`case when w.id is null then null
    when (w.pid_hash is not null or w.card_hash is not null) and w.method in ('the_can_cuoc', 'so_dinh_danh', 'the_bhyt') then w.method
    else 'khong' end`.as("method"),
] as const;

function recordsOf(db: DB, q: RecordQuery, figure: RecordFigure): Records {
  const from = startOfLocalDay(q.period.from);
  const to = startOfLocalDay(q.period.toExclusive);
  if (figure.startsWith("i3.")) return displayRecords(db, q, from, to, figure as (typeof I3_FIGURES)[number]);
  return visitRecords(db, q, from, to, figure as (typeof I1_FIGURES)[number] | (typeof I2_FIGURES)[number]);
}

/**
 * Each record with its receipts and display as they stood at the as-of time: the first
 * accepted receipt, the latest receipt's code, and the earliest display confirmation not
 * earlier than that receipt (an earlier one is invalid, FORMATS.md 4).
 */
function withFacts(db: DB, source: AliasedSelectQueryBuilder<Source, "x">, asOf: number): Records {
  const facts = db.selectFrom(source).select((eb) => {
    const receipts = () =>
      eb
        .selectFrom("gateway_receipt as g")
        .whereRef("g.facility_id", "=", "x.facility_id")
        .whereRef("g.ma_lk", "=", "x.ma_lk")
        .where("g.received_at", "<=", asOf);
    return [
      "x.facility_id", "x.facility_code", "x.ma_lk", "x.checkin_at", "x.ended_at", "x.identified", "x.method",
      receipts().select((e) => e.fn.countAll<number>().as("n")).$asScalar().as("receipt_count"),
      receipts().where("g.accepted", "=", 1).select((e) => e.fn.countAll<number>().as("n")).$asScalar().as("accepted_count"),
      receipts().where("g.accepted", "=", 1).select((e) => e.fn.min("g.received_at").as("t")).$asScalar().as("received_at"),
      receipts().select("g.result_code").orderBy("g.received_at", "desc").orderBy("g.id", "desc").limit(1).$asScalar().as("last_result_code"),
      receipts().select("g.received_at").orderBy("g.received_at", "desc").orderBy("g.id", "desc").limit(1).$asScalar().as("last_received_at"),
      receipts().select("g.message").orderBy("g.received_at", "desc").orderBy("g.id", "desc").limit(1).$asScalar().as("last_message"),
    ];
  });
  const withDisplay = db.selectFrom(facts.$castTo<Facts>().as("y")).selectAll("y").select((eb) =>
    eb
      .selectFrom("display_confirmation as d")
      .whereRef("d.facility_id", "=", "y.facility_id")
      .whereRef("d.ma_lk", "=", "y.ma_lk")
      .whereRef("d.displayed_at", ">=", "y.received_at")
      .where("d.displayed_at", "<=", asOf)
      .select((e) => e.fn.min("d.displayed_at").as("t"))
      .$asScalar()
      .as("displayed_at"),
  );
  return db.selectFrom(withDisplay.$castTo<Row>().as("v")).selectAll();
}

/** I1 (check-in in the period) and I2 (end in the period) are populations of visits. */
function visitRecords(
  db: DB,
  q: RecordQuery,
  from: number,
  to: number,
  figure: (typeof I1_FIGURES)[number] | (typeof I2_FIGURES)[number],
): Records {
  const time = figure.startsWith("i1.") ? "w.checkin_at" : "w.ended_at";
  const visits = db
    .selectFrom("visit as w")
    .innerJoin("facility as f", "f.id", "w.facility_id")
    .where("f.ward_id", "=", q.wardId)
    .$if(!!q.facilityCode, (b) => b.where("f.code", "=", q.facilityCode ?? ""))
    .where(time, ">=", from)
    .where(time, "<", to)
    .select(["w.facility_id", "f.code as facility_code", "w.ma_lk", "w.checkin_at", "w.ended_at", ...visitColumns]);
  const all = withFacts(db, visits.$castTo<Source>().as("x"), q.asOf);
  switch (figure) {
    case "i1.total":
    case "i2.ended":
      return all;
    case "i1.identified":
      return all.where("v.identified", "=", 1);
    case "i2.sent":
      return all.where("v.accepted_count", ">", 0);
    case "i2.rejected":
      return all.where("v.accepted_count", "=", 0).where("v.receipt_count", ">", 0);
    case "i2.notSent":
      return all.where("v.receipt_count", "=", 0);
    default:
      return all.where("v.method", "=", figure.slice("i1.method.".length));
  }
}

/** I3's population: records whose first accepted receipt (at the as-of time) is in the period. */
function displayRecords(db: DB, q: RecordQuery, from: number, to: number, figure: (typeof I3_FIGURES)[number]): Records {
  const firstAccepted = db
    .selectFrom("gateway_receipt as a")
    .innerJoin("facility as f", "f.id", "a.facility_id")
    .where("f.ward_id", "=", q.wardId)
    .$if(!!q.facilityCode, (b) => b.where("f.code", "=", q.facilityCode ?? ""))
    .where("a.accepted", "=", 1)
    .where("a.received_at", "<=", q.asOf)
    .groupBy(["a.facility_id", "a.ma_lk", "f.code"])
    .having((eb) => eb.fn.min("a.received_at"), ">=", from)
    .having((eb) => eb.fn.min("a.received_at"), "<", to)
    .select(["a.facility_id", "a.ma_lk", "f.code as facility_code"]);
  // The visit may never have been imported: its times are then unknown.
  const records = db
    .selectFrom(firstAccepted.as("r"))
    .leftJoin("visit as w", (j) => j.onRef("w.facility_id", "=", "r.facility_id").onRef("w.ma_lk", "=", "r.ma_lk"))
    .select(["r.facility_id", "r.facility_code", "r.ma_lk", "w.checkin_at", "w.ended_at", ...visitColumns]);
  const all = withFacts(db, records.$castTo<Source>().as("x"), q.asOf);
  const late = sql<boolean>`v.displayed_at - v.received_at > ${DAY}`;
  const waitedOverDay = sql<boolean>`${q.asOf} - v.received_at > ${DAY}`;
  switch (figure) {
    case "i3.all":
      return all;
    case "i3.onTime":
      return all.where("v.displayed_at", "is not", null).where(sql<boolean>`not (${late})`);
    case "i3.late":
      return all.where("v.displayed_at", "is not", null).where(late);
    case "i3.overdue":
      return all.where("v.displayed_at", "is", null).where(waitedOverDay);
    case "i3.pending":
      return all.where("v.displayed_at", "is", null).where(sql<boolean>`not (${waitedOverDay})`);
  }
}
