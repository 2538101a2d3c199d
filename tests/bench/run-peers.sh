#!/usr/bin/env bash
# Benchmarks the peer controllers from Debian against Ferry's load harness.
#
#   tests/bench/run-peers.sh [OUT.csv]
#
# Each peer runs pinned to core 0 (taskset -c 0), listening on a loopback port; the harness
# (one Netty event loop) runs pinned to core 1. Every scenario starts a fresh peer and stops it
# by its PID. Scenarios: workloads cbench and arp, modes throughput and latency; OpenFlow 1.0
# and 1.3 for ovs-testcontroller, 1.3 for os-ken (its app is OF1.3 only); plus the harness's
# own ceiling against its echo controller. Results: table on stdout, rows appended to OUT.csv.
#
# Environment: SWITCHES (16) LOOPS (10) WARMUP (2) DURATION_MS (1000) UNKNOWN_SHARE (0.1)
#              PEERS ("echo ovs-testcontroller ovs-testcontroller-noflow os-ken"; -noflow is
#                    ovs-testcontroller -n: packet-outs only, no flow-mods)  PORT (16653)  BUILD (1: build first)
#              WORKLOADS ("cbench arp")  MODES ("throughput latency")  VERSIONS (all a peer speaks)
#              HISTOGRAM_PREFIX (unset; else each scenario's latency histogram goes to
#                    <prefix>-<peer>-<of>-<workload>-<mode>.txt, see BenchMain --histogram)
#              NICE (unset; e.g. -10: run peer and harness in their own session (autogroup)
#                    at that nice level, to win the shared cores from background builds)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/tests/target/bench/peers-$(date -u +%Y%m%dT%H%M%SZ).csv}"
switches="${SWITCHES:-16}"
loops="${LOOPS:-10}"
warmup="${WARMUP:-2}"
duration="${DURATION_MS:-1000}"
unknown="${UNKNOWN_SHARE:-0.1}"
peers="${PEERS:-echo ovs-testcontroller ovs-testcontroller-noflow os-ken}"
port="${PORT:-16653}"
workloads="${WORKLOADS:-cbench arp}"
modes="${MODES:-throughput latency}"
run_dir="$(mktemp -d /tmp/ferry-bench.XXXXXX)"
pin0=(taskset -c 0)
pin1=(taskset -c 1)
if [[ -n "${NICE:-}" ]]; then
  # With sched_autogroup, nice only ranks threads within a session: a new session whose
  # autogroup gets the nice level. setsid and sh exec in place, so $! stays the peer's PID.
  boost='echo "$0" > /proc/self/autogroup 2>/dev/null; exec nice -n "$0" "$@"'
  pin0=(setsid sh -c "$boost" "$NICE" taskset -c 0)
  pin1=(setsid sh -c "$boost" "$NICE" taskset -c 1)
fi
peer_pid=""

if [[ "${BUILD:-1}" == 1 ]]; then
  (cd "$root" && mvn -q -B -o -pl tests -am package -DskipTests)
fi
cp="$root/tests/target/classes:$root/tests/target/lib/*"
mkdir -p "$(dirname "$out")"

stop_peer() {
  if [[ -n "$peer_pid" ]] && kill -0 "$peer_pid" 2>/dev/null; then
    kill "$peer_pid"
    wait "$peer_pid" 2>/dev/null || true
  fi
  peer_pid=""
}
cleanup() { stop_peer; rm -rf "$run_dir"; }
trap cleanup EXIT

wait_listening() {
  for _ in $(seq 100); do
    if ss -ltn "sport = :$port" | grep -q LISTEN; then return 0; fi
    if ! kill -0 "$peer_pid" 2>/dev/null; then
      echo "peer exited early; its log:" >&2; cat "$run_dir/peer.log" >&2; return 1
    fi
    sleep 0.1
  done
  echo "peer did not listen on $port" >&2; return 1
}

start_peer() { # name
  case "$1" in
    echo)
      "${pin0[@]}" java -cp "$cp" dev.ferry.tests.harness.EchoController "$port" "$ofv" \
        >"$run_dir/peer.log" 2>&1 &
      ;;
    ovs-testcontroller)
      "${pin0[@]}" ovs-testcontroller --no-chdir -vconsole:warn \
        --unixctl="$run_dir/ovstc.ctl" "ptcp:$port:127.0.0.1" >"$run_dir/peer.log" 2>&1 &
      ;;
    ovs-testcontroller-noflow)
      "${pin0[@]}" ovs-testcontroller --no-chdir -vconsole:warn --noflow \
        --unixctl="$run_dir/ovstc.ctl" "ptcp:$port:127.0.0.1" >"$run_dir/peer.log" 2>&1 &
      ;;
    os-ken)
      "${pin0[@]}" osken-manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$port" \
        "$here/oskenapp/simple_switch_13.py" >"$run_dir/peer.log" 2>&1 &
      ;;
  esac
  peer_pid=$!
  wait_listening
}

versions_of() {
  if [[ -n "${VERSIONS:-}" ]]; then
    if [[ "$1" == os-ken ]]; then echo "1.3"; else echo "$VERSIONS"; fi
    return
  fi
  case "$1" in
    os-ken) echo "1.3" ;;
    *) echo "1.0 1.3" ;;
  esac
}

printf '%-26s %-7s %-10s %-4s %4s %12s %10s %10s %7s %10s %8s %8s %8s %7s\n' controller load mode of sw \
  'resp/s(med)' 'p50(us)' 'p99(us)' 'cpu%' 'resp/cpu-s' 'rss(MiB)' timeouts wrong 'self%'
for peer in $peers; do
  for ofv in $(versions_of "$peer"); do
    for workload in $workloads; do
      for mode in $modes; do
        start_peer "$peer"
        "${pin1[@]}" java -cp "$cp" dev.ferry.tests.harness.BenchMain \
          --controller "127.0.0.1:$port" --name "$peer" --controller-pid "$peer_pid" \
          --switches "$switches" --mode "$mode" --workload "$workload" --ofversion "$ofv" \
          --loops "$loops" --warmup "$warmup" --duration-ms "$duration" \
          --unknown-share "$unknown" --csv "$out" --no-header \
          ${HISTOGRAM_PREFIX:+--histogram "$HISTOGRAM_PREFIX-$peer-$ofv-$workload-$mode.txt"}
        stop_peer
      done
    done
  done
done
echo "results: $out"
