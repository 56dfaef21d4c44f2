#!/usr/bin/env bash
# What the gateway adds to a request: GET /v1/auth/me with a valid token, straight to the Auth
# service and through the gateway (token check, per-IP and per-user limits in Redis, proxy),
# at the same fixed concurrency, side by side in one run. Prints p50/p99 of both and the gap.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
: "${PHARMASYS_BENCH_REDIS_URL:?set PHARMASYS_BENCH_REDIS_URL (or run ./pharmasys bench)}"
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-8}
DB_URL=$(fresh_database bench_gateway)
auth_port=$(free_port)
gw_port=$(free_port)
pids=()
trap 'for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done; wait 2>/dev/null' EXIT

# shellcheck disable=SC2046 # one assignment per word
env $(prepare_db "$DB_URL" "$BIN/pharmasys-auth") PHARMASYS_HTTP_PORT=$auth_port PHARMASYS_HTTP_ADDRESS=127.0.0.1 \
  PHARMASYS_DEMO=1 \
  PHARMASYS_AMQP_URL=$PHARMASYS_BENCH_AMQP_URL PHARMASYS_AMQP_PREFIX=bench-gw. PHARMASYS_LOG_LEVEL=warn \
  PHARMASYS_AUTH_KEY_ENCRYPTION_KEY=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n') \
  "$BIN/pharmasys-auth" >/dev/null 2>&1 &
pids+=($!)
wait_healthy "$auth_port"
PHARMASYS_HTTP_PORT=$gw_port PHARMASYS_HTTP_ADDRESS=127.0.0.1 PHARMASYS_UPSTREAM_AUTH=http://127.0.0.1:$auth_port \
  PHARMASYS_REDIS_URL=$PHARMASYS_BENCH_REDIS_URL PHARMASYS_LOG_LEVEL=${GATEWAY_LOG_LEVEL:-warn} \
  PHARMASYS_RATE_LIMIT_IP=off PHARMASYS_RATE_LIMIT_USER=10000000/min \
  "$BIN/pharmasys-gateway" >"${GATEWAY_LOG:-/dev/null}" 2>&1 &
pids+=($!)
wait_healthy "$gw_port"

token=$(curl -s "http://127.0.0.1:$auth_port/v1/auth/token" -d grant_type=password -d username=auditor \
  -d password=pharmasys-demo -d client_id=pharmasys-web | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

# run <url>: "p50_ms p99_ms req_per_s"
run() {
  wrk -t2 -c "$CONNECTIONS" -d "${DURATION}s" --latency -H "Authorization: Bearer $token" "$1" |
    awk '/^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } /^Requests\/sec/ { rps = $2 } /Non-2xx/ { bad = 1 }
         function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
         END { if (bad) { print "error"; exit 1 } printf "%.3f %.3f %.0f\n", ms(p50), ms(p99), rps }'
}
read -r d50 d99 drps < <(run "http://127.0.0.1:$auth_port/v1/auth/me")
read -r g50 g99 grps < <(run "http://127.0.0.1:$gw_port/v1/auth/me")
echo "gateway overhead: GET /v1/auth/me, $CONNECTIONS connections, $DURATION s per run, $(nproc) cores"
printf '%-22s %10s %10s %10s\n' "" "p50 ms" "p99 ms" "req/s"
printf '%-22s %10.3f %10.3f %10.0f\n' "direct to auth" "$d50" "$d99" "$drps"
printf '%-22s %10.3f %10.3f %10.0f\n' "through the gateway" "$g50" "$g99" "$grps"
printf '%-22s %10.3f %10.3f\n' "added by the gateway" "$(echo "$g50 - $d50" | bc -l)" "$(echo "$g99 - $d99" | bc -l)"
