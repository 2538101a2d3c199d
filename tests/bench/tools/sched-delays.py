#!/usr/bin/env python3
"""Who kept a controller's Netty event loops off their core (docs/performance.md, latency mode).

    perf sched record -a -o sched.data -- sleep 3        # while the benchmark runs
    perf sched timehist -i sched.data > timehist.txt
    tests/bench/tools/sched-delays.py timehist.txt PID [MIN_MS]

For every wake-up of PID's nioEventLoop threads: its scheduling delay (woken -> running);
for the delays of at least MIN_MS (default 2) what ran on that CPU meanwhile ("ferry:" = a
thread of PID, "other:" = any other process); and how long the loops ran each time before
they slept or were preempted (a peak just under 4 ms = preempted at a HZ=250 tick).
"""
import collections
import re
import sys


def rows(path):
    for line in open(path).read().splitlines()[3:]:
        if len(line) < 60:
            continue
        try:
            wait, delay, run = map(float, line[54:].split()[:3])
        except ValueError:
            continue
        yield float(line[:15]), line[16:22], line[24:54].strip(), delay, run


def main(path, pid, min_ms):
    own = lambda name: ("/" + pid + "]") in name
    loop = lambda name: own(name) and "nioEventLoop" in name
    all_rows = list(rows(path))
    threads = {n for _, _, n, _, _ in all_rows if loop(n)}
    delays, runs, blame, long_delays = collections.Counter(), collections.Counter(), collections.Counter(), 0
    for i, (t, cpu, name, delay, run) in enumerate(all_rows):
        if not loop(name):
            continue
        delays[int(delay)] += 1
        runs[min(int(run * 2) / 2, 10)] += 1
        if delay < min_ms:
            continue
        long_delays += 1
        start, end = t - (run + delay) / 1000, t - run / 1000  # seconds
        for t2, cpu2, name2, _, run2 in all_rows[max(0, i - 400):i]:
            begin2 = t2 - run2 / 1000
            if cpu2 == cpu and t2 > start and begin2 < end:
                who = re.sub(r"\[.*", "", name2)
                who = "ferry:" + who if own(name2) else "other:" + re.sub(r"#\d+", "", who)
                blame[who] += (min(end, t2) - max(start, begin2)) * 1000
    print("%d event-loop threads, %d wake-ups" % (len(threads), sum(delays.values())))
    print("scheduling delay, ms (bucket: count):", sorted(delays.items()))
    print("delays >= %g ms: %d; ran on that CPU meanwhile (ms): %s" % (min_ms, long_delays,
          ", ".join("%s %.0f" % kv for kv in blame.most_common(8))))
    print("event-loop run lengths, ms (0.5 ms bucket: count):", sorted(runs.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 2.0)
