#!/usr/bin/env bash
# Traceability at plant scale: a genealogy of 1,000,000 lots and 5,000,000 edges
# (bench/trace-load.sql) in Relatórios' read model, then GET
# /v1/relatorios/rastreabilidade/{codigo}?direcao=ambos of random lots driven by wrk, beside
# pgbench running the same SQL (bench/trace.sql) on the same database. Prints p50/p95/p99 in
# milliseconds and the service's p95 and p99 against its own SQL's. PROFILE=callgrind counts the
# service's instructions per request instead (bench/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
DURATION=${DURATION:-15}
CLIENTS=${CLIENTS:-"1 4"}

DB_URL=$(fresh_database bench_trace)
bench_workspace
start_auth trace

mapfile -t relatorios_env < <(prepare_db "$DB_URL" "$BIN/pharmasys-relatorios")
relatorios_env+=(PHARMASYS_AMQP_URL="$PHARMASYS_BENCH_AMQP_URL"
  PHARMASYS_AMQP_PREFIX=bench-trace. PHARMASYS_LOG_LEVEL=warn PHARMASYS_JWT_ISSUER=http://localhost:8080/v1/auth
  PHARMASYS_JWT_JWKS_URL="http://127.0.0.1:$auth_port/v1/auth/jwks")
t0=$(date +%s)
echo "loading 1,000,000 lots and 5,000,000 edges ..." >&2
psql -q -v ON_ERROR_STOP=1 "$DB_URL" -f bench/trace-load.sql >/dev/null
# The load wrote a lot of WAL: flushed now, not in the middle of a measurement (CHECKPOINT needs
# the superuser; the load runs as the database's owner).
psql -q "$PHARMASYS_BENCH_PG_URL" -c CHECKPOINT
echo "loaded in $(($(date +%s) - t0)) s" >&2
counts=$(psql -tA "$DB_URL" -c "SELECT (SELECT count(*) FROM lotes) || ' lots, ' || (SELECT count(*) FROM consumos) || ' edges'")

port=$(free_port)
env "${relatorios_env[@]}" PHARMASYS_HTTP_PORT="$port" PHARMASYS_HTTP_ADDRESS=127.0.0.1 \
  $(launcher) "$BIN/pharmasys-relatorios" >"$work/relatorios.log" 2>&1 &
pids+=($!)
service_pid=$!
wait_healthy "$port"
TOKEN=$(auth_token grant_type=password username=auditor password=pharmasys-demo client_id=pharmasys-web)
export TOKEN

if [ "${PROFILE:-}" = callgrind ]; then
  echo "GET /v1/relatorios/rastreabilidade under callgrind, 1 connection, $DURATION s ($counts)"
  wrk -t1 -c1 -d2s -s bench/trace.lua "http://127.0.0.1:$port" >/dev/null # the first requests warm it up
  profile_run "${pids[-1]}" -t1 -c1 -d"${DURATION}s" -s bench/trace.lua "http://127.0.0.1:$port"
  exit 0
fi

run_pgbench() { # run_pgbench <clients>: "p50 p95 p99 count cpu busy" (ms; CPU ms per request, busy %)
  local before out
  before=$(cpu_ticks)
  out=$(pgbench_latencies "$1" bench/trace.sql "$DB_URL" | sort -n | awk '{ v[NR] = $1 } END {
    printf "%.2f %.2f %.2f %d\n", v[int(NR * 0.50)] / 1000, v[int(NR * 0.95)] / 1000, v[int(NR * 0.99)] / 1000, NR }')
  echo "$out $(cpu_per_request "$before" "$(cpu_ticks)" "${out##* }")"
}

run_service() { # run_service <connections>: "p50 p95 p99 count cpu busy own", as run_pgbench, and
  # the service's own CPU ms per request
  local out before own_before
  before=$(cpu_ticks)
  own_before=$(process_ticks "$service_pid")
  out=$(wrk -t "$(($1 < 2 ? 1 : 2))" -c "$1" -d "${DURATION}s" -s bench/trace.lua "http://127.0.0.1:$port")
  local line
  line=$(grep '^PERCENTILES' <<<"$out")
  read -r _ p50 p95 p99 n errors <<<"$line"
  if [ "$errors" != 0 ]; then
    echo "error: the endpoint answered non-2xx $errors times" >&2
    exit 1
  fi
  local cpu own
  cpu=$(cpu_per_request "$before" "$(cpu_ticks)" "$n")
  own=$(ms_per_request "$(($(process_ticks "$service_pid") - own_before))" "$n")
  awk -v a="$p50" -v b="$p95" -v c="$p99" -v n="$n" -v cpu="$cpu" -v own="$own" \
    'BEGIN { printf "%.2f %.2f %.2f %d %s %s\n", a / 1000, b / 1000, c / 1000, n, cpu, own }'
}

echo "traceability (direcao=ambos) of random lots: $counts, $DURATION s per run, PostgreSQL" \
  "$(psql -tA "$PHARMASYS_BENCH_PG_URL" -c 'show server_version'), $(nproc) cores"
printf '%-8s %-44s %9s %9s %9s %9s %8s %6s %10s %10s %8s\n' clients what "p50 ms" "p95 ms" "p99 ms" count \
  "CPU ms" "busy" "p95 ratio" "p99 ratio" "service"
# Each client count runs twice, in opposite orders (SQL then service, service then SQL), so a
# drift of the shared machine during the runs (another tenant, the page cache, a checkpoint)
# weighs on both sides alike; the last line gives the ratio of the two runs' p99 summed. "CPU
# ms" is what the whole machine spent per request (the side measured, its driver and
# PostgreSQL), "busy" how much of the machine's CPU time the run kept busy, "service" the CPU
# ms per request of the service's process alone.
row() { # row <clients> <what> <p50> <p95> <p99> <count> <cpu> <busy>
  printf '%-8s %-44s %9s %9s %9s %9s %8s %5s%%' "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8"
}
for c in $CLIENTS; do
  read -r a50 a95 a99 an acpu abusy < <(run_pgbench "$c")
  read -r s50 s95 s99 sn scpu sbusy sown < <(run_service "$c")
  read -r t50 t95 t99 tn tcpu tbusy town < <(run_service "$c")
  read -r b50 b95 b99 bn bcpu bbusy < <(run_pgbench "$c")
  row "$c" "trace SQL (pgbench), first" "$a50" "$a95" "$a99" "$an" "$acpu" "$abusy"
  echo
  row "$c" "GET /v1/relatorios/rastreabilidade" "$s50" "$s95" "$s99" "$sn" "$scpu" "$sbusy"
  printf ' %10.2f %10.2f %8s\n' "$(echo "$s95 / $a95" | bc -l)" "$(echo "$s99 / $a99" | bc -l)" "$sown"
  row "$c" "GET /v1/relatorios/rastreabilidade, first" "$t50" "$t95" "$t99" "$tn" "$tcpu" "$tbusy"
  printf ' %10s %10s %8s\n' "" "" "$town"
  row "$c" "trace SQL (pgbench)" "$b50" "$b95" "$b99" "$bn" "$bcpu" "$bbusy"
  printf ' %10.2f %10.2f\n' "$(echo "$t95 / $b95" | bc -l)" "$(echo "$t99 / $b99" | bc -l)"
  printf '%-8s %-100s %10.2f %10.2f\n' "$c" "both orders (sums of the two runs)" \
    "$(echo "($s95 + $t95) / ($a95 + $b95)" | bc -l)" "$(echo "($s99 + $t99) / ($a99 + $b99)" | bc -l)"
done
