/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * tr_bpf.h - map value layouts shared by the traffic BPF programs
 * (gen.bpf.c, sink.bpf.c) and their userspace loaders.
 */
#ifndef TR_BPF_H
#define TR_BPF_H

#include <linux/bpf.h>

#include "fwd_compat.h"

/* ---- generator (gen.bpf.c) ---- */

#define TR_TMPL_HEAD 128  /* bytes of each frame the live-frames program rewrites */
#define TR_GEN_MAX_FRAMES 65536
#define TR_GEN_BATCH 64          /* frames per live-mode batch (one flush) */
#define TR_GEN_META 0x4e454754u  /* XDP metadata marking generator frames */
#define TR_GEN_META_LEN 8        /* bytes of metadata in front of data_in */

/**
 * struct tr_tmpl - one frame of the profile as the live-frames program
 * rewrites it (map "tmpls", indexed by frame number in the pcap).
 * @len:    frame length in bytes (no FCS).
 * @head_len: bytes of @head copied into the frame (<= TR_TMPL_HEAD, <= len):
 *          every header up to and including the test payload.
 * @pl_off: offset of struct tr_payload in the frame.
 * @head:   the frame's first bytes, as in the pcap.
 */
struct tr_tmpl {
	__u16 len;
	__u16 head_len;
	__u16 pl_off;
	__u16 pad;
	/* 8-byte aligned: the program copies it in 64-bit words (with only
	 * the struct's 2-byte alignment clang splits each word into four
	 * 16-bit loads) */
	__u8 head[TR_TMPL_HEAD] __attribute__((aligned(8)));
};

/* ---- sink (sink.bpf.c) ---- */

/** struct tr_sink_cnt - per-CPU counters of the sink (map "cnt"). */
struct tr_sink_cnt {
	__u64 rx;          /* frames seen (all, with or without magic) */
	__u64 bytes;       /* their bytes, L2 without FCS */
	__u64 bad_magic;   /* frames without a test payload */
	__u64 lat_n;       /* frames with a latency recorded */
	__u64 lat_sum;     /* ns */
	__u64 lat_min;     /* ns; ~0 when lat_n == 0 */
	__u64 lat_max;     /* ns */
	__u64 lat_neg;     /* tx_ns in the future: not recorded (other clock?) */
	__u64 passed;      /* frames handed to the stack for capture */
};

#define TR_SEQ_WIN 65536  /* sequence numbers remembered for dup/reorder */

/**
 * struct tr_seq_state - the sink's single global sequence tracker (map
 * "seqst", one entry, updated under its spin lock).
 * @next:    highest sequence seen + 1 (0 before the first frame).
 * @seen:    frames with a magic seen by the tracker.
 * @missing: sequence numbers skipped and not (yet) received.
 * @reordered: frames that arrived after a higher sequence number.
 * @duplicate: frames whose sequence number was already received (within
 *          the last TR_SEQ_WIN numbers).
 * @stale:   frames older than the window: counted as reordered, but a
 *          duplicate cannot be told apart there.
 * @ring:    ring[s % TR_SEQ_WIN] = s + 1 once s was received.
 */
struct tr_seq_state {
	struct bpf_spin_lock lock;
	__u32 pad;
	__u64 next;
	__u64 seen;
	__u64 missing;
	__u64 reordered;
	__u64 duplicate;
	__u64 stale;
	__u32 ring[TR_SEQ_WIN];
};

#endif /* TR_BPF_H */
