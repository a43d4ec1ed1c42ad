// The whole data model. Portable DDL: the same migration runs on SQLite and PostgreSQL
// (ids are SERIAL there, binary is BYTEA).
import { type Kysely, SqliteAdapter, type CreateTableBuilder } from "kysely";

function dialect(db: Kysely<any>) {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  return {
    id: <T extends string>(t: CreateTableBuilder<T, never>) =>
      sqlite
        ? t.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        : t.addColumn("id", "serial", (c) => c.primaryKey()),
    binary: sqlite ? ("blob" as const) : ("bytea" as const),
  };
}

export async function up(db: Kysely<any>): Promise<void> {
  const d = dialect(db);
  const table = (name: string) => d.id(db.schema.createTable(name));

  await table("ward")
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("place_name", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();

  await table("block")
    .addColumn("ward_id", "integer", (c) => c.notNull().references("ward.id"))
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addUniqueConstraint("block_ward_number", ["ward_id", "number"])
    .execute();

  await table("import_batch")
    .addColumn("ward_id", "integer", (c) => c.notNull().references("ward.id"))
    .addColumn("user_id", "integer")
    .addColumn("token_id", "integer")
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("kind", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("new_rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("unchanged_rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("invalid_rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("errors_json", "text")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("committed_at", "integer")
    .execute();
  await db.schema.createIndex("import_batch_hash").on("import_batch").columns(["kind", "content_hash", "status"]).execute();
  await db.schema.createIndex("import_batch_created").on("import_batch").columns(["ward_id", "created_at"]).execute();

  await table("block_population")
    .addColumn("block_id", "integer", (c) => c.notNull().references("block.id"))
    .addColumn("effective_date", "text", (c) => c.notNull())
    .addColumn("population", "integer", (c) => c.notNull())
    .addColumn("batch_id", "integer", (c) => c.references("import_batch.id"))
    .addUniqueConstraint("block_population_block_date", ["block_id", "effective_date"])
    .execute();

  await table("facility")
    .addColumn("ward_id", "integer", (c) => c.notNull().references("ward.id"))
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .execute();

  await table("visit")
    .addColumn("facility_id", "integer", (c) => c.notNull().references("facility.id"))
    .addColumn("ma_lk", "text", (c) => c.notNull())
    .addColumn("checkin_at", "integer", (c) => c.notNull())
    .addColumn("ended_at", "integer")
    .addColumn("pid_hash", "text")
    .addColumn("pid_last4", "text")
    .addColumn("card_hash", "text")
    .addColumn("card_last4", "text")
    .addColumn("declared_method", "text")
    .addColumn("method", "text", (c) => c.notNull())
    .addColumn("patient_key", "text")
    .addColumn("visit_type", "text", (c) => c.notNull())
    .addColumn("subject_code", "text")
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("batch_id", "integer", (c) => c.references("import_batch.id"))
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .addUniqueConstraint("visit_facility_malk", ["facility_id", "ma_lk"])
    .execute();
  await db.schema.createIndex("visit_checkin").on("visit").columns(["checkin_at", "facility_id"]).execute();
  await db.schema.createIndex("visit_ended").on("visit").columns(["ended_at", "facility_id"]).execute();

  await table("gateway_receipt")
    .addColumn("facility_id", "integer", (c) => c.notNull().references("facility.id"))
    .addColumn("ma_lk", "text", (c) => c.notNull())
    .addColumn("transaction_id", "text")
    .addColumn("received_at", "integer", (c) => c.notNull())
    .addColumn("result_code", "text", (c) => c.notNull())
    .addColumn("accepted", "integer", (c) => c.notNull())
    .addColumn("message", "text")
    .addColumn("identity", "text", (c) => c.notNull().unique())
    .addColumn("batch_id", "integer", (c) => c.references("import_batch.id"))
    .execute();
  await db.schema.createIndex("gateway_receipt_record").on("gateway_receipt").columns(["facility_id", "ma_lk", "received_at"]).execute();

  await table("display_confirmation")
    .addColumn("facility_id", "integer", (c) => c.notNull().references("facility.id"))
    .addColumn("ma_lk", "text", (c) => c.notNull())
    .addColumn("displayed_at", "integer", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("batch_id", "integer", (c) => c.references("import_batch.id"))
    .addUniqueConstraint("display_confirmation_identity", ["facility_id", "ma_lk", "displayed_at", "source"])
    .execute();

  await table("onboarding_record")
    .addColumn("block_id", "integer", (c) => c.notNull().references("block.id"))
    .addColumn("pid_hash", "text", (c) => c.notNull())
    .addColumn("pid_last4", "text", (c) => c.notNull())
    .addColumn("vneid_installed_on", "text")
    .addColumn("level2_activated_on", "text")
    .addColumn("bhyt_linked_on", "text")
    .addColumn("support_unit", "text")
    .addColumn("identity", "text", (c) => c.notNull().unique())
    .addColumn("batch_id", "integer", (c) => c.references("import_batch.id"))
    .execute();
  await db.schema.createIndex("onboarding_record_pid").on("onboarding_record").columns(["pid_hash", "id"]).execute();

  await table("activity")
    .addColumn("ward_id", "integer", (c) => c.notNull().references("ward.id"))
    .addColumn("block_id", "integer", (c) => c.references("block.id"))
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("unit", "text", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("participants", "integer")
    .addColumn("batch_id", "integer", (c) => c.references("import_batch.id"))
    .execute();
  await db.schema.createIndex("activity_date").on("activity").columns(["ward_id", "date"]).execute();

  await table("app_user")
    .addColumn("ward_id", "integer", (c) => c.notNull().references("ward.id"))
    .addColumn("username", "text", (c) => c.notNull().unique())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("block_id", "integer", (c) => c.references("block.id"))
    .addColumn("disabled", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("password_changed_at", "integer", (c) => c.notNull())
    .addColumn("last_login_at", "integer")
    .execute();

  await table("budget_estimate")
    .addColumn("ward_id", "integer", (c) => c.notNull().references("ward.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("replaces_id", "integer", (c) => c.references("budget_estimate.id"))
    .addColumn("created_by", "integer", (c) => c.references("app_user.id"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("submitted_at", "integer")
    .addColumn("approved_by", "integer", (c) => c.references("app_user.id"))
    .addColumn("approved_at", "integer")
    .addUniqueConstraint("budget_estimate_version", ["ward_id", "year", "version"])
    .execute();

  await table("budget_line")
    .addColumn("estimate_id", "integer", (c) => c.notNull().references("budget_estimate.id").onDelete("cascade"))
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("unit", "text", (c) => c.notNull())
    .addColumn("quantity", "integer", (c) => c.notNull())
    .addColumn("unit_price", "integer", (c) => c.notNull())
    .addColumn("amount", "integer", (c) => c.notNull())
    .addColumn("basis", "text")
    .execute();

  await table("budget_review")
    .addColumn("estimate_id", "integer", (c) => c.notNull().references("budget_estimate.id").onDelete("cascade"))
    .addColumn("reviewer_id", "integer", (c) => c.references("app_user.id"))
    .addColumn("decision", "text", (c) => c.notNull())
    .addColumn("comment", "text")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();

  await table("expenditure")
    .addColumn("ward_id", "integer", (c) => c.notNull().references("ward.id"))
    .addColumn("budget_line_id", "integer", (c) => c.references("budget_line.id"))
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("amount", "integer", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("document_ref", "text")
    .addColumn("created_by", "integer", (c) => c.references("app_user.id"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("expenditure_date").on("expenditure").columns(["ward_id", "date"]).execute();

  await table("target")
    .addColumn("ward_id", "integer", (c) => c.notNull().references("ward.id"))
    .addColumn("indicator", "text", (c) => c.notNull())
    .addColumn("block_id", "integer", (c) => c.references("block.id"))
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("threshold", "real", (c) => c.notNull())
    .execute();

  await table("plan_task")
    .addColumn("ward_id", "integer", (c) => c.notNull().references("ward.id"))
    .addColumn("phase", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("responsible_unit", "text", (c) => c.notNull())
    .addColumn("due_date", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("done_on", "text")
    .addColumn("note", "text")
    .execute();

  await table("infrastructure_item")
    .addColumn("ward_id", "integer", (c) => c.notNull().references("ward.id"))
    .addColumn("facility_id", "integer", (c) => c.references("facility.id"))
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("item", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("checked_on", "text")
    .addColumn("checked_by", "integer", (c) => c.references("app_user.id"))
    .execute();

  await table("report")
    .addColumn("ward_id", "integer", (c) => c.notNull().references("ward.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("number", "integer")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("replaces_id", "integer", (c) => c.references("report.id"))
    .addColumn("as_of", "integer")
    .addColumn("figures_json", "text")
    .addColumn("xlsx", d.binary)
    .addColumn("difficulties", "text")
    .addColumn("proposals", "text")
    .addColumn("created_by", "integer", (c) => c.references("app_user.id"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("reviewed_by", "integer", (c) => c.references("app_user.id"))
    .addColumn("reviewed_at", "integer")
    .addColumn("submitted_by", "integer", (c) => c.references("app_user.id"))
    .addColumn("submitted_at", "integer")
    .execute();

  await table("login_attempt")
    .addColumn("username", "text", (c) => c.notNull())
    .addColumn("at", "integer", (c) => c.notNull())
    .addColumn("success", "integer", (c) => c.notNull())
    .addColumn("ip", "text")
    .execute();
  await db.schema.createIndex("login_attempt_user_at").on("login_attempt").columns(["username", "at"]).execute();

  await db.schema
    .createTable("session")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("last_seen_at", "integer", (c) => c.notNull())
    .addColumn("expires_at", "integer", (c) => c.notNull())
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .execute();

  await table("api_token")
    .addColumn("ward_id", "integer", (c) => c.notNull().references("ward.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("prefix", "text", (c) => c.notNull())
    .addColumn("facility_id", "integer", (c) => c.references("facility.id"))
    .addColumn("source", "text")
    .addColumn("created_by", "integer", (c) => c.references("app_user.id"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("revoked_at", "integer")
    .addColumn("last_used_at", "integer")
    .execute();

  await db.schema
    .createTable("setting")
    .addColumn("ward_id", "integer", (c) => c.notNull().references("ward.id"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("value", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("setting_pk", ["ward_id", "key"])
    .execute();

  await table("audit_log")
    .addColumn("at", "integer", (c) => c.notNull())
    .addColumn("ward_id", "integer")
    .addColumn("user_id", "integer")
    .addColumn("username", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target", "text")
    .addColumn("detail", "text")
    .addColumn("ip", "text")
    .execute();
  await db.schema.createIndex("audit_log_at").on("audit_log").column("at").execute();
}

export async function down(): Promise<void> {
  throw new Error("The initial schema is not reversible; restore a backup instead.");
}
