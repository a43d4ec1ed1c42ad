// I4 reads every resident's block and step dates: an index holding them all answers from
// the index alone (the table rows also carry the 44-character personal-ID hash). It
// replaces metric_resident_block, its prefix.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("metric_resident_steps")
    .on("metric_resident")
    .columns(["ward_id", "moved", "block_id", "vneid_on", "level2_on", "bhyt_on", "full_on"])
    .execute();
  await db.schema.dropIndex("metric_resident_block").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("metric_resident_block").on("metric_resident").columns(["ward_id", "moved", "block_id"]).execute();
  await db.schema.dropIndex("metric_resident_steps").execute();
}
