// PostgreSQL's autovacuum never analyses a table of a few rows, and without statistics for
// the ward's blocks and facilities its planner misjudged every join with them: migrate()
// analyses them whenever the database is opened (app/server/db.server.ts).
import { sql } from "kysely";
import { afterAll, expect, it } from "vitest";
import { migrate, type DB } from "~/server/db.server";
import { testDb, TEST_FACILITY_CODES } from "../import/helpers";

let db: DB | undefined;
afterAll(() => db?.destroy());

const rowsThePlannerSees = async (d: DB) =>
  (
    await sql<{ relname: string; reltuples: number }>`select relname, reltuples from pg_class
      where relnamespace = current_schema()::regnamespace and relname in ('ward', 'block', 'facility') order by relname`.execute(d)
  ).rows.map((r) => [r.relname, Number(r.reltuples)]);

it.skipIf(!process.env.TEST_DATABASE_URL)("gives PostgreSQL the row counts of the ward's blocks and facilities when the database is opened", async () => {
  ({ db } = await testDb()); // opened empty, then a ward with its nine blocks and the test facilities
  expect(await rowsThePlannerSees(db)).toEqual([["block", 0], ["facility", 0], ["ward", 0]]);
  await migrate(db); // what the next open does
  expect(await rowsThePlannerSees(db)).toEqual([["block", 9], ["facility", TEST_FACILITY_CODES.length], ["ward", 1]]);
});
