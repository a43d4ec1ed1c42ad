// Eligible population per block from a day on (FORMATS.md §6): one figure per
// (block, effective date); a new figure for the same pair replaces the old one.
import { countIn, type Item, type KindHandler, type ValidateContext, type Validated } from "../handler.server";
import { columnLabel } from "../kinds";
import { RowReader, type RawRow } from "../row-reader";

export interface PopulationRow {
  blockId: number;
  effectiveDate: string;
  population: number;
}

function validate(raw: RawRow, line: number | null, ctx: ValidateContext): Validated<PopulationRow> {
  const r = new RowReader(raw, line, (name) => columnLabel("population", name));
  const block = r.block("khoi", ctx.blocks, { required: true });
  const effectiveDate = r.day("ngay_hieu_luc", { required: true });
  const population = r.count("dan_so", { required: true });
  if (!r.ok || !block || !effectiveDate || population === null) return { row: null, errors: r.errors, warnings: r.warnings };
  return { row: { blockId: block.id, effectiveDate, population }, warnings: r.warnings };
}

export const population: KindHandler<PopulationRow> = {
  validate,
  scope: (row) => ({ blockId: row.blockId }),

  async plan({ trx }, items) {
    const stored = new Map<string, { id: number | null; population: number }>();
    const blockIds = [...new Set(items.map((i) => i.row.blockId))];
    const found = await trx
      .selectFrom("block_population")
      .select(["id", "block_id", "effective_date", "population"])
      .where("block_id", "in", blockIds)
      .execute();
    for (const f of found) stored.set(`${f.block_id}|${f.effective_date}`, { id: f.id, population: f.population });

    const inserts = new Map<string, Item<PopulationRow>>();
    const updates = new Map<number, Item<PopulationRow>>();
    for (const item of items) {
      const key = `${item.row.blockId}|${item.row.effectiveDate}`;
      const state = stored.get(key);
      if (state?.population === item.row.population) {
        countIn(item.file, "unchanged");
        continue;
      }
      if (!state || state.id === null) inserts.set(key, item);
      else updates.set(state.id, item);
      stored.set(key, { id: state?.id ?? null, population: item.row.population });
      countIn(item.file, state ? "updated" : "new");
    }
    return async () => {
      const values = ({ row, file }: Item<PopulationRow>) => ({
        block_id: row.blockId, effective_date: row.effectiveDate, population: row.population, batch_id: file.batchId,
      });
      if (inserts.size) await trx.insertInto("block_population").values([...inserts.values()].map(values)).execute();
      for (const [id, item] of updates) await trx.updateTable("block_population").set(values(item)).where("id", "=", id).execute();
    };
  },
};
