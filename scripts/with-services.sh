#!/usr/bin/env bash
# Run a command with DATABASE_URL (PostgreSQL) and REDIS_URL (Redis) pointing at real servers.
#
# For each: the variable when it is already set; else the local server on the standard port when it
# answers; else a private throwaway server started from the local binaries in a temporary folder and
# stopped afterwards; else a message saying exactly what to install.
#
#   scripts/with-services.sh .venv/bin/pytest
set -euo pipefail

tmp_root=""
pids=()
pg_stop=()
cleanup() {
  local rc=$? pid
  if [ "${#pg_stop[@]}" -gt 0 ]; then "${pg_stop[@]}" || true; fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$tmp_root" ]; then rm -rf "$tmp_root"; fi
  exit "$rc"
}
trap cleanup EXIT INT TERM

port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

make_tmp() {
  [ -n "$tmp_root" ] || tmp_root=$(mktemp -d /tmp/alpclusters-services.XXXXXX)
  chmod 755 "$tmp_root"
}

find_pg_bin() {
  local dir
  if command -v initdb >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return 0
  fi
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ] && { echo "$dir"; return 0; }
  done
  return 1
}

# PostgreSQL refuses to run as root: a throwaway cluster runs as an unprivileged user instead.
as_db_user() {
  if [ "$(id -u)" = 0 ]; then
    local user=postgres
    id "$user" >/dev/null 2>&1 || user=nobody
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

start_private_postgres() {
  local bin port data
  bin=$(find_pg_bin) || return 1
  make_tmp
  port=$(free_port)
  data="$tmp_root/pg"
  mkdir -p "$data"
  if [ "$(id -u)" = 0 ]; then
    chown "$(id -u postgres 2>/dev/null || id -u nobody)" "$data" "$tmp_root"
  fi
  as_db_user "$bin/initdb" -D "$data" -U postgres -A trust --no-sync >"$tmp_root/initdb.log" 2>&1
  pg_stop=(as_db_user "$bin/pg_ctl" -D "$data" -m immediate -s stop)
  if as_db_user "$bin/pg_ctl" -D "$data" -l "$tmp_root/pg.log" -w -s -t 30 start \
    -o "-p $port -k $tmp_root -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"; then
    DATABASE_URL="postgres://postgres@127.0.0.1:$port/alpclusters"
    return 0
  fi
  echo "A private PostgreSQL did not start; its log:" >&2
  cat "$tmp_root/pg.log" >&2
  return 1
}

start_private_redis() {
  local port
  command -v redis-server >/dev/null 2>&1 || return 1
  make_tmp
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$tmp_root" \
    >"$tmp_root/redis.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    port_answers "$port" && { REDIS_URL="redis://127.0.0.1:$port/0"; return 0; }
    sleep 0.1
  done
  echo "A private Redis did not start; its log:" >&2
  cat "$tmp_root/redis.log" >&2
  return 1
}

if [ -z "${DATABASE_URL:-}" ]; then
  if port_answers 5432; then
    DATABASE_URL="postgres://postgres@127.0.0.1:5432/alpclusters"
  elif start_private_postgres; then
    echo "Started a private PostgreSQL for this run: $DATABASE_URL"
  else
    cat >&2 <<'MSG'
The tests need PostgreSQL and none was found. Either
  - set DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/alpclusters (the user may create databases), or
  - run a server on 127.0.0.1:5432 accepting user postgres without password, or
  - install the server binaries so a private one can be started: apt-get install -y postgresql
MSG
    exit 2
  fi
fi

if [ -z "${REDIS_URL:-}" ]; then
  if port_answers 6379; then
    # Database 9 keeps test keys apart from a development worker on database 0; within it each
    # run has its own key prefix and queues (see TEST_RUN_ID below).
    REDIS_URL="redis://127.0.0.1:6379/9"
  elif start_private_redis; then
    echo "Started a private Redis for this run: $REDIS_URL"
  else
    cat >&2 <<'MSG'
The tests need Redis and none was found. Either
  - set REDIS_URL=redis://HOST:PORT/DB, or
  - run a server on 127.0.0.1:6379, or
  - install the server so a private one can be started: apt-get install -y redis-server
MSG
    exit 2
  fi
fi

# Every run owns its test database (test_alpclusters_<run>) and its cache keys (prefix
# alpclusters-test-<run>); Celery workers started by the tests get queues of their own. Two runs on
# one machine share nothing, and none flushes what another wrote.
TEST_RUN_ID=${TEST_RUN_ID:-$(date +%s)$$}
export DATABASE_URL REDIS_URL TEST_RUN_ID
set +e
"$@"
rc=$?
set -e
# For callers that need the command's own exit code (make turns any failure into 2).
if [ -n "${COMMAND_EXIT_FILE:-}" ]; then echo "$rc" >"$COMMAND_EXIT_FILE"; fi
exit "$rc"
