// metric_record gains the time of each record's earliest receipt, so that a record's I2
// state at any as-of time is a comparison of three of its columns (app/domain/classify.ts)
// and the records pages and work list classify from metric_record, as the figures do,
// instead of re-reading every receipt. Filled here from the receipts already imported.
// And an index by patient: the distinct-patient summaries are recomputed per patient
// from metric_record (derived.server.ts).
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("metric_record").addColumn("first_receipt_at", "bigint").execute();
  await fillFirstReceipts(db);
  await db.schema.createIndex("metric_record_patient").on("metric_record").columns(["patient_key", "facility_id", "checkin_day"]).execute();
}

export async function fillFirstReceipts(db: Kysely<any>): Promise<void> {
  await sql`update metric_record set first_receipt_at = (
    select min(g.received_at) from gateway_receipt g
    where g.facility_id = metric_record.facility_id and g.ma_lk = metric_record.ma_lk)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("metric_record_patient").execute();
  await db.schema.alterTable("metric_record").dropColumn("first_receipt_at").execute();
}
