#!/usr/bin/env bash
# Benchmarks Ferry's ARP responder with the same harness and scenarios as run-peers.sh.
#
#   tests/bench/run-ferry.sh [OUT.csv]
#
# Ferry runs as its own JVM pinned to core 0 (taskset -c 0), provisioned through REST so that
# every emulated port (s<dpid>-eth<p>) is a container port of its group's network; the harness
# runs pinned to core 1 for workload arp, OF1.3, throughput and latency modes, with
# UNKNOWN_SHARE of requests for addresses nobody has (Ferry must leave them unanswered:
# wrong_answers 0). The ports CSV it writes sits next to OUT.csv (ferry-arp-ports.csv).
# Logic lives in dev.ferry.tests.bench.FerryBench; extra args after OUT.csv go to it
# (e.g. --ferry-jvm=-XX:StartFlightRecording=duration=30s,filename=/tmp/ferry.jfr).
#
# Environment: SWITCHES (16) LOOPS (10) WARMUP (2) DURATION_MS (1000) UNKNOWN_SHARE (0.1)
#              MODES (throughput,latency) XMX (512m) BUILD (1) NICE (unset; e.g. -10, see run-peers.sh)
#              JIT_WARMUP_S (15: unrecorded load first, so the measured loops see compiled code)
# Latency histograms per mode: pass --histogram-prefix=PREFIX after OUT.csv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/tests/target/bench/ferry-$(date -u +%Y%m%dT%H%M%SZ).csv}"
[[ $# -gt 0 ]] && shift
if [[ "${BUILD:-1}" == 1 ]]; then
  (cd "$root" && mvn -q -B -o -pl tests -am package -DskipTests)
fi
mkdir -p "$(dirname "$out")"
java -cp "$root/tests/target/classes:$root/tests/target/lib/*" dev.ferry.tests.bench.FerryBench \
  --switches "${SWITCHES:-16}" --loops "${LOOPS:-10}" --warmup "${WARMUP:-2}" \
  --duration-ms "${DURATION_MS:-1000}" --unknown-share "${UNKNOWN_SHARE:-0.1}" \
  --modes "${MODES:-throughput,latency}" --xmx "${XMX:-512m}" --jit-warmup-s "${JIT_WARMUP_S:-15}" \
  --csv "$out" "$@"
echo "results: $out"
