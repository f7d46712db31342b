# SPDX-License-Identifier: BSD-2-Clause
# lib.sh - shared shell helpers of the traffic tests and benchmark:
# a generator namespace and a sink namespace joined by one veth pair, all
# named with the prefix fltr + a per-run tag, always removed on exit.
#
#   . lib.sh; need_root; topo_up; ... ; (cleanup runs from the EXIT trap)
#
# Sets: GNS, SNS (namespaces), GDEV, SDEV (veth ends), TMP (scratch dir).

TAG="${TAG:-$$}"
GNS="fltr-g$TAG"; SNS="fltr-s$TAG"
GDEV="fltrg$TAG"; SDEV="fltrs$TAG"
TMP=""
SINK_PID=""

# Skip (77) unless we can create namespaces and load BPF programs.
need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: needs root (CAP_BPF, CAP_NET_ADMIN, netns)"; exit 77
	fi
	if ! ip netns add "fltr-probe$TAG" 2>/dev/null; then
		echo "SKIP: cannot create network namespaces"; exit 77
	fi
	ip netns del "fltr-probe$TAG"
}

cleanup() {
	if [ -n "$SINK_PID" ]; then kill -TERM "$SINK_PID" 2>/dev/null; wait "$SINK_PID" 2>/dev/null; fi
	ip netns del "$GNS" 2>/dev/null
	ip netns del "$SNS" 2>/dev/null
	[ -n "$TMP" ] && rm -rf "$TMP"
	return 0
}

# in NS CMD...: run in a namespace, keeping /sys and bpffs (MACHINE.md)
in_ns() { local ns=$1; shift; nsenter --net=/run/netns/"$ns" "$@"; }

topo_up() {
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	TMP=$(mktemp -d /tmp/fltr.XXXXXX)
	ip netns add "$GNS" && ip netns add "$SNS" || exit 1
	ip link add "$GDEV" netns "$GNS" type veth peer name "$SDEV" netns "$SNS" || exit 1
	# no IPv6 autoconf chatter: the sink must count only our frames
	in_ns "$GNS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	in_ns "$SNS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	in_ns "$GNS" ip link set "$GDEV" up || exit 1
	in_ns "$SNS" ip link set "$SDEV" up || exit 1
}

# sink_start ARGS...: start fwd-sink on SDEV in the background, wait until
# its program is attached (ready file). Output: $TMP/sink.json, sink.err
sink_start() {
	rm -f "$TMP/ready"
	# nsenter itself in the background (not a shell function): $! must be
	# the sink's own pid for the signals below
	nsenter --net=/run/netns/"$SNS" "$FWD_SINK" --dev "$SDEV" --ready-file "$TMP/ready" \
		--timeout 120 "$@" >"$TMP/sink.json" 2>"$TMP/sink.err" &
	SINK_PID=$!
	for _ in $(seq 100); do
		[ -e "$TMP/ready" ] && return 0
		kill -0 "$SINK_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "FAIL: fwd-sink did not start: $(cat "$TMP/sink.err")"; exit 1
}

# sink_stop: SIGINT, wait, fail on a non-zero exit.
sink_stop() {
	kill -INT "$SINK_PID"
	if ! wait "$SINK_PID"; then
		SINK_PID=""; echo "FAIL: fwd-sink: $(cat "$TMP/sink.err")"; exit 1
	fi
	SINK_PID=""
}

# no_xdp NS DEV: nothing attached to DEV.
no_xdp() {
	if in_ns "$1" ip link show dev "$2" | grep -q "prog/xdp"; then
		echo "FAIL: an XDP program is still attached to $2"; exit 1
	fi
}
