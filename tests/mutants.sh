#!/usr/bin/env bash
# Proves the integration suites fail closed: runs them against deliberately
# broken `warden` binaries (wrapper scripts around the real one) and
# requires each suite to FAIL. Prints TAP ("ok - mutant X: suite Y fails")
# and a plan line, so tests/run-all.sh counts it like a suite.
#
# Mutants:
#   silent         prints nothing and exits 0
#   exit0          the real output, but always exit 0
#   drop:FAMILY    the real run with every finding whose rule id starts with
#                  FAMILY removed from the JSON report (stdout or -o FILE)
#                  and every terminal line naming it
#
# The silent mutant runs every suite in tests/integ that runs warden (each
# one must fail on it: none may pass on a binary that prints nothing); the
# others run a
# representative suite each, to keep the cost small.
#   usage: tests/mutants.sh [BUILD]   (the lab must be running: labctl start)
set -u
BUILD=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
real="$top/$BUILD/warden"
export LAB_DIR=${LAB_DIR:-$top/$BUILD/lab}
export WARDEN_BUILD="$top/$BUILD"
export NO_COLOR=1
# Each suite stops at its first failed check: one is all a mutant needs.
export WARDEN_FAIL_FAST=1
if ! [ -x "$real" ]; then
  echo "not ok - mutants: $real not built"
  echo "1..1"
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
bad=0

make_mutant() { # make_mutant NAME -> $work/NAME/warden
  local name=$1 dir="$work/${1//[:\/]/_}"
  mkdir -p "$dir"
  case "$name" in
    silent)
      printf '#!/bin/sh\nexit 0\n' >"$dir/warden" ;;
    exit0)
      printf '#!/bin/sh\n"%s" "$@"\nexit 0\n' "$real" >"$dir/warden" ;;
    drop:*)
      cat >"$dir/warden" <<EOF
#!/usr/bin/python3
# Mutant: the real warden with every ${name#drop:}* finding dropped.
import json, subprocess, sys
FAMILY = "${name#drop:}"
args = sys.argv[1:]
p = subprocess.run(["$real"] + args, stdout=subprocess.PIPE)


def drop(text):
    try:
        doc = json.loads(text)
        doc["findings"] = [f for f in doc["findings"] if not f["rule"].startswith(FAMILY)]
        return json.dumps(doc, indent=2) + "\n"
    except (ValueError, KeyError, TypeError):
        return "".join(l for l in text.splitlines(True) if FAMILY not in l)


sys.stdout.write(drop(p.stdout.decode("utf-8", "replace")))
for i, a in enumerate(args[:-1]):
    if a in ("-o", "--output"):
        with open(args[i + 1]) as f:
            text = f.read()
        with open(args[i + 1], "w") as f:
            f.write(drop(text))
sys.exit(p.returncode)
EOF
      ;;
  esac
  chmod +x "$dir/warden"
  echo "$dir/warden"
}

# expect_fail MUTANT SUITE...: each suite must fail against the mutant.
expect_fail() {
  local m=$1 bin out rc
  shift
  bin=$(make_mutant "$m")
  for t in "$@"; do
    n=$((n + 1))
    out="$work/out"
    WARDEN="$bin" timeout 600 /usr/bin/python3 "tests/integ/$t" >"$out" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
      echo "ok - mutant $m: $t fails (exit $rc, $(grep -c '^ok ' "$out") checks passed before: $(grep -m1 '^not ok ' "$out" | cut -c10-100))"
    else
      bad=$((bad + 1))
      echo "not ok - mutant $m: $t PASSES on a broken binary"
      grep -E '^(not )?ok ' "$out" | head -20 | sed 's/^/#   /'
    fi
  done
}

# Every suite that runs warden (test_hardening.py reads the release binary
# with readelf: a wrapper cannot break it).
all=$(cd tests/integ && grep -lE 'scan_json|warden\(|\bWARDEN\b' test_*.py)
# shellcheck disable=SC2086
expect_fail silent $all
expect_fail exit0 test_scan_lab.py test_iac.py test_inspect.py
expect_fail drop:container. test_scan_lab.py
expect_fail drop:jwt. test_jwt.py
expect_fail drop:iac.rbac- test_iac.py
expect_fail drop:inspect.cap- test_inspect.py
echo "1..$n"
[ $bad -eq 0 ]
