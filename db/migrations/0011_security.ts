// What the security review asked of the schema (issue #13):
// - sign-in throttling in one counter row per key (an account, an address, an account
//   from an address), incremented atomically, instead of a row per attempt that was
//   counted after the password check (a parallel burst got more tries than allowed);
// - accounts: a generated password must be changed at first sign-in; an optional TOTP
//   second factor (its secret encrypted with a key derived from SSKDT_SECRET, and the
//   last time step used, so a code cannot be replayed);
// - API tokens: a scope (push or read, kept apart) and an expiry.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("login_throttle")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("window_start", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.dropTable("login_attempt").execute();

  await db.schema.alterTable("app_user").addColumn("must_change_password", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("app_user").addColumn("totp_secret", "text").execute();
  await db.schema.alterTable("app_user").addColumn("totp_last_step", "bigint").execute();

  // Tokens made before scopes existed were made to push data.
  await db.schema.alterTable("api_token").addColumn("scope", "text", (c) => c.notNull().defaultTo("push")).execute();
  await db.schema.alterTable("api_token").addColumn("expires_at", "bigint").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("api_token").dropColumn("expires_at").execute();
  await db.schema.alterTable("api_token").dropColumn("scope").execute();
  await db.schema.alterTable("app_user").dropColumn("totp_last_step").execute();
  await db.schema.alterTable("app_user").dropColumn("totp_secret").execute();
  await db.schema.alterTable("app_user").dropColumn("must_change_password").execute();
  await db.schema.dropTable("login_throttle").execute();
  await db.schema
    .createTable("login_attempt")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("username", "text", (c) => c.notNull())
    .addColumn("at", "integer", (c) => c.notNull())
    .addColumn("success", "integer", (c) => c.notNull())
    .addColumn("ip", "text")
    .execute();
}
