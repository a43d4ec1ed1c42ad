// Multi-row INSERTs of many rows. Kysely builds and compiles an INSERT of 500 rows value
// by value, which costs more than SQLite takes to run it; here the statement of each
// shape (table, columns, row count, conflict clause) is compiled by Kysely once — so
// its SQL is the dialect's own, placeholders included — and then run with each chunk's
// values as parameters.
import { CompiledQuery, type InsertQueryBuilder, type Kysely } from "kysely";

type AnyInsert = InsertQueryBuilder<any, any, any>;

export interface Conflict {
  /** Names the clause: statements are reused by it. */
  key: string;
  apply: (q: AnyInsert) => AnyInsert;
}

/** Well under SQLite's (32,766) and PostgreSQL's (65,535) parameter limits. */
const MAX_PARAMETERS = 30_000;
const MAX_ROWS = 500;
const MAX_TEMPLATES = 200;

const templates = new Map<string, string | null>(); // null: the shape does not take its values in row order

function templateOf(db: Kysely<any>, table: string, columns: string[], rows: number, conflict?: Conflict): string | null {
  const key = `${table}\u0000${columns.join(",")}\u0000${rows}\u0000${conflict?.key ?? ""}`;
  let sqlText = templates.get(key);
  if (sqlText !== undefined) return sqlText;
  // Distinct numbers as values tell where each parameter lands.
  const values = Array.from({ length: rows }, (_, i) => Object.fromEntries(columns.map((c, j) => [c, i * columns.length + j])));
  let q: AnyInsert = db.insertInto(table).values(values);
  if (conflict) q = conflict.apply(q);
  const compiled = q.compile();
  const inOrder = compiled.parameters.length === rows * columns.length && compiled.parameters.every((p, i) => p === i);
  sqlText = inOrder ? compiled.sql : null;
  if (templates.size >= MAX_TEMPLATES) templates.clear();
  templates.set(key, sqlText);
  return sqlText;
}

/** Inserts `rows` — objects with the same keys, in the same order — in chunks. */
export async function insertRows(db: Kysely<any>, table: string, objects: ReadonlyArray<object>, conflict?: Conflict): Promise<void> {
  if (objects.length === 0) return;
  const rows = objects as ReadonlyArray<Record<string, unknown>>;
  const columns = Object.keys(rows[0]);
  const size = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / columns.length)));
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const sqlText = templateOf(db, table, columns, chunk.length, conflict);
    if (sqlText === null) {
      let q: AnyInsert = db.insertInto(table).values(chunk as Array<Record<string, unknown>>);
      if (conflict) q = conflict.apply(q);
      await q.execute();
      continue;
    }
    const parameters: unknown[] = new Array(chunk.length * columns.length);
    let p = 0;
    for (const row of chunk) for (const c of columns) parameters[p++] = row[c];
    await db.executeQuery(CompiledQuery.raw(sqlText, parameters));
  }
}
