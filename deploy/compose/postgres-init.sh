#!/bin/sh
# /docker-entrypoint-initdb.d script of a service's database container (this project's
# PostgreSQL image or the official one): the service's two roles (RULES.md A7) and its
# database. <service>_owner owns the database and runs the migrations; <service>, the role the
# service runs as, owns nothing and gets its grants from `migrate`.
set -eu
: "${PHARMASYS_DB_NAME:?}" "${PHARMASYS_DB_OWNER_PASSWORD:?}" "${PHARMASYS_DB_PASSWORD:?}"
psql -X -q -v ON_ERROR_STOP=1 -h /var/run/postgresql -U postgres -d postgres \
  -v name="$PHARMASYS_DB_NAME" -v owner="${PHARMASYS_DB_NAME}_owner" \
  -v ownerpw="$PHARMASYS_DB_OWNER_PASSWORD" -v pw="$PHARMASYS_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER PASSWORD %L', :'owner', :'ownerpw') \gexec
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'name', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'owner') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'name') \gexec
SQL
echo "postgres-init: database $PHARMASYS_DB_NAME with roles ${PHARMASYS_DB_NAME}_owner and $PHARMASYS_DB_NAME"
