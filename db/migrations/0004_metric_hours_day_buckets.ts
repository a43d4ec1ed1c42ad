// Duration histograms get day buckets (level D) above the hour buckets at month grain: a
// percentile over a year then reads a few hundred day rows and one day's hour rows
// instead of every hour row. Existing data: day buckets are sums of hour buckets.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  // floor(hour / 24), also for negative hours (integer division truncates toward zero).
  const day = sql<number>`case when bucket >= 0 then bucket / 24 else (bucket - 23) / 24 end`;
  await db
    .insertInto("metric_hours")
    .columns(["kind", "grain", "level", "slot", "facility_id", "bucket", "event_month", "n"])
    .expression(
      db
        .selectFrom("metric_hours")
        .select(["kind", "grain", sql<string>`'D'`.as("level"), "slot", "facility_id", day.as("day"), "event_month", sql<number>`sum(n)`.as("n")])
        .where("grain", "=", "m")
        .where("level", "=", "h")
        .groupBy(["kind", "grain", "slot", "facility_id", day, "event_month"]),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("metric_hours").where("level", "=", "D").execute();
}
