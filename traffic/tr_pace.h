/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tr_pace.h - pacing arithmetic for the generator (pure functions, unit
 * tested in tests/test_pace.c).
 *
 * Frame k (k = 0, 1, ...) of a run at R frames/s is due at start + k * 1e9 / R
 * ns: deadlines are absolute, computed from the start time and the frame
 * number (128-bit integer maths), never by adding intervals, so rounding and
 * sleep overshoot never accumulate: the average rate over a run is R to
 * within one frame whatever the wake-up jitter. The generator sleeps to the
 * next deadline (clock_nanosleep TIMER_ABSTIME, 1 ns timer slack, spinning
 * for the last TR_PACE_SPIN_NS) and sends every frame that is due, in
 * bursts of at most `burst` frames, or of at most max(burst, TR_PACE_CATCHUP)
 * when it is behind (a late wake-up), so that it catches up without ever
 * sending one huge burst.
 */
#ifndef TR_PACE_H
#define TR_PACE_H

#include <stdint.h>

#define TR_RATE_MAX 100000000.0  /* pps: 100 Mpps, beyond anything here */
#define TR_PACE_SPIN_NS 50000    /* spin (do not sleep) the last 50 us */
#define TR_PACE_CATCHUP 64       /* largest burst when behind schedule */

/** tr_pace_deadline() - when frame @k is due (ns, same clock as @start):
 * start + ceil(k * 1e9 / rate). @rate in pps, > 0. */
uint64_t tr_pace_deadline(uint64_t start, uint64_t k, double rate);

/** tr_pace_due() - frames due by @now: frames k with deadline(k) <= now,
 * i.e. floor((now - start) * rate / 1e9) + 1 (0 if now < start). */
uint64_t tr_pace_due(uint64_t start, uint64_t now, double rate);

#define TR_PACE_BURST_MAX 256   /* largest default paced burst */

/**
 * tr_pace_burst() - default frames per send call at @rate pps: a burst
 * every ~50 us, 1 .. TR_PACE_BURST_MAX frames (flat out, @rate 0: 4096).
 * Small bursts keep a veth's 256-frame ring from overflowing downstream
 * (MACHINE.md); 50 us keeps the per-call cost (a BPF_PROG_RUN costs
 * ~15 us of CPU here, a sendmmsg ~1 us) a minor part of the time.
 */
uint32_t tr_pace_burst(double rate);

/** tr_rate_check() - 0 if @rate is a possible target (0 = flat out, or
 * 1 pps/1000 .. TR_RATE_MAX), -1 otherwise. */
int tr_rate_check(double rate);

#endif /* TR_PACE_H */
