#!/usr/bin/env bash
# The benchmarks, one after the other: all of them, or the ones named
# (`./pharmasys bench fefo write-path`). `./pharmasys bench` runs this against a throw-away
# PostgreSQL and RabbitMQ with a release build; by hand, set PHARMASYS_BENCH_PG_URL (superuser,
# ending in /postgres) and PHARMASYS_BENCH_AMQP_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
export BIN_DIR=$BIN
ALL=(write-path event-latency auth-tokens gateway-latency fefo trace)
selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${ALL[@]}")

event_latency() {
  local producer consumer
  producer=$(fresh_database bench_producer)
  consumer=$(fresh_database bench_consumer)
  PHARMASYS_LOG_LEVEL=warn "$BIN/pharmasys-bench-event-latency" "$producer" "$consumer" \
    "$PHARMASYS_BENCH_AMQP_URL" "${RATE:-200}" "${DURATION:-10}"
}

first=1
for name in "${selected[@]}"; do
  [ $first -eq 1 ] || echo
  first=0
  case $name in
    write-path) echo "== write path (bench/write-path.sh)"; bench/write-path.sh ;;
    event-latency) echo "== event propagation (pharmasys-bench-event-latency)"; event_latency ;;
    auth-tokens) echo "== token issuance (bench/auth-tokens.sh)"; bench/auth-tokens.sh ;;
    gateway-latency) echo "== gateway overhead (bench/gateway-latency.sh)"; bench/gateway-latency.sh ;;
    fefo) echo "== FEFO allocation at 1,000,000 lots (bench/fefo.sh)"; bench/fefo.sh ;;
    trace) echo "== traceability over 1,000,000 lots and 5,000,000 edges (bench/trace.sh)"; bench/trace.sh ;;
    *) echo "error: unknown benchmark '$name'; known: ${ALL[*]}" >&2; exit 2 ;;
  esac
done
