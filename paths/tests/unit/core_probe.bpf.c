// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * core_probe.bpf.c - the smallest XDP program that runs the whole shared
 * core (parse -> array-map "lookup" -> decide -> rewrite). It proves that
 * fwd_core.h compiles with clang -target bpf -Wall -Wextra -Werror and, when
 * loaded (suite bpf), that the verifier accepts it. Not a forwarder.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "fwd_core.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct fwd_nexthop);
} probe_nh SEC(".maps");

static const __u8 probe_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

SEC("xdp")
int fwd_core_probe(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	const struct fwd_nexthop *nh;
	struct fwd_pkt p;
	enum fwd_reason r;
	__u32 key;

	r = fwd_parse(data, data_end, probe_mac, &p);
	if (r != FWD_FORWARD)
		return fwd_verdict(r) == FWD_V_DROP ? XDP_DROP : XDP_PASS;
	key = fwd_ntohl(p.daddr) & 3; /* stands in for the LPM */
	nh = bpf_map_lookup_elem(&probe_nh, &key);
	r = fwd_decide(&p, nh);
	if (r != FWD_FORWARD || !nh)
		return XDP_PASS;
	fwd_rewrite(&p, nh);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
