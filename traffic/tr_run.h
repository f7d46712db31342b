/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tr_run.h - the generator's send loop: pacing (tr_pace.h), stop
 * conditions and bursts, with the clock, the sleep, the stop check and the
 * engine passed in, so that tests/test_run.c can drive it with a simulated
 * clock. fwd_gen.c runs it with CLOCK_MONOTONIC and a real engine.
 *
 * Paced (rate > 0): a burst is sent as soon as its first frame is due
 * (frame k is due at start + k/rate); a burst is `burst` frames, or every
 * frame due when the loop is late, up to max(burst, TR_PACE_CATCHUP). Only
 * frames whose slots begin before the end of a --duration are sent, and a
 * paced run lasts until the end of its last frame's slot, so it never
 * exceeds the rate on average. Flat out (rate 0): bursts of `burst`.
 */
#ifndef TR_RUN_H
#define TR_RUN_H

#include <stdint.h>

struct tr_run_params {
	double rate;            /* pps, 0 = flat out */
	uint64_t count;         /* frames, 0 = no limit */
	uint64_t duration_ns;   /* 0 = no limit */
	uint32_t burst;         /* frames per send call (>= 1) */
};

struct tr_run_ops {
	uint64_t (*now)(void *ctx);                   /* ns, monotonic */
	void (*wait_until)(void *ctx, uint64_t t);    /* sleep until t (ns) */
	int (*stop)(void *ctx);                       /* 1 = stop now */
	/* send n frames; returns frames sent (0..n) or -1 (error) */
	int64_t (*send)(void *ctx, uint32_t n);
	void *ctx;
};

struct tr_run_result {
	uint64_t sent;
	uint64_t t0, t1;        /* ns: start, end */
	int interrupted;        /* stop() said so */
};

/** tr_run() - run until count, duration or stop(). 0, or -1 if send()
 * failed (r->sent holds what was sent before). */
int tr_run(const struct tr_run_params *p, const struct tr_run_ops *ops,
	   struct tr_run_result *r);

#endif /* TR_RUN_H */
