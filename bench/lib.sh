# Shared by the bench/ scripts (sourced, not run): the servers they need, the binaries they
# drive, and the small steps each of them takes.

: "${PHARMASYS_BENCH_PG_URL:?set PHARMASYS_BENCH_PG_URL, a superuser URL ending in /postgres (or run ./pharmasys bench)}"
: "${PHARMASYS_BENCH_AMQP_URL:?set PHARMASYS_BENCH_AMQP_URL (or run ./pharmasys bench)}"
BIN=${BIN_DIR:-build/release/bin}

# fresh_database <name>: drops and creates it, owned by the role <name>_owner, with a runtime
# role <name> beside it (RULES.md A7); prints the owner's URL.
fresh_database() {
  psql -q "$PHARMASYS_BENCH_PG_URL" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" \
    -c "DROP ROLE IF EXISTS $1" -c "DROP ROLE IF EXISTS $1_owner" \
    -c "CREATE ROLE $1_owner LOGIN PASSWORD 'bench'" -c "CREATE ROLE $1 LOGIN PASSWORD 'bench'" \
    -c "CREATE DATABASE $1 OWNER $1_owner" >/dev/null
  local server=${PHARMASYS_BENCH_PG_URL%/*}
  echo "postgresql://$1_owner:bench@${server#*@}/$1"
}

# runtime_url <owner url>: the same database as its runtime role.
runtime_url() { sed 's#//\([^:/]*\)_owner:#//\1:#' <<<"$1"; }

# prepare_db <owner url> <binary>: migrates the database as its owner, makes the service's audit
# signing key; prints what the service then runs with (PHARMASYS_DB_URL as the runtime role,
# PHARMASYS_AUDIT_KEY_DIR), one assignment per line, for `env $(prepare_db ...) binary`.
prepare_db() {
  local owner=$1 bin=$2 keys
  keys=${work:-/tmp}/audit-keys-${owner##*/}
  PHARMASYS_DB_OWNER_URL=$owner PHARMASYS_DB_URL=$(runtime_url "$owner") PHARMASYS_LOG_LEVEL=warn \
    "$bin" migrate >/dev/null
  PHARMASYS_AUDIT_KEY_DIR=$keys "$bin" audit-key new >/dev/null
  printf '%s\n' "PHARMASYS_DB_URL=$(runtime_url "$owner")" "PHARMASYS_AUDIT_KEY_DIR=$keys"
}

# drop_queued_work <owner url>: pgbench runs a service's transaction with no service behind it;
# the audit records it queued for sealing and the events it left in the outbox are no one's
# work, and a service started next would seal and publish them during its own measurement.
drop_queued_work() {
  psql -q "$1" -c "DELETE FROM auditoria_pendente" -c "DELETE FROM outbox WHERE publicado_em IS NULL" \
    -c "VACUUM ANALYZE auditoria_pendente, outbox" >/dev/null
}

# cpu_ticks: the machine's busy and total CPU time so far, in clock ticks (/proc/stat), as
# "busy total". Two samples around a run give what the whole machine spent on it: the
# measured side, its driver (wrk, pgbench) and PostgreSQL alike.
# Busy is user, nice, system, irq and softirq; total adds idle, iowait and steal (guest time is
# already in user).
cpu_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat; }

# process_ticks <pid>: the CPU time (user and system, clock ticks) the process has used so far.
process_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# ms_per_request <ticks> <requests>: those clock ticks as ms of CPU per request.
ms_per_request() {
  awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t * 1000 / hz / (n > 0 ? n : 1) }'
}

# cpu_per_request <before> <after> <requests>: "ms of CPU per request, % of the machine busy",
# from two cpu_ticks samples.
cpu_per_request() {
  local b a busy total
  read -r -a b <<<"$1"
  read -r -a a <<<"$2"
  busy=$((a[0] - b[0]))
  total=$((a[1] - b[1]))
  echo "$(ms_per_request "$busy" "$3") $((total > 0 ? 100 * busy / total : 0))"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_healthy <port>: until /healthz answers, 30 s at most (120 s under a profiler).
wait_healthy() {
  local tries=300
  [ -z "${PROFILE:-}" ] || tries=1200
  for _ in $(seq 1 "$tries"); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "error: nothing healthy on port $1 after 30 s" >&2
  return 1
}

# bench_workspace: a scratch directory ($work) and a list of started servers ($pids) that are
# stopped, and the directory removed, when the script exits.
bench_workspace() {
  work=$(mktemp -d)
  pids=()
  trap 'for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done;
        for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
}

# start_auth <prefix> [VAR=value ...]: an Auth service (demo users, the `producao` client with
# secret bench-client-secret, 1 h tokens) on a fresh database; sets $auth_port.
start_auth() {
  local prefix=$1
  shift
  local db
  db=$(fresh_database "bench_${prefix}_auth")
  auth_port=$(free_port)
  # shellcheck disable=SC2046 # one assignment per word
  env $(prepare_db "$db" "$BIN/pharmasys-auth") PHARMASYS_HTTP_PORT="$auth_port" PHARMASYS_HTTP_ADDRESS=127.0.0.1 \
    PHARMASYS_AMQP_URL="$PHARMASYS_BENCH_AMQP_URL" PHARMASYS_AMQP_PREFIX="bench-$prefix." PHARMASYS_LOG_LEVEL=warn \
    PHARMASYS_AUTH_KEY_ENCRYPTION_KEY="$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" PHARMASYS_DEMO=1 \
    PHARMASYS_CLIENT_SECRET_PRODUCAO=bench-client-secret PHARMASYS_AUTH_ISSUER=http://localhost:8080/v1/auth \
    PHARMASYS_AUTH_ACCESS_TTL=1h "$@" "$BIN/pharmasys-auth" >"$work/auth.log" 2>&1 &
  pids+=($!)
  wait_healthy "$auth_port"
}

# auth_token <form fields...>: an access token from the Auth service started by start_auth.
auth_token() {
  local args=()
  for f in "$@"; do args+=(-d "$f"); done
  curl -sf "http://127.0.0.1:$auth_port/v1/auth/token" "${args[@]}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

# pgbench_latencies <clients> <script> <db url>: runs pgbench with a per-transaction log for
# $DURATION s and prints the latencies in µs, one per line.
pgbench_latencies() {
  rm -f "$work"/pgbench_log.*
  # jit=off as the services set it on their connections (libs/platform/src/pg.cpp).
  (cd "$work" && PGOPTIONS="-c jit=off" pgbench -n -M prepared -c "$1" -j "$(($1 < 2 ? 1 : 2))" -T "$DURATION" -l \
    -f "$OLDPWD/$2" "$3" >/dev/null 2>&1)
  cat "$work"/pgbench_log.* | awk '{ print $3 }'
}

# PROFILE=callgrind: the service a benchmark drives runs under Valgrind's callgrind, which counts
# the instructions it executes (stable on a shared machine, unlike times). `launcher` prints the
# command to put before the service's binary (nothing when not profiling).
launcher() {
  [ "${PROFILE:-}" != callgrind ] ||
    echo "valgrind --tool=callgrind --instr-atstart=no --dump-instr=no --callgrind-out-file=$work/callgrind.out"
}

# profile_run <pid> <wrk args...>: collection switched on, wrk run once, switched off; prints the
# requests, the instructions per request (every thread of the service: handlers, pool, relay,
# sealer) and the functions with the most instructions of their own.
profile_run() {
  local pid=$1
  shift
  callgrind_control -i on "$pid" >/dev/null 2>&1
  local out requests
  out=$(wrk "$@")
  callgrind_control -i off "$pid" >/dev/null 2>&1
  callgrind_control -d "$pid" >/dev/null 2>&1
  # The dump is written by the service itself: waited for until its size stops changing.
  local size=-1 now
  for _ in $(seq 1 100); do
    sleep 0.5
    now=$(cat "$work"/callgrind.out* 2>/dev/null | wc -c)
    [ "$now" -gt 0 ] && [ "$now" = "$size" ] && break
    size=$now
  done
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  if grep -q "Non-2xx" <<<"$out"; then
    echo "error: the endpoint answered non-2xx: $(grep Non-2xx <<<"$out")" >&2
    exit 1
  fi
  local files
  mapfile -t files < <(find "$work" -name 'callgrind.out*' -size +0)
  local total
  total=$(callgrind_annotate "${files[@]}" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
  echo "requests: $requests; instructions: $total; per request: $((total / requests))"
  echo "top functions by their own instructions (share of the total):"
  callgrind_annotate --inclusive=no --threshold=100 "${files[@]}" 2>/dev/null |
    awk -v total="$total" '/^ *[0-9,]+ .*:/ && n < 15 { v = $1; gsub(",", "", v); $1 = "";
      printf "  %5.1f%%  %s\n", 100 * v / total, substr($0, 2); n++ }'
  [ -z "${PROFILE_KEEP:-}" ] || cp "${files[@]}" "$PROFILE_KEEP"/ 2>/dev/null || true
  rm -f "${files[@]}"
}
