// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * core_probe_kmod.c - fwd_core.h built by kbuild as a kernel module (never
 * loaded: this machine's kernel has no module support). compile_core.sh
 * copies it into a temporary directory as fwd_core_probe.c.
 */
#include <linux/kernel.h>
#include <linux/module.h>

#include "fwd_core.h"

static __u8 probe_frame[64] = { 0x02, 0, 0, 0, 0, 0x01 };
static const __u8 probe_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const struct fwd_nexthop probe_nh = { .kind = FWD_NH_FORWARD, .mtu = 1500 };

static int __init fwd_core_probe_init(void)
{
	struct fwd_pkt p;
	enum fwd_reason r;

	r = fwd_parse(probe_frame, probe_frame + sizeof(probe_frame), probe_mac, &p);
	if (r == FWD_FORWARD)
		r = fwd_decide(&p, &probe_nh);
	if (r == FWD_FORWARD)
		fwd_rewrite(&p, &probe_nh);
	pr_info("fwd_core_probe: verdict %d\n", r);
	return 0;
}

static void __exit fwd_core_probe_exit(void)
{
}

module_init(fwd_core_probe_init);
module_exit(fwd_core_probe_exit);
MODULE_LICENSE("Dual BSD/GPL");
MODULE_DESCRIPTION("fwdlab: compile proof of the shared forwarding core");
