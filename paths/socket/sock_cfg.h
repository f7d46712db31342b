/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sock_cfg.h - fwd-socket's options and exit codes (README.md).
 */
#ifndef SOCK_CFG_H
#define SOCK_CFG_H

#include <stdint.h>

/* Exit codes: the forwarder contract (/docs, fwd_cli_contract) plus ours. */
enum sock_exit {
	SOCK_EXIT_OK = 0,
	SOCK_EXIT_INTERNAL = 1, /* out of memory, thread creation ... */
	SOCK_EXIT_USAGE = 2,    /* bad flags */
	SOCK_EXIT_ROUTES = 3,   /* route file missing or invalid */
	SOCK_EXIT_PRIV = 4,     /* no CAP_NET_RAW / CAP_NET_ADMIN */
	SOCK_EXIT_NOIF = 5,     /* a port's interface is missing */
	SOCK_EXIT_IPFWD = 6,    /* kernel forwarding is on for a port */
	SOCK_EXIT_SOCKET = 7,   /* socket, ring or fanout set-up failed */
};

enum sock_mode { SOCK_MODE_RING = 0, SOCK_MODE_NAIVE = 1 };
enum sock_tx { SOCK_TX_MMSG = 0, SOCK_TX_RING = 1 };
enum sock_rxv { SOCK_RX_V3 = 0, SOCK_RX_V2 = 1 };

#define SOCK_MAX_WORKERS 64
#define SOCK_MAX_RING (256u << 20) /* bytes of RX or TX ring per socket */

/** Everything main() parsed; read-only once the workers run. */
struct sock_cfg {
	const char *routes;      /* route file */
	enum sock_mode mode;
	enum sock_tx tx;         /* ring mode: sendmmsg or TPACKET TX ring */
	enum sock_rxv rx_ring;   /* ring mode: TPACKET_V3 blocks or V2 frames */
	int workers;             /* threads, one PACKET_FANOUT member each */
	int cpus[SOCK_MAX_WORKERS]; /* --cpu LIST, worker i on cpus[i % ncpus] */
	int ncpus;               /* 0: no pinning */
	int busy_poll;           /* spin on the rings instead of poll() */
	int fanout_mode;         /* PACKET_FANOUT_HASH / _CPU / _LB */
	uint32_t block_size;     /* RX ring block, bytes (power of 2 pages) */
	uint32_t block_nr;       /* RX ring blocks per socket */
	uint32_t block_tov_ms;   /* block retire timeout, ms */
	uint32_t tx_frames;      /* TX ring slots per socket */
	int qdisc_bypass;        /* PACKET_QDISC_BYPASS (default on) */
	double stats_interval;   /* s, 0 = only at exit */
	int json;                /* stats as fwd_stats_json() lines */
	const char *ready_file;  /* created once forwarding */
	const char *punt_pcap;   /* record punted frames here */
	int disable_ip_forward;  /* turn kernel forwarding off, restore at exit */
};

#endif /* SOCK_CFG_H */
