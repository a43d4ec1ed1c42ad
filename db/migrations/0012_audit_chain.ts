// The audit log becomes append-only and chained (app/server/audit.server.ts):
// - every entry gets a sequence number `seq`, the previous entry's hash and its own
//   keyed hash, so a changed, removed or inserted entry breaks `sskdt audit verify`;
// - `audit_chain` holds the head (last seq and hash) and is what serialises appends;
// - the database refuses UPDATE of any entry, and DELETE of an entry unless a later
//   checkpoint entry (action 'checkpoint', written by the retention mechanism) covers
//   it: pruning old entries stays possible, but only through a chained record of it.
// Entries older than this migration keep seq = id and no hash ("before the chain").
// The triggers are written for SQLite and for PostgreSQL (where a trigger's WHEN may not
// hold a subquery, so the check is inside the function).
import { type Kysely, SqliteAdapter, sql } from "kysely";

const REFUSAL = "audit_log is append-only: entries cannot be changed, and removed only under a checkpoint";

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;

  await db.schema.alterTable("audit_log").addColumn("seq", "bigint").execute();
  await db.schema.alterTable("audit_log").addColumn("prev_hash", "text").execute();
  await db.schema.alterTable("audit_log").addColumn("hash", "text").execute();
  // On a checkpoint entry only: the entries with seq up to this one may be removed.
  await db.schema.alterTable("audit_log").addColumn("covers_through", "bigint").execute();
  await db.updateTable("audit_log").set({ seq: sql`id` }).execute();
  await db.schema.createIndex("audit_log_seq").unique().on("audit_log").column("seq").execute();
  await db.schema.createIndex("audit_log_user_at").on("audit_log").columns(["username", "at"]).execute();

  const last = await db.selectFrom("audit_log").select((eb) => eb.fn.max("seq").as("seq")).executeTakeFirst();
  const legacyThrough = Number(last?.seq ?? 0);
  await db.schema
    .createTable("audit_chain")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addColumn("legacy_through", "bigint", (c) => c.notNull())
    .execute();
  await db.insertInto("audit_chain").values({ id: 1, seq: legacyThrough, hash: "", legacy_through: legacyThrough }).execute();

  if (sqlite) {
    await sql.raw(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, '${REFUSAL}'); END`).execute(db);
    await sql.raw(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      WHEN NOT EXISTS (SELECT 1 FROM audit_log c WHERE c.action = 'checkpoint' AND c.covers_through >= OLD.seq)
      BEGIN SELECT RAISE(ABORT, '${REFUSAL}'); END`).execute(db);
    await sql.raw(`CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
      BEGIN SELECT RAISE(ABORT, 'audit_chain holds the head of the audit log and cannot be removed'); END`).execute(db);
  } else {
    await sql.raw(`CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_log c WHERE c.action = 'checkpoint' AND c.covers_through >= OLD.seq) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION '${REFUSAL}';
      END $$`).execute(db);
    await sql.raw(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()`).execute(db);
    await sql.raw(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()`).execute(db);
    await sql.raw(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse()`).execute(db);
    await sql.raw(`CREATE FUNCTION audit_chain_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_chain holds the head of the audit log and cannot be removed'; END $$`).execute(db);
    await sql.raw(`CREATE TRIGGER audit_chain_no_delete BEFORE DELETE OR TRUNCATE ON audit_chain FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_refuse()`).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error("The audit chain is not reversible; restore a backup instead.");
}
