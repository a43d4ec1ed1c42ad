// The gateway's answers to submissions (FORMATS.md §3). Result '200' is accepted;
// every other code is a rejection, kept with its message. A receipt's identity is its
// transaction id, else (facility, visit key, time, result).
import { byFacility, chunked, countIn, type Item, type KindHandler, type Validated } from "../handler.server";
import { insertRows } from "../../bulk.server";
import { columnLabel } from "../kinds";
import { RowReader, type RawRow } from "../row-reader";

export interface ReceiptRow {
  facilityCode: string;
  maLk: string;
  transactionId: string | null;
  receivedAt: number;
  resultCode: string;
  message: string | null;
  identity: string;
}

export const ACCEPTED_RESULT = "200";

function validate(raw: RawRow, line: number | null): Validated<ReceiptRow> {
  const r = new RowReader(raw, line, (name) => columnLabel("receipts", name));
  const facilityCode = r.facilityCode("ma_cskcb");
  const maLk = r.text("ma_lk", { required: true, max: 100 });
  const transactionId = r.text("ma_giao_dich", { max: 100 }) || null;
  const received = r.date("thoi_gian_tiep_nhan", { required: true });
  const resultCode = r.text("ma_ket_qua", { required: true, max: 20 });
  const message = r.text("thong_diep").slice(0, 2000) || null;
  if (!r.ok || !received) return { row: null, errors: r.errors, warnings: r.warnings };
  const identity = transactionId ? `T:${transactionId}` : `K:${facilityCode}|${maLk}|${received.epoch}|${resultCode}`;
  return { row: { facilityCode, maLk, transactionId, receivedAt: received.epoch, resultCode, message, identity }, warnings: r.warnings };
}

export const receipts: KindHandler<ReceiptRow> = {
  validate,
  scope: (row) => ({ facilityCode: row.facilityCode }),

  async plan({ trx, facilities, derived }, items) {
    const facilityIds = await facilities.idsOf(trx, byFacility(items.map((i) => i.row)).keys());
    type Stored = { id: number | null; facilityId: number; maLk: string; fields: string };
    const stored = new Map<string, Stored>();
    for (const keys of chunked([...new Set(items.map((i) => i.row.identity))], 1)) {
      const found = await trx
        .selectFrom("gateway_receipt")
        .select(["id", "identity", "facility_id", "ma_lk", "transaction_id", "received_at", "result_code", "message"])
        .where("identity", "in", keys)
        .execute();
      for (const g of found) {
        stored.set(g.identity, {
          id: g.id, facilityId: g.facility_id, maLk: g.ma_lk,
          fields: fieldsOf(g.facility_id, g.ma_lk, g.transaction_id, g.received_at, g.result_code, g.message),
        });
      }
    }

    const inserts = new Map<string, Item<ReceiptRow>>();
    const updates = new Map<number, Item<ReceiptRow>>();
    for (const item of items) {
      const { row } = item;
      const facilityId = facilityIds.get(row.facilityCode)!;
      const fields = fieldsOf(facilityId, row.maLk, row.transactionId, row.receivedAt, row.resultCode, row.message);
      const state = stored.get(row.identity);
      if (state?.fields === fields) {
        countIn(item.file, "unchanged");
        continue;
      }
      if (!state || state.id === null) inserts.set(row.identity, item);
      else updates.set(state.id, item);
      if (state) derived.record(state.facilityId, state.maLk); // a receipt that moved leaves its old record too
      derived.record(facilityId, row.maLk);
      stored.set(row.identity, { id: state?.id ?? null, facilityId, maLk: row.maLk, fields });
      countIn(item.file, state ? "updated" : "new");
    }

    return async () => {
      const values = (item: Item<ReceiptRow>) => ({
        facility_id: facilityIds.get(item.row.facilityCode)!,
        ma_lk: item.row.maLk,
        transaction_id: item.row.transactionId,
        received_at: item.row.receivedAt,
        result_code: item.row.resultCode,
        accepted: item.row.resultCode === ACCEPTED_RESULT ? 1 : 0,
        message: item.row.message,
        identity: item.row.identity,
        batch_id: item.file.batchId,
      });
      await insertRows(trx, "gateway_receipt", [...inserts.values()].map(values));
      for (const [id, item] of updates) await trx.updateTable("gateway_receipt").set(values(item)).where("id", "=", id).execute();
    };
  },
};

const fieldsOf = (...values: unknown[]) => JSON.stringify(values);
