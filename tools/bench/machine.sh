#!/usr/bin/env bash
# What the benchmark scripts' headers say of the machine (sourced; defines `cpu_model` and
# `memory_state`). `memory_state` is one line on what makes fresh memory cost more or less. On the Firecracker VMs these figures
# were taken on, free 2 MiB blocks are reported to the host at once (`page_reporting`,
# order 9, `min_free_ms` 0) and the host drops them, so a process's first write to such a
# block waits for the host to back it again: up to 8 ms a MiB against 0.1 ms for memory
# the host still backs (docs/BENCHMARKS.md, "Figures (2026-12-05 …)"). Figures taken with
# and without it are not comparable.
memory_state() {
  local thp pr="" damon=""
  thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
  if [ -r /sys/module/page_reporting/parameters/page_reporting_order ]; then
    pr="free-page reporting to the host: order $(cat /sys/module/page_reporting/parameters/page_reporting_order)"
    [ -r /sys/module/page_reporting/parameters/min_free_ms ] && pr="$pr, after $(cat /sys/module/page_reporting/parameters/min_free_ms) ms"
  else
    pr="no free-page reporting"
  fi
  if [ -r /sys/kernel/mm/damon/admin/kdamonds/nr_kdamonds ] && [ "$(cat /sys/kernel/mm/damon/admin/kdamonds/nr_kdamonds)" -gt 0 ] 2>/dev/null; then
    damon="; DAMON $(cat /sys/kernel/mm/damon/admin/kdamonds/0/state 2>/dev/null)"
  fi
  echo "transparent huge pages: ${thp:-unknown}; $pr$damon"
}

# The processor's model name, as /proc/cpuinfo gives it.
cpu_model() {
  grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'
}
