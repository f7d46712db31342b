#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bad_input.sh - fwd-gen and fwd-sink on bad input (root; exit 77 without):
# missing interface, missing privileges, bpffs not mounted (fwd-sink mounts
# it), impossible rates, frames larger than the MTU, a busy interface,
# signals and SIGKILL. Every failure must be one line on stderr and a
# non-zero exit, and nothing may stay attached afterwards.
#
# usage: bad_input.sh FWD_PROFILE FWD_GEN FWD_SINK
FWD_PROFILE=$1; FWD_GEN=$2; FWD_SINK=$3
HERE=$(dirname "$0")
. "$HERE/lib.sh"
need_root
topo_up
FAILS=0

fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

# expect_err WHAT PATTERN CMD...: non-zero exit, one stderr line matching
expect_err() {
	local what=$1 pat=$2; shift 2
	local err rc
	err=$("$@" 2>&1 >/dev/null); rc=$?
	if [ $rc = 0 ]; then fail "$what: exit 0"; return; fi
	if [ "$(printf '%s\n' "$err" | grep -c .)" != 1 ]; then fail "$what: not one line: $err"; return; fi
	if ! printf '%s' "$err" | grep -qi -- "$pat"; then fail "$what: '$err' does not say '$pat'"; return; fi
	echo "ok: $what -> exit $rc: $err"
}

"$FWD_PROFILE" --out "$TMP/64.pcap" || exit 1
"$FWD_PROFILE" --out "$TMP/1518.pcap" --size 1518 || exit 1

expect_err "gen, missing interface" "no interface" \
	in_ns "$GNS" "$FWD_GEN" --dev fltr-nope --pcap "$TMP/64.pcap" --count 1
expect_err "sink, missing interface" "no interface" \
	in_ns "$SNS" "$FWD_SINK" --dev fltr-nope --timeout 1
for r in -5 2e8 abc nan; do
	expect_err "gen, impossible rate $r" "impossible rate" \
		in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/64.pcap" --count 1 --rate "$r"
done
expect_err "gen, --count and --duration" "not both" \
	in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/64.pcap" --count 1 --duration 1
expect_err "gen, missing pcap" "nonexistent" \
	in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/nonexistent.pcap" --count 1
printf 'not a pcap' >"$TMP/junk.pcap"
expect_err "gen, not a pcap" "junk.pcap\|format\|unknown" \
	in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/junk.pcap" --count 1

# an interface that is down, or whose peer is down (no carrier)
in_ns "$GNS" ip link set "$GDEV" down
expect_err "gen, interface down" "is down" \
	in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/64.pcap" --count 1
in_ns "$GNS" ip link set "$GDEV" up
in_ns "$SNS" ip link set "$SDEV" down
expect_err "gen, peer down" "no carrier" \
	in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/64.pcap" --count 1
in_ns "$SNS" ip link set "$SDEV" up

# frames larger than the MTU
in_ns "$GNS" ip link set "$GDEV" mtu 1000
for engine in xdp afpacket; do
	expect_err "gen $engine, frame larger than the MTU" "MTU" \
		in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/1518.pcap" --count 1 --engine $engine
done
in_ns "$GNS" ip link set "$GDEV" mtu 1500

# the DPDK engine: bad EAL arguments, a vdev on a missing interface
if "$FWD_GEN" --help | grep -q "^dpdk ("; then
	ls /var/run/dpdk 2>/dev/null | sort >"$TMP/rundirs.before"
	expect_err "gen dpdk, bad EAL args" "EAL" \
		in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/64.pcap" --count 1 --engine dpdk \
		--dpdk-args "--bogus"
	expect_err "gen dpdk, vdev on a missing interface" "no DPDK port" \
		in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/64.pcap" --count 1 --engine dpdk \
		--dpdk-args "--no-pci --no-huge -m 64 --vdev net_af_packet0,iface=fltr-nope"
	ls /var/run/dpdk 2>/dev/null | sort >"$TMP/rundirs.after"
	# other engineers' EAL runs may come and go: only ours (fwdgen*) count
	if comm -13 "$TMP/rundirs.before" "$TMP/rundirs.after" | grep -q '^fwdgen'; then
		fail "dpdk: EAL runtime directory left behind"
	fi
fi

# a frame without room for the test payload (ARP) is refused unless --raw
/usr/bin/python3 -c "
from scapy.all import ARP, Ether, wrpcap
wrpcap('$TMP/arp.pcap', [Ether(dst='ff:ff:ff:ff:ff:ff')/ARP()])"
expect_err "gen, frame without test payload" "raw" \
	in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/arp.pcap" --count 1

# missing privileges: nobody, without capabilities
if command -v setpriv >/dev/null; then
	NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all)
	expect_err "sink without privileges" "privileges" \
		in_ns "$SNS" "${NOBODY[@]}" "$FWD_SINK" --dev "$SDEV" --timeout 1
	expect_err "gen without privileges" "privileges" \
		in_ns "$GNS" "${NOBODY[@]}" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/64.pcap" --count 1
else
	echo "note: setpriv missing, privilege check not exercised"
fi
no_xdp "$SNS" "$SDEV"; no_xdp "$GNS" "$GDEV"

# bpffs not mounted: in a private mount namespace without it, fwd-sink
# mounts it and runs
if unshare -m --propagation private sh -c "
	umount /sys/fs/bpf 2>/dev/null
	mountpoint -q /sys/fs/bpf && exit 3
	nsenter --net=/run/netns/$SNS $FWD_SINK --dev $SDEV --timeout 0.3 >/dev/null || exit 1
	mountpoint -q /sys/fs/bpf || exit 2"; then
	echo "ok: bpffs not mounted -> mounted, sink ran"
else
	fail "bpffs not mounted (rc $?)"
fi
no_xdp "$SNS" "$SDEV"

# a second sink on a busy interface fails, the first one keeps running
sink_start
expect_err "second sink on a busy interface" "another XDP program" \
	in_ns "$SNS" "$FWD_SINK" --dev "$SDEV" --timeout 1
in_ns "$SNS" ip link show dev "$SDEV" | grep -q "prog/xdp" || fail "first sink detached"
sink_stop
grep -q '"rx":0' "$TMP/sink.json" || fail "first sink's summary: $(cat "$TMP/sink.json")"
no_xdp "$SNS" "$SDEV"

# SIGTERM during a flat-out run: clean stop, summary printed, nothing left
sink_start --no-seq --no-latency
nsenter --net=/run/netns/"$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/64.pcap" --duration 60 \
	>"$TMP/gen.json" 2>"$TMP/gen.err" &
GEN=$!
sleep 1
kill -TERM $GEN
if wait $GEN && grep -q '"interrupted":true' "$TMP/gen.json"; then
	echo "ok: SIGTERM -> $(cat "$TMP/gen.json")"
else
	fail "gen after SIGTERM: $(cat "$TMP/gen.json" "$TMP/gen.err")"
fi
no_xdp "$GNS" "$GDEV"
sink_stop
no_xdp "$SNS" "$SDEV"

# SIGKILL: the BPF link dies with the process
sink_start
kill -KILL "$SINK_PID"; wait "$SINK_PID" 2>/dev/null; SINK_PID=""
sleep 0.2
no_xdp "$SNS" "$SDEV" && echo "ok: SIGKILL -> nothing attached"

[ $FAILS = 0 ] && echo ok
exit $((FAILS > 0))
