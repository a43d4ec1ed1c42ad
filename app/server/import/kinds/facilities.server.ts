// The ward's list of facilities (FORMATS.md §8): code, name, kind. Re-importing a code
// updates its name and kind. Once a code is in the list, rows of the other kinds may
// name it (pipeline: a code not in the list makes the row invalid).
import { FACILITY_KIND_LABELS } from "../../../domain/codes";
import { countIn, type Item, type KindHandler, type Validated } from "../handler.server";
import { columnLabel } from "../kinds";
import { RowReader, type RawRow } from "../row-reader";
import { shown } from "../issues";

export interface FacilityRow {
  code: string;
  name: string;
  kind: string;
}

/** A facility code as FORMATS.md §8 writes it: exactly 5 letters or digits. */
export const FACILITY_LIST_CODE = /^[A-Z0-9]{5}$/;

function validate(raw: RawRow, line: number | null): Validated<FacilityRow> {
  const r = new RowReader(raw, line, (name) => columnLabel("facilities", name));
  const code = r.facilityCode("ma_cskcb").toUpperCase();
  if (code && r.ok && !FACILITY_LIST_CODE.test(code)) r.error("ma_cskcb", `Mã cơ sở KCB "${shown(code)}" phải gồm đúng 5 chữ hoặc số.`);
  const name = r.text("ten_co_so", { required: true, max: 200 });
  const kind = r.code("loai", FACILITY_KIND_LABELS) ?? "khac";
  if (!r.ok || !code || !name) return { row: null, errors: r.errors, warnings: r.warnings };
  return { row: { code, name, kind }, warnings: r.warnings };
}

export const facilities: KindHandler<FacilityRow> = {
  validate,
  // The list is the administrator's: it belongs to no block and no single facility's token.
  scope: () => ({}),

  async plan({ trx, wardId, facilities: registry }, items) {
    const codes = [...new Set(items.map((i) => i.row.code))];
    const stored = new Map<string, { id: number | null; name: string; kind: string; wardId: number }>();
    if (codes.length) {
      const found = await trx.selectFrom("facility").select(["id", "code", "name", "kind", "ward_id"]).where("code", "in", codes).execute();
      for (const f of found) stored.set(f.code, { id: f.id, name: f.name, kind: f.kind, wardId: f.ward_id });
    }
    const writes: Array<Item<FacilityRow> & { id: number | null }> = [];
    const latest = new Map<string, number>();
    for (const item of items) {
      const state = stored.get(item.row.code);
      if (state && state.wardId !== wardId) {
        item.file.counts.invalid++;
        item.file.errors.add({ line: item.line, field: "ma_cskcb", reason: `Mã cơ sở KCB ${item.row.code} đã thuộc danh mục của đơn vị khác.` });
        continue;
      }
      if (state && state.name === item.row.name && state.kind === item.row.kind) {
        countIn(item.file, "unchanged");
        continue;
      }
      countIn(item.file, state ? "updated" : "new");
      stored.set(item.row.code, { id: state?.id ?? null, name: item.row.name, kind: item.row.kind, wardId });
      latest.set(item.row.code, writes.length);
      writes.push({ ...item, id: state?.id ?? null });
    }
    return async () => {
      // The last row of a code in the file wins.
      for (const [code, index] of latest) {
        const { row, id } = writes[index];
        if (id !== null) {
          await trx.updateTable("facility").set({ name: row.name, kind: row.kind }).where("id", "=", id).execute();
        } else {
          const created = await trx.insertInto("facility").values({ ward_id: wardId, code, name: row.name, kind: row.kind }).returning("id").executeTakeFirstOrThrow();
          registry.registered(code, created.id);
        }
      }
    };
  },
};
