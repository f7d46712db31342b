// SPDX-License-Identifier: BSD-2-Clause
/* tr_pace.c - see tr_pace.h. */
#include <math.h>

#include "tr_pace.h"

/*
 * The rate is a double (e.g. 14880952.38 pps for 10GbE line rate), but the
 * deadline maths must be exact and monotonic in k: express the rate as a
 * rational number r_num / 1000 (milli-pps), so that
 *   deadline(k) = start + ceil(k * 1e12 / r_num)   (r_num in milli-pps).
 */
static unsigned __int128 rate_milli(double rate)
{
	return (unsigned __int128)llround(rate * 1000.0);
}

uint64_t tr_pace_deadline(uint64_t start, uint64_t k, double rate)
{
	unsigned __int128 r = rate_milli(rate);
	unsigned __int128 num = (unsigned __int128)k * 1000000000000ull;

	if (r == 0)
		return UINT64_MAX;
	return start + (uint64_t)((num + r - 1) / r);
}

uint64_t tr_pace_due(uint64_t start, uint64_t now, double rate)
{
	unsigned __int128 r = rate_milli(rate);

	if (now < start)
		return 0;
	/* largest k with k * 1e12 / r <= now - start, plus frame 0 */
	return (uint64_t)((unsigned __int128)(now - start) * r / 1000000000000ull) + 1;
}

uint32_t tr_pace_burst(double rate)
{
	double b;

	if (rate <= 0)
		return 4096;
	b = rate * 50e-6;
	if (b < 1)
		return 1;
	if (b > TR_PACE_BURST_MAX)
		return TR_PACE_BURST_MAX;
	return (uint32_t)b;
}

int tr_rate_check(double rate)
{
	if (!isfinite(rate) || rate < 0 || rate > TR_RATE_MAX)
		return -1;
	if (rate > 0 && rate < 0.001)
		return -1;
	return 0;
}
