#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# bench.sh FWD_XDP FWD_GEN FWD_SINK FWD_PROFILE [SECONDS] [ROUNDS] [PLACEMENTS]
# fwd-xdp against the kernel's ip_forward on the same veth topology
# (integration.sh's, namespaces flx-b*-$$), interleaved trials, 64 B UDP,
# generator fwd-gen --engine xdp (BPF live frames), sink fwd-sink (XDP).
# Each round runs the ceiling (generator straight into the sink over its own
# veth pair), linux, fwd-xdp (LPM trie) and fwd-xdp --lookup fib, in turn.
# PLACEMENTS: "inline" (default; everything runs on the generator's CPU)
# and/or "split" (threaded NAPI on the DUT's ingress veth pinned to CPU 1,
# generator and sink on CPU 0). Prints Mpps at the sink per trial and the
# medians; the numbers on a busy shared machine are rough (README.md).
# Exit 0, 77 when not root / tools missing.
set -u
FWD_XDP=$1 FWD_GEN=$2 FWD_SINK=$3 FWD_PROFILE=$4
SECS=${5:-2} ROUNDS=${6:-2} PLACEMENTS=${7:-inline}

[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
for b in "$FWD_XDP" "$FWD_GEN" "$FWD_SINK" "$FWD_PROFILE"; do
	[ -x "$b" ] || { echo "skip: $b not built"; exit 77; }
done

ID=$$
PFX=${FLX_PREFIX:-flx} # namespace name prefix
NG=$PFX-bgen-$ID ND=$PFX-bdut-$ID NS=$PFX-bsnk-$ID
G0=flb$ID-g0 D0=flb$ID-d0 D1=flb$ID-d1 S0=flb$ID-s0 GC=flb$ID-gc SC=flb$ID-sc
MG=02:46:4c:00:20:01 MD0=02:46:4c:00:20:02 MD1=02:46:4c:00:20:03 MS=02:46:4c:00:20:04
TMP=$(mktemp -d /tmp/flx-bench.XXXXXX)
PIDS=()

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
	wait 2>/dev/null
	ip netns del "$NG" 2>/dev/null
	ip netns del "$ND" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
die() { echo "bench: $*" >&2; exit 1; }

wait_file() { # FILE PID
	local i
	for i in $(seq 100); do
		[ -e "$1" ] && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

for ns in "$NG" "$ND" "$NS"; do
	ip netns add "$ns" || die "netns $ns"
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done
ip link add "$G0" netns "$NG" address $MG type veth peer "$D0" netns "$ND" address $MD0 &&
ip link add "$D1" netns "$ND" address $MD1 type veth peer "$S0" netns "$NS" address $MS &&
ip link add "$GC" netns "$NG" type veth peer "$SC" netns "$NS" address $MD0 ||
	die "veth"
ip -n "$NG" link set "$GC" up && ip -n "$NS" link set "$SC" up &&
ip -n "$NG" link set "$G0" up && ip -n "$ND" link set "$D0" up &&
ip -n "$ND" link set "$D1" up && ip -n "$NS" link set "$S0" up || die "link up"
# NAPI where XDP-redirected frames arrive: d0 (from the live-frames
# generator) for both paths; s0 gets fwd-sink's XDP program.
ip netns exec "$ND" ethtool -K "$D0" gro on >/dev/null || die "gro"
cat >"$TMP/routes.conf" <<EOT
port 0 name $D0 mac $MD0 addr 198.18.0.1/24
port 1 name $D1 mac $MD1 addr 198.18.1.1/24
neigh 198.18.0.2 mac $MG port 0
neigh 198.18.1.2 mac $MS port 1
route 198.19.0.0/16 via 198.18.1.2
EOT
# linux: the same table in the kernel (harmless for fwd-xdp: its frames
# never reach the stack).
ip netns exec "$ND" sh -c "
	ip addr add 198.18.0.1/24 dev $D0 && ip addr add 198.18.1.1/24 dev $D1 &&
	ip neigh replace 198.18.0.2 lladdr $MG nud permanent dev $D0 &&
	ip neigh replace 198.18.1.2 lladdr $MS nud permanent dev $D1 &&
	ip route replace 198.19.0.0/16 via 198.18.1.2 &&
	sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.$D0.rp_filter=0 \
		net.ipv4.conf.all.send_redirects=0" || die "linux routes"
"$FWD_PROFILE" --out "$TMP/p64.pcap" --size 64 --src 198.18.0.2 \
	--src-mac $MG --dst-mac $MD0 --dst 198.19.0.0/16 >/dev/null || die "profile"

placement() { # inline|split
	local t=/sys/class/net/$D0/threaded pid
	if [ "$1" = split ]; then
		ip netns exec "$ND" sh -c "echo 1 > $t" || die "threaded NAPI"
		sleep 0.2
		for pid in $(pgrep "^napi/$D0"); do taskset -p 2 "$pid" >/dev/null; done
		GEN_CPU=0
	else
		ip netns exec "$ND" sh -c "echo 0 > $t" 2>/dev/null
		GEN_CPU=0
	fi
}

# trial PATH (linux|xdp|ceiling): prints "Mpps tx_Mpps"
trial() {
	local path=$1 fwd= sink rx dur tx gif=$G0 sif=$S0
	rm -f "$TMP/ready" "$TMP/sready"
	if [ "$path" = xdp ] || [ "$path" = xdpfib ]; then
		# xdpfib: bpf_fib_lookup on the FIB the linux set-up installed
		ip netns exec "$ND" "$FWD_XDP" --routes "$TMP/routes.conf" --json \
			$([ "$path" = xdpfib ] && echo --lookup fib --no-fib-install) \
			--ready-file "$TMP/ready" >"$TMP/xdp.json" 2>"$TMP/xdp.err" &
		fwd=$!
		PIDS+=($fwd)
		wait_file "$TMP/ready" $fwd || die "fwd-xdp: $(cat "$TMP/xdp.err")"
	fi
	# ceiling: the generator straight into the sink, no forwarder
	[ "$path" = ceiling ] && { gif=$GC; sif=$SC; }
	ip netns exec "$NS" taskset -c 0 "$FWD_SINK" --dev "$sif" --no-latency --json \
		--ready-file "$TMP/sready" >"$TMP/sink.json" 2>"$TMP/sink.err" &
	sink=$!
	PIDS+=($sink)
	wait_file "$TMP/sready" $sink || die "fwd-sink: $(cat "$TMP/sink.err")"
	ip netns exec "$NG" "$FWD_GEN" --dev "$gif" --pcap "$TMP/p64.pcap" --engine xdp \
		--cpu $GEN_CPU --duration "$SECS" --json >"$TMP/gen.json" 2>"$TMP/gen.err" ||
		die "fwd-gen: $(cat "$TMP/gen.err")"
	sleep 0.3
	kill -INT $sink
	wait $sink
	[ -n "$fwd" ] && { kill -TERM $fwd; wait $fwd; }
	rx=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rx"])' "$TMP/sink.json")
	read -r dur tx < <(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["duration_s"], d["tx_pps"])' "$TMP/gen.json")
	/usr/bin/python3 -c 'import sys; rx,d,tx=map(float,sys.argv[1:]); print("%.3f %.3f" % (rx/d/1e6, tx/1e6))' "$rx" "$dur" "$tx"
}

echo "bench: 64 B UDP, $SECS s trials, $ROUNDS interleaved rounds (rough: shared machine)"
for plc in $PLACEMENTS; do
	placement "$plc"
	declare -A res=()
	for r in $(seq "$ROUNDS"); do
		for path in ceiling linux xdp xdpfib; do
			read -r mpps tx < <(trial $path)
			[ -n "${mpps:-}" ] || die "trial $path failed"
			printf '%-7s %-7s round %d: %6.3f Mpps at the sink (offered %6.3f Mpps)\n' \
				"$plc" "$path" "$r" "$mpps" "$tx"
			res[$path]="${res[$path]:-} $mpps"
		done
	done
	/usr/bin/python3 - "$plc" "${res[ceiling]}" "${res[linux]}" "${res[xdp]}" "${res[xdpfib]}" <<'PY'
import statistics, sys
plc = sys.argv[1]
names = ["ceiling", "linux", "xdp", "xdpfib"]
vals = {n: [float(x) for x in a.split()] for n, a in zip(names, sys.argv[2:6])}
med = {n: statistics.median(v) for n, v in vals.items()}
print(f"{plc}: median Mpps " + ", ".join(f"{n} {med[n]:.3f} ({min(vals[n]):.3f}-{max(vals[n]):.3f})"
                                         for n in names))
if med["linux"] > 0:
    print(f"{plc}: xdp/linux {med['xdp'] / med['linux']:.2f}x, "
          f"xdpfib/linux {med['xdpfib'] / med['linux']:.2f}x")
if plc == "inline" and min(med.values()) > 0:
    # inline, every stage runs to completion on one core: a forwarder's
    # marginal cost is 1/rate - 1/ceiling (MACHINE.md)
    cost = {n: 1e3 / med[n] - 1e3 / med["ceiling"] for n in names[1:]}
    print("inline: marginal cost per frame: " +
          ", ".join(f"{n} {c:.0f} ns" for n, c in cost.items()))
PY
	unset res
done
