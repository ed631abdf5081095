#!/usr/bin/env bash
# Peak memory (max RSS, /usr/bin/time -v) and CPU time of the release `delar` binary on
# generated data, median of RUNS runs, per profile and size:
#   - `delar sie check FILE` on one fiscal year of ROWS rows;
#   - `delar report DIR --out OUT --format json` and the full `delar report DIR --out OUT`
#     on a package of ROWS rows in all (two years, half each).
#
#   tools/bench/memory.sh                                  # SIZES="100000 1000000", all profiles, RUNS=3
#   SIZES=10000000 PROFILES=unit4 RUNS=1 tools/bench/memory.sh   # the largest (a 650 MB file per 10 M rows)
#   PACKAGE_SIZES=20000000 ...                             # packages sized apart from the files
# Prints a Markdown table (also to target/bench/memory.md). Generated files are deleted.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tools/bench/machine.sh
SIZES=${SIZES:-100000 1000000}
PACKAGE_SIZES=${PACKAGE_SIZES:-$SIZES}
PROFILES=${PROFILES:-fortnox visma bl unit4 raindance}
RUNS=${RUNS:-3}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
BIN=${BIN:-$CARGO_TARGET_DIR/release}
DATA=$PWD/target/bench/data
mkdir -p "$DATA"
[ -n "${NO_BUILD:-}" ] || cargo build --release -q -p delar-cli -p delar-gen >&2

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# measure CMD...: "peakMB cpu_s wall_s" medians over RUNS.
measure() {
  local rss=() cpu=() wall=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v -o "$DATA/time.txt" "$@" >/dev/null 2>"$DATA/err.txt" || { echo "FAILED: $*" >&2; tail -5 "$DATA/err.txt" >&2; exit 1; }
    rss+=("$(awk -F': ' '/Maximum resident/ { print $2 }' "$DATA/time.txt")")
    cpu+=("$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$DATA/time.txt")")
    wall+=("$(awk '/Elapsed \(wall clock\)/ { n = split($NF, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$DATA/time.txt")")
  done
  printf '%s ' "$(printf '%s\n' "${rss[@]}" | median | awk '{ printf "%.0f", $1 / 1024 }')" \
    "$(printf '%s\n' "${cpu[@]}" | median)" "$(printf '%s\n' "${wall[@]}" | median)"
}

{
echo "Peak memory, $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(memory_state), medians of $RUNS runs:"
echo
echo "| profile | what | rows | bytes of SIE | peak RSS | CPU (user+sys) | wall |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for rows in $SIZES; do
  for p in $PROFILES; do
    f=$DATA/mem-$p-$rows.se
    "$BIN/delar-gen" sie --profile "$p" --rows "$rows" --out "$f" 2>/dev/null
    read -r mb cpu wall <<<"$(measure "$BIN/delar" sie check "$f")"
    echo "| $p | \`delar sie check\` | $rows | $(stat -c %s "$f") | $mb MB | $cpu s | $wall s |"
    rm -f "$f"
  done
done
for rows in $PACKAGE_SIZES; do
  for p in $PROFILES; do
    d=$DATA/mem-pkg-$p-$rows
    rm -rf "$d" "$DATA/mem-out"
    "$BIN/delar-gen" package --profile "$p" --rows "$rows" --out "$d" 2>/dev/null
    bytes=$(( $(stat -c %s "$d/huvudbok/huvudbok-2023.se") + $(stat -c %s "$d/huvudbok/huvudbok-2022.se") ))
    read -r mb cpu wall <<<"$(measure "$BIN/delar" report "$d" --out "$DATA/mem-out" --format json)"
    echo "| $p | \`delar report --format json\` | $rows | $bytes | $mb MB | $cpu s | $wall s |"
    read -r mb cpu wall <<<"$(measure "$BIN/delar" report "$d" --out "$DATA/mem-out")"
    echo "| $p | \`delar report\` (all outputs) | $rows | $bytes | $mb MB | $cpu s | $wall s |"
    rm -rf "$d" "$DATA/mem-out"
  done
done
} | tee target/bench/memory.md
