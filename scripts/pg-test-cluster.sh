#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests: in a temporary folder, on loopback
# only, with a user and a database, and prints the URL to put in TEST_DATABASE_URL.
# Installs Debian's postgresql first when no server binaries are found (CI).
#
#   export TEST_DATABASE_URL=$(scripts/pg-test-cluster.sh start)   # or: start /tmp/my-pg 55432
#   npx vitest run                                                  # the whole suite on PostgreSQL
#   scripts/pg-test-cluster.sh stop /tmp/my-pg
#
# The cluster is for tests only: fsync is off and local connections are trusted.
set -euo pipefail

command=${1:-start}
dir=${2:-${SSKDT_PG_DIR:-/tmp/sskdt-pg-test}}
port=${3:-${SSKDT_PG_PORT:-55432}}

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ -z "$(bin_dir)" ]; then
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update >&2
  $SUDO apt-get install -y --no-install-recommends postgresql >&2
fi
BIN=$(bin_dir)

# initdb refuses to run as root: the cluster then belongs to the postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
  start)
    if [ -f "$dir/data/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      echo "postgres://sskdt:sskdt@127.0.0.1:$port/sskdt_test"
      exit 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    # C collation: text sorts byte-wise, as on SQLite.
    as_owner "$BIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1
    as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2
    psql "postgres://postgres@127.0.0.1:$port/postgres" -q -v ON_ERROR_STOP=1 \
      -c "create user sskdt password 'sskdt' createdb" -c "create database sskdt_test owner sskdt" >&2
    echo "postgres://sskdt:sskdt@127.0.0.1:$port/sskdt_test"
    ;;
  stop)
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast stop >&2 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop [dir] [port]" >&2
    exit 2
    ;;
esac
