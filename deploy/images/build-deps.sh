#!/bin/sh
# The build stage's packages: the "build" and "libraries" sections of
# deploy/local/packages.txt, the same list `./pharmasys up` installs on a host.
set -eu
list=${1:-/opt/pharmasys-build/packages.txt}
packages=$(awk '/^# /{ section = $2; next } section == "build" || section == "libraries" { sub(/#.*/, ""); if (NF) print $1 }' "$list")
[ -n "$packages" ] || { echo "build-deps.sh: no build packages found in $list" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086 # one word per package
apt-get install -y -q --no-install-recommends $packages
rm -rf /var/lib/apt/lists/*
