// SPDX-License-Identifier: BSD-2-Clause
/* tr_hist.c - see tr_histstat.h. */
#include <inttypes.h>
#include <math.h>

#include "tr_histstat.h"

uint64_t tr_hist_rank(uint64_t n, double p)
{
	/* p in units of 1/1000 %, exact integer maths: no 0.999 * 1000 =
	 * 999.0000001 -> 1000 surprises */
	unsigned __int128 pm = (unsigned __int128)llround(p * 1000.0);

	return (uint64_t)((pm * n + 100000 - 1) / 100000);
}

uint64_t tr_hist_percentile(const uint64_t *counts, uint64_t n, double p,
			    uint64_t max)
{
	uint64_t rank, cum = 0, hi;
	uint32_t i;

	if (n == 0)
		return 0;
	rank = tr_hist_rank(n, p);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	for (i = 0; i < TR_HIST_BUCKETS; i++) {
		cum += counts[i];
		if (cum >= rank) {
			hi = tr_hist_hi(i);
			return hi < max ? hi : max;
		}
	}
	return max;
}

void tr_hist_summary(const uint64_t *counts, uint64_t n, uint64_t sum,
		     uint64_t min, uint64_t max, struct tr_lat *out)
{
	out->n = n;
	out->min = n ? min : 0;
	out->max = n ? max : 0;
	out->mean = n ? (double)sum / (double)n : 0;
	out->p50 = tr_hist_percentile(counts, n, 50, max);
	out->p90 = tr_hist_percentile(counts, n, 90, max);
	out->p99 = tr_hist_percentile(counts, n, 99, max);
	out->p999 = tr_hist_percentile(counts, n, 99.9, max);
}

int tr_hist_write_csv(FILE *f, const uint64_t *counts)
{
	uint32_t i;

	fprintf(f, "lo_ns,hi_ns,count\n");
	for (i = 0; i < TR_HIST_BUCKETS; i++)
		if (counts[i])
			fprintf(f, "%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n",
				(uint64_t)tr_hist_lo(i), (uint64_t)tr_hist_hi(i), counts[i]);
	return ferror(f) ? -1 : 0;
}
