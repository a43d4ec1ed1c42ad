// Roll-up tables for the indicator engine (app/server/metrics): kept current by
// updateDerived inside each import's write transaction, so the dashboard reads small
// aggregates instead of scanning visits. Everything here can be rebuilt from the base
// tables (`sskdt metrics --rebuild`). Portable DDL, like 0001.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  // One row per record (facility, MA_LK) that has a visit or an accepted receipt: the
  // facts the indicators need, so a change can be applied as old − new.
  await db.schema
    .createTable("metric_record")
    .addColumn("facility_id", "integer", (c) => c.notNull())
    .addColumn("ma_lk", "text", (c) => c.notNull())
    .addColumn("checkin_day", "text")
    .addColumn("method", "text")
    .addColumn("patient_key", "text")
    .addColumn("ended_at", "integer")
    .addColumn("end_day", "text")
    .addColumn("receipts", "text", (c) => c.notNull())
    .addColumn("accepted_at", "integer")
    .addColumn("accepted_day", "text")
    .addColumn("displayed_at", "integer")
    .addColumn("send_minute", "integer")
    .addColumn("display_minute", "integer")
    .addPrimaryKeyConstraint("metric_record_pk", ["facility_id", "ma_lk"])
    .execute();
  const index = (name: string, columns: string[]) => db.schema.createIndex(name).on("metric_record").columns(columns).execute();
  // Records whose state changes between a month start and the as-of time; pending and overdue lists.
  await index("metric_record_accepted", ["accepted_at", "facility_id", "displayed_at"]);
  await index("metric_record_displayed", ["displayed_at"]);
  // The exact durations inside one minute of a percentile's histogram.
  await index("metric_record_send", ["send_minute", "end_day", "facility_id", "accepted_at", "ended_at"]);
  await index("metric_record_display", ["display_minute", "accepted_day", "facility_id", "accepted_at", "displayed_at"]);
  // Distinct patients over a period that is not whole months; the work list in visit-end order.
  await index("metric_record_checkin", ["checkin_day", "facility_id", "patient_key"]);
  await index("metric_record_ended", ["ended_at", "facility_id", "accepted_at"]);
  // Receipts in a time range: records whose I2 state changed around the as-of time.
  await db.schema.createIndex("gateway_receipt_received").on("gateway_receipt").columns(["received_at"]).execute();

  // I1: visits per check-in day, facility and counted method.
  await db.schema
    .createTable("metric_checkin_day")
    .addColumn("facility_id", "integer", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("method", "text", (c) => c.notNull())
    .addColumn("identified", "integer", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("metric_checkin_day_pk", ["facility_id", "day", "method", "identified"])
    .execute();

  // I2 and I3 states as spans of months (see record-facts.ts), per population day.
  for (const [table, dayColumn] of [["metric_sending_span", "end_day"], ["metric_display_span", "accepted_day"]] as const) {
    await db.schema
      .createTable(table)
      .addColumn("facility_id", "integer", (c) => c.notNull())
      .addColumn(dayColumn, "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("code", "text", (c) => c.notNull())
      .addColumn("from_month", "text", (c) => c.notNull())
      .addColumn("until_month", "text", (c) => c.notNull())
      .addColumn("n", "integer", (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, [dayColumn, "facility_id", "state", "code", "from_month", "until_month"])
      .execute();
  }

  // Histograms of hours to send / to display, for exact medians and 90th percentiles:
  // per population month (hour and minute buckets) and per day (hour buckets), split by
  // the month of the event (acceptance / display) so an as-of time can leave later ones out.
  await db.schema
    .createTable("metric_hours")
    .addColumn("kind", "text", (c) => c.notNull()) // send | display
    .addColumn("grain", "text", (c) => c.notNull()) // m (slot = 'yyyy-MM') | d (slot = 'yyyy-MM-dd')
    .addColumn("level", "text", (c) => c.notNull()) // h (bucket = hour) | m (bucket = minute)
    .addColumn("slot", "text", (c) => c.notNull())
    .addColumn("facility_id", "integer", (c) => c.notNull())
    .addColumn("event_month", "text", (c) => c.notNull())
    .addColumn("bucket", "integer", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("metric_hours_pk", ["kind", "grain", "level", "slot", "facility_id", "bucket", "event_month"])
    .execute();

  // I1 distinct patients over whole months: each patient's months with a visit (facility
  // 0 = the ward), and per month how many patients' previous visit month was which.
  await db.schema
    .createTable("metric_patient_month")
    .addColumn("ward_id", "integer", (c) => c.notNull())
    .addColumn("facility_id", "integer", (c) => c.notNull())
    .addColumn("patient_key", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("metric_patient_month_pk", ["ward_id", "facility_id", "patient_key", "month"])
    .execute();
  await db.schema
    .createTable("metric_patient_link")
    .addColumn("ward_id", "integer", (c) => c.notNull())
    .addColumn("facility_id", "integer", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("previous_month", "text", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("metric_patient_link_pk", ["ward_id", "facility_id", "month", "previous_month"])
    .execute();

  // I4: each resident's earliest step dates; the block when all their rows name one block.
  await db.schema
    .createTable("metric_resident")
    .addColumn("ward_id", "integer", (c) => c.notNull())
    .addColumn("pid_hash", "text", (c) => c.notNull())
    .addColumn("block_id", "integer")
    .addColumn("moved", "integer", (c) => c.notNull())
    .addColumn("vneid_on", "text")
    .addColumn("level2_on", "text")
    .addColumn("bhyt_on", "text")
    .addColumn("full_on", "text")
    .addPrimaryKeyConstraint("metric_resident_pk", ["ward_id", "pid_hash"])
    .execute();
  await db.schema.createIndex("metric_resident_block").on("metric_resident").columns(["ward_id", "moved", "block_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["metric_resident", "metric_patient_link", "metric_patient_month", "metric_hours", "metric_display_span", "metric_sending_span", "metric_checkin_day", "metric_record"]) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.dropIndex("gateway_receipt_received").execute();
}
