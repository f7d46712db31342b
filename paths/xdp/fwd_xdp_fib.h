/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fwd_xdp_fib.h - putting a route file into the kernel FIB of the current
 * network namespace, for fwd-xdp --lookup fib (bpf_fib_lookup).
 */
#ifndef FWD_XDP_FIB_H
#define FWD_XDP_FIB_H

#include <stddef.h>

#include "fwd_routes.h"

/**
 * fwd_xdp_fib_install() - install @t into the kernel tables with iproute2
 * ("ip -batch -", idempotent replace operations):
 *   - each port's address (gives the local, broadcast and connected routes),
 *   - each neighbour as a permanent ARP entry,
 *   - each "route P via G" as is,
 *   - "unreachable default" at the lowest priority, unless the file has a
 *     default route, so that a missing route is told apart from a local one,
 *   - net.ipv4.conf.IF.forwarding = 1 on every port (bpf_fib_lookup
 *     returns FWD_DISABLED otherwise).
 * The entries stay after exit (they are what the linux baseline installs).
 * Returns 0, or -1 with one line in @err.
 */
int fwd_xdp_fib_install(const struct fwd_table *t, char *err, size_t errlen);

#endif /* FWD_XDP_FIB_H */
