// Running the pilot (issue 11): plan tasks carry every responsible unit, an evidence
// link and who last updated them; activities entered on a form remember who wrote them;
// indexes answer "who has sent what" without scanning the visits.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("plan_task").addColumn("units", "text").execute(); // comma-separated unit codes
  await db.schema.alterTable("plan_task").addColumn("evidence_url", "text").execute();
  await db.schema.alterTable("plan_task").addColumn("section", "text").execute(); // the plan's section, e.g. "II.2"
  await db.schema.alterTable("plan_task").addColumn("updated_at", "bigint").execute();
  await db.schema.alterTable("plan_task").addColumn("updated_by", "integer", (c) => c.references("app_user.id")).execute();
  await db.schema.alterTable("activity").addColumn("created_by", "integer", (c) => c.references("app_user.id")).execute();
  await db.schema.alterTable("activity").addColumn("updated_at", "bigint").execute();
  await db.schema.createIndex("activity_block_date").on("activity").columns(["block_id", "date"]).execute();
  // "Who has sent what": a facility's latest import of each source is an index seek.
  for (const table of ["visit", "gateway_receipt", "display_confirmation"]) {
    await db.schema.createIndex(`${table}_facility_batch`).on(table).columns(["facility_id", "batch_id"]).execute();
  }
  await db.schema.createIndex("display_confirmation_facility_time").on("display_confirmation").columns(["facility_id", "displayed_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("display_confirmation_facility_time").execute();
  for (const table of ["visit", "gateway_receipt", "display_confirmation"]) await db.schema.dropIndex(`${table}_facility_batch`).execute();
  await db.schema.dropIndex("activity_block_date").execute();
  for (const c of ["updated_at", "created_by"]) await db.schema.alterTable("activity").dropColumn(c).execute();
  for (const c of ["updated_by", "updated_at", "section", "evidence_url", "units"]) await db.schema.alterTable("plan_task").dropColumn(c).execute();
}
