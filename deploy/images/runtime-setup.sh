#!/bin/sh
# runtime-setup.sh <packages file>: the runtime stage's only packages (the shared libraries
# the binaries link, as build-target.sh listed them; the font the PDFs are set in where cairo
# is among them) and the user it runs as. No shell tools are added: the images' HEALTHCHECK
# is the binary's own `healthcheck`.
set -eu
list=$1
extra=''
if grep -qx libcairo2 "$list"; then extra=fonts-dejavu-core; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2046,SC2086 # one word per package
apt-get install -y -q --no-install-recommends $(cat "$list") $extra
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log "$list"
groupadd --system --gid 10001 pharmasys
useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/pharmasys --no-create-home --shell /usr/sbin/nologin pharmasys
install -d -o 10001 -g 10001 -m 750 /var/lib/pharmasys
# Mount points owned by the service user, so a new named volume mounted there starts
# writable by it (Docker copies the ownership into an empty volume).
install -d -o 10001 -g 10001 -m 700 /var/lib/pharmasys/audit-keys
install -d -o 10001 -g 10001 -m 755 /var/lib/pharmasys/trusted-keys
