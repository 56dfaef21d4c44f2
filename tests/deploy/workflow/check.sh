#!/usr/bin/env bash
# The ci_workflow test: a GitHub Actions workflow (by default .github/workflows/ci.yml) checked by
# check.cjs. Its validators come from package-lock.json: `npm ci` runs when node_modules is missing
# or older than the lock file. They need Node.js 20 or later: the one ./pharmasys brings into
# .run/node (Debian 12's is 18) comes first when it is there.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
root=$(cd "$here/../../.." && pwd -P)
workflow=${1:-$root/.github/workflows/ci.yml}
if [[ -x $root/.run/node/node_modules/node/bin/node ]]; then
  export PATH=$root/.run/node/node_modules/node/bin:$PATH
fi
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if ((major < 20)); then
  echo "error: the workflow validators need Node.js 20 or later; found $(node --version 2>&1) (./pharmasys test brings one)" >&2
  exit 1
fi
if [[ ! -f $here/node_modules/.package-lock.json || $here/package-lock.json -nt $here/node_modules/.package-lock.json ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || {
    echo "error: npm ci failed in $here: the validators are not installed" >&2
    exit 1
  }
fi
exec node "$here/check.cjs" "$workflow"
