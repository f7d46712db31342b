// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * gen.bpf.c - the live-frames generator (fwd-gen --engine xdp).
 *
 * fwd-gen runs tr_gen_stamp with BPF_PROG_RUN, flag
 * BPF_F_TEST_XDP_LIVE_FRAMES, repeat = burst, on the generator's veth: every
 * repetition gets a page from a page pool, this program fills it and returns
 * XDP_TX, which live mode turns into a redirect out of that veth (its peer
 * must have NAPI: an XDP program or GRO, MACHINE.md).
 *
 * Live mode recycles pages without copying data_in again, and a forwarder
 * on the path may have rewritten them (TTL, MACs) in place. So every run
 * rewrites each frame's headers from a template: frame i of the profile is
 * tmpls[i] (length, first head_len bytes, payload offset); the frame is
 * resized with bpf_xdp_adjust_tail to tmpls[i].len (data_in is the profile's
 * largest frame, so bytes past head_len come from that frame) and stamped
 * with the sequence number and bpf_ktime_get_ns().
 *
 * The sequence counter is one global, not per-CPU: one fwd-gen thread runs
 * the program, and BPF_PROG_RUN executes its repetitions one after the other
 * on that thread's CPU (migration disabled), so seq is gap-free and in send
 * order without atomics. A per-CPU counter would restart (duplicate) if the
 * thread moved to another CPU between two runs.
 *
 * tr_gen_raw is the --raw program: it sends data_in untouched. fwd-gen runs
 * it with repeat = 1 per frame, so every run copies data_in afresh.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "tr_bpf.h"
#include "tr_payload.h"

const volatile __u32 nframes = 1;   /* frames in the profile, set before load */

__u64 seq = 0;   /* next sequence number; frames stamped so far */
__u32 idx = 0;   /* next template index, 0 .. nframes-1 */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);   /* resized to nframes by the loader */
	__type(key, __u32);
	__type(value, struct tr_tmpl);
} tmpls SEC(".maps");

SEC("xdp")
int tr_gen_stamp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct tr_payload *pl;
	struct tr_tmpl *t;
	__u32 i = idx, k;
	__u64 *dst;
	int delta;

	idx = i + 1 >= nframes ? 0 : i + 1;
	t = bpf_map_lookup_elem(&tmpls, &i);
	if (!t)
		return XDP_ABORTED;

	delta = (int)t->len - (int)(data_end - data);
	if (delta) {
		if (bpf_xdp_adjust_tail(ctx, delta))
			return XDP_ABORTED;
		data = (void *)(long)ctx->data;
		data_end = (void *)(long)ctx->data_end;
	}

	/* headers: 8-byte words, then the last head_len % 8 bytes */
	dst = data;
#pragma unroll
	for (k = 0; k < TR_TMPL_HEAD / 8; k++) {
		if (k * 8 + 8 > t->head_len)
			break;
		if ((void *)(dst + k + 1) > data_end)
			return XDP_ABORTED;
		dst[k] = ((__u64 *)t->head)[k];
	}
	k *= 8;
#pragma unroll
	for (int j = 0; j < 7; j++) {
		__u32 o = (k + j) & (TR_TMPL_HEAD - 1);

		if (k + j >= t->head_len)
			break;
		if (data + o + 1 > data_end)
			return XDP_ABORTED;
		((__u8 *)data)[o] = t->head[o];
	}

	pl = data + (t->pl_off & (TR_TMPL_HEAD - 1));
	if ((void *)(pl + 1) > data_end)
		return XDP_ABORTED;
	pl->seq = fwd_htonl((__u32)seq);
	pl->tx_ns = tr_htonll(bpf_ktime_get_ns());
	seq++;
	return XDP_TX;
}

SEC("xdp")
int tr_gen_raw(struct xdp_md *ctx)
{
	seq++;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
