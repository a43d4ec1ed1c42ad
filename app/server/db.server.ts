// One database client per process. SQLite (better-sqlite3) is the embedded default;
// everything goes through Kysely with portable SQL so PostgreSQL can take over at scale.
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator } from "kysely";
import type { Database } from "../../db/schema";
import { migrationProvider } from "../../db/migrations";
import { env } from "./env.server";
import { SqlitePoolDialect } from "./sqlite-pool.server";

export type DB = Kysely<Database>;

/** 'file:data/x.sqlite' or a plain path → a filesystem path; ':memory:' stays as it is. */
export function sqlitePathOf(url: string): string {
  if (url.startsWith("postgres:") || url.startsWith("postgresql:")) {
    throw new Error("PostgreSQL is the scale-up target of the schema, but this build ships only the SQLite driver.");
  }
  const p = url.startsWith("file:") ? url.slice("file:".length) : url;
  return p === ":memory:" || p === "" ? ":memory:" : path.resolve(p);
}

export function openDatabase(url: string): DB {
  const file = sqlitePathOf(url);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const open = () => {
    const sqlite = new SQLite(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("synchronous = NORMAL");
    // Never sleep in SQLite's busy handler: it would stop the event loop (sqlite-pool.server.ts retries instead).
    sqlite.pragma("busy_timeout = 0");
    // 64 MB of page cache (the default is 2 MB): the roll-ups the dashboard reads stay in memory.
    sqlite.pragma("cache_size = -65536");
    return sqlite;
  };
  return new Kysely<Database>({ dialect: new SqlitePoolDialect({ open, size: file === ":memory:" ? 1 : SQLITE_CONNECTIONS }) });
}

/** Connections per process to a database file: a few requests read while another writes. */
const SQLITE_CONNECTIONS = 4;

/**
 * A write the answer need not wait for (an audit entry of a page view, a session's last
 * activity): queued in order, and awaited at most `ms` before the caller goes on, so a
 * request never waits behind an import holding SQLite's write lock. A write that fails
 * after the caller has gone on is logged.
 */
export function writeSoon(work: () => Promise<unknown>, ms = 100): Promise<void> {
  let late = false;
  const done = writes.then(work).then(
    () => undefined,
    (error) => {
      if (late) console.error("a deferred write failed:", error);
      else throw error;
    },
  );
  writes = done.catch(() => undefined);
  const timer = new Promise<void>((resolve) => setTimeout(() => ((late = true), resolve()), ms).unref());
  return Promise.race([done, timer]);
}
let writes: Promise<unknown> = Promise.resolve();

export async function migrate(db: DB): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) throw new Error(`Migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
}

/** Opens and migrates: what the server, the CLI and the tests all start from. */
export async function openMigratedDatabase(url: string): Promise<DB> {
  const db = openDatabase(url);
  await migrate(db);
  return db;
}

// Kept on globalThis so a dev-server reload does not open a second connection.
const holder = globalThis as unknown as { __sskdtDb?: Promise<DB> };

export function getDb(): Promise<DB> {
  return (holder.__sskdtDb ??= openMigratedDatabase(env().DATABASE_URL));
}
