#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# golden_fib.sh FWD_XDP_GOLDEN CASE_DIR OUT_DIR - one golden case through the
# bpf_fib_lookup program: a scratch namespace ${FLX_PREFIX:-flx}-gfib-$$ (the
# prefix defaults to flx) gets one veth per port of CASE_DIR/routes.conf
# (name, MAC, MTU as written; the peer is NAME-x), then fwd-xdp-golden ...
# fib installs the route file into its FIB.
# For run_golden.py: exit as fwd-xdp-golden (77 = skip).
set -u
GOLDEN=$1 CASE=$2 OUT=$3
[ "$(id -u)" = 0 ] || { echo "skip: needs root (network namespace)"; exit 77; }
NS=${FLX_PREFIX:-flx}-gfib-$$
trap 'ip netns del $NS 2>/dev/null' EXIT
ip netns add $NS || exit 1
ip netns exec $NS sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
while read -r kw _ rest; do
	[ "$kw" = port ] || continue
	set -- $rest
	name= mac= mtu=1500
	while [ $# -ge 2 ]; do
		case $1 in name) name=$2 ;; mac) mac=$2 ;; mtu) mtu=$2 ;; esac
		shift 2
	done
	ip -n $NS link add "$name" address "$mac" mtu "$mtu" type veth peer "$name-x" mtu "$mtu" &&
	ip -n $NS link set "$name" up && ip -n $NS link set "$name-x" up || exit 1
done < <(sed 's/#.*//' "$CASE/routes.conf")
ip netns exec $NS "$GOLDEN" "$CASE" "$OUT" fib
