// SPDX-License-Identifier: BSD-2-Clause
/*
 * dpdk_fwd.c - the forwarding lcore's poll loop: burst RX, the shared core
 * (fwd_core.h) with rte_lpm as the lookup, buffered burst TX.
 *
 * Per burst, one pass in input order: prefetch ahead, fwd_parse() (its
 * fast path for the common frame), rte_lpm_lookup() (inline: one tbl24
 * read for routes up to /24), fwd_decide(), fwd_rewrite(); frames for one
 * egress port in a row form a run, sent at once (tx_run()); punts go to
 * the exception port if there is one; the rest are freed in bulk. Forward
 * and RX counters are added once per burst.
 *
 * Idle ports are polled less (--rx-backoff): after DPDK_IDLE_POLLS empty
 * polls in a row a port is skipped for rx_backoff rounds, until a poll
 * finds frames again. An empty poll is not free on every PMD: net_af_xdp
 * makes a recvfrom() system call for it (its busy_budget default), ~1 us
 * here, against ~20 us for a round that forwards a full burst on veth, and
 * a one-way load leaves the egress port idle for good. Skipping it 3
 * rounds in 4 forwarded 3-7 % more there (paths/dpdk/README.md,
 * "Figures"). The cost: the first frame to an idle port waits up to
 * rx_backoff rounds (~60 us under full load on veth, a microsecond or
 * two when the lcore is otherwise idle).
 */
#include <pthread.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "fwd_core.h"
#include "dpdk_fwd.h"

/* Frames prefetched ahead of the one being processed: 3, as DPDK's l3fwd
 * (PREFETCH_OFFSET). CPU-only here (bench_cpu.sh, interleaved) 1-4 are
 * within the noise of each other and 8 was ~7 % slower. */
#define PREFETCH_AHEAD 3
#define TSC_ROUNDS 8

volatile int dpdk_quit;

/*
 * End of the bytes the core may read. The core reads only the Ethernet and
 * IPv4 headers (at most 14 + 60 bytes) but checks lengths against the frame
 * length, so for a multi-segment mbuf whose first segment holds the headers
 * data_end is data + pkt_len; otherwise linearize (rare: tiny first segment).
 */
static inline uint8_t *frame_end(struct rte_mbuf *m, uint8_t *data)
{
	if (likely(m->nb_segs == 1))
		return data + m->data_len;
	if (m->data_len >= RTE_MIN(m->pkt_len, FWD_ETH_HLEN + 60u))
		return data + m->pkt_len;
	if (rte_pktmbuf_linearize(m) == 0)
		return rte_pktmbuf_mtod(m, uint8_t *) + m->data_len;
	return data + m->data_len; /* headers cut: the core says malformed */
}

static inline void tx_one(struct dpdk_lcore *lc, unsigned int slot,
			struct rte_mbuf *m)
{
	lc->local.port_tx[slot]++;
	rte_eth_tx_buffer(lc->tx_port_id[slot], lc->queue, lc->tx[slot], m);
}

/*
 * Send a run of @n frames (consecutive in the RX burst) for @slot: when its
 * TX buffer is empty and the run fills one, straight to the PMD (the common
 * case under load: one egress port, a full burst; rte_eth_tx_buffer() per
 * frame costs ~3 % here), else through the buffer, which the drain timer
 * sends. Frame order on the port is kept either way.
 */
static void tx_run(struct dpdk_lcore *lc, unsigned int slot,
		   struct rte_mbuf **pkts, unsigned int n)
{
	struct rte_eth_dev_tx_buffer *b = lc->tx[slot];
	unsigned int i;

	lc->local.port_tx[slot] += n;
	if (b->length == 0 && n >= b->size) {
		uint16_t sent = rte_eth_tx_burst(lc->tx_port_id[slot], lc->queue,
						 pkts, (uint16_t)n);

		if (unlikely(sent < n)) {
			lc->local.port_txdrop[slot] += n - sent;
			rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		}
		return;
	}
	for (i = 0; i < n; i++)
		rte_eth_tx_buffer(lc->tx_port_id[slot], lc->queue, b, pkts[i]);
}

static void fwd_burst(struct dpdk_lcore *lc, const struct dpdk_rxport *rp,
		      struct rte_mbuf **pkts, uint16_t n)
{
	struct rte_mbuf *drop[DPDK_MAX_BURST], *run[DPDK_MAX_BURST];
	struct dpdk_counters *c = &lc->local;
	unsigned int i, nd = 0, nf = 0, nrun = 0, run_slot = 0;

	for (i = 0; i < n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct fwd_nexthop *nh = NULL;
		struct fwd_pkt pk;
		enum fwd_reason r;
		uint8_t *data;
		uint32_t h;

		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD],
						       void *));
		data = rte_pktmbuf_mtod(m, uint8_t *);
		r = fwd_parse(data, frame_end(m, data), rp->mac, &pk);
		if (likely(r == FWD_FORWARD)) {
			if (rte_lpm_lookup(lc->lpm, fwd_ntohl(pk.daddr), &h) == 0)
				nh = &lc->nh[h];
			r = fwd_decide(&pk, nh);
			if (likely(r == FWD_FORWARD)) {
				fwd_rewrite(&pk, nh);
				nf++;
				/* consecutive frames to one port: one run */
				if (unlikely(nh->port != run_slot) && nrun) {
					tx_run(lc, run_slot, run, nrun);
					nrun = 0;
				}
				run_slot = nh->port;
				run[nrun++] = m;
				continue;
			}
		}
		c->st.reason[r]++;
		if (fwd_verdict(r) == FWD_V_PUNT && lc->tx[DPDK_SLOT_EXC])
			tx_one(lc, DPDK_SLOT_EXC, m);
		else
			drop[nd++] = m;
	}
	if (nrun)
		tx_run(lc, run_slot, run, nrun);
	c->st.rx += n;
	c->st.reason[FWD_FORWARD] += nf;
	c->port_rx[rp->slot] += n;
	if (nd)
		rte_pktmbuf_free_bulk(drop, nd);
}

/* Relaxed 64-bit stores: the control thread reads whole counters. */
static void publish(struct dpdk_lcore *lc)
{
	const uint64_t *src = (const uint64_t *)&lc->local;
	uint64_t *dst = (uint64_t *)&lc->pub;
	size_t i;

	for (i = 0; i < sizeof(lc->local) / sizeof(uint64_t); i++)
		__atomic_store_n(&dst[i], src[i], __ATOMIC_RELAXED);
}

void dpdk_counters_read(const struct dpdk_lcore *lc, struct dpdk_counters *out)
{
	const uint64_t *src = (const uint64_t *)&lc->pub;
	uint64_t *dst = (uint64_t *)out;
	size_t i;

	for (i = 0; i < sizeof(*out) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

static void drain(struct dpdk_lcore *lc)
{
	unsigned int s;

	for (s = 0; s < DPDK_NSLOTS; s++)
		if (lc->tx[s])
			rte_eth_tx_buffer_flush(lc->tx_port_id[s], lc->queue,
						lc->tx[s]);
}

double dpdk_lcore_cpu_seconds(const struct dpdk_lcore *lc)
{
	struct timespec ts;

	if (!__atomic_load_n(&lc->have_cpu_clock, __ATOMIC_ACQUIRE) ||
	    clock_gettime(lc->cpu_clock, &ts))
		return -1;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int dpdk_fwd_loop(void *arg)
{
	struct dpdk_lcore *lc = arg;
	struct rte_mbuf *pkts[DPDK_MAX_BURST];
	uint64_t now = rte_rdtsc(), prev = now, last_rx = now;
	unsigned int i, round = 0;
	/* per RX port: empty polls in a row, polling rounds still to skip */
	uint16_t empty[FWD_MAX_PORTS] = { 0 }, skip[FWD_MAX_PORTS] = { 0 };

	if (!pthread_getcpuclockid(pthread_self(), &lc->cpu_clock))
		__atomic_store_n(&lc->have_cpu_clock, 1, __ATOMIC_RELEASE);
	while (likely(!__atomic_load_n(&dpdk_quit, __ATOMIC_RELAXED))) {
		unsigned int got = 0;

		/* rdtsc costs ~90 ns in this kind of VM (it traps): read the
		 * clock every TSC_ROUNDS polling rounds only. A full round is
		 * a few us at most, so the drain period stays ~100 us. */
		if (unlikely(++round % TSC_ROUNDS == 0)) {
			now = rte_rdtsc();
			if (now - prev > lc->drain_tsc) {
				drain(lc);
				publish(lc);
				if (lc->control)
					lc->control(lc->control_arg, now);
				prev = now;
			}
		}
		for (i = 0; i < lc->n_rx; i++) {
			const struct dpdk_rxport *rp = &lc->rx[i];
			uint16_t n;

			if (skip[i]) {
				skip[i]--;
				continue;
			}
			n = rte_eth_rx_burst(rp->port_id, lc->queue, pkts,
					     lc->burst);
			if (n) {
				fwd_burst(lc, rp, pkts, n);
				got += n;
				empty[i] = 0;
			} else if (++empty[i] >= DPDK_IDLE_POLLS) {
				empty[i] = DPDK_IDLE_POLLS; /* no wrap */
				skip[i] = lc->rx_backoff;
			}
		}
		/* Idle only after a whole round found nothing: a round that
		 * starts after a stall still sees what arrived meanwhile. */
		if (got) {
			last_rx = now;
			if (unlikely(lc->idle))
				__atomic_store_n(&lc->idle, 0, __ATOMIC_RELAXED);
		} else if (lc->idle_tsc && now - last_rx > lc->idle_tsc) {
			__atomic_store_n(&lc->idle, 1, __ATOMIC_RELAXED);
		}
	}
	drain(lc);
	publish(lc);
	return 0;
}
