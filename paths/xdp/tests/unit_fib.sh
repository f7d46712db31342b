#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# unit_fib.sh FWD_XDP_UNIT - fwd-xdp-unit's rows through the bpf_fib_lookup
# program, in a scratch namespace ${FLX_PREFIX:-flx}-ufib-$$ (prefix default
# flx) holding the unit table's two ports as a veth pair (in0, out1) with
# the ports' MACs. Exit as the unit.
set -u
[ "$(id -u)" = 0 ] || { echo "skip: needs root (network namespace)"; exit 77; }
NS=${FLX_PREFIX:-flx}-ufib-$$
trap 'ip netns del $NS 2>/dev/null' EXIT
ip netns add $NS || exit 1
ip netns exec $NS sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n $NS link add in0 address 02:00:00:00:00:10 type veth peer out1 address 02:00:00:00:00:11 &&
ip -n $NS link set in0 up && ip -n $NS link set out1 up || exit 1
ip netns exec $NS "$1" fib
