#!/usr/bin/env bash
# Times the SIE reader in fresh processes, alternating between builds, and prints the
# minimum, median and maximum per build. On a shared VM single runs vary by a factor of
# two; alternating builds exposes both to the same moments.
#
#   tools/bench/sie-runs.sh FILE MODE RUNS BIN [BIN ...]
#     FILE  a SIE file (e.g. from `cargo run --release -p delar-sie --example gen_sie`)
#     MODE  whole | stream
#     BIN   builds of the `sie_time` example (target/release/examples/sie_time)
set -euo pipefail
file=$1 mode=$2 runs=$3
shift 3
declare -A times
for _ in $(seq "$runs"); do
  for bin in "$@"; do
    t=$("$bin" "$file" "$mode" 1 | awk '{ sub("ms", "", $2); print $2 }')
    times[$bin]+="$t "
  done
done
for bin in "$@"; do
  echo "${times[$bin]}" | tr ' ' '\n' | grep -v '^$' | sort -g | awk -v b="$bin" -v f="$file" '
    { a[NR] = $1 } END {
      cmd = "stat -c %s " f; cmd | getline bytes; close(cmd)
      printf "%s: min %.1f ms (%.0f MB/s), median %.1f ms (%.0f MB/s), max %.1f ms, n=%d\n",
        b, a[1], bytes / a[1] / 1000, a[int((NR + 1) / 2)], bytes / a[int((NR + 1) / 2)] / 1000, a[NR], NR
    }'
done
