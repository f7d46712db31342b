#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# integration.sh FWD_XDP FWD_REF GOLDEN_CMP - fwd-xdp on a veth topology.
#
#   PFX-gen-$$            PFX-dut-$$                         PFX-snk-$$
#   flxN-g0 ====== flxN-d0 (port 0) | flxN-d1 (port 1) ====== flxN-s0
#
# (PFX: $FLX_PREFIX, default flx: the namespace name prefix.)
# For --lookup lpm, dir and fib, native mode: 310 frames (mkframes.py)
# sent from the generator namespace with scapy, captured on the sink (port 1)
# and back on the generator (port 0, hairpin), punts captured on flxN-d0
# after XDP (XDP_PASS frames reach the stack and the packet taps); then
# golden-cmp against fwd-ref's output for the same frames, counters from
# fwd-xdp's --json line. GRO is on for the capture veths: XDP_REDIRECT into
# a veth is only delivered when its peer has NAPI (MACHINE.md).
# Jumbo: the same again with MTU 9000 ports (veth MTU 9100 on the ingress
# pair, so that 9015-byte frames arrive) and mkjumbo.py's frames of up to
# 9015 bytes: native attach works only because fwd-xdp loads the program
# multi-buffer (BPF_F_XDP_HAS_FRAGS) for jumbo MTUs, and forwarded 9014-byte
# frames leave as multi-buffer XDP_REDIRECTs. --multi-buffer auto's reload
# after ERANGE (small own MTU, jumbo veth peer), and --probe.
# Bad input: missing interface, bad route file, not root, no native XDP
# (a bridge), busy interface,
# generic mode, SIGTERM and SIGKILL: a clear error and no XDP left attached.
# Exit 0 pass, 1 fail, 77 skip (not root, or no scapy / tcpdump).
set -u
FWD_XDP=$1 FWD_REF=$2 GOLDEN_CMP=$3
HERE=$(cd "$(dirname "$0")" && pwd)

[ "$(id -u)" = 0 ] || { echo "skip: needs root (netns, veth, XDP)"; exit 77; }
command -v tcpdump >/dev/null || { echo "skip: no tcpdump"; exit 77; }
/usr/bin/python3 -c 'import scapy' 2>/dev/null || { echo "skip: no scapy for /usr/bin/python3"; exit 77; }

ID=$$ PFX=${FLX_PREFIX:-flx}
NG=$PFX-gen-$ID ND=$PFX-dut-$ID NS=$PFX-snk-$ID
G0=flx$ID-g0 D0=flx$ID-d0 D1=flx$ID-d1 S0=flx$ID-s0
MG=02:46:4c:00:10:01 MD0=02:46:4c:00:10:02 MD1=02:46:4c:00:10:03 MS=02:46:4c:00:10:04
TMP=$(mktemp -d /tmp/flx-xdp.XXXXXX)
PIDS=()
FAILS=0

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

fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }

# No XDP program may be left on the DUT's interfaces.
check_detached() {
	if ip -n "$ND" link show | grep -q 'xdp'; then
		fail "$1: XDP still attached: $(ip -n "$ND" -o link show | grep xdp)"
	else
		ok "$1: nothing attached"
	fi
}

wait_file() { # FILE PID: wait up to 10 s for FILE while PID lives
	local i
	for i in $(seq 100); do
		[ -e "$1" ] && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

setup() {
	local ns
	for ns in "$NG" "$ND" "$NS"; do
		ip netns add "$ns" || exit 1
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 || exit 1
	done
	ip link add "$G0" netns "$NG" address $MG type veth peer "$D0" netns "$ND" address $MD0 &&
	ip link add "$D1" netns "$ND" address $MD1 type veth peer "$S0" netns "$NS" address $MS || exit 1
	ip -n "$NG" link set "$G0" up && ip -n "$ND" link set "$D0" up &&
	ip -n "$ND" link set "$D1" up && ip -n "$NS" link set "$S0" up || exit 1
	# NAPI on the peers of the egress veths (redirect targets: d0, d1).
	ip netns exec "$NG" ethtool -K "$G0" gro on >/dev/null &&
	ip netns exec "$NS" ethtool -K "$S0" gro on >/dev/null || exit 1
	cat >"$TMP/routes.conf" <<-EOT
	port 0 name $D0 mac $MD0 addr 198.18.0.1/24
	port 1 name $D1 mac $MD1 addr 198.18.1.1/24
	neigh 198.18.0.2 mac $MG port 0
	neigh 198.18.1.2 mac $MS port 1
	route 198.19.0.0/16 via 198.18.1.2
	route 203.0.113.0/24 via 198.18.1.9
	EOT
	/usr/bin/python3 "$HERE/mkframes.py" "$TMP/in.pcap" $MD0 $MG || exit 1
	"$FWD_REF" --routes "$TMP/routes.conf" --in-port 0 --in "$TMP/in.pcap" \
		--out-dir "$TMP/expected" >/dev/null || exit 1
	sed "s/^port [01] .*/& mtu 9000/" "$TMP/routes.conf" >"$TMP/jumbo.conf"
	/usr/bin/python3 "$HERE/mkjumbo.py" "$TMP/jumbo.pcap" $MD0 $MG || exit 1
	"$FWD_REF" --routes "$TMP/jumbo.conf" --in-port 0 --in "$TMP/jumbo.pcap" \
		--out-dir "$TMP/expected-jumbo" >/dev/null || exit 1
}

# Jumbo MTUs: 9100 on the ingress pair (9015-byte frames must arrive to be
# punted as mtu), 9000 on the egress pair (the route file's port MTU).
set_jumbo_mtu() {
	ip -n "$NG" link set "$G0" mtu 9100 && ip -n "$ND" link set "$D0" mtu 9100 &&
	ip -n "$ND" link set "$D1" mtu 9000 && ip -n "$NS" link set "$S0" mtu 9000 || exit 1
}

start_cap() { # NS IF FILE [filter...]: tcpdump of received frames
	local ns=$1 ifc=$2 out=$3
	shift 3
	ip netns exec "$ns" tcpdump -i "$ifc" -Q in -U -n -s 65535 -w "$out" "$@" \
		2>"$out.log" &
	PIDS+=($!)
	local i
	for i in $(seq 50); do
		grep -q 'listening on' "$out.log" && return 0
		sleep 0.1
	done
	echo "tcpdump on $ifc did not start: $(cat "$out.log")"
	exit 1
}

# One forwarding run: LOOKUP (lpm|dir|fib) [TAG]: TAG "" = routes.conf and
# in.pcap, "jumbo" = jumbo.conf and jumbo.pcap.
run_traffic() {
	local lookup=$1 tag=${2:-} conf=$TMP/routes.conf in=$TMP/in.pcap
	local exp=$TMP/expected name=$1 fwd rc caps i act ready
	if [ -n "$tag" ]; then
		conf=$TMP/$tag.conf in=$TMP/$tag.pcap exp=$TMP/expected-$tag name="$tag $1"
	fi
	act=$TMP/actual-$1$tag ready=$TMP/ready-$1$tag
	mkdir -p "$act"
	# Only the test's own UDP frames without options: in fib mode the kernel
	# (forwarding on, as bpf_fib_lookup needs) also answers punted frames
	# with ICMP and ARP, which are not the forwarder's output.
	start_cap "$NS" "$S0" "$act/port1.pcap" 'udp and ip[0] == 0x45'
	caps=$!
	start_cap "$NG" "$G0" "$act/port0.pcap" 'udp and ip[0] == 0x45'
	caps="$caps $!"
	start_cap "$ND" "$D0" "$act/punt.pcap"
	caps="$caps $!"
	ip netns exec "$ND" "$FWD_XDP" --routes "$conf" --lookup "$lookup" \
		--json --stats-interval 0 --ready-file "$ready" >"$act/stdout" 2>"$act/stderr" &
	fwd=$!
	PIDS+=($fwd)
	if ! wait_file "$ready" $fwd; then
		fail "$name: fwd-xdp did not get ready: $(cat "$act/stderr")"
		return
	fi
	ip -n "$ND" link show "$D0" | grep -q 'xdp ' && ok "$name: attached in native mode" ||
		fail "$name: not attached natively: $(ip -n "$ND" link show "$D0")"
	ip netns exec "$NG" /usr/bin/python3 -c '
import logging, sys
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import rdpcap, sendp
sendp(rdpcap(sys.argv[1]), iface=sys.argv[2], verbose=False)' "$in" "$G0" ||
		fail "$name: sending failed"
	sleep 1
	kill -TERM $fwd
	wait $fwd
	rc=$?
	[ $rc = 0 ] && ok "$name: fwd-xdp exit 0 after SIGTERM" || fail "$name: fwd-xdp exit $rc: $(cat "$act/stderr")"
	[ -e "$ready" ] && fail "$name: ready file left behind"
	check_detached "$name: after SIGTERM"
	for i in $caps; do kill -INT "$i"; wait "$i"; done
	tail -n 1 "$act/stdout" >"$act/stats.json"
	if out=$("$GOLDEN_CMP" "$exp" "$act" 2>&1); then
		ok "$name: frames (port 0, port 1, punt) and counters equal fwd-ref's"
	else
		fail "$name: golden-cmp: $out"
	fi
}

expect_err() { # NAME WANT_RC GREP_RE cmd...
	local name=$1 want=$2 re=$3 rc
	shift 3
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc != "$want" ]; then
		fail "$name: exit $rc, expected $want ($(head -c 300 "$TMP/err"))"
	elif [ "$(wc -l <"$TMP/err")" != 1 ] || ! grep -qE -- "$re" "$TMP/err"; then
		fail "$name: expected one line matching '$re' on stderr, got: $(head -c 500 "$TMP/err")"
	else
		ok "$name: exit $rc: $(cat "$TMP/err")"
	fi
	check_detached "$name"
}

setup
run_traffic lpm
run_traffic dir
run_traffic fib
set_jumbo_mtu
run_traffic lpm jumbo
run_traffic dir jumbo
run_traffic fib jumbo

# --multi-buffer auto: ports with a 1500-byte MTU whose veth peers are
# jumbo refuse the single-buffer program (ERANGE); fwd-xdp reloads it
# multi-buffer. --multi-buffer off then fails with one clear line.
ip -n "$ND" link set "$D0" mtu 1500 && ip -n "$ND" link set "$D1" mtu 1500 || exit 1
ip netns exec "$ND" "$FWD_XDP" --routes "$TMP/routes.conf" --verbose \
	--ready-file "$TMP/r3" >"$TMP/mb.out" 2>"$TMP/mb.err" &
mb=$!
PIDS+=($mb)
if wait_file "$TMP/r3" $mb; then
	grep -q 'single-buffer refused at this MTU, loading multi-buffer' "$TMP/mb.err" &&
		grep -q 'forwarder program attached, multi-buffer' "$TMP/mb.err" &&
		ok "multi-buffer auto: reloaded multi-buffer after ERANGE" ||
		fail "multi-buffer auto: $(grep fwd-xdp: "$TMP/mb.err")"
	kill -TERM $mb
	wait $mb
	check_detached "multi-buffer auto"
else
	fail "multi-buffer auto: did not start: $(grep fwd-xdp: "$TMP/mb.err")"
fi
expect_err "multi-buffer off, jumbo peer" 6 "refuses single-buffer XDP at this MTU.*--multi-buffer auto" \
	ip netns exec "$ND" "$FWD_XDP" --routes "$TMP/routes.conf" --multi-buffer off
set_jumbo_mtu

# --probe (benchmark reference): attaches, forwards, counts nothing, detaches.
ip netns exec "$ND" "$FWD_XDP" --routes "$TMP/routes.conf" --probe --json \
	--stats-interval 0 --ready-file "$TMP/r4" >"$TMP/probe.out" 2>"$TMP/probe.err" &
pr=$!
PIDS+=($pr)
if wait_file "$TMP/r4" $pr; then
	ip -n "$ND" link show "$D0" | grep -q 'xdp ' && ok "probe attached" ||
		fail "probe not attached"
	kill -TERM $pr
	wait $pr && ok "probe: exit 0 after SIGTERM" || fail "probe: exit $?"
	check_detached "probe"
else
	fail "probe did not start: $(cat "$TMP/probe.err")"
fi
expect_err "probe with --lookup fib" 2 "--probe has its own" \
	ip netns exec "$ND" "$FWD_XDP" --routes "$TMP/routes.conf" --probe --lookup fib

# --- bad input ---------------------------------------------------------
sed "s/name $D1/name flxnope$ID/" "$TMP/routes.conf" >"$TMP/noif.conf"
expect_err "missing interface" 5 "no interface 'flxnope" \
	ip netns exec "$ND" "$FWD_XDP" --routes "$TMP/noif.conf"
printf 'port 0 name %s mac 02:46:4c:00:10:02 addr 198.18.0.1/24\nroute 1.2.3.0/24 via\n' "$D0" >"$TMP/bad.conf"
expect_err "bad route file" 3 "bad.conf:2:" \
	ip netns exec "$ND" "$FWD_XDP" --routes "$TMP/bad.conf"
expect_err "bad flag" 2 "--mode" \
	ip netns exec "$ND" "$FWD_XDP" --routes "$TMP/routes.conf" --mode turbo
chmod 755 "$TMP" && chmod 644 "$TMP/routes.conf"
expect_err "not root" 4 "needs root" \
	ip netns exec "$ND" setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$FWD_XDP" --routes "$TMP/routes.conf"

# no native XDP: a bridge's driver has no ndo_bpf
if ip -n "$ND" link add "flx$ID-br" address 02:46:4c:00:10:0b type bridge 2>/dev/null; then
	ip -n "$ND" link set "flx$ID-br" up
	printf 'port 0 name flx%s-br mac 02:46:4c:00:10:0b addr 198.18.9.1/24\n' "$ID" >"$TMP/br.conf"
	expect_err "no native XDP" 6 "no native XDP support; use --mode generic" \
		ip netns exec "$ND" "$FWD_XDP" --routes "$TMP/br.conf"
	ip -n "$ND" link del "flx$ID-br"
else
	echo "note: no bridge support here, native-XDP refusal not tested"
fi

v=$("$FWD_XDP" --version) && [[ $v == "fwd-xdp (fwdlab): libbpf "* ]] &&
	ok "--version: $v" || fail "--version: '$v'"

# busy: an XDP program already on port 1 -> refused, the other left alone
ip netns exec "$ND" "$FWD_XDP" --routes "$TMP/routes.conf" --ready-file "$TMP/r1" \
	>/dev/null 2>&1 &
first=$!
PIDS+=($first)
if wait_file "$TMP/r1" $first; then
	"$FWD_XDP" --help >/dev/null
	ip netns exec "$ND" "$FWD_XDP" --routes "$TMP/routes.conf" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc = 6 ] && grep -q 'another XDP program.*bpftool net' "$TMP/err" && [ "$(wc -l <"$TMP/err")" = 1 ] &&
		ok "busy interface: exit 6: $(cat "$TMP/err")" ||
		fail "busy interface: exit $rc: $(cat "$TMP/err")"
	ip -n "$ND" link show "$D0" | grep -q 'xdp ' && ok "busy: first instance still attached" ||
		fail "busy: the failed second instance detached the first"
	kill -KILL $first
	wait $first 2>/dev/null
	sleep 0.2
	check_detached "after SIGKILL (BPF links die with the process)"
else
	fail "busy: first instance did not start"
fi

# generic mode attaches as xdpgeneric and detaches on SIGINT
ip netns exec "$ND" "$FWD_XDP" --routes "$TMP/routes.conf" --mode generic \
	--stats-interval 0.2 --ready-file "$TMP/r2" >"$TMP/gen.out" 2>&1 &
g=$!
PIDS+=($g)
if wait_file "$TMP/r2" $g; then
	ip -n "$ND" link show "$D1" | grep -q 'xdpgeneric' && ok "generic mode attached" ||
		fail "generic mode: $(ip -n "$ND" link show "$D1")"
	sleep 0.5
	kill -INT $g
	wait $g
	rc=$?
	n=$(grep -c '^rx ' "$TMP/gen.out")
	[ $rc = 0 ] && [ "$n" -ge 2 ] && ok "generic mode: exit 0, $n text stats lines" ||
		fail "generic mode: exit $rc, $n stats lines: $(cat "$TMP/gen.out")"
	check_detached "generic after SIGINT"
else
	fail "generic mode did not start: $(cat "$TMP/gen.out")"
fi

[ $FAILS = 0 ] && { echo "PASS"; exit 0; }
echo "$FAILS failure(s)"
exit 1
