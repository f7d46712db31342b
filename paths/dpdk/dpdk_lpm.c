// SPDX-License-Identifier: BSD-2-Clause
/*
 * dpdk_lpm.c - load fwd_table.routes[] into rte_lpm (DPDK's DIR-24-8 LPM).
 */
#include <stdio.h>

#include <rte_errno.h>

#include "dpdk_lpm.h"

/*
 * rte_lpm takes depths 1..32: a default route (/0) becomes 0/1 + 128/1.
 * Routes are added shortest first (see below), so a real /1 added later
 * replaces its half, as longest-prefix match wants.
 */
static int add(struct rte_lpm *lpm, const struct fwd_route *r)
{
	int rc;

	if (r->len)
		return rte_lpm_add(lpm, r->prefix, r->len, r->nh);
	rc = rte_lpm_add(lpm, 0, 1, r->nh);
	return rc ? rc : rte_lpm_add(lpm, 0x80000000u, 1, r->nh);
}

struct rte_lpm *dpdk_lpm_build(const struct fwd_table *t, int socket,
			       char *err, size_t errlen)
{
	struct rte_lpm_config cfg = { 0 };
	struct rte_lpm *lpm;
	int i, long_routes = 0, rc;

	for (i = 0; i < t->nroutes; i++)
		long_routes += t->routes[i].len > 24;
	cfg.max_rules = (uint32_t)t->nroutes + 16; /* + the split /0 */
	/* one tbl8 group per prefix longer than /24 at most */
	cfg.number_tbl8s = (uint32_t)long_routes + 256;
	lpm = rte_lpm_create("fwd_lpm", socket, &cfg);
	if (!lpm) {
		snprintf(err, errlen, "rte_lpm_create: %s (EAL memory too small? use -m 256 or more)",
			 rte_strerror(rte_errno));
		return NULL;
	}
	/*
	 * routes[] is sorted longest prefix first and fwd_lpm_ref() takes the
	 * first match; rte_lpm keeps the last rule added for an identical
	 * prefix/len, so add in reverse to let the first one win.
	 */
	for (i = t->nroutes - 1; i >= 0; i--) {
		const struct fwd_route *r = &t->routes[i];

		rc = add(lpm, r);
		if (rc < 0) {
			char a[16];

			snprintf(err, errlen, "rte_lpm_add %s/%u: %s",
				 fwd_format_ipv4(r->prefix, a), r->len,
				 rte_strerror(-rc));
			rte_lpm_free(lpm);
			return NULL;
		}
	}
	return lpm;
}
