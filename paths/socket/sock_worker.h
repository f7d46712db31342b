/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sock_worker.h - one forwarding thread and the AF_PACKET sockets it owns:
 * per port one RX socket (a PACKET_FANOUT member when there are several
 * workers) and, in ring mode, one TX socket.
 */
#ifndef SOCK_WORKER_H
#define SOCK_WORKER_H

#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "fwd_lpm.h"
#include "fwd_routes.h"
#include "fwd_stats.h"
#include "sock_cfg.h"

#define SOCK_TX_BATCH 64 /* frames per sendmmsg() call */

struct sock_punt;

/** RX ring of one socket: TPACKET_V3 (blocks) or TPACKET_V2 (frames). */
struct sock_rx_ring {
	uint8_t *map;         /* mmap()ed blocks */
	size_t map_len;       /* bytes */
	uint32_t block_size;  /* V3: bytes */
	uint32_t block_nr;    /* V3 */
	uint32_t frame_size;  /* V2: bytes per slot */
	uint32_t frame_nr;    /* V2 */
	uint32_t cur;         /* next block (V3) or slot (V2) to look at */
};

/** TPACKET_V2 TX ring of one socket (frame based). */
struct sock_tx_ring {
	uint8_t *map;
	size_t map_len;
	uint32_t frame_size;  /* bytes per slot */
	uint32_t frame_nr;
	uint32_t cur;         /* next slot to fill */
	uint32_t pending;     /* slots filled since the last send() kick */
};

/** sendmmsg() batch of one egress socket; iovecs point into the RX ring. */
struct sock_mmsg {
	struct mmsghdr msg[SOCK_TX_BATCH];
	struct iovec iov[SOCK_TX_BATCH];
	unsigned int n;
};

/** One port as seen by one worker. */
struct sock_wport {
	int present;
	int ifindex;
	int rx_fd;            /* bound to the port's interface, ETH_P_ALL */
	int tx_fd;            /* ring mode: protocol 0 (receives nothing) */
	struct sock_rx_ring rx;
	struct sock_tx_ring tx;
	struct sock_mmsg mm;
};

/** Counters only the socket path has (not verdicts; printed on stderr). */
struct sock_xstats {
	uint64_t tx_err;      /* forwarded frames the kernel refused to send */
	uint64_t tx_full;     /* forwarded frames dropped: TX ring full */
	uint64_t truncated;   /* frames cut by the RX ring (never expected) */
};

struct sock_worker {
	int id;
	int cpu;              /* -1: not pinned */
	const struct sock_cfg *cfg;
	const struct fwd_table *t;
	const struct fwd_lpm *lpm; /* the table's routes, fwd_lpm.h */
	struct sock_wport port[FWD_MAX_PORTS];
	struct fwd_stats stats;   /* written by the worker only */
	struct sock_xstats xs;    /* written by the worker only */
	struct sock_punt *punt;   /* NULL unless --punt-pcap */
	const volatile int *stop;
	int fatal_err;            /* set (errno) when a port's device vanished */
	int fatal_port;
	uint8_t *scratch;         /* frame rebuilt with its VLAN tag */
	size_t scratch_len;
	pthread_t th;
};

/* Single writer (the worker), relaxed readers (the stats printer). */
#define SOCK_COUNT(field, n) \
	__atomic_store_n(&(field), __atomic_load_n(&(field), __ATOMIC_RELAXED) + (n), \
			 __ATOMIC_RELAXED)

/**
 * sock_classify() - one frame through parse -> LPM -> decide -> rewrite
 * (paths/common/fwd_core.h, fwd_lpm_lookup()). Rewrites the frame in
 * place when the verdict is FWD_FORWARD and sets *@egress.
 * @in_mac: the ingress port's MAC from the route file.
 */
static inline enum fwd_reason sock_classify(const struct fwd_lpm *lpm,
					    const uint8_t *in_mac, uint8_t *frame,
					    uint32_t len, int *egress)
{
	const struct fwd_nexthop *nh;
	struct fwd_pkt p;
	enum fwd_reason r;

	r = fwd_parse(frame, frame + len, in_mac, &p);
	if (r != FWD_FORWARD)
		return r;
	nh = fwd_lpm_lookup(lpm, fwd_ntohl(p.daddr));
	r = fwd_decide(&p, nh);
	if (r != FWD_FORWARD)
		return r;
	fwd_rewrite(&p, nh);
	*egress = nh->port;
	return FWD_FORWARD;
}

/**
 * sock_worker_check_errors() - after poll() reported POLLERR on some of
 * @pfd (one per port in @ports): read and clear each socket's error.
 * The kernel reports ENETDOWN both when the link goes down (the socket
 * resumes when it is up again) and when the device is unregistered (the
 * socket is unbound for good): the ifindex tells them apart. A vanished
 * device stops the worker: sets fatal_err/fatal_port and returns -1 (main
 * exits 5). Other errors are cleared and ignored.
 * Returns 0 to go on.
 */
struct pollfd;
int sock_worker_check_errors(struct sock_worker *w, const struct pollfd *pfd,
			     const int *ports, int np);

/** sock_ring_run() - pthread entry of a ring-mode worker (sock_ring.c). */
void *sock_ring_run(void *arg);

/** sock_naive_run() - pthread entry of a naive-mode worker (sock_naive.c). */
void *sock_naive_run(void *arg);

#endif /* SOCK_WORKER_H */
