#!/bin/sh
# The broker's configuration from the environment, then the server in the foreground.
set -eu
if [ -n "${RABBITMQ_DEFAULT_PASS_FILE:-}" ]; then RABBITMQ_DEFAULT_PASS=$(cat "$RABBITMQ_DEFAULT_PASS_FILE"); fi
[ -n "${RABBITMQ_DEFAULT_PASS:-}" ] || { echo "pharmasys-rabbitmq: RABBITMQ_DEFAULT_PASS is not set" >&2; exit 2; }
umask 077
cat >"$RABBITMQ_CONFIG_FILE" <<CONF
listeners.tcp.default = 5672
default_vhost = ${RABBITMQ_DEFAULT_VHOST:-/}
default_user = ${RABBITMQ_DEFAULT_USER:-guest}
default_pass = ${RABBITMQ_DEFAULT_PASS}
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
loopback_users = none
log.console = true
log.console.level = info
log.file = false
disk_free_limit.absolute = 200MB
CONF
exec /usr/lib/rabbitmq/bin/rabbitmq-server
