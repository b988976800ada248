#!/usr/bin/env bash
# make static-inspect: a statically linked warden-inspect (musl-gcc from
# Debian's musl-tools) that can be copied into any container and run
# there with no library. The sources are those of meson's warden-inspect
# target and the libraries it links (libc only), read with `meson
# introspect` from a configured build directory ($BUILD, default build;
# configured here if missing), so the list lives only in meson.build.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=build-static
CC=${MUSL_CC:-musl-gcc}
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "build-static-inspect: $CC not found (apt-get install musl-tools)" >&2
  exit 2
fi
version=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" meson.build | head -1)
mkdir -p "$out/obj"
build=${BUILD:-build}
if [ ! -f "$build/build.ninja" ]; then
  build=$out/meson
  [ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
fi
srcs=$(meson introspect "$build" --targets | python3 -c '
import json, os, sys
targets = {t["name"]: t for t in json.load(sys.stdin)}
want = ["warden-inspect", "wdinspect", "wdcore"]
missing = [w for w in want if w not in targets]
if missing:
    sys.exit("build-static-inspect: meson has no target " + ", ".join(missing))
seen = []
for w in want:
    for ts in targets[w]["target_sources"]:
        for src in ts.get("sources", []):
            rel = os.path.relpath(src, os.getcwd())
            if rel.endswith(".c") and rel not in seen:
                seen.append(rel)
print("\n".join(seen))
')
[ -n "$srcs" ] || { echo "build-static-inspect: no sources from meson" >&2; exit 1; }
objs=""
for s in $srcs; do
  o="$out/obj/$(echo "$s" | tr '/' '_' | sed 's/\.c$/.o/')"
  "$CC" -std=c17 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE \
    -DWARDEN_VERSION="\"$version\"" -c "$s" -o "$o"
  objs="$objs $o"
done
# shellcheck disable=SC2086
"$CC" -static -O2 -o "$out/warden-inspect" $objs -lm
strip "$out/warden-inspect" 2>/dev/null || true
# It must be static: no interpreter, no shared library.
desc=$(file "$out/warden-inspect")
echo "$desc"
case "$desc" in
  *"statically linked"*|*"static-pie linked"*) ;;
  *) echo "build-static-inspect: not a static binary" >&2; exit 1 ;;
esac
if ldd "$out/warden-inspect" 2>&1 | grep -q '=>'; then
  echo "build-static-inspect: ldd lists shared libraries" >&2
  exit 1
fi
ls -l "$out/warden-inspect"
