// One database client per process. SQLite (better-sqlite3) is the embedded default;
// everything goes through Kysely with portable SQL so PostgreSQL can take over at scale.
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteAdapter, SqliteDialect, sql, type Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { migrationProvider } from "../../db/migrations";
import { env } from "./env.server";

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
  if (file !== ":memory:") makePrivate(file);
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // 64 MB of page cache (the default is 2 MB): the roll-ups the dashboard reads stay in memory.
  sqlite.pragma("cache_size = -65536");
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}

/**
 * The database file readable by this account only (0600), in a folder only it can enter
 * (0700). SQLite gives its -wal and -shm files the mode of the database file. A shared
 * folder (sticky, like /tmp) or one owned by another account is left as it is.
 */
function makePrivate(file: string) {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.statSync(dir);
  const mine = typeof process.getuid !== "function" || stat.uid === process.getuid();
  if (mine && (stat.mode & 0o1000) === 0 && (stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (f === file) fs.closeSync(fs.openSync(f, "a", 0o600));
    if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
  }
}

/** Prepared statements kept per SQL text (least recently used dropped): Kysely prepares every query anew. */
const CACHED_STATEMENTS = 256;

/**
 * The database as Kysely's SQLite driver sees it, handing back a statement already
 * prepared for the same SQL: a dashboard page or an import batch repeats the same few
 * dozen queries, and parsing and planning them again cost as much as running them. A
 * statement still being iterated (a streamed query) is not shared.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(sql: string): SQLite.Statement {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        cache.delete(sql); // most recently used last
        cache.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      if (!cached) {
        if (cache.size >= CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

const BUSY_TIMEOUT_MS = 5000;

/**
 * Runs `work` in a transaction that does not wait for another process's write lock;
 * false (nothing written) when the database is busy. better-sqlite3 waits for a lock
 * synchronously, which stalls every request of the server for up to the busy timeout,
 * so writes that can be put off (an audit entry of a page view, a session's idle timer)
 * are tried this way while `sskdt import` holds the lock for a long file.
 */
export async function tryWriteNow(db: DB, work: (trx: Transaction<Database>) => Promise<void>): Promise<boolean> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await db.transaction().execute(work);
    return true;
  }
  try {
    await db.transaction().execute(async (trx) => {
      await sql`PRAGMA busy_timeout = 0`.execute(trx);
      try {
        await work(trx);
      } finally {
        await sql.raw(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`).execute(trx);
      }
    });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_BUSY") return false;
    throw error;
  }
}

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
