// VNeID display confirmations (FORMATS.md §4). Every confirmation is stored (the
// earliest valid one of a record stands, which the indicators read); one dated before the
// record's first accepted receipt is invalid, which the indicators decide on all the
// receipts, so here it only gets a warning; one for a record with no accepted receipt
// yet is kept and listed as unmatched.
import { DISPLAY_SOURCE_LABELS } from "../../../domain/codes";
import { formatDateTime } from "../../../domain/format";
import { byFacility, chunked, countIn, type Item, type KindHandler, type Validated } from "../handler.server";
import { columnLabel } from "../kinds";
import { RowReader, type RawRow } from "../row-reader";
import { ACCEPTED_RESULT } from "./receipts.server";

export interface DisplayRow {
  facilityCode: string;
  maLk: string;
  displayedAt: number;
  /** '' when the file does not say (or says something unknown). */
  source: keyof typeof DISPLAY_SOURCE_LABELS | "";
}

function validate(raw: RawRow, line: number | null): Validated<DisplayRow> {
  const r = new RowReader(raw, line, (name) => columnLabel("displays", name));
  const facilityCode = r.facilityCode("ma_cskcb");
  const maLk = r.text("ma_lk", { required: true, max: 100 });
  const displayed = r.date("thoi_gian_hien_thi", { required: true });
  // FORMATS.md §4 marks only the facility, the visit key and the time as required, and no
  // indicator reads the source: a confirmation with no or an unknown source is kept, with a warning.
  const source = r.optionalCode("nguon", DISPLAY_SOURCE_LABELS, "xác nhận vẫn được giữ");
  if (!r.text("nguon")) r.warn("nguon", "Không ghi Nguồn; xác nhận vẫn được giữ.");
  if (!r.ok || !displayed) return { row: null, errors: r.errors, warnings: r.warnings };
  return { row: { facilityCode, maLk, displayedAt: displayed.epoch, source: source ?? "" }, warnings: r.warnings };
}

export const displays: KindHandler<DisplayRow> = {
  validate,
  scope: (row) => ({ facilityCode: row.facilityCode }),

  async plan({ trx, facilities, derived }, items) {
    const groups = byFacility(items.map((i) => i.row));
    const facilityIds = await facilities.idsOf(trx, groups.keys());
    const known = new Set<string>();
    const firstAccepted = new Map<string, number>();
    for (const [code, rows] of groups) {
      const facilityId = facilityIds.get(code)!;
      for (const keys of chunked([...new Set(rows.map((r) => r.maLk))], 1)) {
        const stored = await trx
          .selectFrom("display_confirmation")
          .select(["ma_lk", "displayed_at", "source"])
          .where("facility_id", "=", facilityId)
          .where("ma_lk", "in", keys)
          .execute();
        for (const d of stored) known.add(identity(facilityId, d.ma_lk, d.displayed_at, d.source));
        const receipts = await trx
          .selectFrom("gateway_receipt")
          .select(["ma_lk", (eb) => eb.fn.min<number>("received_at").as("first")])
          .where("facility_id", "=", facilityId)
          .where("ma_lk", "in", keys)
          .where("accepted", "=", 1)
          .groupBy("ma_lk")
          .execute();
        for (const g of receipts) firstAccepted.set(`${facilityId}\u0000${g.ma_lk}`, Number(g.first));
      }
    }

    const inserts: Item<DisplayRow>[] = [];
    for (const item of items) {
      const { row } = item;
      const facilityId = facilityIds.get(row.facilityCode)!;
      const id = identity(facilityId, row.maLk, row.displayedAt, row.source);
      if (known.has(id)) {
        countIn(item.file, "unchanged");
        continue;
      }
      const first = firstAccepted.get(`${facilityId}\u0000${row.maLk}`);
      // Earlier than the first accepted receipt known now: invalid, so the indicators do
      // not count it. It is still stored, because that receipt is judged on all the
      // data: an earlier accepted receipt imported later makes it valid, and the figures
      // must not depend on the order the files came in.
      if (first !== undefined && row.displayedAt < first) {
        item.file.warnings.add({
          line: item.line, field: "thoi_gian_hien_thi",
          reason: `Thời gian hiển thị ${formatDateTime(row.displayedAt)} sớm hơn lần tiếp nhận được chấp nhận đầu tiên (${formatDateTime(first)}) của hồ sơ ${row.maLk}: không được tính, trừ khi có lần tiếp nhận được chấp nhận sớm hơn.`,
        });
      } else if (first === undefined) {
        item.file.warnings.add({
          line: item.line, field: "ma_lk",
          reason: `Chưa khớp: hồ sơ ${row.facilityCode}/${row.maLk} chưa có kết quả gửi được chấp nhận (mã ${ACCEPTED_RESULT}); xác nhận được giữ lại.`,
        });
      }
      known.add(id);
      inserts.push(item);
      countIn(item.file, "new");
      derived.record(facilityId, row.maLk);
    }

    return async () => {
      const rows = inserts.map(({ row, file }) => ({
        facility_id: facilityIds.get(row.facilityCode)!,
        ma_lk: row.maLk,
        displayed_at: row.displayedAt,
        source: row.source,
        batch_id: file.batchId,
      }));
      for (const chunk of chunked(rows, 5)) await trx.insertInto("display_confirmation").values(chunk).execute();
    };
  },
};

const identity = (facilityId: number, maLk: string, at: number, source: string) => `${facilityId}\u0000${maLk}\u0000${at}\u0000${source}`;
