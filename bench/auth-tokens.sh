#!/usr/bin/env bash
# Token issuance of the Auth service (release build), driven by wrk over keep-alive HTTP:
# client_credentials (an RS256 signature per token) and password (an Argon2id verification,
# 19 MiB, t=2, plus a refresh token and two audit records per login). Beside them, in the same
# run, the floors: OpenSSL's own RSA-2048 signatures per second, and Argon2id verifications
# per second through the same libsodium call, so the figures read as ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
DURATION=${DURATION:-10}
DB_URL=$(fresh_database bench_auth)

port=$(free_port)
log=$(mktemp)
# shellcheck disable=SC2046 # one assignment per word
env $(prepare_db "$DB_URL" "$BIN/pharmasys-auth") PHARMASYS_HTTP_PORT=$port PHARMASYS_HTTP_ADDRESS=127.0.0.1 PHARMASYS_DEMO=1 \
  PHARMASYS_AMQP_URL=$PHARMASYS_BENCH_AMQP_URL PHARMASYS_AMQP_PREFIX=bench-auth. PHARMASYS_LOG_LEVEL=warn \
  PHARMASYS_AUTH_KEY_ENCRYPTION_KEY=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n') \
  PHARMASYS_CLIENT_SECRET_PRODUCAO=bench-client-secret \
  "$BIN/pharmasys-auth" >"$log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log" "$lua"' EXIT
wait_healthy "$port"

lua=$(mktemp --suffix=.lua)
run_wrk() { # run_wrk <connections> <form body>
  cat >"$lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "$2"
LUA
  local out
  out=$(wrk -t2 -c "$1" -d "${DURATION}s" -s "$lua" "http://127.0.0.1:$port/v1/auth/token")
  if grep -q "Non-2xx" <<<"$out"; then echo "error: $(grep Non-2xx <<<"$out")" >&2; exit 1; fi
  sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p' <<<"$out"
}

cc=$(run_wrk 8 "grant_type=client_credentials&client_id=producao&client_secret=bench-client-secret")
pw=$(run_wrk 4 "grant_type=password&username=analista&password=pharmasys-demo&client_id=pharmasys-web")
rsa=$(openssl speed -seconds 5 -multi 2 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print $6 }')
argon=$("$BIN/pharmasys-bench-argon2" 2>/dev/null)

echo "token issuance: $DURATION s per run, $(nproc) cores"
printf '%-34s %12s %26s %8s\n' grant "tokens/s" "floor in the same run" ratio
printf '%-34s %12.0f %18.0f sign/s %8.2f\n' "client_credentials (8 conn.)" "$cc" "$rsa" "$(echo "$cc / $rsa" | bc -l)"
printf '%-34s %12.1f %16.1f verify/s %8.2f\n' "password (4 conn.)" "$pw" "$argon" "$(echo "$pw / $argon" | bc -l)"
