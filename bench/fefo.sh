#!/usr/bin/env bash
# FEFO allocation at plant scale: 1,000,000 lots (bench/fefo-load.sql) in Estoque's database,
# then the latency of POST /v1/estoque/consumos (HTTP, token check, Idempotency-Key, FEFO
# allocation locking the candidates, ledger, audit) driven by wrk, beside pgbench running the
# same SQL transaction (bench/fefo-allocation.sql) and the candidate query alone
# (bench/fefo-query.sql) on the same database. Prints p50/p99 in milliseconds and the ratio of
# the service to its own SQL. NO_BROKER=1 runs the service without its broker (events wait in the
# outbox), to tell what the relay and RabbitMQ on the same machine add to the tail.
# PROFILE=callgrind counts the service's instructions per request instead (bench/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
DURATION=${DURATION:-15}
CLIENTS=${CLIENTS:-"1 8"}
LOTS=1000000

DB_URL=$(fresh_database bench_fefo)
bench_workspace
start_auth fefo

estoque_env=(PHARMASYS_AMQP_URL="$PHARMASYS_BENCH_AMQP_URL"
  PHARMASYS_AMQP_PREFIX=bench-fefo. PHARMASYS_LOG_LEVEL=warn
  PHARMASYS_JWT_ISSUER=http://localhost:8080/v1/auth
  PHARMASYS_JWT_JWKS_URL="http://127.0.0.1:$auth_port/v1/auth/jwks")
[ -z "${NO_BROKER:-}" ] || estoque_env=("${estoque_env[@]:1}")
mapfile -t db_env < <(prepare_db "$DB_URL" "$BIN/pharmasys-estoque")
estoque_env+=("${db_env[@]}")
t0=$(date +%s)
echo "loading $LOTS lots ..." >&2
psql -q -v ON_ERROR_STOP=1 "$DB_URL" -f bench/fefo-load.sql >/dev/null
# The load wrote a lot of WAL: flushed now, not in the middle of a measurement (CHECKPOINT needs
# the superuser; the load runs as the database's owner).
psql -q "$PHARMASYS_BENCH_PG_URL" -c CHECKPOINT
echo "loaded in $(($(date +%s) - t0)) s" >&2
lots=$(psql -tA "$DB_URL" -c "SELECT count(*) FROM lotes")
plan=$(psql -tA "$DB_URL" -c "EXPLAIN SELECT id FROM lotes WHERE material = 'MB-0500' AND status = 'liberado'
  AND disponivel > 0 AND validade >= current_date ORDER BY validade, recebido_em, codigo LIMIT 16 FOR UPDATE" |
  grep -o 'Index [A-Za-z ]*Scan using [a-z_]*' | head -1)

port=$(free_port)
env "${estoque_env[@]}" PHARMASYS_HTTP_PORT="$port" PHARMASYS_HTTP_ADDRESS=127.0.0.1 PHARMASYS_HTTP_WORKERS=32 \
  PHARMASYS_DB_POOL_SIZE=24 $(launcher) "$BIN/pharmasys-estoque" >"$work/estoque.log" 2>&1 &
pids+=($!)
wait_healthy "$port"
TOKEN=$(auth_token grant_type=client_credentials client_id=producao client_secret=bench-client-secret)
export TOKEN

if [ "${PROFILE:-}" = callgrind ]; then
  echo "POST /v1/estoque/consumos under callgrind, 1 connection, $DURATION s ($lots lots)"
  wrk -t1 -c1 -d2s -s bench/fefo.lua "http://127.0.0.1:$port" >/dev/null # the first requests warm it up
  profile_run "${pids[-1]}" -t1 -c1 -d"${DURATION}s" -s bench/fefo.lua "http://127.0.0.1:$port"
  exit 0
fi

# percentiles <file of µs values>: "p50 p99" in ms.
percentiles() {
  sort -n "$1" | awk '{ v[NR] = $1 } END {
    i50 = int(NR * 0.50); if (i50 < 1) i50 = 1; i99 = int(NR * 0.99); if (i99 < 1) i99 = 1;
    printf "%.2f %.2f %d\n", v[i50] / 1000, v[i99] / 1000, NR }'
}

run_pgbench() { # run_pgbench <script> <clients>: "p50 p99 count"
  pgbench_latencies "$2" "$1" "$DB_URL" >"$work/lat"
  percentiles "$work/lat"
}

run_service() { # run_service <connections>: "p50 p99 count"
  local out
  out=$(wrk -t "$(( $1 < 2 ? 1 : 2 ))" -c "$1" -d "${DURATION}s" --latency -s bench/fefo.lua "http://127.0.0.1:$port")
  [ -z "${VERBOSE:-}" ] || echo "$out" >&2
  if grep -q "Non-2xx" <<<"$out"; then
    echo "error: the endpoint answered non-2xx: $(grep Non-2xx <<<"$out")" >&2
    exit 1
  fi
  local requests
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  awk -v n="$requests" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    END { printf "%.2f %.2f %d\n", p50, p99, n }' <<<"$out"
}

echo "FEFO allocation: $lots lots in 1000 materials, $DURATION s per run, PostgreSQL" \
  "$(psql -tA "$PHARMASYS_BENCH_PG_URL" -c 'show server_version'), $(nproc) cores; candidates: $plan"
printf '%-8s %-44s %9s %9s %9s %14s\n' clients what "p50 ms" "p99 ms" count "p50 / p99 ratio"
for c in $CLIENTS; do
  read -r q50 q99 qn < <(run_pgbench bench/fefo-query.sql "$c")
  read -r a50 a99 an < <(run_pgbench bench/fefo-allocation.sql "$c")
  read -r s50 s99 sn < <(run_service "$c")
  printf '%-8s %-44s %9s %9s %9s\n' "$c" "candidate query (pgbench)" "$q50" "$q99" "$qn"
  printf '%-8s %-44s %9s %9s %9s\n' "$c" "allocation transaction (pgbench, same SQL)" "$a50" "$a99" "$an"
  printf '%-8s %-44s %9s %9s %9s %6.2f / %-6.2f\n' "$c" "POST /v1/estoque/consumos (service)" "$s50" "$s99" "$sn" \
    "$(echo "$s50 / $a50" | bc -l)" "$(echo "$s99 / $a99" | bc -l)"
done
negative=$(psql -tA "$DB_URL" -c "SELECT count(*) FROM lotes WHERE quantidade < 0 OR disponivel < 0")
echo "lots with a negative balance after the run: $negative"
