#!/usr/bin/env python3
"""How much of a process's run its threads ran at the same time, from `perf sched record`:
the span from its first to its last scheduled moment, split into the time no thread, one
thread and two or more threads of it were on a CPU, and the CPUs each thread ran on.
usage: perf sched record -o sched.data CMD...; python3 tools/bench/sched-overlap.py sched.data NAME
(NAME: the command's name as perf shows it, e.g. delar)
"""
import re, subprocess, sys

data, name = sys.argv[1], sys.argv[2]
out = subprocess.run(["perf", "sched", "timehist", "-i", data], capture_output=True, text=True, check=True).stdout
segments = {}
for line in out.splitlines():
    m = re.match(r"\s*([\d.]+)\s+\[(\d+)\]\s+(\S+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", line)
    if not m or not m.group(3).startswith(name + "["):
        continue
    end, run = float(m.group(1)), float(m.group(6)) / 1000
    segments.setdefault(m.group(3), []).append((end - run, end, int(m.group(2))))
every = [s for v in segments.values() for s in v]
if not every:
    sys.exit(f"no thread of {name} in {data}")
events = sorted([(s[0], 1) for s in every] + [(s[1], -1) for s in every])
running, last, spent = 0, events[0][0], [0.0, 0.0, 0.0]
for t, d in events:
    spent[min(running, 2)] += t - last
    last, running = t, running + d
span = (events[-1][0] - events[0][0]) * 1000
cpus = {k: sorted({c for _, _, c in v}) for k, v in segments.items()}
print(f"span {span:.1f} ms: no thread {spent[0] * 1000:.1f}, one {spent[1] * 1000:.1f}, two or more {spent[2] * 1000:.1f} ms; CPUs by thread {cpus}")
