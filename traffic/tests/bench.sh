#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench.sh - the traffic benchmark (not a test): generator -> sink across
# one veth pair, no forwarder, 64 B frames, inline placement (generator
# pinned to CPU 0; veth delivery and the sink's XDP run on the same CPU).
#
#   1. each engine flat out into the counting sink (no sequence, no latency)
#   2. the live-frames engine with a clock read per frame (--ts-every 1)
#   3. the live-frames engine into the full sink (sequence + latency of
#      every frame)
#   4. pacing accuracy at 100 pps, 10 kpps, 1 Mpps (inline)
#   5. split: the sink's NAPI thread on CPU 1 (BENCH_SINK_CPU), so that its
#      own capacity shows (counting and full)
#
# For each: offered Mpps (generator), Mpps counted by the sink, CPU ns per
# frame (generator process, which includes the inline sink work). When the
# sink counted everything that was offered, the sink's capacity is at least
# that rate and the line says "generator-limited".
#
# usage: bench.sh FWD_PROFILE FWD_GEN FWD_SINK   (env: BENCH_SECONDS=3, BENCH_CPU=0)
FWD_PROFILE=$1; FWD_GEN=$2; FWD_SINK=$3
SECS=${BENCH_SECONDS:-3}
CPU=${BENCH_CPU:-0}
HERE=$(dirname "$0")
. "$HERE/lib.sh"
need_root
topo_up
"$FWD_PROFILE" --out "$TMP/64.pcap" --size 64 || exit 1

# run NAME SINK_ARGS -- GEN_ARGS
run() {
	local name=$1; shift
	local sargs=()
	while [ "$1" != "--" ]; do sargs+=("$1"); shift; done; shift
	sink_start "${sargs[@]}"
	in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/64.pcap" --duration "$SECS" --cpu "$CPU" "$@" \
		>"$TMP/gen.json" || { echo "FAIL: fwd-gen $*"; exit 1; }
	sink_stop
	/usr/bin/python3 - "$name" "$TMP/gen.json" "$TMP/sink.json" <<'PY'
import json, sys
name, g, s = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
tx = g["sent"] / g["duration_s"] / 1e6
rx = s["rx"] / g["duration_s"] / 1e6
ns = g["cpu_s"] / g["sent"] * 1e9 if g["sent"] else 0
note = "generator-limited (sink kept up)" if s["rx"] >= g["sent"] else \
       f"sink-limited: {g['sent'] - s['rx']} frames not counted"
lat = s["lat_ns"]
extra = f" latency p50 {lat['p50']} p99 {lat['p99']} max {lat['max']} ns" if s["lat_n"] else ""
print(f"{name:<34} offered {tx:7.3f} Mpps  sink {rx:7.3f} Mpps  {ns:6.1f} ns/frame CPU  {note}{extra}")
print("  json:", json.dumps({"case": name, "gen": g, "sink": s}))
PY
}

echo "traffic benchmark: 64 B, ${SECS} s per case, generator on CPU $CPU, inline; load: $(cut -d' ' -f1-3 /proc/loadavg)"
run "xdp live frames -> counting sink" --no-seq --no-latency -- --engine xdp
run "afpacket sendmmsg -> counting sink" --no-seq --no-latency -- --engine afpacket
if "$FWD_GEN" --help | grep -q "^dpdk ("; then
	run "dpdk net_af_packet -> counting sink" --no-seq --no-latency -- --engine dpdk
fi
run "xdp, clock per frame -> counting" --no-seq --no-latency -- --engine xdp --ts-every 1
run "xdp live frames -> full sink" -- --engine xdp
run "afpacket sendmmsg -> full sink" -- --engine afpacket

# pacing: achieved rate at a few targets (2 s each; at 100 pps 200 frames)
echo "pacing (target -> generator tx_pps, sink-counted pps):"
for engine in xdp afpacket; do
	for rate in 100 10000 1000000; do
		sink_start --no-latency
		in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/64.pcap" --duration 2 --cpu "$CPU" \
			--rate $rate --engine $engine >"$TMP/gen.json" || exit 1
		sink_stop
		/usr/bin/python3 - "$engine" "$rate" "$TMP/gen.json" "$TMP/sink.json" <<'PY'
import json, sys
e, r, g, s = sys.argv[1], float(sys.argv[2]), json.load(open(sys.argv[3])), json.load(open(sys.argv[4]))
print(f"  {e:<9} {r:>10.0f} pps -> {g['tx_pps']:>12.1f} sent ({100 * (g['tx_pps'] / r - 1):+.2f} %), "
      f"{s['rx'] / g['duration_s']:>12.1f} counted, burst {g['burst']}")
PY
	done
done

# split: the sink's NAPI (and XDP program) in its own thread on another CPU,
# so its capacity shows as loss at its veth when the generator offers more
SINK_CPU=${BENCH_SINK_CPU:-1}
if [ "$(nproc)" -gt "$SINK_CPU" ]; then
	for mode in "--no-seq --no-latency" ""; do
		sink_start $mode
		ip netns exec "$SNS" sh -c "echo 1 > /sys/class/net/$SDEV/threaded" || exit 1
		# kthread name "napi/<dev>-<id>", cut to 15 characters
		NAPI=$(ps -eo pid=,comm= | awk -v n="napi/$SDEV" 'index($2, substr(n, 1, 15)) == 1 {print $1}')
		if [ -n "$NAPI" ]; then
			taskset -pc "$SINK_CPU" $NAPI >/dev/null
		else
			echo "note: no napi/$SDEV thread found, the sink's NAPI is not pinned"
		fi
		in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/64.pcap" --duration "$SECS" --cpu "$CPU" \
			>"$TMP/gen.json" || exit 1
		sink_stop
		ip netns exec "$SNS" sh -c "echo 0 > /sys/class/net/$SDEV/threaded" 2>/dev/null
		/usr/bin/python3 - "${mode:-full}" "$TMP/gen.json" "$TMP/sink.json" "$SINK_CPU" <<'PY'
import json, sys
mode, g, s, cpu = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3])), sys.argv[4]
d = g["duration_s"]
name = "counting" if "no-latency" in mode else "full (seq + latency)"
lost = g["sent"] - s["rx"]
verdict = ("limited on the sink's side: its NAPI thread + XDP program, including the "
           "cross-CPU veth hand-off (excess dropped at the veth)") if lost > 0.001 * g["sent"] else \
          "generator-limited (the sink kept up)"
print(f"split, sink {name:<20} on CPU {cpu}: offered {g['sent'] / d / 1e6:7.3f} Mpps, "
      f"sink {s['rx'] / d / 1e6:7.3f} Mpps, {lost} lost before the sink: {verdict}")
PY
	done
fi

