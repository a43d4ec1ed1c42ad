// Communication and training activities (FORMATS.md §7). They have no natural key:
// every valid row is new, and the pipeline refuses a file whose content hash was
// imported before.
import { ACTIVITY_TYPE_LABELS, ACTIVITY_UNIT_LABELS } from "../../../domain/codes";
import { chunked, countIn, type Item, type KindHandler, type ValidateContext, type Validated } from "../handler.server";
import { columnLabel } from "../kinds";
import { RowReader, type RawRow } from "../row-reader";

export interface ActivityRow {
  date: string;
  type: string;
  unit: string;
  blockId: number | null;
  content: string;
  participants: number | null;
}

/** One activity's fields, as an import row or the activities form gives them. */
export function validateActivity(raw: RawRow, line: number | null, ctx: ValidateContext): Validated<ActivityRow> {
  const r = new RowReader(raw, line, (name) => columnLabel("activities", name));
  const date = r.day("ngay", { required: true });
  const type = r.code("loai", ACTIVITY_TYPE_LABELS, { required: true });
  const unit = r.code("don_vi", ACTIVITY_UNIT_LABELS, { required: true });
  const block = r.block("khoi", ctx.blocks);
  const content = r.text("noi_dung").slice(0, 2000);
  const participants = r.count("so_nguoi");
  if (!r.ok || !date || !type || !unit) return { row: null, errors: r.errors, warnings: r.warnings };
  // A block committee's activity that names no block is one of its own block.
  return { row: { date, type, unit, blockId: block?.id ?? ctx.ownBlockId, content, participants }, warnings: r.warnings };
}

export const activities: KindHandler<ActivityRow> = {
  validate: validateActivity,
  scope: (row) => ({ blockId: row.blockId }),

  async plan({ trx, wardId }, items) {
    for (const item of items) countIn(item.file, "new");
    return async () => {
      const rows = items.map(({ row, file }: Item<ActivityRow>) => ({
        ward_id: wardId, block_id: row.blockId, date: row.date, type: row.type, unit: row.unit,
        content: row.content, participants: row.participants, batch_id: file.batchId,
      }));
      for (const chunk of chunked(rows, 8)) await trx.insertInto("activity").values(chunk).execute();
    };
  },
};
