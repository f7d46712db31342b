#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench_cpu.sh - CPU-only benchmark of fwd-dpdk: no network at all.
#
#   bench_cpu.sh FWD_DPDK [SECONDS (default 5)] [CORE (default 1)]
#
# net_pcap0 replays a pcap of 256 flows of 64 B frames (60 B + FCS) forever
# (infinite_rx=1: the PMD copies each frame into a fresh mbuf), fwd-dpdk
# forwards every one of them to net_null1 (no-rx=1), one lcore on CORE,
# no hugepages. Prints the per-second rates and a summary line:
#   bench_cpu: median X Mpps (wall), Y Mpps per busy core (CPU time of the lcore)
# "per busy core" divides by the lcore thread's CPU time, so other load on
# the core does not count against it (the wall figure is what one shared
# core delivered). Reference: a minimal L3 loop did ~36 Mpps here on a
# quiet machine (shared/MACHINE.md).
set -u
fwd=$1 secs=${2:-5} core=${3:-1}
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$fwd" ] || { echo "bench_cpu: $fwd not built (DPDK disabled): skip"; exit 77; }
work=$(mktemp -d /tmp/fld-dpdk-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$here/mkpcap.py" flows "$work/flows.pcap" 02:00:00:00:00:10 256 || exit 1
timeout -s INT $((secs + 3)) "$fwd" -l "$core" --no-pci --no-huge -m 256 --no-shconf \
	--no-telemetry --file-prefix "fld-bench-$$" \
	--vdev "net_pcap0,rx_pcap=$work/flows.pcap,infinite_rx=1" --vdev net_null1,no-rx=1 -- \
	--routes "$here/bench_routes.conf" --port-map 0=net_pcap0 --port-map 1=net_null1 \
	--stats-interval 1 >"$work/out" 2>"$work/err"
rc=$?
grep "rate:" "$work/out"
if ! grep -q "per busy core" "$work/out"; then
	echo "bench_cpu: no full interval measured (exit $rc)"; cat "$work/err"; exit 1
fi
# the first interval (start-up) and the last (partial) carry no per-core figure
grep "per busy core" "$work/out" | awk '
	{ for (i = 1; i <= NF; i++) { if ($i == "forward") w[n] = $(i + 1); if ($i == "busy") c[n] = $(i - 3) } n++ }
	function med(a, n,   i, j, t) { for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[int(n / 2)] : (a[n / 2 - 1] + a[n / 2]) / 2 }
	END { if (!n) { print "bench_cpu: run too short"; exit 1 }
	      printf "bench_cpu: median %.2f Mpps (wall), %.2f Mpps per busy core, 64 B, 1 lcore, %d intervals (minimal loop reference: ~36 Mpps)\n", med(w, n), med(c, n), n }'
