// vitest's global set-up: says which database the suite runs on, once per run.
export default function setup() {
  const url = process.env.TEST_DATABASE_URL;
  console.log(
    url
      ? `Database: PostgreSQL (TEST_DATABASE_URL=${url.replace(/:[^:@/]*@/, ":…@")}): every test database is a schema there.`
      : "Database: SQLite. PostgreSQL not configured (TEST_DATABASE_URL unset), so the PostgreSQL run is skipped; `npm run test:postgres` runs the suite on PostgreSQL.",
  );
}
