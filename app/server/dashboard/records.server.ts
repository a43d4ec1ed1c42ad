// The records behind a dashboard figure, one page at a time: which visits make up
// "1.327 identified" or "193 overdue". Each figure's population and classification are
// METRICS.md's, to the record, read from metric_record and classified by the classifier
// the figures use (app/domain/classify.ts); the columns are facility, MA_LK and times only
// (never a personal identifier, not even masked).
import type { SelectQueryBuilder } from "kysely";
import type { Database } from "../../../db/schema";
import { displayStateSql, sendingStateSql, type DisplayState } from "~/domain/classify";
import type { RecordFigure, SendingStatus } from "~/domain/record-labels";
import type { MethodCode } from "~/domain/metrics-types";
import { startOfLocalDay } from "~/domain/time";
import type { Period } from "~/domain/periods";
import type { DB } from "../db.server";

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
      lastResultCode: r.last_result_code,
      rejectedAt: r.last_received_at,
      rejectMessage: r.last_message,
      sending: r.sending,
      display: r.display,
    })),
  };
}

/** The facilities of a ward, for filters and to name a facility code. */
export async function listFacilities(db: DB, wardId: number): Promise<Array<{ code: string; name: string }>> {
  return db.selectFrom("facility").select(["code", "name"]).where("ward_id", "=", wardId).orderBy("code").execute();
}

// ---- Queries -------------------------------------------------------------------------

/** A record of a population with its states at the as-of time. */
interface Row {
  facility_code: string;
  ma_lk: string;
  checkin_at: number | null;
  ended_at: number | null;
  method: string | null; // I1's counted method; null without a visit
  identified: number; // 1 when the visit carries a valid identifier
  received_at: number | null; // first accepted receipt, by the as-of time
  displayed_at: number | null; // earliest valid display confirmation, by the as-of time
  sending: SendingStatus | null;
  display: DisplayState | null;
  /** The latest receipt by the as-of time, for a record the gateway refused. */
  last_result_code: string | null;
  last_received_at: number | null;
  last_message: string | null;
}

type Records = SelectQueryBuilder<Database & { v: Row }, "v", Row>;

type Population = "checkin" | "ended" | "accepted";

/**
 * The metric_record rows of a population in the period: check-in (I1), visit end (I2) or
 * first accepted receipt by the as-of time (I3; the visit need not have been imported),
 * each with the classifier's states at the as-of time.
 */
function population(db: DB, q: RecordQuery, by: Population): Records {
  const from = startOfLocalDay(q.period.from);
  const to = startOfLocalDay(q.period.toExclusive);
  const rows = db
    .selectFrom("metric_record as m")
    .innerJoin("facility as f", "f.id", "m.facility_id")
    .leftJoin("visit as w", (j) => j.onRef("w.facility_id", "=", "m.facility_id").onRef("w.ma_lk", "=", "m.ma_lk"))
    .where("f.ward_id", "=", q.wardId)
    .$if(!!q.facilityCode, (b) => b.where("f.code", "=", q.facilityCode ?? ""))
    .$if(by === "checkin", (b) => b.where("m.checkin_day", ">=", q.period.from).where("m.checkin_day", "<", q.period.toExclusive))
    .$if(by === "ended", (b) => b.where("m.ended_at", ">=", from).where("m.ended_at", "<", to))
    .$if(by === "accepted", (b) => b.where("m.accepted_at", ">=", from).where("m.accepted_at", "<", to).where("m.accepted_at", "<=", q.asOf))
    .select((eb) => {
      // The latest receipt by the as-of time, read only for a record refused at that time.
      const latest = (column: "result_code" | "received_at" | "message") =>
        eb
          .case()
          .when(sendingStateSql("m", q.asOf), "=", "rejected")
          .then(
            eb
              .selectFrom("gateway_receipt as g")
              .select(`g.${column}`)
              .whereRef("g.facility_id", "=", "m.facility_id")
              .whereRef("g.ma_lk", "=", "m.ma_lk")
              .where("g.received_at", "<=", q.asOf)
              .orderBy("g.received_at", "desc")
              .orderBy("g.id", "desc")
              .limit(1)
              .$asScalar(),
          )
          .end();
      return [
        "f.code as facility_code", "m.ma_lk", "w.checkin_at", "m.ended_at", "m.method",
        eb.case().when("m.patient_key", "is not", null).then(1).else(0).end().as("identified"),
        eb.case().when("m.accepted_at", "<=", q.asOf).then(eb.ref("m.accepted_at")).end().as("received_at"),
        eb.case().when("m.displayed_at", "<=", q.asOf).then(eb.ref("m.displayed_at")).end().as("displayed_at"),
        sendingStateSql("m", q.asOf).as("sending"),
        displayStateSql("m", q.asOf).as("display"),
        latest("result_code").as("last_result_code"),
        latest("received_at").as("last_received_at"),
        latest("message").as("last_message"),
      ];
    });
  return db.selectFrom(rows.$castTo<Row>().as("v")).selectAll();
}

function recordsOf(db: DB, q: RecordQuery, figure: RecordFigure): Records {
  switch (figure) {
    case "i1.total":
      return population(db, q, "checkin");
    case "i1.identified":
      return population(db, q, "checkin").where("v.identified", "=", 1);
    case "i2.ended":
      return population(db, q, "ended");
    case "i2.sent":
    case "i2.rejected":
    case "i2.notSent":
      return population(db, q, "ended").where("v.sending", "=", figure.slice("i2.".length) as SendingStatus);
    case "i3.all":
      return population(db, q, "accepted");
    case "i3.onTime":
    case "i3.late":
    case "i3.overdue":
    case "i3.pending":
      return population(db, q, "accepted").where("v.display", "=", figure.slice("i3.".length) as DisplayState);
    default:
      return population(db, q, "checkin").where("v.method", "=", figure.slice("i1.method.".length));
  }
}
