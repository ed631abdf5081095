#!/usr/bin/env bash
# `delar sie check` throughput per generator profile, whole process (start, read from the
# page cache, every check, exit): hyperfine median and minimum of RUNS runs, MB/s = bytes /
# seconds / 10^6, against the target of issue 11 (1 GB/s).
#
#   tools/bench/sie-check.sh                       # ROWS=1000000 RUNS=10, every profile
#   ROWS=100000 PROFILES="unit4 bl" tools/bench/sie-check.sh
#
# Prints a Markdown table (also to target/bench/sie-check.md). Generated files are deleted.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-10}
PROFILES=${PROFILES:-fortnox visma bl unit4 raindance}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
BIN=${BIN:-$CARGO_TARGET_DIR/release}
DATA=$PWD/target/bench/data
mkdir -p "$DATA"
command -v hyperfine >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >&2; }
[ -n "${NO_BUILD:-}" ] || cargo build --release -q -p delar-cli -p delar-gen >&2

{
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "\`delar sie check\`, $ROWS rows, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) × $cpu, load $(cut -d' ' -f1-3 /proc/loadavg), $RUNS runs each (hyperfine, 1 warm-up, the file in the page cache):"
echo
echo "| profile | bytes | median | MB/s (median) | min | MB/s (min) | target 1 000 MB/s |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
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
  python3 - "$DATA/h.json" "$(stat -c %s "$f")" "$p" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
size, name = int(sys.argv[2]), sys.argv[3]
med, lo = r["median"], r["min"]
mbs = lambda t: size / t / 1e6
verdict = "met" if mbs(med) >= 1000 else "missed (%.0f %% of it)" % (100 * mbs(med) / 1000)
print(f"| {name} | {size} | {med * 1000:.0f} ms | {mbs(med):.0f} | {lo * 1000:.0f} ms | {mbs(lo):.0f} | {verdict} |")
PY
  rm -f "$f"
done
} | tee target/bench/sie-check.md
