#!/usr/bin/env bash
# `npm run test:postgres` — the vitest suite (unit, import, figure, CLI and HTTP tests) on
# PostgreSQL: every database a test opens is a schema of TEST_DATABASE_URL's database
# (app/server/db.server.ts). Without TEST_DATABASE_URL, a throwaway local cluster is
# started for the run (scripts/pg-test-cluster.sh; Debian's postgresql is installed when
# missing) and stopped afterwards. Extra arguments go to vitest (e.g. a test file).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  TEST_DATABASE_URL=$(scripts/pg-test-cluster.sh start)
  export TEST_DATABASE_URL
  trap 'scripts/pg-test-cluster.sh stop' EXIT
fi
# Every property-test run there opens a database of its own: fewer runs keep it quick (SQLite has 60).
export PROPERTY_RUNS=${PROPERTY_RUNS:-5}
# A fresh database there costs more than on SQLite: longer time limits.
npx vitest run --testTimeout 120000 --hookTimeout 300000 "$@"
