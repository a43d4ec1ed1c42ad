// Official reports (issue #9): the yearly number sequences of "Số: n/BC-UBND", and on a
// report the SHA-256 of its frozen .xlsx and when a draft's texts were last saved.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("report_sequence")
    .addColumn("ward_id", "integer", (c) => c.notNull().references("ward.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("last_number", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("report_sequence_pk", ["ward_id", "year", "symbol"])
    .execute();
  await db.schema.alterTable("report").addColumn("xlsx_sha256", "text").execute();
  await db.schema.alterTable("report").addColumn("updated_at", "bigint").execute();
  await db.schema.createIndex("report_ward_kind_period").on("report").columns(["ward_id", "kind", "period", "version"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("report_ward_kind_period").execute();
  await db.schema.alterTable("report").dropColumn("updated_at").execute();
  await db.schema.alterTable("report").dropColumn("xlsx_sha256").execute();
  await db.schema.dropTable("report_sequence").execute();
}
