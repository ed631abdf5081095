#!/usr/bin/env python3
"""What a first write to fresh memory costs on this machine: maps MIB MiB of anonymous
memory RUNS times, advised onto huge pages or kept off them, writes one byte into each
4 KiB page and prints the time of each round (the mapping, the writes, the kernel's and the
host's work for the new pages). On a VM whose kernel reports free 2 MiB blocks to the host
(/sys/module/page_reporting), the first rounds can cost up to 100 times the later ones.
usage: python3 tools/bench/fresh-memory.py [MIB=256] [RUNS=6] [huge|small]
"""
import mmap, sys, time

mib = int(sys.argv[1]) if len(sys.argv) > 1 else 256
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 6
huge = (sys.argv[3] if len(sys.argv) > 3 else "huge") == "huge"
size = mib << 20
for _ in range(runs):
    t = time.perf_counter()
    m = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    m.madvise(mmap.MADV_HUGEPAGE if huge else mmap.MADV_NOHUGEPAGE)
    for offset in range(0, size, 4096):
        m[offset] = 1
    ms = (time.perf_counter() - t) * 1000
    m.close()
    print(f"{mib} MiB, {'huge' if huge else '4 KiB'} pages: {ms:.1f} ms ({ms / mib:.2f} ms a MiB)")
