/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dpdk_fwd.h - one forwarding lcore: its RX queues, its TX buffers and its
 * private counters, and the poll loop that runs on it.
 *
 * Every forwarding lcore owns queue q (its index) on every port, so the hot
 * loop needs no lock and no atomic: counters live in the lcore's own
 * cache lines and are published to the control thread on the TX drain
 * timer (every --drain-us, 100 us by default) with relaxed stores.
 */
#ifndef DPDK_FWD_H
#define DPDK_FWD_H

#include <stdint.h>
#include <time.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_lpm.h>

#include "fwd_routes.h"
#include "fwd_stats.h"
#include "dpdk_opts.h"

/* Counter slots: route ports 0..FWD_MAX_PORTS-1, then the exception port. */
#define DPDK_SLOT_EXC FWD_MAX_PORTS
#define DPDK_NSLOTS (FWD_MAX_PORTS + 1)

/** Counters of one lcore (frames). */
struct dpdk_counters {
	struct fwd_stats st;           /* verdict counters, shared format */
	uint64_t port_rx[DPDK_NSLOTS];  /* frames received per slot */
	uint64_t port_tx[DPDK_NSLOTS];  /* frames handed to the TX buffer */
	uint64_t port_txdrop[DPDK_NSLOTS]; /* of those, refused by the PMD */
};

/** A port this lcore polls. */
struct dpdk_rxport {
	uint16_t port_id;   /* DPDK port id */
	uint8_t slot;       /* route port number */
	uint8_t mac[6];     /* the route file's MAC of that port (L2 check) */
};

/** State of one forwarding lcore (allocated on its NUMA socket). */
struct dpdk_lcore {
	/* read-only after set-up */
	unsigned int lcore_id;
	uint16_t queue;                 /* RX and TX queue id on every port */
	uint16_t burst;                 /* RX burst size */
	uint16_t rx_backoff;            /* rounds an idle port is skipped */
	uint16_t n_rx;
	struct dpdk_rxport rx[FWD_MAX_PORTS];
	uint16_t tx_port_id[DPDK_NSLOTS];
	struct rte_eth_dev_tx_buffer *tx[DPDK_NSLOTS]; /* NULL: slot unused */
	const struct rte_lpm *lpm;
	const struct fwd_nexthop *nh;   /* nexthops[] of the route table */
	uint64_t drain_tsc;             /* TX drain period, TSC cycles */
	uint64_t idle_tsc;              /* --exit-when-idle in TSC; 0 = off */
	/* called on the drain timer when the control thread is this lcore */
	void (*control)(void *arg, uint64_t now);
	void *control_arg;

	/* private, written only by the lcore */
	struct dpdk_counters local __rte_cache_aligned;
	/* published copy, read by the control thread */
	struct dpdk_counters pub __rte_cache_aligned;
	int idle;                       /* published: no frame for idle_tsc */
	clockid_t cpu_clock;            /* this lcore thread's CPU-time clock */
	int have_cpu_clock;             /* published once cpu_clock is set */
} __rte_cache_aligned;

/** Set by the signal handler or the control thread: every loop returns. */
extern volatile int dpdk_quit;

/**
 * dpdk_fwd_loop() - the poll loop (rte_eal_remote_launch() entry).
 * @arg: struct dpdk_lcore *.
 * Polls every RX port, runs parse -> rte_lpm -> decide -> rewrite on each
 * burst, buffers TX per egress port and drains the buffers every
 * drain_tsc. Returns 0 when dpdk_quit is set, after a last drain.
 */
int dpdk_fwd_loop(void *arg);

/**
 * dpdk_counters_read() - a consistent-enough copy of @lc's published
 * counters (each 64-bit counter read atomically; relaxed order).
 */
void dpdk_counters_read(const struct dpdk_lcore *lc, struct dpdk_counters *out);

/**
 * dpdk_lcore_cpu_seconds() - CPU time the lcore's thread has used (s), or
 * -1 if unknown. Divides rates into "per busy core" on a shared machine.
 */
double dpdk_lcore_cpu_seconds(const struct dpdk_lcore *lc);

#endif /* DPDK_FWD_H */
