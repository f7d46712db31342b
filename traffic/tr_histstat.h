/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tr_histstat.h - reading the latency histogram (bucket layout: tr_hist.h):
 * percentiles, summary, CSV.
 *
 * Percentiles use the nearest-rank definition: the p-th percentile of n
 * values is the ceil(p/100 * n)-th smallest. The histogram reports the
 * upper edge of the bucket holding that rank, clamped to the exact maximum:
 * never below the true value, and above it by less than one bucket width,
 * i.e. < 1/128 = 0.79 % of the value (values < 128 ns are exact).
 */
#ifndef TR_HISTSTAT_H
#define TR_HISTSTAT_H

#include <stdint.h>
#include <stdio.h>

#include "tr_hist.h"

/** struct tr_lat - the latency summary fwd-sink prints (all ns). */
struct tr_lat {
	uint64_t n;          /* values recorded */
	uint64_t min, max;   /* exact */
	double mean;         /* exact (sum / n) */
	uint64_t p50, p90, p99, p999;
};

/** tr_hist_rank() - nearest rank ceil(p/100 * n) (1-based), in exact
 * integer maths with p rounded to 1/1000 %. */
uint64_t tr_hist_rank(uint64_t n, double p);

/**
 * tr_hist_percentile() - nearest-rank percentile from bucket counts.
 * @counts: TR_HIST_BUCKETS counters. @n: their sum. @p: 0 < p <= 100.
 * @max: the exact maximum (clamps the answer).
 * Returns the bucket's upper edge (ns), 0 if n == 0.
 */
uint64_t tr_hist_percentile(const uint64_t *counts, uint64_t n, double p,
			    uint64_t max);

/** tr_hist_summary() - fill @out from counts and the exact n/sum/min/max. */
void tr_hist_summary(const uint64_t *counts, uint64_t n, uint64_t sum,
		     uint64_t min, uint64_t max, struct tr_lat *out);

/** tr_hist_write_csv() - "lo_ns,hi_ns,count" header and one line per
 * non-empty bucket. Returns 0 or -1 (write error). */
int tr_hist_write_csv(FILE *f, const uint64_t *counts);

#endif /* TR_HISTSTAT_H */
