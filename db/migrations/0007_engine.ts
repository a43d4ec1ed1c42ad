// PostgreSQL's `integer` is 32 bits: epoch seconds overflow in 2038 and đồng amounts at
// 2.1 billion. There every epoch column (…_at, at, as_of) and every money column (amount,
// unit_price) becomes `bigint`. SQLite's INTEGER is already 64 bits: nothing to do.
import { PostgresAdapter, sql, type Kysely } from "kysely";

const WIDE = (column: string) => /_at$/.test(column) || ["at", "as_of", "amount", "unit_price"].includes(column);

async function retype(db: Kysely<any>, from: "integer" | "bigint", to: "integer" | "bigint") {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and data_type = ${from}
    order by table_name, column_name`.execute(db);
  const byTable = new Map<string, string[]>();
  for (const r of rows) if (WIDE(r.column_name)) byTable.set(r.table_name, [...(byTable.get(r.table_name) ?? []), r.column_name]);
  for (const [table, columns] of byTable) {
    const changes = columns.map((c) => sql`alter column ${sql.ref(c)} type ${sql.raw(to)}`);
    await sql`alter table ${sql.table(table)} ${sql.join(changes)}`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await retype(db, "integer", "bigint");
}

export async function down(db: Kysely<any>): Promise<void> {
  await retype(db, "bigint", "integer");
}
