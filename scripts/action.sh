#!/usr/bin/env bash
# The GitHub Action's script (action.yml runs exactly this): build warden
# from source unless WARDEN is set, run `warden iac` and/or `warden scan`,
# write the Markdown report to the job summary, and the score, grade,
# exit code and SARIF paths to the step outputs. Tested locally by
# tests/integ/test_action.py with the same environment variables.
#
# Inputs (environment, as the runner passes them):
#   INPUT_TARGET      URL to scan (empty: no scan)
#   INPUT_IAC         paths for `warden iac`, space-separated (empty: none)
#   INPUT_SPEC        OpenAPI document for the scan
#   INPUT_BEARER      token for the scan (from a secret; passed via env:, never argv)
#   INPUT_FAIL_ON     severity that fails the step (default high)
#   INPUT_THRESHOLD   minimum score (default: none)
#   INPUT_ARGS        more options for both commands
#   RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY  (runner files)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out_dir=${RUNNER_TEMP:-/tmp}/warden
mkdir -p "$out_dir"
fail_on=${INPUT_FAIL_ON:-high}
summary=${GITHUB_STEP_SUMMARY:-/dev/null}
outputs=${GITHUB_OUTPUT:-/dev/null}

if [ -z "${WARDEN:-}" ]; then
  if [ "${WARDEN_SKIP_DEPS:-}" != 1 ]; then
    bash "$top/scripts/install-deps.sh" || exit 2
  fi
  (cd "$top" && make release >/dev/null) || { echo "warden: build failed" >&2; exit 2; }
  WARDEN="$top/build-rel/warden"
fi

common=(--fail-on "$fail_on")
[ -n "${INPUT_THRESHOLD:-}" ] && common+=(--threshold "$INPUT_THRESHOLD")
# shellcheck disable=SC2206
extra=(${INPUT_ARGS:-})
worst=0
score=""
grade=""
sarifs=""

run_side() { # side, then its arguments
  local side=$1
  shift
  "$WARDEN" "$side" -q "${common[@]}" "${extra[@]}" \
    --report "sarif:$out_dir/$side.sarif" --report "md:$out_dir/$side.md" \
    --report "json:$out_dir/$side.json" "$@"
  local rc=$?
  [ $rc -gt $worst ] && worst=$rc
  if [ -f "$out_dir/$side.md" ]; then
    cat "$out_dir/$side.md" >>"$summary"
    echo >>"$summary"
  fi
  if [ -f "$out_dir/$side.sarif" ]; then
    sarifs="$sarifs $out_dir/$side.sarif"
  fi
  if [ -f "$out_dir/$side.json" ]; then
    # The scan's grade wins over the deployment files' when both run.
    score=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["score"]; print("" if s["overall"] is None or s["overall"] < 0 else s["overall"])' "$out_dir/$side.json" 2>/dev/null || echo "")
    grade=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["score"]["grade"] or "")' "$out_dir/$side.json" 2>/dev/null || echo "")
  fi
  return $rc
}

ran=0
if [ -n "${INPUT_IAC:-}" ]; then
  # shellcheck disable=SC2086
  run_side iac ${INPUT_IAC}
  ran=1
fi
if [ -n "${INPUT_TARGET:-}" ]; then
  args=()
  [ -n "${INPUT_SPEC:-}" ] && args+=(--spec "$INPUT_SPEC")
  [ -n "${INPUT_BEARER:-}" ] && args+=(--bearer env:INPUT_BEARER)
  run_side scan "${args[@]}" "$INPUT_TARGET"
  ran=1
fi
if [ $ran = 0 ]; then
  echo "warden: give the action a target (URL) and/or iac paths" >&2
  exit 2
fi
{
  echo "score=$score"
  echo "grade=$grade"
  echo "exit-code=$worst"
  echo "sarif=$(echo "$sarifs" | awk '{print $1}')"
  echo "sarif-dir=$out_dir"
} >>"$outputs"
exit $worst
