// SPDX-License-Identifier: BSD-2-Clause
/*
 * dpdk_stats.c - counter sums and reports for fwd-dpdk.
 */
#include <stdlib.h>
#include <string.h>

#include "dpdk_stats.h"

void dpdk_counters_sum(struct dpdk_lcore *const *lcs, unsigned int n, int local,
		       struct dpdk_counters *out)
{
	struct dpdk_counters c;
	const uint64_t *src;
	uint64_t *dst = (uint64_t *)out;
	unsigned int i;
	size_t k;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		if (local)
			c = lcs[i]->local;
		else
			dpdk_counters_read(lcs[i], &c);
		src = (const uint64_t *)&c;
		for (k = 0; k < sizeof(c) / sizeof(uint64_t); k++)
			dst[k] += src[k];
	}
}

static double mpps(uint64_t now, uint64_t before, double secs)
{
	return secs > 0 ? (double)(now - before) / secs / 1e6 : 0;
}

void dpdk_stats_report(FILE *f, const struct dpdk_counters *cur,
		       const struct dpdk_counters *prev, double secs,
		       double cpu_secs, int json,
		       const char (*names)[RTE_ETH_NAME_MAX_LEN])
{
	unsigned int s;

	if (json) {
		char *js = fwd_stats_json(&cur->st, 0);

		fprintf(f, "%s\n", js ? js : "{}");
		free(js);
		fflush(f);
		return;
	}
	fwd_stats_print(f, &cur->st);
	for (s = 0; s < DPDK_NSLOTS; s++) {
		uint64_t tx = cur->port_tx[s] - cur->port_txdrop[s];

		if (!names[s][0])
			continue;
		if (s == DPDK_SLOT_EXC)
			fprintf(f, "  exception %s:", names[s]);
		else
			fprintf(f, "  port %u %s: rx %llu", s, names[s],
				(unsigned long long)cur->port_rx[s]);
		fprintf(f, " tx %llu tx-drop %llu", (unsigned long long)tx,
			(unsigned long long)cur->port_txdrop[s]);
		if (prev)
			fprintf(f, " (rx %.3f Mpps, tx %.3f Mpps)",
				mpps(cur->port_rx[s], prev->port_rx[s], secs),
				mpps(tx, prev->port_tx[s] - prev->port_txdrop[s], secs));
		fputc('\n', f);
	}
	if (prev) {
		fprintf(f, "  rate: rx %.3f Mpps forward %.3f Mpps over %.3f s",
			mpps(cur->st.rx, prev->st.rx, secs),
			mpps(cur->st.reason[FWD_FORWARD],
			     prev->st.reason[FWD_FORWARD], secs), secs);
		if (cpu_secs > 0)
			fprintf(f, "; lcores on CPU %.3f s: rx %.3f Mpps per busy core",
				cpu_secs, mpps(cur->st.rx, prev->st.rx, cpu_secs));
		fputc('\n', f);
	}
	fflush(f);
}
