// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_pace - the generator's pacing arithmetic (tr_pace.h): deadlines and
 * due counts agree exactly, never drift over long runs, the average rate is
 * exact to within one frame, the default burst sizes, and which rates are
 * impossible. Pure arithmetic: no clocks, no sleeping.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "tr_pace.h"

#include "test_util.h" /* paths/tests/unit: CHECK(), test_done() */

static void test_rate(double rate)
{
	const uint64_t start = 123456789012345ull;
	uint64_t k, prev = start, n = 2000000;
	double secs;

	/* due(deadline(k)) counts frame k (and all before it), and one ns
	 * earlier frame k is not yet due */
	for (k = 0; k < 5000; k++) {
		uint64_t d = tr_pace_deadline(start, k, rate);

		CHECK(tr_pace_due(start, d, rate) >= k + 1, "rate %g: frame %" PRIu64 " not due at its deadline", rate, k);
		if (d > start)
			CHECK(tr_pace_due(start, d - 1, rate) <= k, "rate %g: frame %" PRIu64 " due early", rate, k);
		CHECK(d >= prev, "rate %g: deadlines not monotonic", rate);
		prev = d;
	}
	/* no drift: frame n is due at n / rate seconds, to within 1 ns */
	k = n;
	secs = (double)(tr_pace_deadline(start, k, rate) - start) / 1e9;
	CHECK(fabs(secs - (double)k / rate) < 1.5e-9 + 1e-15 * secs,
	      "rate %g: frame %" PRIu64 " at %.9f s, expected %.9f", rate, k, secs, (double)k / rate);
	/* after T seconds, exactly floor(T * rate) + 1 frames are due */
	CHECK(tr_pace_due(start, start + 10000000000ull, rate) ==
	      (uint64_t)floor(10.0 * rate + 1e-9) + 1,
	      "rate %g: due after 10 s = %" PRIu64, rate, tr_pace_due(start, start + 10000000000ull, rate));
	CHECK(tr_pace_due(start, start - 1, rate) == 0, "rate %g: due before start", rate);
	CHECK(tr_pace_due(start, start, rate) == 1, "rate %g: frame 0 due at start", rate);
}

int main(void)
{
	static const double rates[] = { 0.5, 1, 3, 100, 7919, 10000, 1e6, 14880952.381, 1e8 };
	size_t i;

	for (i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
		test_rate(rates[i]);

	CHECK(tr_pace_burst(0) == 4096, "flat-out burst");
	CHECK(tr_pace_burst(100) == 1, "burst at 100 pps");
	CHECK(tr_pace_burst(10000) == 1, "burst at 10 kpps");
	CHECK(tr_pace_burst(1e6) == 50, "burst at 1 Mpps = %u", tr_pace_burst(1e6));
	CHECK(tr_pace_burst(3e6) == 150, "burst at 3 Mpps");
	CHECK(tr_pace_burst(1e7) == 256, "burst at 10 Mpps");

	CHECK(tr_rate_check(0) == 0, "0 = flat out");
	CHECK(tr_rate_check(100) == 0, "100 pps");
	CHECK(tr_rate_check(1e8) == 0, "100 Mpps");
	CHECK(tr_rate_check(1e8 + 1) < 0, "above 100 Mpps");
	CHECK(tr_rate_check(-1) < 0, "negative");
	CHECK(tr_rate_check(NAN) < 0, "NaN");
	CHECK(tr_rate_check(INFINITY) < 0, "inf");
	CHECK(tr_rate_check(0.0001) < 0, "below 1 frame per 1000 s");
	return test_done("traffic-pace");
}
