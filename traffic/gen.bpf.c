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
 * BPF_PROG_RUN with repeat > 1 adds the program to the kernel's XDP
 * dispatcher and removes it again on every call (a text poke and an RCU
 * synchronisation: ~1 ms here), unless the program is already there. So
 * fwd-gen also attaches tr_gen_stamp to the generator's interface for the
 * duration of the run (a BPF link): then each call only takes a reference.
 * Frames that really arrive on that interface must pass untouched, so the
 * program tells its own frames apart by 8 bytes of XDP metadata that
 * fwd-gen puts in front of data_in (TR_GEN_META); anything without it is
 * XDP_PASS.
 *
 * Transmit time: live mode runs the program on a batch of 64 frames, then
 * flushes (transmits) the whole batch at once, so a clock read per frame is
 * no closer to a frame's real departure than one read per batch, and on
 * this VM's kvm-clock bpf_ktime_get_ns() costs ~25 % of the per-frame time.
 * The program reads the clock at the first frame of each call and then
 * every ts_every frames (default 64 = the batch size, so one read per
 * batch); every frame carries the value of the last read. fwd-gen
 * --ts-every 1 reads it for each frame.
 *
 * tr_gen_raw is the --raw program: it sends data_in untouched. fwd-gen runs
 * it with repeat = 1 per frame, so every run copies data_in afresh.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "tr_bpf.h"
#include "tr_payload.h"

const volatile __u32 nframes = 1;   /* frames in the profile, set before load */
const volatile __u32 ts_every = 64; /* read the clock every ts_every frames */

__u64 seq = 0;     /* next sequence number; frames stamped so far */
__u32 idx = 0;     /* next template index, 0 .. nframes-1 */
__u32 ts_left = 0; /* frames until the next clock read; fwd-gen zeroes it
		    * before every BPF_PROG_RUN */
__u64 ts_now = 0;  /* the last clock read */

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
	__u32 *meta = (void *)(long)ctx->data_meta;
	struct tr_payload *pl;
	struct tr_tmpl *t;
	__u32 i = idx, k;
	__u64 *dst;
	int delta;

	/* not a frame of ours: real traffic received on the interface */
	if ((void *)(meta + 1) > data || *meta != TR_GEN_META)
		return XDP_PASS;
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

	/* headers: 8-byte words, then one (overlapping) word ending at
	 * head_len; the loader guarantees 16 <= head_len <= TR_TMPL_HEAD */
	dst = data;
#pragma unroll
	for (k = 0; k < TR_TMPL_HEAD / 8; k++) {
		if (k * 8 + 8 > t->head_len)
			break;
		if ((void *)(dst + k + 1) > data_end)
			return XDP_ABORTED;
		dst[k] = ((__u64 *)t->head)[k];
	}
	k = t->head_len - 8;
	if (k > TR_TMPL_HEAD - 8)
		return XDP_ABORTED;
	if (data + k + 8 > data_end)
		return XDP_ABORTED;
	*(__u64 *)(data + k) = *(__u64 *)(t->head + k);

	pl = data + (t->pl_off & (TR_TMPL_HEAD - 1));
	if ((void *)(pl + 1) > data_end)
		return XDP_ABORTED;
	if (ts_left == 0) {
		ts_now = bpf_ktime_get_ns();
		ts_left = ts_every;
	}
	ts_left--;
	pl->seq = fwd_htonl((__u32)seq);
	pl->tx_ns = tr_htonll(ts_now);
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
