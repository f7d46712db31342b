// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_run - the generator's send loop (tr_run.h) on a simulated clock: a
 * fake engine that costs time per call and per frame, sleeps that wake up
 * late by a random jitter. Checks exact counts, that no frame leaves before
 * its burst's first slot, burst sizes, catch-up after late wake-ups, the
 * duration cut, run length >= count / rate, back-pressure, stop and errors.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "tr_pace.h"
#include "tr_run.h"

#include "test_util.h" /* paths/tests/unit: CHECK(), test_done() */

struct sim {
	uint64_t t;               /* ns */
	uint64_t jitter;          /* max extra ns per sleep */
	uint64_t call_ns, frame_ns;
	int half;                 /* back-pressure: take half of each burst */
	int stop_after, fail_after;
	/* observations */
	uint64_t calls, sent, max_n, early;
	double rate;
	uint64_t t0;
	int t0_set;
	uint64_t rng;
};

static uint64_t rnd(struct sim *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

static uint64_t sim_now(void *c)
{
	struct sim *s = c;

	if (!s->t0_set) {
		s->t0 = s->t;
		s->t0_set = 1;
	}
	return s->t;
}

static void sim_wait(void *c, uint64_t d)
{
	struct sim *s = c;

	if (d > s->t)
		s->t = d;
	if (s->jitter)
		s->t += rnd(s) % s->jitter;
}

static int sim_stop(void *c)
{
	struct sim *s = c;

	return s->stop_after && s->calls >= (uint64_t)s->stop_after;
}

static int64_t sim_send(void *c, uint32_t n)
{
	struct sim *s = c;
	uint64_t k = s->half && n > 1 ? n / 2 : n;

	if (s->fail_after && s->calls >= (uint64_t)s->fail_after)
		return -1;
	/* the first frame of the burst must be due */
	if (s->rate > 0 && s->t < tr_pace_deadline(s->t0, s->sent, s->rate))
		s->early++;
	s->calls++;
	if (n > s->max_n)
		s->max_n = n;
	s->sent += k;
	s->t += s->call_ns + k * s->frame_ns;
	return (int64_t)k;
}

static void go(struct sim *s, struct tr_run_params *p, struct tr_run_result *r, int *rc)
{
	struct tr_run_ops ops = { sim_now, sim_wait, sim_stop, sim_send, s };

	s->rate = p->rate;
	s->rng = 88172645463325252ull;
	*rc = tr_run(p, &ops, r);
}

int main(void)
{
	struct tr_run_result r;
	int rc;

	/* 10 000 frames at 10 kpps, bursts of 1, wake-ups up to 50 us late */
	{
		struct sim s = { .t = 1000, .jitter = 50000, .call_ns = 15000, .frame_ns = 70 };
		struct tr_run_params p = { .rate = 10000, .count = 10000, .burst = 1 };

		go(&s, &p, &r, &rc);
		CHECK(rc == 0 && r.sent == 10000 && s.sent == 10000, "10k: sent %" PRIu64, r.sent);
		CHECK(s.early == 0, "10k: %" PRIu64 " bursts before their slot", s.early);
		CHECK(r.t1 - r.t0 >= 1000000000ull, "10k: run shorter than 1 s");
		CHECK(r.t1 - r.t0 < 1000000000ull + 200000, "10k: run %" PRIu64 " ns", r.t1 - r.t0);
		CHECK(s.max_n <= TR_PACE_CATCHUP, "10k: burst %" PRIu64, s.max_n);
	}
	/* 1 Mpps, bursts of 50, a call costs 15 us: one call per burst */
	{
		struct sim s = { .t = 5, .jitter = 20000, .call_ns = 15000, .frame_ns = 70 };
		struct tr_run_params p = { .rate = 1e6, .count = 1000000, .burst = 50 };

		go(&s, &p, &r, &rc);
		CHECK(rc == 0 && r.sent == 1000000, "1M: sent %" PRIu64, r.sent);
		CHECK(s.early == 0, "1M: %" PRIu64 " early bursts", s.early);
		CHECK(s.calls <= 1000000 / 50 + 100, "1M: %" PRIu64 " calls for bursts of 50", s.calls);
		CHECK(r.t1 - r.t0 >= 1000000000ull && r.t1 - r.t0 < 1001000000ull,
		      "1M: run %" PRIu64 " ns", r.t1 - r.t0);
	}
	/* late wake-ups (2 ms) at 1 Mpps: catch up in bursts of <= 64 */
	{
		struct sim s = { .jitter = 2000000, .call_ns = 2000, .frame_ns = 10 };
		struct tr_run_params p = { .rate = 1e6, .count = 200000, .burst = 50 };

		go(&s, &p, &r, &rc);
		CHECK(r.sent == 200000 && s.max_n <= 64 && s.early == 0,
		      "catch-up: sent %" PRIu64 " max burst %" PRIu64, r.sent, s.max_n);
		CHECK(r.t1 - r.t0 < 200000000ull + 3000000ull, "catch-up: fell behind, %" PRIu64 " ns",
		      r.t1 - r.t0);
	}
	/* duration: 100 pps for 2 s = frames 0..199 */
	{
		struct sim s = { .jitter = 1000000, .call_ns = 15000 };
		struct tr_run_params p = { .rate = 100, .duration_ns = 2000000000ull, .burst = 1 };

		go(&s, &p, &r, &rc);
		CHECK(r.sent == 200, "duration: sent %" PRIu64 ", want 200", r.sent);
		CHECK(r.t1 - r.t0 >= 2000000000ull, "duration: run shorter than 2 s");
	}
	/* duration with bursts: never past the last slot before the end */
	{
		struct sim s = { .call_ns = 1000 };
		struct tr_run_params p = { .rate = 1000, .duration_ns = 1000000000ull, .burst = 64 };

		go(&s, &p, &r, &rc);
		CHECK(r.sent == 1000, "duration, bursts: sent %" PRIu64 ", want 1000", r.sent);
	}
	/* flat out, count not a multiple of the burst */
	{
		struct sim s = { .call_ns = 10000, .frame_ns = 50 };
		struct tr_run_params p = { .count = 100001, .burst = 4096 };

		go(&s, &p, &r, &rc);
		CHECK(r.sent == 100001 && s.calls == 25 && s.max_n == 4096,
		      "flat out: sent %" PRIu64 " calls %" PRIu64, r.sent, s.calls);
	}
	/* back-pressure: the engine takes half of every burst */
	{
		struct sim s = { .call_ns = 1000, .half = 1 };
		struct tr_run_params p = { .rate = 1e5, .count = 5000, .burst = 16 };

		go(&s, &p, &r, &rc);
		CHECK(r.sent == 5000 && s.sent == 5000, "back-pressure: sent %" PRIu64, r.sent);
	}
	/* stop() and errors */
	{
		struct sim s = { .call_ns = 1000, .stop_after = 5 };
		struct tr_run_params p = { .rate = 0, .burst = 10 };

		go(&s, &p, &r, &rc);
		CHECK(rc == 0 && r.interrupted && r.sent == 50, "stop: sent %" PRIu64, r.sent);
		s = (struct sim){ .call_ns = 1000, .fail_after = 3 };
		go(&s, &p, &r, &rc);
		CHECK(rc == -1 && r.sent == 30, "error: rc %d sent %" PRIu64, rc, r.sent);
	}
	return test_done("traffic-run");
}
