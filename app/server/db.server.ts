// One database client per process. SQLite (better-sqlite3) is the embedded default;
// DATABASE_URL=postgres://… selects PostgreSQL (Kysely's Postgres dialect over a `pg`
// pool). Everything goes through Kysely with portable SQL, so both give the same figures.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteAdapter, sql, type DatabaseIntrospector, type TableMetadata, type Transaction } from "kysely";
import pg from "pg";
import type { Database } from "../../db/schema";
import { migrationProvider } from "../../db/migrations";
import { env } from "./env.server";
import { NEXT_BEGIN_WITHOUT_WAITING, SqlitePoolDialect } from "./sqlite-pool.server";

export type DB = Kysely<Database>;

export const isPostgresUrl = (url: string) => /^postgres(ql)?:/i.test(url);

/** Whether the database is PostgreSQL (for the few places where the dialects must differ). */
export const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

/** The URL as it may be printed: a PostgreSQL password is not. */
export const printableUrl = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:…@");

/** 'file:data/x.sqlite' or a plain path → a filesystem path; ':memory:' stays as it is. */
export function sqlitePathOf(url: string): string {
  if (isPostgresUrl(url)) throw new Error(`${printableUrl(url)} is a PostgreSQL URL, not a SQLite file`);
  const p = url.startsWith("file:") ? url.slice("file:".length) : url;
  return p === ":memory:" || p === "" ? ":memory:" : path.resolve(p);
}

export function openDatabase(url: string): DB {
  const test = testDatabaseOf(url);
  if (test) return openPostgres(test.url, test.schema);
  if (isPostgresUrl(url)) return openPostgres(url);
  const file = sqlitePathOf(url);
  if (file !== ":memory:") makePrivate(file);
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

/** Connections per process to a database file: a few requests read while another writes. */
const SQLITE_CONNECTIONS = 4;

/** Connections per process to PostgreSQL (SSKDT_PG_POOL overrides). */
const PG_CONNECTIONS = 10;

// int8 (count(*), bigint columns) and numeric (sum of bigints) as JavaScript numbers, as
// SQLite gives them: epochs and đồng amounts stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** A PostgreSQL database; with `schema`, in that schema of it (created when missing), as the tests use. */
function openPostgres(url: string, schema?: { name: string; dropOnClose: boolean }): DB {
  const admin = async (statement: string, ignored: string[] = []) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } catch (error) {
      if (!ignored.includes((error as { code?: string }).code ?? "")) throw error;
    } finally {
      await client.end();
    }
  };
  const pool = async () => {
    // Two processes creating the schema at once: one wins, which is all that is needed.
    if (schema) await admin(`create schema if not exists "${schema.name}"`, ["23505", "42P06"]);
    const pool = new pg.Pool({
      connectionString: url,
      max: Number(process.env.SSKDT_PG_POOL) || PG_CONNECTIONS,
      ...(schema ? { options: `-c search_path="${schema.name}"` } : {}),
    });
    if (schema?.dropOnClose) {
      const end = pool.end.bind(pool);
      pool.end = (async () => {
        await end();
        await admin(`drop schema if exists "${schema.name}" cascade`);
      }) as typeof pool.end;
    }
    return pool;
  };
  return new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
}

/**
 * Kysely's Postgres dialect, introspecting only the current schema: Kysely's migrator asks
 * for every table of the database (each time it runs), which is slow where the tests keep
 * hundreds of schemas, and would find another schema's migration tables.
 */
class CurrentSchemaPostgresDialect extends PostgresDialect {
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    const getTables = async (): Promise<TableMetadata[]> => {
      const { rows } = await sql<{ table: string; schema: string; view: boolean; column: string; type: string; nullable: boolean; defaulted: boolean }>`
        select c.table_name as "table", c.table_schema as "schema", t.table_type = 'VIEW' as "view", c.column_name as "column",
               c.udt_name as "type", c.is_nullable = 'YES' as "nullable", c.column_default is not null as "defaulted"
        from information_schema.columns c join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = current_schema()
        order by c.table_name, c.ordinal_position`.execute(db);
      const tables = new Map<string, TableMetadata>();
      for (const r of rows) {
        const table = tables.get(r.table) ?? { name: r.table, schema: r.schema, isView: r.view, columns: [] };
        tables.set(r.table, table);
        table.columns.push({
          name: r.column, dataType: r.type, isNullable: r.nullable, hasDefaultValue: r.defaulted,
          isAutoIncrementing: r.defaulted && r.type.startsWith("int"),
        });
      }
      return [...tables.values()];
    };
    return {
      getSchemas: async () => [{ name: (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0].s }],
      getTables,
      getMetadata: async () => ({ tables: await getTables() }),
    };
  }
}

/**
 * The test suite on PostgreSQL: with TEST_DATABASE_URL=postgres://… set, every SQLite URL a
 * test (or a server or command it starts) opens is served by a schema of that database
 * instead: a fresh one for ':memory:', one named after the file for a file, so a test and
 * the command it runs on "the same file" share it. Never set outside tests.
 */
function testDatabaseOf(url: string): { url: string; schema: { name: string; dropOnClose: boolean } } | null {
  const test = process.env.TEST_DATABASE_URL;
  if (!test || isPostgresUrl(url)) return null;
  if (!isPostgresUrl(test)) throw new Error("TEST_DATABASE_URL must be a postgres:// URL");
  const file = sqlitePathOf(url);
  const name = file === ":memory:" ? crypto.randomBytes(8).toString("hex") : crypto.createHash("sha256").update(file).digest("hex").slice(0, 16);
  // An in-memory database is gone once closed; a file's schema stays, as the file would.
  return { url: test, schema: { name: `test_${name}`, dropOnClose: file === ":memory:" } };
}

/**
 * Runs `work` in a transaction that does not wait for another connection's write lock;
 * false (nothing written) when the database is busy. Writes that can be put off (an audit
 * entry of a page view, a session's idle timer) are tried this way, so a request never
 * waits behind an import holding SQLite's write lock (PostgreSQL has no such lock).
 */
export async function tryWriteNow(db: DB, work: (trx: Transaction<Database>) => Promise<void>): Promise<boolean> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await db.transaction().execute(work);
    return true;
  }
  // One at a time in this process (they mostly append to the audit chain), and a short
  // wait for this process's other, brief writes: only a long lock (an import) makes it give up.
  const attempt = async (): Promise<boolean> => {
    for (const started = Date.now(); ; await new Promise((resolve) => setTimeout(resolve, 5))) {
      try {
        await db.connection().execute(async (connection) => {
          await sql.raw(NEXT_BEGIN_WITHOUT_WAITING).execute(connection);
          await connection.transaction().execute(work);
        });
        return true;
      } catch (error) {
        if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
        if (Date.now() - started > TRY_WRITE_MS) return false;
      }
    }
  };
  const result = tryWrites.then(attempt);
  tryWrites = result.catch(() => false);
  return result;
}
let tryWrites: Promise<unknown> = Promise.resolve();
const TRY_WRITE_MS = 100;

export async function migrate(db: DB): Promise<void> {
  // On PostgreSQL, the migration tables of this schema (Kysely would look in every schema).
  const schema = isPostgres(db) ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0].s : undefined;
  // Unordered: migrations numbered by engineer land in any order (0007 may arrive after 0008
  // was applied); each one depends only on those numbered before it.
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema: schema, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) throw new Error(`Migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
  // PostgreSQL's autovacuum never analyses a table of a few rows (its threshold is 50
  // changes): without statistics for the ward's blocks and facilities, the planner took
  // a join with them for 60 rows instead of 11,000 and read the onboarding records one
  // index probe at a time (32 ms instead of 2 ms at 100k visits, growing with the ward).
  if (isPostgres(db)) await sql`analyze ward, block, facility`.execute(db);
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
