# Shared by the bench/ scripts (sourced, not run): the servers they need, the binaries they
# drive, and the small steps each of them takes.

: "${PHARMASYS_BENCH_PG_URL:?set PHARMASYS_BENCH_PG_URL, a superuser URL ending in /postgres (or run ./pharmasys bench)}"
: "${PHARMASYS_BENCH_AMQP_URL:?set PHARMASYS_BENCH_AMQP_URL (or run ./pharmasys bench)}"
BIN=${BIN_DIR:-build/release/bin}

# fresh_database <name>: drops and creates it; prints its URL.
fresh_database() {
  psql -q "$PHARMASYS_BENCH_PG_URL" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
  echo "${PHARMASYS_BENCH_PG_URL%/*}/$1"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_healthy <port>: until /healthz answers, 30 s at most.
wait_healthy() {
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "error: nothing healthy on port $1 after 30 s" >&2
  return 1
}
