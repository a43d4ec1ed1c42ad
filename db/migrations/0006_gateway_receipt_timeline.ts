// The roll-ups re-read a record's receipts (time, accepted, code) on every import that
// touches it: an index holding them answers from the index alone, in (record, time,
// import) order, instead of one table read per receipt and a sort. It replaces
// gateway_receipt_record, its prefix.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("gateway_receipt_timeline")
    .on("gateway_receipt")
    .columns(["facility_id", "ma_lk", "received_at", "accepted", "result_code"])
    .execute();
  await db.schema.dropIndex("gateway_receipt_record").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("gateway_receipt_record").on("gateway_receipt").columns(["facility_id", "ma_lk", "received_at"]).execute();
  await db.schema.dropIndex("gateway_receipt_timeline").execute();
}
