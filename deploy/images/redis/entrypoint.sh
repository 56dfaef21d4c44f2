#!/bin/sh
# The password goes in a private configuration file, not on the command line where ps shows it.
set -eu
if [ -n "${REDIS_PASSWORD_FILE:-}" ]; then REDIS_PASSWORD=$(cat "$REDIS_PASSWORD_FILE"); fi
umask 077
conf=/tmp/redis.conf
: >"$conf"
if [ -n "${REDIS_PASSWORD:-}" ]; then printf 'requirepass "%s"\n' "$REDIS_PASSWORD" >"$conf"; fi
exec redis-server "$conf" --bind 0.0.0.0 --port 6379 --protected-mode no --save "" --appendonly no --dir /tmp \
  --maxmemory 256mb --maxmemory-policy noeviction "$@"
