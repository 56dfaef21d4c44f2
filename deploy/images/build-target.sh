#!/bin/sh
# build-target.sh <target>...: configures the release build once (no tests), compiles only the
# given targets, and stages them stripped in /out/usr/bin with the list of Debian packages
# that hold the shared libraries they link (/out/runtime-packages), for the runtime stage.
set -eu
[ $# -gt 0 ] || { echo "usage: build-target.sh <target>..." >&2; exit 2; }
export CCACHE_DIR=${CCACHE_DIR:-/ccache} CCACHE_BASEDIR=/src CCACHE_COMPILERCHECK=content
cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPHARMASYS_BUILD_TESTS=OFF \
  -DPHARMASYS_SANITIZE=OFF >/dev/null
cmake --build /build --target "$@"
ccache --show-stats 2>/dev/null | grep -Ei 'hits|misses' || true
install -d /out/usr/bin
for target in "$@"; do
  install -m 755 -s "/build/bin/$target" "/out/usr/bin/$target"
done
# ldd's resolved paths → the packages that own them (dpkg knows /usr/lib and /lib spellings).
for target in "$@"; do ldd "/out/usr/bin/$target"; done | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u >/tmp/libs
: >/tmp/owners
while read -r lib; do
  owner=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "/usr$lib" 2>/dev/null) ||
    { echo "build-target.sh: no package owns $lib" >&2; exit 1; }
  echo "${owner%%:*}" >>/tmp/owners
done </tmp/libs
sort -u /tmp/owners >/out/runtime-packages
echo "runtime packages: $(tr '\n' ' ' </out/runtime-packages)"
