#!/usr/bin/env bash
# The whole performance comparison in one run (`./ferry bench`), then docs/performance.md.
#
#   tests/bench/run-all.sh [--quick]
#
# Steps, each writing raw output into tests/target/bench/run-<UTC time>/:
#   1. build (tests module and what it needs)
#   2. Ferry, ARP workload, throughput + latency, OF1.3, 16 switches  -> ferry.csv  (run-ferry.sh)
#   3. peers (run-peers.sh) with the same harness and scenarios         -> peers.csv
#   4. ReconcilerBench: flow-mods into real OVS 3.1 (root + OVS) and the emulator -> reconciler.txt
#   5. ScaleBench: 1000 hosts x 100 ports, racks of 10, 100 port adds, Ferry -Xmx2g -> scale.txt
#   6. PortToPingBench: REST port create -> first ping across hosts (root + OVS)   -> port-to-ping.txt
#   7. PerformanceReport renders docs/performance.md from that directory (machine facts included)
# A step that cannot run here (not root, no OVS) writes "SKIPPED: why" into its file.
#
# --quick: 3 loops after 1 warm-up of 500 ms; peers ovs-testcontroller + os-ken, arp, OF1.3 only;
#          reconciler 1 run of 2000 + 20000; scale 100 hosts x 100 ports, 20 tries; port-to-ping 5.
# Environment: NICE (default -10: bench processes in their own session at that nice level,
#              to win the shared cores from background work), OUT (run directory), REPORT
#              (default docs/performance.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
quick=0
[[ "${1:-}" == --quick ]] && quick=1
out="${OUT:-$root/tests/target/bench/run-$(date -u +%Y%m%dT%H%M%SZ)}"
report="${REPORT:-$root/docs/performance.md}"
export NICE="${NICE--10}" BUILD=0
mkdir -p "$out"
cp_tests="$root/tests/target/classes:$root/tests/target/lib/*"
nice_prefix=()
if [[ -n "$NICE" ]]; then
  nice_prefix=(setsid sh -c 'echo "$0" > /proc/self/autogroup 2>/dev/null; exec nice -n "$0" "$@"' "$NICE")
fi
step() { echo; echo "== $* ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"; }
lab_reason() {
  if [[ "$(id -u)" != 0 ]]; then echo "needs root (network namespaces, OVS)"; return; fi
  if ! command -v ovs-vswitchd >/dev/null; then echo "needs Open vSwitch (ovs-vswitchd)"; return; fi
  echo ""
}

if [[ $quick == 1 ]]; then
  export LOOPS=3 WARMUP=1 DURATION_MS=500
  peer_env=(PEERS="ovs-testcontroller os-ken" WORKLOADS=arp VERSIONS=1.3)
  export JIT_WARMUP_S=5
  reconciler_args=(1 2000 20000); scale_args=(100 100 10 20 2g); ping_args=(5)
else
  export LOOPS=10 WARMUP=2 DURATION_MS=1000
  peer_env=()
  reconciler_args=(3 2000 20000); scale_args=(1000 100 10 100 2g); ping_args=(20)
fi
echo "$0 $*" > "$out/command.txt"
echo "quick=$quick NICE=$NICE LOOPS=$LOOPS WARMUP=$WARMUP DURATION_MS=$DURATION_MS" >> "$out/command.txt"
cat /proc/loadavg > "$out/loadavg-start.txt"

step build
(cd "$root" && mvn -q -B -o -pl tests -am package -DskipTests)

step "Ferry arp throughput + latency"
"$here/run-ferry.sh" "$out/ferry.csv" --ports-csv "$out/ferry-arp-ports.csv" 2>&1 \
  | grep --line-buffered -v SLF4J | tee "$out/ferry.txt" || echo "FAILED: run-ferry.sh" | tee -a "$out/ferry.txt"

step "peers"
env "${peer_env[@]}" "$here/run-peers.sh" "$out/peers.csv" 2>&1 \
  | grep --line-buffered -v SLF4J | tee "$out/peers.txt" || echo "FAILED: run-peers.sh" | tee -a "$out/peers.txt"

lab="$(lab_reason)"
step "ReconcilerBench ${reconciler_args[*]}"
if [[ -n "$lab" ]]; then
  echo "SKIPPED: $lab" | tee "$out/reconciler.txt"
else
  "${nice_prefix[@]}" java -cp "$cp_tests" -Dferry.log.level=warn dev.ferry.tests.bench.ReconcilerBench \
    "${reconciler_args[@]}" 2>&1 | grep --line-buffered -v SLF4J | tee "$out/reconciler.txt" \
    || echo "FAILED: ReconcilerBench exited with an error (above)" | tee -a "$out/reconciler.txt"
fi

step "ScaleBench ${scale_args[*]}"
echo "args: ${scale_args[*]}" > "$out/scale.txt"
"${nice_prefix[@]}" java -cp "$cp_tests" -Dferry.log.level=warn dev.ferry.tests.bench.ScaleBench \
  "${scale_args[@]}" 2>&1 | grep --line-buffered -v SLF4J | tee -a "$out/scale.txt" \
  || echo "FAILED: ScaleBench exited with an error (above)" | tee -a "$out/scale.txt"

step "PortToPingBench ${ping_args[*]}"
if [[ -n "$lab" ]]; then
  echo "SKIPPED: $lab" | tee "$out/port-to-ping.txt"
else
  "${nice_prefix[@]}" java -cp "$cp_tests" -Dferry.log.level=warn dev.ferry.tests.bench.PortToPingBench \
    "${ping_args[@]}" 2>&1 | grep --line-buffered -v SLF4J | tee "$out/port-to-ping.txt" \
    || echo "FAILED: PortToPingBench exited with an error (above)" | tee -a "$out/port-to-ping.txt"
fi

cat /proc/loadavg > "$out/loadavg-end.txt"
step "report -> $report"
java -cp "$cp_tests" dev.ferry.tests.bench.PerformanceReport "$out" "./ferry bench $*" > "$report"
echo "raw results: $out"
