#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench_l3fwd.sh - fwd-dpdk against DPDK's own l3fwd (LPM mode) on the same
# net_af_xdp vdevs over veth, interleaved, in split-napi0 placement.
#
#   bench_l3fwd.sh FWD_DPDK FWD_GEN FWD_SINK FWD_PROFILE L3FWD_DIR [SECONDS 3] [ROUNDS 4]
#
# l3fwd is built by build_l3fwd.sh from /usr/share/dpdk/examples/l3fwd
# (package dpdk-doc) into L3FWD_DIR (a build directory, never committed);
# the run uses the one linked like fwd-dpdk (static or shared).
# Topology, namespaces fld-lg$$ / fld-ld$$ / fld-ls$$ (always deleted):
#   [gen g0] ==veth== [d0 | forwarder | d1] ==veth== [s0 sink]
# Placement split-napi0: fwd-gen (xdp engine) pinned to core 0; d0's veth
# NAPI (where the AF_XDP PMD's XDP program runs) is raised by the sender
# and so also runs on core 0 (threaded NAPI off); the forwarder's only
# lcore runs on core 1. fwd-sink (XDP) counts on s0. 64 B frames, 64 flows,
# offered flat out for SECONDS; the rate is what the sink received.
# Both forwarders: --no-huge, promiscuous, one RX/TX queue per port.
# Three applications per round: fwd-dpdk as it runs by default, l3fwd,
# and fwd-dpdk --rx-backoff 0 (every port polled every round, as l3fwd:
# port 1 never receives here, and each empty net_af_xdp poll is a
# recvfrom() system call), so the figures show what the back-off adds.
# Exit 0 after printing the figures; 77 when a tool is missing.
set -u
fwd=$1 gen=$2 sink=$3 prof=$4 l3dir=$5 secs=${6:-3} rounds=${7:-4}
here=$(cd "$(dirname "$0")" && pwd)
skip() { echo "bench_l3fwd: SKIP: $*"; exit 77; }
[ -x "$fwd" ] || skip "$fwd not built (DPDK disabled)"
for t in "$gen" "$sink" "$prof"; do
	[ -x "$t" ] || skip "traffic tool $t not built (traffic/ needs the xdp feature)"
done
[ "$(id -u)" = 0 ] || skip "needs root"
[ "$(nproc)" -ge 2 ] || skip "needs 2 cores for split-napi0"

"$here/build_l3fwd.sh" "$l3dir"
case $? in 0) ;; 77) skip "no l3fwd sources (apt-get install dpdk-doc)" ;; *) exit 1 ;; esac
# the l3fwd linked like fwd-dpdk (static or shared: fwd-dpdk --version)
link=$("$fwd" --version | sed -n 's/.*, linked //p')
l3fwd=$l3dir/l3fwd/build/l3fwd-${link:-shared}
[ -x "$l3fwd" ] || l3fwd=$l3dir/l3fwd/build/l3fwd-shared
echo "bench_l3fwd: fwd-dpdk linked ${link:-?}, l3fwd: ${l3fwd##*/}"

G=fld-lg$$ D=fld-ld$$ S=fld-ls$$
work=$(mktemp -d /tmp/fld-dpdk-l3.XXXXXX)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null; done
	sleep 1
	for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	ip netns del "$G" 2>/dev/null; ip netns del "$D" 2>/dev/null; ip netns del "$S" 2>/dev/null
	rmdir "/var/run/dpdk/fld-l3-$$" 2>/dev/null # l3fwd leaves its (empty) runtime dir
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
# nsenter keeps /sys (ip netns exec remounts it); background jobs call
# nsenter directly so that $! is the tool itself, not a subshell
nsx() { local ns=$1; shift; nsenter --net=/run/netns/"$ns" "$@"; }

ip netns add "$G" && ip netns add "$D" && ip netns add "$S" || skip "cannot create namespaces"
# no IPv6 (router solicitations, DAD) on the veths: only the test's frames
for ns in "$G" "$D" "$S"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip link add g0 netns "$G" type veth peer name d0 netns "$D" || exit 1
ip link add d1 netns "$D" type veth peer name s0 netns "$S" || exit 1
ip -n "$G" link set g0 address 02:00:00:00:00:20 up
ip -n "$D" link set d0 address 02:00:00:00:00:10 up
ip -n "$D" link set d1 address 02:00:00:00:01:10 up
ip -n "$S" link set s0 address 02:00:00:00:01:20 up

"$prof" --out "$work/64.pcap" --size 64 --flows 64 --src-mac 02:00:00:00:00:20 \
	--dst-mac 02:00:00:00:00:10 --src 198.18.0.2 --dst 198.19.0.0/16 >/dev/null || exit 1
echo "R198.19.0.0/16 1" >"$work/v4.cfg"
echo "R2001:0db8:0000:0000:0000:0000:0000:0000/32 1" >"$work/v6.cfg"

eal=(-l 1 --no-pci --no-huge --no-shconf --no-telemetry --vdev net_af_xdp0,iface=d0
	--vdev net_af_xdp1,iface=d1)

# one trial: $1 = fwd-dpdk | l3fwd; prints "NAME rx_mpps tx_mpps"
trial() {
	local name=$1 log=$work/$1.log ready=$work/ready fp sp i rx tx
	rm -f "$ready"
	if [ "$name" != l3fwd ]; then
		local extra=()
		[ "$name" = fwd-dpdk-b0 ] && extra=(--rx-backoff 0)
		nsenter --net=/run/netns/"$D" "$fwd" "${eal[@]}" -m 256 --file-prefix "fld-l3-$$" -- \
			--routes "$here/bench_routes.conf" --port-map 0=net_af_xdp0 \
			--port-map 1=net_af_xdp1 "${extra[@]}" --json --ready-file "$ready" >"$log" 2>&1 & fp=$!
	else
		nsenter --net=/run/netns/"$D" "$l3fwd" "${eal[@]}" -m 1024 --file-prefix "fld-l3-$$" -- \
			-p 0x3 -P --lookup=lpm --parse-ptype --config="(0,0,1),(1,0,1)" \
			--rule_ipv4="$work/v4.cfg" --rule_ipv6="$work/v6.cfg" \
			--eth-dest=1,02:00:00:00:01:20 >"$log" 2>&1 & fp=$!
	fi
	pids=("$fp")
	for i in $(seq 150); do
		{ [ -e "$ready" ] || grep -q "entering main loop" "$log"; } && break
		kill -0 "$fp" 2>/dev/null || break
		sleep 0.1
	done
	if ! kill -0 "$fp" 2>/dev/null; then
		echo "bench_l3fwd: $name did not start:"; tail -5 "$log"; return 1
	fi
	nsenter --net=/run/netns/"$S" "$sink" --dev s0 --ready-file "$work/sink.ready" --json >"$work/sink.json" 2>"$work/sink.err" & sp=$!
	pids+=("$sp")
	for i in $(seq 100); do [ -e "$work/sink.ready" ] && break; sleep 0.1; done
	sleep 0.5
	nsx "$G" "$gen" --dev g0 --pcap "$work/64.pcap" --engine xdp --cpu 0 \
		--duration "$secs" --json >"$work/gen.json" 2>"$work/gen.err" ||
		{ echo "bench_l3fwd: fwd-gen failed: $(cat "$work/gen.err")"; }
	sleep 0.5
	kill -INT "$sp"; wait "$sp"
	kill -INT "$fp"; wait "$fp"
	pids=()
	[ "$name" != l3fwd ] && echo "  $name counters: $(grep '^{' "$log" | tail -1)" >&2
	rm -f "$work/sink.ready"
	rx=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rx"])' "$work/sink.json" 2>/dev/null)
	tx=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sent"])' "$work/gen.json" 2>/dev/null)
	awk -v n="$name" -v r="${rx:-0}" -v t="${tx:-0}" -v s="$secs" \
		'BEGIN { printf "%s %.3f %.3f\n", n, r / s / 1e6, t / s / 1e6 }'
}

echo "bench_l3fwd: split-napi0 (gen + d0 NAPI on core 0, lcore on core 1), 64 B, ${secs} s x $rounds rounds"
# The host's speed drifts during a run (the same application 1.0 or 1.5
# Mpps minutes apart), so: every round runs all three, in an order that
# reverses from round to round (no application always first), and the
# comparison is the median of the per-round ratios, not of the rates.
: >"$work/results"
order=(fwd-dpdk l3fwd fwd-dpdk-b0)
for r in $(seq "$rounds"); do
	names=("${order[@]}")
	[ $((r % 2)) = 0 ] && names=("${order[2]}" "${order[1]}" "${order[0]}")
	for name in "${names[@]}"; do
		if ! trial "$name" >"$work/one"; then cat "$work/one"; continue; fi
		awk -v r="$r" '{ print r, $0 }' "$work/one" >>"$work/results"
		awk '{ printf "  %-11s sink %s Mpps (offered %s Mpps)\n", $1, $2, $3 }' "$work/one"
	done
done
/usr/bin/python3 - "$work/results" <<'PY'
import statistics as st, sys
rate = {}
for line in open(sys.argv[1]):
    r, name, rx, _ = line.split()
    rate.setdefault(name, {})[r] = float(rx)
def ratios(a, b):
    A, B = rate.get(a, {}), rate.get(b, {})
    return [A[r] / B[r] for r in A if r in B and B[r] > 0]
med = {n: st.median(v.values()) for n, v in rate.items()}
print("bench_l3fwd: median Mpps: " + ", ".join(f"{n} {med[n]:.3f}" for n in
      ("fwd-dpdk", "l3fwd", "fwd-dpdk-b0") if n in med))
for a, b, what in (("fwd-dpdk", "l3fwd", "fwd-dpdk / l3fwd (LPM)"),
                   ("fwd-dpdk-b0", "l3fwd", "fwd-dpdk --rx-backoff 0 / l3fwd"),
                   ("fwd-dpdk", "fwd-dpdk-b0", "fwd-dpdk / fwd-dpdk --rx-backoff 0")):
    q = ratios(a, b)
    if q:
        print(f"bench_l3fwd: {what}: per-round ratio median {st.median(q):.3f} "
              f"(min {min(q):.3f}, max {max(q):.3f}), >= 1 in {sum(x >= 1 for x in q)} of {len(q)} rounds")
PY
