// SPDX-License-Identifier: BSD-2-Clause
/*
 * core_probe_user.c - fwd_core.h in a userspace translation unit that
 * includes no libc header, compiled with -Wall -Wextra -Werror -pedantic
 * by compile_core.sh: the core is freestanding.
 */
#include "fwd_core.h"
#include "fwd_core.h" /* include guard */

int fwd_core_probe(void *data, void *data_end, const __u8 *mac,
		   const struct fwd_nexthop *nh);

int fwd_core_probe(void *data, void *data_end, const __u8 *mac,
		   const struct fwd_nexthop *nh)
{
	struct fwd_pkt p;
	enum fwd_reason r = fwd_parse(data, data_end, mac, &p);

	if (r == FWD_FORWARD)
		r = fwd_decide(&p, nh);
	if (r == FWD_FORWARD)
		fwd_rewrite(&p, nh);
	return (int)r;
}
