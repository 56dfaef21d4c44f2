#!/bin/sh
# First start: initdb with the superuser password from POSTGRES_PASSWORD (or _FILE), password
# logins over TCP (scram-sha-256), then the scripts in /docker-entrypoint-initdb.d with the
# server on its socket only. Every start: postgres in the foreground as PID 1.
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then POSTGRES_PASSWORD=$(cat "$POSTGRES_PASSWORD_FILE"); fi
  [ -n "${POSTGRES_PASSWORD:-}" ] || { echo "pharmasys-postgres: POSTGRES_PASSWORD is not set" >&2; exit 2; }
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" -U postgres --pwfile="$pwfile" --auth-local=peer --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  printf "listen_addresses = '*'\npassword_encryption = scram-sha-256\n" >>"$PGDATA/postgresql.conf"
  printf 'host all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  for f in /docker-entrypoint-initdb.d/*; do
    case $f in
      *.sh) echo "pharmasys-postgres: running $f"; . "$f" ;;
      *.sql) echo "pharmasys-postgres: running $f"; psql -X -v ON_ERROR_STOP=1 -q -h /var/run/postgresql -U postgres -d postgres -f "$f" ;;
      *) ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "pharmasys-postgres: database cluster initialised in $PGDATA"
fi
exec postgres -D "$PGDATA" "$@"
