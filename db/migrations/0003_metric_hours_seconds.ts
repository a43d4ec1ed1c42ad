// Minute buckets of the duration histograms also count their durations per second of
// the minute (s00 … s59), so a percentile reads its exact value from the histogram and
// no record. Rows from before these columns count nothing there; the engine sees that
// the seconds do not add up to the minute's count and reads the records instead, so no
// recompute is needed (`sskdt metrics --rebuild` fills them).
import type { Kysely } from "kysely";

const SECOND_COLUMNS = Array.from({ length: 60 }, (_, s) => `s${String(s).padStart(2, "0")}`);

export async function up(db: Kysely<any>): Promise<void> {
  for (const column of SECOND_COLUMNS) {
    await db.schema.alterTable("metric_hours").addColumn(column, "integer", (c) => c.notNull().defaultTo(0)).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of SECOND_COLUMNS) await db.schema.alterTable("metric_hours").dropColumn(column).execute();
}
