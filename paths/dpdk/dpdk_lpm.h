/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dpdk_lpm.h - the route table's compiled routes[] loaded into an rte_lpm.
 */
#ifndef DPDK_LPM_H
#define DPDK_LPM_H

#include <rte_lpm.h>

#include "fwd_routes.h"

/**
 * dpdk_lpm_build() - create an rte_lpm holding every compiled route of @t.
 * @t: a loaded route table; routes[].prefix is host byte order, the next
 *     hop stored is the nh id (index into t->nexthops[], < 2^24).
 * @socket: NUMA socket for the tables (tbl24 alone is 64 MiB: the EAL needs
 *          -m 256 or more).
 * @err, @errlen: one line on failure.
 * Returns the table or NULL (rte_errno set by rte_lpm).
 */
struct rte_lpm *dpdk_lpm_build(const struct fwd_table *t, int socket,
			       char *err, size_t errlen);

#endif /* DPDK_LPM_H */
