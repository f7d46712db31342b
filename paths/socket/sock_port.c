// SPDX-License-Identifier: BSD-2-Clause
/*
 * sock_port.c - AF_PACKET sockets, TPACKET_V3 RX ring, TPACKET_V2 TX ring,
 * PACKET_FANOUT (packet(7), Documentation/networking/packet_mmap.rst).
 *
 * Order matters: a socket is created with protocol 0 so that it queues
 * nothing while it is set up; options and rings are set, then bind() names
 * ETH_P_ALL and the interface, and only then does it join the fanout group
 * (the kernel requires a bound socket for PACKET_FANOUT).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sock_port.h"
#include "sock_util.h"

#define NAIVE_RCVBUF (4 << 20) /* bytes: a burst of 64 B frames fits */

static int fail(char *err, size_t errlen, const char *what)
{
	int e = errno;

	snprintf(err, errlen, "%s: %s", what, strerror(e));
	return -e;
}

/* mmap() a PACKET_RX_RING/PACKET_TX_RING of @len bytes into *@map (NULL on
 * failure); 0 or a negative errno with the reason in @err. */
static int map_ring(int fd, size_t len, uint8_t **map, const char *what,
		    char *err, size_t errlen)
{
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       fd, 0);

	if (m == MAP_FAILED) {
		*map = NULL;
		return fail(err, errlen, what);
	}
	*map = m;
	return 0;
}

static int setopt_int(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
}

static int bind_if(int fd, int ifindex, uint16_t proto)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(proto),
		.sll_ifindex = ifindex,
	};

	return bind(fd, (struct sockaddr *)&sll, sizeof(sll));
}

static int join_fanout(int fd, const struct sock_cfg *cfg, int fanout_id)
{
	if (fanout_id < 0)
		return 0;
	return setopt_int(fd, SOL_PACKET, PACKET_FANOUT,
			  (fanout_id & 0xffff) | (cfg->fanout_mode << 16));
}

/* RX: TPACKET_V3, blocks of cfg->block_size retired when full or after
 * cfg->block_tov_ms, whichever comes first. */
static int setup_rx_ring(struct sock_wport *wp, const struct sock_cfg *cfg,
			 uint32_t rx_max, char *err, size_t errlen)
{
	struct tpacket_req3 req = { 0 };
	uint32_t bs = cfg->block_size;

	/* a block must hold the largest frame plus its tpacket3_hdr */
	bs = sock_pow2_at_least(rx_max + 256, bs);
	if ((uint64_t)bs * cfg->block_nr > SOCK_MAX_RING) {
		snprintf(err, errlen, "RX ring: %u blocks of %u bytes (the largest frame"
			 " must fit a block) exceed %u MiB (lower --block-nr)",
			 cfg->block_nr, bs, SOCK_MAX_RING >> 20);
		return -EINVAL;
	}
	if (setopt_int(wp->rx_fd, SOL_PACKET, PACKET_VERSION, TPACKET_V3))
		return fail(err, errlen, "PACKET_VERSION TPACKET_V3");
	req.tp_block_size = bs;
	req.tp_block_nr = cfg->block_nr;
	req.tp_frame_size = 2048; /* unused by V3 RX, but must be sane */
	req.tp_frame_nr = (uint32_t)((uint64_t)bs * cfg->block_nr / 2048);
	req.tp_retire_blk_tov = cfg->block_tov_ms;
	if (setsockopt(wp->rx_fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)))
		return fail(err, errlen, "PACKET_RX_RING");
	wp->rx.block_size = bs;
	wp->rx.block_nr = cfg->block_nr;
	wp->rx.map_len = (size_t)bs * cfg->block_nr;
	return map_ring(wp->rx_fd, wp->rx.map_len, &wp->rx.map,
			"mmap RX ring", err, errlen);
}

/* RX: TPACKET_V2, one slot per frame, each handed over as soon as it is
 * written (one wake-up per frame at low rates: low latency). Same memory as
 * the V3 ring: block_size * block_nr bytes. */
static int setup_rx_ring_v2(struct sock_wport *wp, const struct sock_cfg *cfg,
			    uint32_t rx_max, char *err, size_t errlen)
{
	struct tpacket_req req = { 0 };
	uint32_t fs = sock_pow2_at_least(rx_max + TPACKET2_HDRLEN + 16, 2048);
	uint32_t bs = sock_pow2_at_least(fs, cfg->block_size);

	if ((uint64_t)bs * cfg->block_nr > SOCK_MAX_RING) {
		snprintf(err, errlen, "RX ring: %u blocks of %u bytes exceed %u MiB"
			 " (lower --block-nr)", cfg->block_nr, bs, SOCK_MAX_RING >> 20);
		return -EINVAL;
	}
	if (setopt_int(wp->rx_fd, SOL_PACKET, PACKET_VERSION, TPACKET_V2))
		return fail(err, errlen, "PACKET_VERSION TPACKET_V2");
	req.tp_block_size = bs;
	req.tp_block_nr = cfg->block_nr;
	req.tp_frame_size = fs;
	req.tp_frame_nr = (uint32_t)((uint64_t)bs / fs * cfg->block_nr);
	if (setsockopt(wp->rx_fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)))
		return fail(err, errlen, "PACKET_RX_RING");
	wp->rx.frame_size = fs;
	wp->rx.frame_nr = req.tp_frame_nr;
	wp->rx.map_len = (size_t)bs * cfg->block_nr;
	return map_ring(wp->rx_fd, wp->rx.map_len, &wp->rx.map,
			"mmap RX ring", err, errlen);
}

/* TX: TPACKET_V2 frames; the frame data starts at TPACKET2_HDRLEN -
 * sizeof(struct sockaddr_ll) (no PACKET_TX_HAS_OFF). */
static int setup_tx_ring(struct sock_wport *wp, const struct sock_cfg *cfg,
			 uint32_t tx_max, char *err, size_t errlen)
{
	struct tpacket_req req = { 0 };
	uint32_t fs = sock_pow2_at_least(tx_max + TPACKET2_HDRLEN, 2048);

	if (setopt_int(wp->tx_fd, SOL_PACKET, PACKET_VERSION, TPACKET_V2))
		return fail(err, errlen, "PACKET_VERSION TPACKET_V2");
	req.tp_frame_size = fs;
	req.tp_block_size = fs < 4096 ? 4096 : fs;
	req.tp_frame_nr = cfg->tx_frames;
	req.tp_block_nr = (uint32_t)((uint64_t)cfg->tx_frames * fs / req.tp_block_size);
	if (!req.tp_block_nr)
		req.tp_block_nr = 1;
	req.tp_frame_nr = req.tp_block_nr * (req.tp_block_size / fs);
	if ((uint64_t)req.tp_block_size * req.tp_block_nr > SOCK_MAX_RING) {
		snprintf(err, errlen, "TX ring: %u slots of %u bytes exceed %u MiB"
			 " (lower --tx-frames)", req.tp_frame_nr, fs, SOCK_MAX_RING >> 20);
		return -EINVAL;
	}
	if (setsockopt(wp->tx_fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)))
		return fail(err, errlen, "PACKET_TX_RING");
	wp->tx.frame_size = fs;
	wp->tx.frame_nr = req.tp_frame_nr;
	wp->tx.map_len = (size_t)req.tp_block_size * req.tp_block_nr;
	return map_ring(wp->tx_fd, wp->tx.map_len, &wp->tx.map,
			"mmap TX ring", err, errlen);
}

static int open_ring(struct sock_wport *wp, const struct sock_cfg *cfg,
		     int ifindex, int fanout_id, uint32_t rx_max,
		     uint32_t tx_max, char *err, size_t errlen)
{
	int rc;

	wp->rx_fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (wp->rx_fd < 0)
		return fail(err, errlen, "socket(AF_PACKET)");
	/* never see (and re-forward) frames sent on this interface */
	if (setopt_int(wp->rx_fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1))
		return fail(err, errlen, "PACKET_IGNORE_OUTGOING");
	if (cfg->rx_ring == SOCK_RX_V2)
		rc = setup_rx_ring_v2(wp, cfg, rx_max, err, errlen);
	else
		rc = setup_rx_ring(wp, cfg, rx_max, err, errlen);
	if (rc)
		return rc;
	if (bind_if(wp->rx_fd, ifindex, ETH_P_ALL))
		return fail(err, errlen, "bind RX socket");
	if (join_fanout(wp->rx_fd, cfg, fanout_id))
		return fail(err, errlen, "PACKET_FANOUT");

	wp->tx_fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (wp->tx_fd < 0)
		return fail(err, errlen, "socket(AF_PACKET)");
	if (cfg->qdisc_bypass &&
	    setopt_int(wp->tx_fd, SOL_PACKET, PACKET_QDISC_BYPASS, 1))
		return fail(err, errlen, "PACKET_QDISC_BYPASS");
	if (cfg->tx == SOCK_TX_RING) {
		rc = setup_tx_ring(wp, cfg, tx_max, err, errlen);
		if (rc)
			return rc;
	}
	/* protocol 0: a send-only socket, no frame is ever queued to it */
	if (bind_if(wp->tx_fd, ifindex, 0))
		return fail(err, errlen, "bind TX socket");
	return 0;
}

static int open_naive(struct sock_wport *wp, const struct sock_cfg *cfg,
		      int ifindex, int fanout_id, char *err, size_t errlen)
{
	wp->rx_fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (wp->rx_fd < 0)
		return fail(err, errlen, "socket(AF_PACKET)");
	wp->tx_fd = wp->rx_fd;
	if (setopt_int(wp->rx_fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1))
		return fail(err, errlen, "PACKET_IGNORE_OUTGOING");
	/* the kernel strips VLAN tags into metadata: ask for it (cmsg) */
	if (setopt_int(wp->rx_fd, SOL_PACKET, PACKET_AUXDATA, 1))
		return fail(err, errlen, "PACKET_AUXDATA");
	if (cfg->qdisc_bypass &&
	    setopt_int(wp->rx_fd, SOL_PACKET, PACKET_QDISC_BYPASS, 1))
		return fail(err, errlen, "PACKET_QDISC_BYPASS");
	/* best effort: SO_RCVBUFFORCE needs CAP_NET_ADMIN */
	if (setopt_int(wp->rx_fd, SOL_SOCKET, SO_RCVBUFFORCE, NAIVE_RCVBUF))
		(void)setopt_int(wp->rx_fd, SOL_SOCKET, SO_RCVBUF, NAIVE_RCVBUF);
	if (bind_if(wp->rx_fd, ifindex, ETH_P_ALL))
		return fail(err, errlen, "bind socket");
	if (join_fanout(wp->rx_fd, cfg, fanout_id))
		return fail(err, errlen, "PACKET_FANOUT");
	return 0;
}

int sock_port_open(struct sock_wport *wp, const struct sock_cfg *cfg,
		   int ifindex, int fanout_id, uint32_t rx_max, uint32_t tx_max,
		   char *err, size_t errlen)
{
	int rc;

	memset(wp, 0, sizeof(*wp));
	wp->rx_fd = wp->tx_fd = -1;
	wp->present = 1;
	wp->ifindex = ifindex;
	if (cfg->mode == SOCK_MODE_NAIVE)
		rc = open_naive(wp, cfg, ifindex, fanout_id, err, errlen);
	else
		rc = open_ring(wp, cfg, ifindex, fanout_id, rx_max, tx_max, err,
			       errlen);
	if (rc)
		sock_port_close(wp);
	return rc;
}

void sock_port_close(struct sock_wport *wp)
{
	if (!wp->present)
		return;
	if (wp->rx.map)
		munmap(wp->rx.map, wp->rx.map_len);
	if (wp->tx.map)
		munmap(wp->tx.map, wp->tx.map_len);
	if (wp->tx_fd >= 0 && wp->tx_fd != wp->rx_fd)
		close(wp->tx_fd);
	if (wp->rx_fd >= 0)
		close(wp->rx_fd);
	wp->rx.map = wp->tx.map = NULL;
	wp->rx_fd = wp->tx_fd = -1;
	wp->present = 0;
}

uint64_t sock_port_rx_drops(const struct sock_wport *wp)
{
	struct tpacket_stats_v3 st = { 0 };
	socklen_t len = sizeof(st);

	if (!wp->present || wp->rx_fd < 0 ||
	    getsockopt(wp->rx_fd, SOL_PACKET, PACKET_STATISTICS, &st, &len))
		return 0;
	return st.tp_drops;
}

int sock_worker_check_errors(struct sock_worker *w, const struct pollfd *pfd,
			     const int *ports, int np)
{
	char name[IF_NAMESIZE];
	int k, e;
	socklen_t len;

	for (k = 0; k < np; k++) {
		if (!(pfd[k].revents & (POLLERR | POLLNVAL)))
			continue;
		e = 0;
		len = sizeof(e);
		if (getsockopt(pfd[k].fd, SOL_SOCKET, SO_ERROR, &e, &len))
			e = errno;
		if (!e) /* already consumed by a recvmsg(): look at the device */
			e = ENETDOWN;
		if (pfd[k].revents & POLLNVAL)
			e = EBADF;
		if (e == ENETDOWN && !if_indextoname((unsigned int)w->port[ports[k]].ifindex,
						     name))
			e = ENODEV; /* unregistered, not just down */
		if (e == ENODEV || e == ENXIO || e == EBADF) {
			__atomic_store_n(&w->fatal_port, ports[k], __ATOMIC_RELAXED);
			__atomic_store_n(&w->fatal_err, e, __ATOMIC_RELEASE);
			return -1;
		}
	}
	return 0;
}
