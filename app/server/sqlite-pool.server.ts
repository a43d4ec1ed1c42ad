// Kysely's SQLite dialect over a small pool of better-sqlite3 connections to one file.
//
// Kysely's own SqliteDriver has a single connection behind a mutex: while one request
// (or an import) holds a transaction, every other query of the process waits for it. Here
// each query or transaction takes an idle connection, so under WAL the dashboard keeps
// reading while an import (in a worker thread, its own pool) writes. better-sqlite3 is
// synchronous, so a connection never sleeps in SQLite's busy handler (that would stop the
// whole event loop): busy_timeout is 0 and a query that finds the database locked is
// retried after a short asynchronous pause. Write transactions begin IMMEDIATE, taking the
// write lock up front, so a transaction never has to restart because another connection
// wrote between its reads and its first write.
import SQLite from "better-sqlite3";
import {
  CompiledQuery, SelectQueryNode, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryCompiler, type QueryResult,
} from "kysely";

/** How long a query waits for another connection's write lock before failing. */
const LOCK_WAIT_MS = 120_000;
/** Prepared statements kept per SQL text and connection (least recently used dropped). */
const CACHED_STATEMENTS = 256;

export interface SqlitePoolConfig {
  /** Opens one connection (pragmas set). */
  open: () => SQLite.Database;
  /** Connections at most; 1 for ':memory:' (each connection would be its own database). */
  size: number;
}

export class SqlitePoolDialect implements Dialect {
  constructor(private readonly config: SqlitePoolConfig) {}
  createAdapter = () => new SqliteAdapter();
  createDriver = (): Driver => new SqlitePoolDriver(this.config);
  createQueryCompiler = (): QueryCompiler => new SqliteQueryCompiler();
  createIntrospector = (db: Kysely<any>) => new SqliteIntrospector(db);
}

class SqlitePoolDriver implements Driver {
  private readonly all: PooledConnection[] = [];
  private readonly idle: PooledConnection[] = [];
  private readonly waiting: Array<(c: PooledConnection) => void> = [];

  constructor(private readonly config: SqlitePoolConfig) {}

  async init() {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.all.length < this.config.size) {
      const connection = new PooledConnection(this.config.open());
      this.all.push(connection);
      return connection;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async releaseConnection(connection: DatabaseConnection) {
    const next = this.waiting.shift();
    if (next) next(connection as PooledConnection);
    else this.idle.push(connection as PooledConnection);
  }

  async beginTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }

  async commitTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async savepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`savepoint "${name}"`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`rollback to "${name}"`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`release "${name}"`));
  }

  async destroy() {
    for (const c of this.all) c.close();
    this.all.length = this.idle.length = 0;
  }
}

/**
 * Sent on a connection (it runs nothing): the connection's next transaction fails at once
 * with SQLITE_BUSY rather than wait when another connection writes (db.server.ts tryWriteNow).
 */
export const NEXT_BEGIN_WITHOUT_WAITING = "-- sskdt: next begin without waiting";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isLocked = (error: unknown) => (error as { code?: string }).code === "SQLITE_BUSY";

class PooledConnection implements DatabaseConnection {
  private readonly cache = new Map<string, SQLite.Statement>();
  private beginWithoutWaiting = false;

  constructor(private readonly sqlite: SQLite.Database) {}

  close() {
    this.cache.clear();
    this.sqlite.close();
  }

  /**
   * A statement already prepared for the same SQL: a page or an import batch repeats the
   * same few dozen queries, and parsing and planning them again cost as much as running
   * them. A statement still being iterated (a streamed query) is not shared.
   */
  private prepare(sql: string): SQLite.Statement {
    const cached = this.cache.get(sql);
    if (cached && !cached.busy) {
      this.cache.delete(sql); // most recently used last
      this.cache.set(sql, cached);
      return cached;
    }
    const statement = this.sqlite.prepare(sql);
    if (!cached) {
      if (this.cache.size >= CACHED_STATEMENTS) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiled;
    if (sql === NEXT_BEGIN_WITHOUT_WAITING) {
      this.beginWithoutWaiting = true;
      return { rows: [] };
    }
    const begin = /^begin/i.test(sql);
    const wait = !(begin && this.beginWithoutWaiting);
    if (begin) this.beginWithoutWaiting = false;
    const started = Date.now();
    for (let backoff = 2; ; backoff = Math.min(backoff * 2, 50)) {
      try {
        const statement = this.prepare(sql);
        if (statement.reader) return { rows: statement.all(parameters) as R[] };
        const { changes, lastInsertRowid } = statement.run(parameters);
        return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
      } catch (error) {
        // Retried only where that is safe: outside a transaction, or its first statement (BEGIN IMMEDIATE).
        const retriable = wait && isLocked(error) && (!this.sqlite.inTransaction || begin);
        if (!retriable || Date.now() - started > LOCK_WAIT_MS) throw error;
        await pause(backoff);
      }
    }
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiled.query)) throw new Error("SQLite streams only SELECT queries");
    for (const row of this.prepare(compiled.sql).iterate(compiled.parameters)) yield { rows: [row as R] };
  }
}
