#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# integration_dpdk.sh - fwd-dpdk on net_af_xdp / net_af_packet vdevs over
# veth, as root.
#
#   integration_dpdk.sh FWD_DPDK FWD_REF GOLDEN_CMP
#
# Topology (namespaces fld-g$$ / fld-d$$ / fld-s$$, always deleted):
#   [gen: g0] ==veth== [dut: d0 | fwd-dpdk | d1] ==veth== [sink: s0]
# Runs: 300 frames of every verdict (mkpcap.py mixed) sent with scapy from g0,
# captured on g0 and s0 (tcpdump, inbound only); punted frames go to a
# net_pcap exception port. The captures, punt.pcap and --stats-file must
# equal fwd-ref's output for the same input (golden-cmp). Runs: net_af_xdp
# and net_af_packet with --no-huge, then net_af_xdp with hugepages
# (--in-memory; pages reserved for the run and given back) when they can be
# reserved.
# Bad input: a bad route file (exit 3), a missing interface (exit 4),
# hugepages requested while none are free (exit 4), each one line on stderr.
# Exit 0 pass, 1 fail, 77 skip (not root, no fwd-dpdk, no AF_XDP).
set -u
fwd=$1 ref=$2 cmp=$3
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
skip() { echo "integration_dpdk: SKIP: $*"; exit 77; }
fail() { echo "integration_dpdk: FAIL: $*"; failed=1; }
[ -x "$fwd" ] || skip "$fwd not built (DPDK disabled)"
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, AF_XDP)"
command -v ip >/dev/null && command -v tcpdump >/dev/null || skip "needs iproute2 and tcpdump"

G=fld-g$$ D=fld-d$$ S=fld-s$$
work=$(mktemp -d /tmp/fld-dpdk-int.XXXXXX)
pids=() added_pages=0 failed=0
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	ip netns del "$G" 2>/dev/null; ip netns del "$D" 2>/dev/null; ip netns del "$S" 2>/dev/null
	if [ "$added_pages" -gt 0 ]; then # give back only what this test added
		local now; now=$(cat /proc/sys/vm/nr_hugepages)
		echo $((now > added_pages ? now - added_pages : 0)) >/proc/sys/vm/nr_hugepages
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

routes=$here/integration_routes.conf
in=$work/in.pcap
$py "$here/mkpcap.py" mixed "$in" 02:00:00:00:00:10 --repeat 4 || { echo "mkpcap failed"; exit 1; }
mkdir "$work/expected"
"$ref" --routes "$routes" --in-port 0 --in "$in" --out-dir "$work/expected" >/dev/null || exit 1

ip netns add "$G" && ip netns add "$D" && ip netns add "$S" || skip "cannot create network namespaces"
for ns in "$G" "$D" "$S"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip link add g0 netns "$G" type veth peer name d0 netns "$D" || exit 1
ip link add d1 netns "$D" type veth peer name s0 netns "$S" || exit 1
ip -n "$G" link set g0 address 02:00:00:00:00:20 up
ip -n "$D" link set d0 address 02:00:00:00:00:10 up
ip -n "$D" link set d1 address 02:00:00:00:01:10 up
ip -n "$S" link set s0 address 02:00:00:00:01:20 up
ip -n "$D" link set lo up

# one forwarding run: $1 = label, $2 = PMD (net_af_xdp, net_af_packet),
# rest = memory EAL args
run() {
	local label=$1 pmd=$2 out=$work/$1 ready=$work/$1.ready fp tp sp rc; shift 2
	mkdir "$out"
	ip netns exec "$G" tcpdump -q -n -U -Q in -i g0 -w "$out/port0.pcap" 2>/dev/null & tp=$!
	ip netns exec "$S" tcpdump -q -n -U -Q in -i s0 -w "$out/port1.pcap" 2>/dev/null & sp=$!
	pids+=("$tp" "$sp")
	ip netns exec "$D" "$fwd" -l 0 --no-pci "$@" --no-telemetry --file-prefix "fld-int-$$" \
		--vdev "${pmd}0,iface=d0" --vdev "${pmd}1,iface=d1" \
		--vdev "net_pcap_punt,tx_pcap=$out/punt.pcap" -- \
		--routes "$routes" --port-map "0=${pmd}0" --port-map "1=${pmd}1" \
		--exception-port net_pcap_punt --ready-file "$ready" \
		--stats-file "$out/stats.json" >"$out/fwd.log" 2>&1 & fp=$!
	pids+=("$fp")
	for _ in $(seq 100); do
		[ -e "$ready" ] || ! kill -0 "$fp" 2>/dev/null && break
		sleep 0.1
	done
	if [ ! -e "$ready" ]; then
		wait "$fp"; rc=$?
		if grep -qiE "af_xdp|xsk|bpf" "$out/fwd.log" && [ "$label" = af_xdp ]; then
			cat "$out/fwd.log"; skip "net_af_xdp did not start here (exit $rc)"
		fi
		fail "$label: fwd-dpdk not ready (exit $rc)"; cat "$out/fwd.log"; return
	fi
	sleep 1 # let tcpdump attach
	ip netns exec "$G" $py -c "
import logging, sys
logging.getLogger('scapy.runtime').setLevel(logging.ERROR)
from scapy.all import rdpcap, sendp
sendp(rdpcap(sys.argv[1]), iface='g0', verbose=False)" "$in" || fail "$label: scapy sendp failed"
	sleep 1
	kill -TERM "$fp"; wait "$fp"; rc=$?
	[ "$rc" = 0 ] || fail "$label: fwd-dpdk exited $rc after SIGTERM"
	sleep 0.5
	kill -INT "$tp" "$sp"; wait "$tp" "$sp" 2>/dev/null
	pids=()
	if "$cmp" "$work/expected" "$out" >/dev/null; then
		echo "integration_dpdk: $label: $(tr -d ' \n' <"$out/stats.json"): equal to fwd-ref's"
	else
		fail "$label: outputs differ from fwd-ref's"; cat "$out/fwd.log"
	fi
	ip netns exec "$D" ip link show d0 | grep -q PROMISC && fail "$label: d0 left in promiscuous mode"
	ip netns exec "$D" ip link show d0 | grep -q xdp && fail "$label: XDP program left on d0"
}

run af_xdp net_af_xdp --no-huge -m 256 --no-shconf
run af_packet net_af_packet --no-huge -m 256 --no-shconf

# bad input: each is one line on stderr and a distinct exit code
expect() { # expect CODE LABEL CMD...
	local code=$1 label=$2 err=$work/err rc; shift 2
	"$@" >/dev/null 2>"$err"; rc=$?
	if [ "$rc" != "$code" ]; then fail "$label: exit $rc, expected $code"; cat "$err"
	elif [ "$(grep -c '^fwd-dpdk: ' "$err")" != 1 ]; then fail "$label: no single 'fwd-dpdk:' line"; cat "$err"
	else echo "integration_dpdk: $label: exit $rc: $(grep '^fwd-dpdk: ' "$err")"
	fi
}
printf 'port 0 name d0 mac 02:00:00:00:00:10 addr 198.18.0.1/24\nroute 1.2.3.0/24 via 9.9.9.9\n' >"$work/bad.conf"
expect 3 "bad route file" ip netns exec "$D" "$fwd" -l 0 --no-pci --no-huge -m 256 --no-shconf \
	--no-telemetry --file-prefix "fld-int-$$" --vdev net_af_xdp0,iface=d0 -- --routes "$work/bad.conf"
expect 4 "missing interface" ip netns exec "$D" "$fwd" -l 0 --no-pci --no-huge -m 256 --no-shconf \
	--no-telemetry --file-prefix "fld-int-$$" --vdev net_af_xdp0,iface=nosuch0 \
	--vdev net_af_xdp1,iface=d1 -- --routes "$routes"
expect 2 "bad option" "$fwd" -l 0 --no-pci -- --routes "$routes" --stats-interval soon
expect 2 "bad --rx-backoff" "$fwd" -l 0 --no-pci -- --routes "$routes" --rx-backoff -1
# --version, before or after "--": one line naming DPDK and the linking
for v in "--version" "-- --version"; do
	# shellcheck disable=SC2086 # $v is two words on purpose
	out=$("$fwd" $v) || fail "fwd-dpdk $v: exit $?"
	case $out in
	"fwd-dpdk (fwdlab): DPDK "*", linked static" | "fwd-dpdk (fwdlab): DPDK "*", linked shared") ;;
	*) fail "fwd-dpdk $v: '$out'" ;;
	esac
done

free=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 2>/dev/null || echo 0)
if [ "$free" = 0 ]; then
	expect 4 "no hugepages" ip netns exec "$D" "$fwd" -l 0 --no-pci --in-memory \
		--no-telemetry --file-prefix "fld-int-$$" --vdev net_af_xdp0,iface=d0 -- --routes "$routes"
else
	echo "integration_dpdk: no-hugepages case not run: $free hugepages are free right now"
fi
# hugepages: reserve 200 x 2 MiB for this run only
before=$(cat /proc/sys/vm/nr_hugepages)
echo $((before + 200)) >/proc/sys/vm/nr_hugepages 2>/dev/null
added_pages=$(( $(cat /proc/sys/vm/nr_hugepages) - before ))
if [ "$added_pages" -ge 150 ]; then
	run af_xdp-hugepages net_af_xdp --in-memory
else
	echo "integration_dpdk: hugepage run not done: could reserve only $added_pages pages"
fi
[ -e "/var/run/dpdk/fld-int-$$" ] && fail "fwd-dpdk left /var/run/dpdk/fld-int-$$ behind"
[ "$failed" = 0 ] && echo "integration_dpdk: PASS"
exit "$failed"
