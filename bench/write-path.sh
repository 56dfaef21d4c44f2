#!/usr/bin/env bash
# Write-path throughput: POST /v1/bench/recebimentos (HTTP + Idempotency-Key + the insert +
# audit record + outbox event in one transaction, with the sealer and relay running) driven
# by wrk, beside pgbench running the same SQL transaction (bench/write-path.sql) on the same
# database, alternating, at each client count. Prints transactions/s and the ratio.
#
# Needs PHARMASYS_BENCH_PG_URL (a superuser URL ending in /postgres) and
# PHARMASYS_BENCH_AMQP_URL; `./pharmasys bench` provides both on a throw-away server.
# PROFILE=callgrind counts the service's instructions per request instead (bench/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
DURATION=${DURATION:-15}
CLIENTS=${CLIENTS:-"8 16"}

DB_URL=$(fresh_database bench_write)
mapfile -t db_env < <(prepare_db "$DB_URL" "$BIN/pharmasys-bench-write-server")

run_pgbench() {
  pgbench -n -M prepared -c "$1" -j 2 -T "$DURATION" -f bench/write-path.sql "$DB_URL" 2>/dev/null |
    sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p'
}

run_service() {
  local clients=$1 port log
  port=$(free_port)
  log=$(mktemp)
  env "${db_env[@]}" PHARMASYS_HTTP_PORT=$port PHARMASYS_HTTP_ADDRESS=127.0.0.1 \
    PHARMASYS_AMQP_URL=$PHARMASYS_BENCH_AMQP_URL PHARMASYS_AMQP_PREFIX=bench-write. \
    PHARMASYS_HTTP_WORKERS=$((clients * 2)) PHARMASYS_DB_POOL_SIZE=$((clients * 2 + 4)) PHARMASYS_LOG_LEVEL=warn \
    $(launcher) "$BIN/pharmasys-bench-write-server" >"$log" 2>&1 &
  local pid=$!
  wait_healthy "$port"
  # warm-up: the pool's connections, prepared statements
  wrk -t2 -c "$clients" -d2s -s bench/write-path.lua "http://127.0.0.1:$port" >/dev/null
  if [ "${PROFILE:-}" = callgrind ]; then
    profile_run "$pid" -t2 -c "$clients" -d "${DURATION}s" -s bench/write-path.lua "http://127.0.0.1:$port"
    kill -TERM "$pid"
    wait "$pid" || true
    return
  fi
  local out
  out=$(wrk -t2 -c "$clients" -d "${DURATION}s" -s bench/write-path.lua "http://127.0.0.1:$port")
  kill -TERM "$pid"
  wait "$pid" || true
  rm -f "$log"
  if grep -q "Non-2xx" <<<"$out"; then
    echo "error: the endpoint answered non-2xx: $(grep Non-2xx <<<"$out")" >&2
    exit 1
  fi
  sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p' <<<"$out"
}

if [ "${PROFILE:-}" = callgrind ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  for c in $CLIENTS; do
    echo "POST /v1/bench/recebimentos under callgrind, $c connections, $DURATION s"
    run_service "$c"
  done
  exit 0
fi
echo "write path: $DURATION s per run, PostgreSQL $(psql -tA "$PHARMASYS_BENCH_PG_URL" -c 'show server_version'), $(nproc) cores"
printf '%-8s %16s %16s %8s\n' clients "pgbench tx/s" "service req/s" ratio
for c in $CLIENTS; do
  pg=$(run_pgbench "$c")
  drop_queued_work "$DB_URL"
  svc=$(run_service "$c")
  printf '%-8s %16.0f %16.0f %8.2f\n' "$c" "$pg" "$svc" "$(echo "$svc / $pg" | bc -l)"
done
