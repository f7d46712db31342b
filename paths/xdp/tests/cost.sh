#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# cost.sh FWD_XDP_COST FWD_PROFILE - the XDP forwarder's own CPU cost per
# 64 B frame (kernel-measured BPF_PROG_RUN time), LPM trie against kernel
# FIB, DIR-16-8-8 and against the benchmark reference (probe: same lookups and rewrite,
# no checks, no counters), in a scratch namespace ${FLX_PREFIX:-flx}-cost-$$ with a veth pair as
# the two ports (FLX_PREFIX: the namespace name prefix, default flx).
# BPF_PROG_RUN's repeat reruns the program on the rewritten buffer, so the
# next hop's MAC is port 0's own (each rewrite leaves a frame port 0 accepts)
# and the frame starts with TTL 255 (200 runs all forward).
# Less sensitive to a busy machine than a live trial (it times only this
# CPU's runs), but still rough.
set -u
COST=$1 PROFILE=$2
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
NS=${FLX_PREFIX:-flx}-cost-$$ P0=flc$$-0 P1=flc$$-1
TMP=$(mktemp -d /tmp/flx-cost.XXXXXX)
trap 'ip netns del $NS 2>/dev/null; rm -rf $TMP' EXIT
ip netns add $NS || exit 1
ip netns exec $NS sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n $NS link add $P0 address 02:46:4c:00:30:00 type veth peer $P1 address 02:46:4c:00:30:01 || exit 1
ip -n $NS link set $P0 up && ip -n $NS link set $P1 up || exit 1
cat >$TMP/routes.conf <<EOT
port 0 name $P0 mac 02:46:4c:00:30:00 addr 198.18.0.1/24
port 1 name $P1 mac 02:46:4c:00:30:01 addr 198.18.1.1/24
neigh 198.18.0.2 mac 02:46:4c:00:30:02 port 0
neigh 198.18.1.2 mac 02:46:4c:00:30:00 port 1
route 198.19.0.0/16 via 198.18.1.2
EOT
"$PROFILE" --out $TMP/f.pcap --size 64 --ttl 255 --src 198.18.0.2 \
	--dst-mac 02:46:4c:00:30:00 --src-mac 02:46:4c:00:30:02 >/dev/null || exit 1
for l in ${FLX_COST_LOOKUPS:-lpm dir fib probe}; do
	ip netns exec $NS "$COST" --routes $TMP/routes.conf --in-port 0 \
		--frame $TMP/f.pcap --lookup $l --repeat 200 --rounds 200 || exit $?
done
