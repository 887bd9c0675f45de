#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, on loopback only (Debian's postgresql package).
#
#   .ci/postgres.sh start [DIR]   start (or reuse) the server; prints its SQLAlchemy URL
#   .ci/postgres.sh url [DIR]     print the URL of the running server
#   .ci/postgres.sh stop [DIR]    stop it and delete DIR
#
# Run the storage tests against it:  export BALANCESHEET_TEST_PG_URL="$(.ci/postgres.sh start)"
# DIR defaults to $BALANCESHEET_PG_DIR or /tmp/balancesheet-pg-<uid>. The cluster lives in DIR
# (data, socket, log); it listens on 127.0.0.1 at a free port, trusts the local socket, asks a
# password over TCP (role and database "balancesheet", password "balancesheet", CREATEDB so the
# tests make a database per test) and runs without fsync: it holds test data only.
# PostgreSQL refuses to run as root: as root, the server and its tools run as the "postgres" user.
set -euo pipefail

action="${1:-}"
dir="${2:-${BALANCESHEET_PG_DIR:-${TMPDIR:-/tmp}/balancesheet-pg-$(id -u)}}"
data="$dir/data"
user=balancesheet

bindir() {
  if command -v pg_ctl >/dev/null; then dirname "$(readlink -f "$(command -v pg_ctl)")"; return; fi
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$found" ]; then
    echo "PostgreSQL is not installed (Debian/Ubuntu: apt-get install postgresql)" >&2
    exit 1
  fi
  echo "$found"
}

as_server() {  # run a PostgreSQL tool as the user owning the cluster
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() {
  [ -f "$data/postmaster.pid" ] && [ -f "$dir/url" ] && as_server "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  if running; then cat "$dir/url"; return; fi
  [ -d "$data" ] && as_server "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  mkdir -p "$dir"
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  local port pwfile
  port="$(free_port)"
  pwfile="$dir/superuser-password"
  as_server sh -c "umask 077; echo postgres > '$pwfile'"
  as_server "$bin/initdb" -D "$data" -U postgres --pwfile="$pwfile" -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_server "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  as_server "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE $user LOGIN CREATEDB PASSWORD '$user'" -c "CREATE DATABASE $user OWNER $user" >/dev/null \
    || { stop; exit 1; }
  echo "postgresql+psycopg://$user:$user@127.0.0.1:$port/$user" | tee "$dir/url"
}

stop() {
  if [ -d "$data" ]; then as_server "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
}

bin="$(bindir)"
case "$action" in
  start) start ;;
  stop) stop ;;
  url) if running; then cat "$dir/url"; else echo "no server running in $dir" >&2; exit 1; fi ;;
  *) echo "usage: $0 start|url|stop [DIR]" >&2; exit 2 ;;
esac
