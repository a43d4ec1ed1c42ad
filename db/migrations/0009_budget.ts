// The budget loop of issue #10: who reviewed an estimate and when, whether it is the
// year's first estimate or a supplement, the R3 frozen at approval, the line a
// supplement's line was carried from (so spending follows it), and comments on a line.
import { SqliteAdapter, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof SqliteAdapter ? "blob" : "bytea";
  await db.schema.alterTable("budget_estimate").addColumn("kind", "text", (c) => c.notNull().defaultTo("original")).execute();
  await db.schema.alterTable("budget_estimate").addColumn("reviewed_by", "integer", (c) => c.references("app_user.id")).execute();
  await db.schema.alterTable("budget_estimate").addColumn("reviewed_at", "bigint").execute();
  await db.schema.alterTable("budget_estimate").addColumn("frozen_at", "bigint").execute();
  await db.schema.alterTable("budget_estimate").addColumn("frozen_figures_json", "text").execute();
  await db.schema.alterTable("budget_estimate").addColumn("frozen_xlsx", binary).execute();
  await db.schema.alterTable("budget_line").addColumn("source_line_id", "integer", (c) => c.references("budget_line.id")).execute();
  await db.schema
    .alterTable("budget_review")
    .addColumn("line_id", "integer", (c) => c.references("budget_line.id").onDelete("set null"))
    .execute();
  await db.schema.createIndex("budget_review_estimate").on("budget_review").columns(["estimate_id", "created_at"]).execute();
  await db.schema.createIndex("expenditure_line").on("expenditure").columns(["budget_line_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("expenditure_line").execute();
  await db.schema.dropIndex("budget_review_estimate").execute();
  await db.schema.alterTable("budget_review").dropColumn("line_id").execute();
  await db.schema.alterTable("budget_line").dropColumn("source_line_id").execute();
  for (const column of ["frozen_xlsx", "frozen_figures_json", "frozen_at", "reviewed_at", "reviewed_by", "kind"]) {
    await db.schema.alterTable("budget_estimate").dropColumn(column).execute();
  }
}
