#!/usr/bin/env bash
# `delar sie check` throughput per generator profile, whole process (start, read from the
# page cache, every check, exit): hyperfine median and minimum of RUNS runs, MB/s = bytes /
# seconds / 10^6, against the target of issue 11 (1 GB/s). Beside it, as a reference for
# the machine's speed in the same minute, the median of a plain scan of the same file on one
# thread (`sie_time FILE scan`: every line visited, the `#TRANS` rows' amounts summed, no
# checks) and the check's speed as a share of it: the VMs this runs on differ by up to twice
# from session to session, and the share moves far less than the MB/s.
#
#   tools/bench/sie-check.sh                       # ROWS=1000000 RUNS=10, every profile
#   ROWS=100000 PROFILES="unit4 bl" tools/bench/sie-check.sh
#
# Prints a Markdown table (also to target/bench/sie-check.md). Generated files are deleted.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tools/bench/machine.sh
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-10}
PROFILES=${PROFILES:-fortnox visma bl unit4 raindance}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
BIN=${BIN:-$CARGO_TARGET_DIR/release}
DATA=$PWD/target/bench/data
mkdir -p "$DATA"
command -v hyperfine >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >&2; }
[ -n "${NO_BUILD:-}" ] || cargo build --release -q -p delar-cli -p delar-gen >&2
[ -n "${NO_BUILD:-}" ] || cargo build --release -q -p delar-sie --example sie_time >&2
SCAN=$BIN/examples/sie_time
[ -x "$SCAN" ] || echo "note: $SCAN is missing (cargo build --release -p delar-sie --example sie_time); the scan columns stay empty" >&2

{
echo "\`delar sie check\`, $ROWS rows, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) × $(cpu_model), load $(cut -d' ' -f1-3 /proc/loadavg), $RUNS runs each (hyperfine, 1 warm-up, the file in the page cache); $(memory_state):"
echo
echo "| profile | bytes | median | MB/s (median) | min | MB/s (min) | target 1 000 MB/s | plain scan, one thread (MB/s) | check / scan |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for p in $PROFILES; do
  f=$DATA/check-$p-$ROWS.se
  "$BIN/delar-gen" sie --profile "$p" --rows "$ROWS" --out "$f" >/dev/null 2>&1
  "$BIN/delar" sie check "$f" >/dev/null || { echo "delar sie check fails on $f" >&2; exit 1; }
  # Some VMs page out memory that was not touched for a while (DAMON); the runs follow each
  # other closely enough to keep the file in, and this says if it was not.
  if command -v fincore >/dev/null; then
    res=$(fincore --bytes --noheadings --output RES "$f" | tr -d ' ')
    [ "$res" -ge "$(stat -c %s "$f")" ] || echo "note: only $res of $(stat -c %s "$f") bytes of $f were in the page cache before the runs" >&2
  fi
  hyperfine -N --runs "$RUNS" --warmup 1 --export-json "$DATA/h.json" "$BIN/delar sie check $f" >/dev/null 2>&1
  scan=""
  [ -x "$SCAN" ] && scan=$("$SCAN" "$f" scan "$RUNS" | sed -n 's/.* \([0-9]*\) MB\/s (median).*/\1/p')
  python3 - "$DATA/h.json" "$(stat -c %s "$f")" "$p" "$scan" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
size, name, scan = int(sys.argv[2]), sys.argv[3], sys.argv[4]
med, lo = r["median"], r["min"]
mbs = lambda t: size / t / 1e6
# Whole per cents, rounded down: 996 MB/s is "99 %", never "100 %" of a target it missed.
verdict = "met" if mbs(med) >= 1000 else "missed (%d %% of it)" % int(100 * mbs(med) / 1000)
share = f"{mbs(med) / int(scan):.2f}" if scan else ""
print(f"| {name} | {size} | {med * 1000:.0f} ms | {mbs(med):.0f} | {lo * 1000:.0f} ms | {mbs(lo):.0f} | {verdict} | {scan} | {share} |")
PY
  rm -f "$f"
done
} | tee target/bench/sie-check.md
