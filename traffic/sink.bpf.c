// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * sink.bpf.c - the traffic sink: counts every frame on the sink interface,
 * checks the test payload's sequence number (lost, reordered, duplicate) and
 * records each frame's one-way latency (bpf_ktime_get_ns() - tx_ns, both
 * CLOCK_MONOTONIC on this machine) in a log-linear histogram (tr_hist.h).
 * Then drops the frame (XDP_DROP), except the first capture_left frames,
 * which go to the host stack (XDP_PASS) for fwd-sink's pcap capture.
 *
 * Counters and histogram are per-CPU (no contention, summed by userspace).
 * The sequence tracker is one global state (per-CPU trackers cannot see
 * reordering between CPUs). In native mode on an interface with one RX
 * queue, every run of this program comes from that queue's NAPI poll,
 * which never runs on two CPUs at once, so the state needs no lock; there
 * fwd-sink sets seq_lock = 0 (a bpf_spin_lock costs two IRQ save/restore
 * pairs per frame, expensive in this VM). With several queues or generic
 * mode (backlog on any CPU) it takes the spin lock.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "tr_bpf.h"
#include "tr_hist.h"
#include "tr_payload.h"

/* Set by the loader before load. */
const volatile __u32 do_seq = 1;      /* track sequence numbers */
const volatile __u32 do_latency = 1;  /* record latency */
const volatile __u32 seq_lock = 1;    /* serialise the sequence tracker */

/* Frames still to hand to the stack for capture; set by the loader. */
__s64 capture_left = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tr_sink_cnt);
} cnt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TR_HIST_BUCKETS);
	__type(key, __u32);
	__type(value, __u64);
} hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tr_seq_state);
} seqst SEC(".maps");

/*
 * Sequence tracking. s32 is the 32-bit wire sequence; it is widened to 64
 * bits around st->next so that a run longer than 2^32 frames keeps working.
 */
static __always_inline void seq_update(struct tr_seq_state *st, __u32 s32)
{
	__u64 s, slot;

	/* the first frame sets the base; later ones are placed within
	 * +-2^31 of the highest number seen */
	if (st->seen == 0)
		s = s32;
	else
		s = st->next + (__s64)(__s32)(s32 - (__u32)st->next);
	st->seen++;
	slot = s & (TR_SEQ_WIN - 1);
	if (s >= st->next) {
		/* in order, or ahead: everything skipped is missing for now */
		st->missing += s - st->next;
		st->next = s + 1;
		st->ring[slot] = (__u32)s + 1;
	} else if (st->next - s > TR_SEQ_WIN) {
		/* too old to tell a late frame from a duplicate */
		st->stale++;
		st->reordered++;
		if (st->missing)
			st->missing--;
	} else if (st->ring[slot] == (__u32)s + 1) {
		st->duplicate++;
	} else {
		st->ring[slot] = (__u32)s + 1;
		st->reordered++;
		if (st->missing)
			st->missing--;
	}
}

static __always_inline void seq_track(struct tr_seq_state *st, __u32 s32)
{
	if (seq_lock) {
		bpf_spin_lock(&st->lock);
		seq_update(st, s32);
		bpf_spin_unlock(&st->lock);
	} else {
		seq_update(st, s32);
	}
}

SEC("xdp")
int tr_sink(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct tr_payload *pl;
	struct tr_sink_cnt *c;
	__u32 zero = 0;
	__u64 now, tx, lat;
	int off;

	c = bpf_map_lookup_elem(&cnt, &zero);
	if (!c)
		return XDP_ABORTED;
	c->rx++;
	c->bytes += data_end - data;

	off = tr_payload_find(data, data_end);
	if (off < 0)
		goto bad;
	pl = data + off;
	if ((void *)(pl + 1) > data_end)
		goto bad;
	if (pl->magic != fwd_htonl(TR_MAGIC))
		goto bad;

	if (do_latency) {
		__u64 *b;
		__u32 idx;

		now = bpf_ktime_get_ns();
		tx = tr_ntohll(pl->tx_ns);
		if (now >= tx) {
			lat = now - tx;
			idx = tr_hist_bucket(lat);
			b = bpf_map_lookup_elem(&hist, &idx);
			if (b)
				(*b)++;
			c->lat_n++;
			c->lat_sum += lat;
			if (lat < c->lat_min)
				c->lat_min = lat;
			if (lat > c->lat_max)
				c->lat_max = lat;
		} else {
			c->lat_neg++;
		}
	}
	if (do_seq) {
		struct tr_seq_state *st = bpf_map_lookup_elem(&seqst, &zero);

		if (st)
			seq_track(st, fwd_ntohl(pl->seq));
	}
	goto out;
bad:
	c->bad_magic++;
out:
	if (capture_left > 0) {
		/* fetch-and-add, not a plain decrement: the sink may run on
		 * several CPUs; the counter may dip below zero, never pass more */
		if (__sync_fetch_and_add(&capture_left, -1) > 0) {
			c->passed++;
			return XDP_PASS;
		}
	}
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
