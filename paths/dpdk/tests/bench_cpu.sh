#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench_cpu.sh - CPU-only benchmark of fwd-dpdk against DPDK's own
# applications on the same vdevs, in one run: no network at all.
#
#   bench_cpu.sh FWD_DPDK [SECONDS 5] [CORE 1] [L3FWD_DIR] [ROUNDS 3]
#
# net_pcap0 replays 256 flows of 64 B frames (60 B + FCS, to 198.19.0.0/16)
# forever (infinite_rx=1: the PMD copies each frame into a fresh mbuf);
# every application forwards them to net_null1 (no-rx=1) with one
# forwarding lcore on CORE, no hugepages. Per round, in turn:
#   fwd-dpdk          the forwarder (bench_routes.conf)
#   l3fwd-shared      DPDK's l3fwd example, LPM mode, the same route
#                     (--rule_ipv4), --parse-ptype (net_pcap sets no packet
#                     types); built from dpdk-doc into L3FWD_DIR (skipped
#                     without it), linked as its Makefile does by default
#   l3fwd-static      the same, linked like a static fwd-dpdk
#                     (static_ldflags.sh; skipped without the archives)
#   testpmd-macswap   dpdk-testpmd swapping MACs: touches every frame, no
#                     lookup, no checks (skipped without dpdk-testpmd)
#   testpmd-io        dpdk-testpmd io mode: frames passed on untouched, the
#                     floor of RX + TX cost on these vdevs
# (testpmd's main lcore idles on the other core.) Every application is
# measured the same way: net_null1's opackets through its telemetry socket
# over SECONDS, after a warm-up (telemetry_rate.py). Prints each trial, the
# medians and fwd-dpdk's ratio to each. The machine notes' "minimal L3 loop,
# ~36 Mpps" is not a program we have; l3fwd is the minimal L3 forwarder
# DPDK ships, and io/macswap bound it from below and above.
# Exit 0 after printing the figures; 77 when fwd-dpdk is not built.
set -u
fwd=$1 secs=${2:-5} core=${3:-1} l3dir=${4:-} rounds=${5:-3}
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$fwd" ] || { echo "bench_cpu: $fwd not built (DPDK disabled): skip"; exit 77; }
other=$(( core == 0 ? 1 : 0 ))
work=$(mktemp -d /tmp/fld-dpdk-bench.XXXXXX)
pfx=fld-cpu-$$
app=
cleanup() {
	[ -n "$app" ] && { kill -INT "$app" 2>/dev/null; sleep 1; kill -KILL "$app" 2>/dev/null; wait "$app" 2>/dev/null; }
	rm -rf "$work" /var/run/dpdk/"$pfx"-*
}
trap cleanup EXIT
trap 'exit 1' INT TERM

/usr/bin/python3 "$here/mkpcap.py" flows "$work/flows.pcap" 02:00:00:00:00:10 256 || exit 1
echo "R198.19.0.0/16 1" >"$work/v4.cfg"
echo "R2001:0db8:0000:0000:0000:0000:0000:0000/32 1" >"$work/v6.cfg"
vdevs=(--vdev "net_pcap0,rx_pcap=$work/flows.pcap,infinite_rx=1" --vdev net_null1,no-rx=1)

apps=(fwd-dpdk)
l3fwd=
if [ -n "$l3dir" ]; then
	if "$here/build_l3fwd.sh" "$l3dir"; then
		l3fwd=$l3dir/l3fwd/build
		apps+=(l3fwd-shared)
		[ -x "$l3fwd/l3fwd-static" ] && apps+=(l3fwd-static)
	fi
fi
[ -z "$l3fwd" ] && echo "bench_cpu: no l3fwd (give L3FWD_DIR, apt-get install dpdk-doc): skipped"
if command -v dpdk-testpmd >/dev/null; then
	apps+=(testpmd-macswap testpmd-io)
else
	echo "bench_cpu: no dpdk-testpmd (apt-get install dpdk): testpmd skipped"
fi

# one trial: $1 = application; prints "NAME Mpps"
trial() {
	local name=$1 fp=$pfx-$1 log=$work/$1.log rc out
	case $name in
	fwd-dpdk)
		"$fwd" -l "$core" --no-pci --no-huge -m 256 --file-prefix "$fp" "${vdevs[@]}" -- \
			--routes "$here/bench_routes.conf" --port-map 0=net_pcap0 \
			--port-map 1=net_null1 --stats-interval 1 >"$log" 2>&1 & app=$! ;;
	l3fwd-*)
		"$l3fwd/$name" -l "$core" --no-pci --no-huge -m 1024 --file-prefix "$fp" "${vdevs[@]}" -- \
			-p 0x3 -P --lookup=lpm --parse-ptype --config="(0,0,$core)" \
			--rule_ipv4="$work/v4.cfg" --rule_ipv6="$work/v6.cfg" \
			--eth-dest=1,02:00:00:00:01:20 >"$log" 2>&1 & app=$! ;;
	testpmd-*)
		dpdk-testpmd -l "$other,$core" --main-lcore "$other" --no-pci --no-huge -m 1024 \
			--file-prefix "$fp" "${vdevs[@]}" -- --forward-mode="${name#testpmd-}" \
			--nb-cores=1 --total-num-mbufs=16384 --stats-period 60 >"$log" 2>&1 & app=$! ;;
	esac
	sleep 1 # warm-up: EAL, ports, first bursts
	out=$(/usr/bin/python3 "$here/telemetry_rate.py" "/var/run/dpdk/$fp/dpdk_telemetry.v2" 1 "$secs")
	rc=$?
	kill -INT "$app"; wait "$app"; app=
	rm -rf "/var/run/dpdk/$fp"
	if [ $rc != 0 ] || [ -z "$out" ]; then
		echo "bench_cpu: $name: no measurement; its log:" >&2; tail -5 "$log" >&2
		return 1
	fi
	echo "$name ${out%% *}"
}

echo "bench_cpu: 64 B, net_pcap infinite_rx -> net_null, 1 forwarding lcore on CPU $core, ${secs} s x $rounds rounds"
echo "bench_cpu: $("$fwd" --version)"
: >"$work/results"
for r in $(seq "$rounds"); do
	for a in "${apps[@]}"; do
		trial "$a" >"$work/one" || continue
		cat "$work/one" >>"$work/results"
		awk '{ printf "  %-16s %s Mpps\n", $1, $2 }' "$work/one"
	done
done
[ -s "$work/results" ] || { echo "bench_cpu: no trial measured"; exit 1; }
awk '{ v[$1] = v[$1] " " $2 }
	function med(s,   a, k, i, j, t) { k = split(s, a, " "); for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
	END { f = med(v["fwd-dpdk"])
	      printf "bench_cpu: median fwd-dpdk %.2f Mpps (%.1f ns/frame)", f, (f > 0 ? 1000 / f : 0)
	      n = split("l3fwd-shared l3fwd-static testpmd-macswap testpmd-io", o, " ")
	      for (i = 1; i <= n; i++) if (o[i] in v) { m = med(v[o[i]]); printf "; %s %.2f (fwd-dpdk/%s %.2f)", o[i], m, o[i], (m > 0 ? f / m : 0) }
	      printf "\n" }' "$work/results"
