// Visits, from the XML1 of an envelope, a check-in file, or a table (FORMATS.md §1–2).
// A visit is identified by (facility, MA_LK); re-importing replaces its fields. Only
// keyed hashes and last four characters of a VALID identifier are kept; the method
// follows METRICS.md I1. Names, addresses, phones and birth dates are read past.
import crypto from "node:crypto";
import type { NewVisit } from "../../../../db/schema";
import { METHOD_LABELS, parseCode } from "../../../domain/codes";
import { checkInsuranceCard, checkPersonalId, lastFour, receptionMethod, type ReceptionMethod } from "../../../domain/identifiers";
import { insertRows } from "../../bulk.server";
import { hashCardNumber, hashPersonalId } from "../../crypto.server";
import { byFacility, chunked, countIn, type Item, type KindHandler, type ValidateContext, type Validated } from "../handler.server";
import { columnLabel } from "../kinds";
import { shownCode } from "../issues";
import { RowReader, type RawRow } from "../row-reader";

export interface VisitRow {
  facilityCode: string;
  maLk: string;
  checkinAt: number;
  endedAt: number | null;
  pidHash: string | null;
  pidLast4: string | null;
  cardHash: string | null;
  cardLast4: string | null;
  declaredMethod: string | null;
  method: ReceptionMethod;
  visitType: string;
  subjectCode: string | null;
  source: string;
  fingerprint: string;
}

export function validateVisit(raw: RawRow, line: number | null, ctx: ValidateContext): Validated<VisitRow> {
  const fromXml = ctx.visitSource === "xml1" || ctx.visitSource === "checkin";
  const r = new RowReader(raw, line, (name) => (fromXml ? name.toUpperCase() : columnLabel("visits_table", name)));
  const facilityCode = r.facilityCode("ma_cskcb");
  const maLk = r.text("ma_lk", { required: true, max: 100 });
  const checkin = r.date("ngay_vao", { required: true });
  // A check-in file is sent when the visit starts: it never carries an end time.
  const ended = ctx.visitSource === "checkin" ? null : r.date("ngay_ra");
  if (checkin && ended && ended.epoch < checkin.epoch) {
    r.error("ngay_ra", `${fromXml ? "NGAY_RA" : "Thời gian ra"} trước ${fromXml ? "NGAY_VAO" : "thời gian vào"}.`);
  }

  // An invalid identifier does not make the record invalid: the visit counts as not identified.
  const pidText = r.personalId("so_cccd");
  const pid = pidText ? checkPersonalId(pidText) : null;
  if (pid && !pid.valid) r.warn("so_cccd", `${pid.reason}; lượt KCB được tính là không có số định danh hợp lệ.`);
  if (pid?.valid) for (const w of pid.warnings) r.warn("so_cccd", w);
  const cardText = r.cardNumber("ma_the_bhyt");
  const card = cardText ? checkInsuranceCard(cardText) : null;
  if (card && !card.valid) r.warn("ma_the_bhyt", `${card.reason}; lượt KCB được tính là không có thẻ BHYT hợp lệ.`);

  const declaredText = r.text("hinh_thuc");
  const declared = declaredText ? parseCode(METHOD_LABELS, declaredText) : null;
  if (declaredText && !declared) r.warn("hinh_thuc", `Hình thức tiếp nhận ${shownCode(declaredText)} không rõ; xác định theo số định danh / thẻ BHYT.`);

  // Coded columns keep only a code of their catalogue: whatever else a source put there (a
  // personal ID, a name typed into the wrong column) is reported and never stored.
  const visitTypeText = normalizeVisitType(r.text("ma_loai_kcb"));
  const visitType = VISIT_TYPE.test(visitTypeText) ? visitTypeText : "";
  if (!visitType) r.warn("ma_loai_kcb", `Loại KCB ${shownCode(visitTypeText)} không thuộc danh mục 01–16; không lưu giá trị này.`);
  const subjectText = r.text("ma_doituong_kcb");
  const subjectCode = SUBJECT_CODE.test(subjectText) ? subjectText : null;
  if (subjectText && !subjectCode) r.warn("ma_doituong_kcb", `Mã đối tượng KCB ${shownCode(subjectText)} không đúng dạng mã (như 1.1, 2, 9); không lưu giá trị này.`);

  if (!r.ok || !checkin) return { row: null, errors: r.errors, warnings: r.warnings };
  const pidValid = pid?.valid === true;
  const cardValid = card?.valid === true;
  const fields = {
    checkinAt: checkin.epoch,
    endedAt: ended?.epoch ?? null,
    pidHash: pidValid ? hashPersonalId(pid.value) : null,
    pidLast4: pidValid ? lastFour(pid.value) : null,
    cardHash: cardValid ? hashCardNumber(card.socialNumber) : null,
    cardLast4: cardValid ? lastFour(card.socialNumber) : null,
    declaredMethod: declared,
    method: receptionMethod(declared, pidValid, cardValid),
    visitType,
    subjectCode,
  };
  const fingerprint = crypto.createHash("sha256").update(JSON.stringify(Object.values(fields))).digest("base64url");
  return { row: { facilityCode, maLk, ...fields, source: ctx.visitSource, fingerprint }, warnings: r.warnings };
}

/** MA_LOAI_KCB's catalogue: "01"…"16". A value outside it is stored empty (in no R2 group). */
const VISIT_TYPE = /^(0[1-9]|1[0-6])$/;
/** MA_DOITUONG_KCB: "1.1", "2", "9", "3.10"… — one or two digits, up to two more levels. */
const SUBJECT_CODE = /^\d{1,2}(\.\d{1,2}){0,2}$/;

/** "1" → "01"; empty → "01" (FORMATS.md §2 default). */
function normalizeVisitType(value: string): string {
  if (!value) return "01";
  return /^\d$/.test(value) ? `0${value}` : value;
}

interface Stored {
  id: number | null; // null: inserted by this batch
  fingerprint: string;
  endedAt: number | null;
}

export const visits: KindHandler<VisitRow> = {
  validate: validateVisit,
  scope: (row) => ({ facilityCode: row.facilityCode }),

  async plan({ trx, facilities, derived, now }, items) {
    const facilityIds = await facilities.idsOf(trx, byFacility(items.map((i) => i.row)).keys());
    const stored = new Map<string, Stored>();
    for (const [code, rows] of byFacility(items.map((i) => i.row))) {
      const facilityId = facilityIds.get(code)!;
      for (const keys of chunked([...new Set(rows.map((r) => r.maLk))], 1)) {
        const found = await trx
          .selectFrom("visit")
          .select(["id", "ma_lk", "fingerprint", "ended_at"])
          .where("facility_id", "=", facilityId)
          .where("ma_lk", "in", keys)
          .execute();
        for (const v of found) stored.set(`${facilityId}\u0000${v.ma_lk}`, { id: v.id, fingerprint: v.fingerprint, endedAt: v.ended_at });
      }
    }

    const inserts = new Map<string, { values: NewVisit; item: Item<VisitRow> }>();
    const updates = new Map<number, { values: NewVisit; item: Item<VisitRow> }>();
    for (const item of items) {
      const { row } = item;
      const facilityId = facilityIds.get(row.facilityCode)!;
      const key = `${facilityId}\u0000${row.maLk}`;
      const state = stored.get(key);
      // A late check-in never reopens a visit that has ended: the completed record stands.
      if (state && ((row.source === "checkin" && state.endedAt !== null) || state.fingerprint === row.fingerprint)) {
        countIn(item.file, "unchanged");
        continue;
      }
      const values = visitValues(facilityId, row, now);
      if (!state) inserts.set(key, { values, item });
      else if (state.id === null) inserts.set(key, { values, item });
      else updates.set(state.id, { values, item });
      stored.set(key, { id: state?.id ?? null, fingerprint: row.fingerprint, endedAt: row.endedAt });
      countIn(item.file, state ? "updated" : "new");
      derived.record(facilityId, row.maLk);
    }

    return async () => {
      const rows = [...inserts.values()].map(({ values, item }) => ({ ...values, batch_id: item.file.batchId }));
      await insertRows(trx, "visit", rows);
      for (const [id, { values, item }] of updates) {
        await trx.updateTable("visit").set({ ...values, batch_id: item.file.batchId }).where("id", "=", id).execute();
      }
    };
  },
};

function visitValues(facilityId: number, row: VisitRow, now: number): NewVisit {
  return {
    facility_id: facilityId,
    ma_lk: row.maLk,
    checkin_at: row.checkinAt,
    ended_at: row.endedAt,
    pid_hash: row.pidHash,
    pid_last4: row.pidLast4,
    card_hash: row.cardHash,
    card_last4: row.cardLast4,
    declared_method: row.declaredMethod,
    method: row.method,
    patient_key: row.pidHash ? `P:${row.pidHash}` : row.cardHash ? `C:${row.cardHash}` : null,
    visit_type: row.visitType,
    subject_code: row.subjectCode,
    source: row.source,
    fingerprint: row.fingerprint,
    updated_at: now,
  };
}
