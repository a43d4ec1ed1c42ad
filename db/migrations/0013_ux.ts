// Import history one row per upload: every file a pipeline run writes carries the run's
// random key, so two uploads in the same second by the same person stay two. Rows from
// before this migration have none and are grouped by moment, account and channel.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("import_batch").addColumn("upload_key", "text").execute();
  await db.schema.createIndex("import_batch_upload").on("import_batch").columns(["ward_id", "upload_key"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("import_batch_upload").execute();
  await db.schema.alterTable("import_batch").dropColumn("upload_key").execute();
}
