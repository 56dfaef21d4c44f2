#!/usr/bin/env bash
# Every benchmark, one after the other. `./pharmasys bench` runs this against a throw-away
# PostgreSQL and RabbitMQ with a release build; by hand, set PHARMASYS_BENCH_PG_URL (superuser,
# ending in /postgres) and PHARMASYS_BENCH_AMQP_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
export BIN_DIR=$BIN

echo "== write path (bench/write-path.sh)"
bench/write-path.sh

echo
echo "== event propagation (pharmasys-bench-event-latency)"
producer=$(fresh_database bench_producer)
consumer=$(fresh_database bench_consumer)
PHARMASYS_LOG_LEVEL=warn "$BIN/pharmasys-bench-event-latency" "$producer" "$consumer" \
  "$PHARMASYS_BENCH_AMQP_URL" "${RATE:-200}" "${DURATION:-10}"

echo
echo "== token issuance (bench/auth-tokens.sh)"
bench/auth-tokens.sh

echo
echo "== gateway overhead (bench/gateway-latency.sh)"
bench/gateway-latency.sh
