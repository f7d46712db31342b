/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dpdk_opts.h - fwd-dpdk's own command line (everything after the EAL's "--"),
 * parsed before rte_eal_init() so that usage and route-file errors never
 * touch the EAL.
 */
#ifndef DPDK_OPTS_H
#define DPDK_OPTS_H

#include <stdint.h>

#include "fwd_routes.h"

/* Exit codes shared by every forwarder (notes: fwd_cli_contract). */
enum dpdk_exit {
	DPDK_EXIT_OK = 0,
	DPDK_EXIT_INTERNAL = 1, /* out of memory, I/O error on an output */
	DPDK_EXIT_USAGE = 2,
	DPDK_EXIT_ROUTES = 3,
	DPDK_EXIT_ENV = 4,      /* EAL, hugepages, missing device */
	DPDK_EXIT_PORT = 5,     /* a port refused its configuration */
};

#define DPDK_MAX_BURST 64
/* Empty polls of a port in a row before --rx-backoff skips it. */
#define DPDK_IDLE_POLLS 4
#define DPDK_DEV_SPEC_LEN 64

/** Options after "--". Unset numbers are 0 and get their defaults later. */
struct dpdk_opts {
	const char *routes;       /* --routes FILE (required) */
	/* --port-map N=DEV: DPDK port id or device name per route port;
	 * empty = DPDK port id N. */
	char port_map[FWD_MAX_PORTS][DPDK_DEV_SPEC_LEN];
	char exception[DPDK_DEV_SPEC_LEN]; /* --exception-port DEV, "" = none */
	double stats_interval;    /* seconds; 0 = only at exit */
	int json;                 /* --json: fwd_stats_json() lines */
	const char *ready_file;   /* created once forwarding */
	const char *stats_file;   /* stats.json written at exit */
	unsigned int exit_idle_ms; /* --exit-when-idle MS; 0 = never */
	unsigned int burst;       /* RX burst, frames (default 32) */
	unsigned int rxd, txd;    /* descriptors per queue (default 1024) */
	unsigned int drain_us;    /* TX buffer drain period, us (default 100) */
	unsigned int rx_backoff;  /* polling rounds an idle port is skipped (3) */
	unsigned int mbufs;       /* mbuf pool size; 0 = computed (>= 16383) */
	int promisc;              /* 1 (default) or 0 with --no-promisc */
};

/**
 * dpdk_opts_parse() - parse fwd-dpdk's options.
 * @argc, @argv: the words after "--", argv[0] being the program name.
 * @o: filled with values and defaults.
 * Returns 0, 1 when --help was printed (exit 0), or DPDK_EXIT_USAGE after
 * printing one line on stderr.
 */
int dpdk_opts_parse(int argc, char **argv, struct dpdk_opts *o);

/** dpdk_usage() - the usage text. */
void dpdk_usage(FILE *f);

/** Print "fwd-dpdk (fwdlab): <DPDK version>, linked static|shared" to @f. */
void dpdk_version(FILE *f);

#endif /* DPDK_OPTS_H */
