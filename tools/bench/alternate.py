#!/usr/bin/env python3
"""Runs the commands alternately N times (after one unmeasured round) and prints each
one's median and minimum wall time, and for two commands the median paired difference;
usage: python3 tools/bench/alternate.py N "CMD A" "CMD B"
"""
import subprocess, sys, time, statistics, shlex
n = int(sys.argv[1]); cmds = sys.argv[2:]
times = [[] for _ in cmds]
for i in range(n + 1):
    order = list(range(len(cmds))) if i % 2 == 0 else list(reversed(range(len(cmds))))
    for k in order:
        t = time.perf_counter()
        subprocess.run(shlex.split(cmds[k]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        if i > 0: times[k].append(time.perf_counter() - t)
for k, c in enumerate(cmds):
    ts = times[k]
    print(f"median {statistics.median(ts)*1000:7.1f} ms  min {min(ts)*1000:7.1f} ms  {c}")
if len(cmds) == 2:
    d = [b - a for a, b in zip(times[0], times[1])]
    print(f"paired difference (2nd - 1st): median {statistics.median(d)*1000:+.1f} ms, {sum(x<0 for x in d)}/{len(d)} runs faster")
