#!/usr/bin/env bash
# Runs every Fuzz* target in the module for FUZZTIME each, FUZZJOBS targets
# at a time (each with one worker when FUZZJOBS > 1, so the machine is not
# oversubscribed). Prints one summary line per target: its final exec count
# and whether it failed. Logs go to FUZZLOG (default: a temp dir).
#
#   tools/fuzz.sh                       # 20s each, one at a time
#   FUZZTIME=5m FUZZJOBS=2 tools/fuzz.sh
#   FUZZMATCH='sdr|FuzzExpand' tools/fuzz.sh   # only "pkg target" lines matching
set -euo pipefail
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-20s}
FUZZJOBS=${FUZZJOBS:-1}
FUZZMATCH=${FUZZMATCH:-.}
FUZZLOG=${FUZZLOG:-$(mktemp -d /tmp/ipmictl-fuzz.XXXXXX)}
mkdir -p "$FUZZLOG"

targets=$(mktemp)
trap 'rm -f "$targets"' EXIT
for pkg in $($GO list ./...); do
  for fz in $($GO test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
    echo "$pkg $fz"
  done
done | grep -E -- "$FUZZMATCH" >"$targets" || true
echo "fuzz: $(wc -l <"$targets") targets, $FUZZTIME each, $FUZZJOBS at a time; logs in $FUZZLOG"

parallel=""
if [ "$FUZZJOBS" -gt 1 ]; then parallel="-parallel=1"; fi

run_one() {
  pkg=$1 fz=$2
  log="$FUZZLOG/$(echo "$pkg" | tr / _)_$fz.log"
  if $GO test -run '^$' -fuzz "^$fz\$" -fuzztime "$FUZZTIME" $parallel "$pkg" >"$log" 2>&1; then
    status=ok
  else
    status=FAIL
  fi
  execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  printf '%-4s %-48s %-28s execs=%s\n' "$status" "${pkg#github.com/ipmictl/ipmictl/}" "$fz" "${execs:-0}"
  [ "$status" = ok ]
}
export -f run_one
export GO FUZZTIME FUZZLOG parallel

# xargs exits non-zero if any target failed; every target still runs.
if xargs -P "$FUZZJOBS" -L 1 bash -c 'run_one "$0" "$1"' <"$targets"; then
  echo "fuzz: all targets passed"
else
  echo "fuzz: FAILED; see the logs named above in $FUZZLOG" >&2
  grep -l -- '--- FAIL' "$FUZZLOG"/*.log >&2 || true
  exit 1
fi
