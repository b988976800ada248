#!/usr/bin/env bash
# make static-inspect: a statically linked warden-inspect (musl-gcc from
# Debian's musl-tools) that can be copied into any container and run
# there with no library. Built from the libc-only sources alone: src/core,
# src/model, src/report, src/cli/cli_out.c and src/inspect.
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
srcs="src/core/core_alloc.c src/core/core_buf.c src/core/core_str.c src/core/core_jw.c src/core/core_mask.c
src/model/model_finding.c src/model/model_score.c
src/report/report.c src/report/rep_json.c src/report/rep_term.c
$(ls src/report/rep_*.c | grep -v -e rep_json.c -e rep_term.c)
src/cli/cli_out.c
$(ls src/inspect/*.c)"
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
