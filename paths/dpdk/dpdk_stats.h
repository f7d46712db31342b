/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dpdk_stats.h - sum the per-lcore counters and print them: the shared
 * verdict line (fwd_stats_print / fwd_stats_json) plus, in text mode, one
 * line per port and the rates since the previous report.
 */
#ifndef DPDK_STATS_H
#define DPDK_STATS_H

#include <stdio.h>

#include "dpdk_fwd.h"

/** dpdk_counters_sum() - out = sum over @n lcores of their @pub (or local
 * when @local, only once the lcores have stopped). */
void dpdk_counters_sum(struct dpdk_lcore *const *lcs, unsigned int n, int local,
		       struct dpdk_counters *out);

/**
 * dpdk_stats_report() - print one report.
 * @cur, @prev: counters now and at the previous report (prev may be NULL:
 *              no rates).
 * @secs: seconds between the two.
 * @cpu_secs: CPU seconds the forwarding lcores used meanwhile (<= 0:
 *            unknown); text mode then adds Mpps per busy core.
 * @json: 1 = exactly fwd_stats_json() on one line, nothing else.
 * @names: device name per counter slot ("" = slot unused).
 */
void dpdk_stats_report(FILE *f, const struct dpdk_counters *cur,
		       const struct dpdk_counters *prev, double secs,
		       double cpu_secs, int json,
		       const char (*names)[RTE_ETH_NAME_MAX_LEN]);

#endif /* DPDK_STATS_H */
