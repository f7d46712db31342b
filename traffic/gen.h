/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gen.h - the generator's engine interface. fwd_gen.c owns the run (pacing,
 * count/duration, signals); an engine only knows how to put n frames of the
 * profile on the wire, cycling through the profile, stamping each frame with
 * the next sequence number and its transmit time (unless raw).
 */
#ifndef GEN_H
#define GEN_H

#include <stddef.h>
#include <stdint.h>

#include "tr_pcap.h"

/** struct tr_gen_cfg - what every engine is given. */
struct tr_gen_cfg {
	const char *dev;          /* generator interface (this netns) */
	int ifindex;
	const struct tr_frames *frames;  /* the profile, cycled */
	uint32_t burst;           /* largest n send() is called with */
	int raw;                  /* send frames byte for byte, no stamping */
	uint32_t ts_every;        /* xdp: clock read every N frames (0 = batch) */
	int cpu;                  /* --cpu, -1 if not pinned */
	const char *dpdk_args;    /* dpdk: EAL arguments, NULL = default vdev */
	int verbose;
};

/**
 * struct tr_engine - one engine.
 * @open:  set up (sockets, BPF objects). 0, or -1 with one line in @err.
 * @send:  send the next @n frames (1 <= n <= cfg->burst) of the cycle, in
 *         order, with consecutive sequence numbers. Returns the number of
 *         frames handed to the interface (0..n; fewer only under
 *         back-pressure, the rest are sent by the next call with the same
 *         sequence numbers), or -1 with @err.
 * @close: undo everything open() did (also after a failed open()).
 */
struct tr_engine {
	const char *name;
	int (*open)(const struct tr_gen_cfg *cfg, void **st, char *err, size_t errlen);
	int64_t (*send)(void *st, uint32_t n, char *err, size_t errlen);
	void (*close)(void *st);
};

extern const struct tr_engine tr_engine_afpacket;
#ifdef TR_HAVE_XDP
extern const struct tr_engine tr_engine_xdp;
#endif
#ifdef TR_HAVE_DPDK
extern const struct tr_engine tr_engine_dpdk;
#endif

#endif /* GEN_H */
