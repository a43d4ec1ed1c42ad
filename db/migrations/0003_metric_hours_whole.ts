// Histogram minutes also count the durations that are a whole number of minutes: those
// are the smallest values of their minute, so a percentile that falls among them needs
// no record read (source times are mostly to the minute). Rows from before this column
// count none, which only sends the engine to read the records, so no recompute is needed.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("metric_hours").addColumn("whole", "integer", (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("metric_hours").dropColumn("whole").execute();
}
