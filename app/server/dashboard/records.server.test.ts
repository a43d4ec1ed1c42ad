import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePeriod } from "~/domain/periods";
import { localToEpoch } from "~/domain/time";
import { openMigratedDatabase, type DB } from "../db.server";
import { ensureWard } from "../ward.server";
import { RECORD_FIGURES, type RecordFigure } from "~/domain/record-labels";
import { rebuildDerived } from "../metrics/derived.server";
import { figureRecords } from "./records.server";

// March 2026, as of 2 April 08:00. Times are local (UTC+7).
const at = (d: number, h = 0, m = 0, month = 3) => localToEpoch(2026, month, d, h, m);
const asOf = at(2, 8, 0, 4);
const HOUR = 3600;

let db: DB;
let wardId: number;

async function visit(facilityId: number, maLk: string, checkin: number, ended: number | null, method = "so_dinh_danh") {
  await db.insertInto("visit").values({
    facility_id: facilityId, ma_lk: maLk, checkin_at: checkin, ended_at: ended, method, visit_type: "01", source: "csv",
    fingerprint: maLk, updated_at: checkin, pid_hash: method === "khong" ? null : `h${maLk}`,
  }).execute();
}
async function receipt(facilityId: number, maLk: string, receivedAt: number, code = "200") {
  await db.insertInto("gateway_receipt").values({
    facility_id: facilityId, ma_lk: maLk, received_at: receivedAt, result_code: code, accepted: code === "200" ? 1 : 0,
    identity: `${facilityId}|${maLk}|${receivedAt}|${code}`, message: code === "200" ? null : "Sai mã thẻ",
  }).execute();
}
async function display(facilityId: number, maLk: string, displayedAt: number) {
  await db.insertInto("display_confirmation").values({ facility_id: facilityId, ma_lk: maLk, displayed_at: displayedAt, source: "bhxh" }).execute();
}

beforeAll(async () => {
  db = await openMigratedDatabase(":memory:");
  wardId = (await ensureWard(db)).id;
  const ids = [];
  for (const [code, name] of [["79001", "Trạm Y tế"], ["79002", "Phòng khám A"]]) {
    ids.push((await db.insertInto("facility").values({ ward_id: wardId, code, name, kind: "khac" }).returning("id").executeTakeFirstOrThrow()).id);
  }
  const [tyt, pk] = ids;
  // Checked in and ended in March; first accepted receipt in March.
  await visit(tyt, "ONTIME", at(10, 8), at(10, 9), "the_can_cuoc");
  await receipt(tyt, "ONTIME", at(10, 12));
  await display(tyt, "ONTIME", at(10, 12) + 24 * HOUR); // exactly 24 h: on time
  await visit(tyt, "LATE", at(11, 8), at(11, 9), "the_bhyt");
  await receipt(tyt, "LATE", at(11, 10, 0), "E101");
  await receipt(tyt, "LATE", at(11, 12));
  await display(tyt, "LATE", at(11, 12) + 24 * HOUR + 60);
  await visit(pk, "OVERDUE", at(30, 8), at(30, 9), "khong");
  await receipt(pk, "OVERDUE", at(31, 1));
  await display(pk, "OVERDUE", at(3, 0, 0, 4)); // confirmed after the as-of time: does not count
  await visit(pk, "PENDING", at(31, 8), at(31, 9));
  await receipt(pk, "PENDING", at(31, 23));
  await visit(tyt, "REJECTED", at(20, 8), at(20, 9));
  await receipt(tyt, "REJECTED", at(20, 10), "E205");
  await receipt(tyt, "REJECTED", at(21, 10), "E307");
  await visit(tyt, "NOTSENT", at(25, 8), at(25, 9));
  await visit(tyt, "OPEN", at(26, 8), null);
  // Ended in March, but checked in in February: in I2, not in I1.
  await visit(pk, "FEBIN", at(28, 8, 0, 2), at(1, 9));
  // Accepted only after the as-of time: not sent yet, and not in I3.
  await receipt(pk, "FEBIN", at(3, 9, 0, 4));
  // A receipt for a visit never imported, first accepted in February: in no March figure.
  await receipt(tyt, "GHOST", at(27, 10, 0, 2));
  await receipt(tyt, "GHOST", at(5, 10));
  // Received in March without an imported visit: in I3 only.
  await receipt(tyt, "NOVISIT", at(15, 10));
  // A confirmation earlier than the first accepted receipt is invalid: still overdue.
  await receipt(tyt, "EARLYDISP", at(16, 10));
  await display(tyt, "EARLYDISP", at(16, 9));
  // Rows written by hand, not through an import: the records' facts are derived once here.
  await rebuildDerived(db);
});

afterAll(() => db.destroy());

const q = () => ({ wardId, period: parsePeriod("2026-03"), asOf });
const keys = async (figure: RecordFigure, facilityCode?: string) =>
  (await figureRecords(db, { ...q(), facilityCode }, figure, { limit: 100, offset: 0 })).rows.map((r) => r.maLk);

describe("records behind a figure", () => {
  it("lists I1's visits by check-in, and the identified ones by method", async () => {
    expect(await keys("i1.total")).toEqual(["ONTIME", "LATE", "REJECTED", "NOTSENT", "OPEN", "OVERDUE", "PENDING"]);
    expect(await keys("i1.identified")).toEqual(["ONTIME", "LATE", "REJECTED", "NOTSENT", "OPEN", "PENDING"]);
    expect(await keys("i1.method.khong")).toEqual(["OVERDUE"]);
    expect(await keys("i1.method.the_can_cuoc")).toEqual(["ONTIME"]);
  });

  it("splits I2's ended visits into sent, rejected and not sent at the as-of time", async () => {
    expect(await keys("i2.ended")).toEqual(["FEBIN", "ONTIME", "LATE", "REJECTED", "NOTSENT", "OVERDUE", "PENDING"]);
    expect(await keys("i2.sent")).toEqual(["ONTIME", "LATE", "OVERDUE", "PENDING"]);
    expect(await keys("i2.rejected")).toEqual(["REJECTED"]);
    expect(await keys("i2.notSent")).toEqual(["FEBIN", "NOTSENT"]);
    const [rejected] = (await figureRecords(db, q(), "i2.rejected", { limit: 1, offset: 0 })).rows;
    expect(rejected).toMatchObject({ sending: "rejected", lastResultCode: "E307", receivedAt: null });
  });

  it("classifies I3's records from the first accepted receipt, ignoring confirmations after the as-of time", async () => {
    expect(await keys("i3.all")).toEqual(["ONTIME", "LATE", "NOVISIT", "EARLYDISP", "OVERDUE", "PENDING"]);
    expect(await keys("i3.onTime")).toEqual(["ONTIME"]);
    expect(await keys("i3.late")).toEqual(["LATE"]);
    // By 2 April 08:00 every March receipt is more than 24 h old.
    expect(await keys("i3.overdue")).toEqual(["NOVISIT", "EARLYDISP", "OVERDUE", "PENDING"]);
    expect(await keys("i3.pending")).toEqual([]);
    const novisit = (await figureRecords(db, q(), "i3.overdue", { limit: 1, offset: 0 })).rows[0];
    expect(novisit).toMatchObject({ facilityCode: "79001", checkinAt: null, endedAt: null, display: "overdue", displayedAt: null });
  });

  it("keeps a record pending while 24 hours have not passed at the as-of time", async () => {
    const earlier = { ...q(), asOf: at(1, 10, 0, 4) };
    const list = async (figure: RecordFigure) => (await figureRecords(db, earlier, figure, { limit: 100, offset: 0 })).rows.map((r) => r.maLk);
    expect(await list("i3.pending")).toEqual(["PENDING"]);
    expect(await list("i3.overdue")).toEqual(["NOVISIT", "EARLYDISP", "OVERDUE"]);
  });

  it("filters by facility and pages with the full count", async () => {
    expect(await keys("i3.all", "79002")).toEqual(["OVERDUE", "PENDING"]);
    expect(await keys("i3.all", "79001")).toEqual(["ONTIME", "LATE", "NOVISIT", "EARLYDISP"]);
    const page2 = await figureRecords(db, q(), "i1.total", { limit: 3, offset: 3 });
    expect(page2.total).toBe(7);
    expect(page2.rows.map((r) => r.maLk)).toEqual(["NOTSENT", "OPEN", "OVERDUE"]);
  });

  it("never returns a personal identifier", async () => {
    for (const figure of RECORD_FIGURES) {
      for (const row of (await figureRecords(db, q(), figure, { limit: 100, offset: 0 })).rows) {
        expect(Object.keys(row).sort()).toEqual(
          ["checkinAt", "display", "displayedAt", "endedAt", "facilityCode", "lastResultCode", "maLk", "method", "receivedAt", "rejectMessage", "rejectedAt", "sending"],
        );
      }
    }
  });
});
