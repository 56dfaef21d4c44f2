#!/usr/bin/env bash
# The Helm chart's check, with no cluster and no helm binary (Debian packages neither):
# builds tools/helm-render with Debian's Go and Go libraries (GOPATH mode, no module download),
# installs the npm validators once (npm ci, only when node_modules is missing or stale), then
# check.mjs renders deploy/helm/pharmasys with values.yaml and each examples/*.yaml and
# validates values, objects and policy. Prints one summary line; non-zero on any failure.
#   tests/deploy/helm/check.sh [build-dir]     (default: a temporary folder)
set -Eeuo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
root=$(cd "$here/../../.." && pwd -P)
chart=$root/deploy/helm/pharmasys

build=${1:-}
if [[ -z $build ]]; then
  build=$(mktemp -d)
  trap 'rm -rf "$build"' EXIT
fi
mkdir -p "$build"

# GOPATH mode against /usr/share/gocode: golang-github-masterminds-sprig-dev, golang-gopkg-yaml.v3-dev.
(cd "$root/tools/helm-render" &&
  GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$build/gocache" GOFLAGS= \
    go build -o "$build/helm-render" .)

if [[ ! -f $here/node_modules/.package-lock.json || $here/package-lock.json -nt $here/node_modules/.package-lock.json ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error >&2)
fi

cd "$here"
node check.mjs "$build/helm-render" "$chart"
