#!/usr/bin/env python3
"""Samples of `perf record -g` per thread in 50 ms buckets, each counted for the part (pdf,
render, sie, core) its stack names nearest the leaf; usage:
  perf script -i perf.data -F tid,time,ip,sym | python3 tools/bench/perf-timeline.py
"""
import sys, re, collections

cls = [("pdf", re.compile(r"typst|krilla|pdf_writer|zlib|crc32|rustybuzz|ttf_parser|subsetter|usvg|comemo|ecow|hayro|delar_render::pdf")),
       ("render", re.compile(r"delar_render|rust_xlsxwriter|minijinja|serde_json")),
       ("sie", re.compile(r"delar_sie")), ("core", re.compile(r"delar_core"))]
c = collections.Counter(); t0=None; cur=None
for line in sys.stdin:
    if line and not line[0].isspace():
        parts=line.split()
        tid=parts[0]; t=float(parts[1].rstrip(':'))
        if t0 is None: t0=t
        cur=(tid,int((t-t0)*20)); frames=[]; c_set=False
        seen=False
        continue
    if cur is None: continue
    s=line.strip()
    if not s: 
        cur=None; continue
    if not seen:
        seen=True; first=s
    # classify by the first frame matching a class (walk the stack)
    for k,r in cls:
        if r.search(s):
            c[(cur[0],cur[1],k)]+=1; cur=None; break
    else:
        pass
rows=collections.defaultdict(dict)
for (tid,b,k),n in c.items(): rows[(tid,b)][k]=n
for (tid,b) in sorted(rows, key=lambda x:(x[1],x[0])):
    print(f"{b*50:5d}ms tid {tid}: " + " ".join(f"{k}={n}" for k,n in sorted(rows[(tid,b)].items())))
