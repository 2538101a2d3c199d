#!/usr/bin/env python3
"""Top frames of a JFR recording's execution samples: self (top frame) and inclusive counts.

    tests/bench/tools/jfr-top.py recording.jfr [N] [THREAD_SUBSTRING]
(JDK 17's `jfr` has no `view hot-methods`; this is that, from `jfr print --json`.)
"""
import collections, json, subprocess, sys

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
thread = sys.argv[3] if len(sys.argv) > 3 else None
raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample", path],
                     check=True, capture_output=True, text=True).stdout
events = json.loads(raw)["recording"]["events"]
top, incl, threads = collections.Counter(), collections.Counter(), collections.Counter()
total = 0
for e in events:
    v = e["values"]
    t = (v.get("sampledThread") or {}).get("javaName") or "?"
    threads[t] += 1
    if thread and thread not in t:
        continue
    frames = [f["method"]["type"]["name"].split(".")[-1] + "." + f["method"]["name"]
              for f in (v.get("stackTrace") or {}).get("frames", [])]
    if not frames:
        continue
    total += 1
    top[frames[0]] += 1
    for f in set(frames):
        incl[f] += 1
print(f"{total} samples" + (f" on threads matching {thread!r}" if thread else ""))
print("threads:", ", ".join(f"{k} {c}" for k, c in threads.most_common(6)))
print(f"\n== self (top frame), top {n}")
for f, c in top.most_common(n):
    print(f"{100*c/total:5.1f}%  {f}")
print(f"\n== inclusive, top {n}")
for f, c in incl.most_common(n):
    print(f"{100*c/total:5.1f}%  {f}")
