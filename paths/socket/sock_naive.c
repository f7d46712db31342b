// SPDX-License-Identifier: BSD-2-Clause
/*
 * sock_naive.c - the naive worker: one recvmsg() per frame in, one send()
 * per forwarded frame out, no shared ring, no batching. It exists beside the
 * ring mode to show what per-packet system calls cost (README.md).
 *
 * recvmsg() rather than recvfrom() only to read PACKET_AUXDATA: the kernel
 * strips an 802.1Q/802.1ad tag into metadata and the core must see it.
 */
#include <errno.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "sock_punt.h"
#include "sock_util.h"
#include "sock_worker.h"

#define POLL_MS 100
#define DRAIN_MAX 64     /* frames read from one socket before the next */
#define BUF_LEN 65536
#define BUSY_CHECK 4096  /* busy-poll: idle rounds between error checks */

/* Receive one frame into @buf with its VLAN tag put back. Returns the
 * length, 0 when nothing is queued, -1 on a frame that cannot be used. */
static ssize_t recv_one(struct sock_worker *w, int port, uint8_t *buf, size_t cap)
{
	int fd = w->port[port].rx_fd;
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	struct iovec iov = { .iov_base = buf + 4, .iov_len = cap - 4 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &ctl, .msg_controllen = sizeof(ctl),
	};
	struct cmsghdr *c;
	ssize_t n;

	n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0) {
		/* recvmsg() reports (and clears) the socket error itself */
		if (errno == ENETDOWN || errno == ENODEV || errno == ENXIO) {
			struct pollfd p = { .fd = fd, .revents = POLLERR };

			(void)sock_worker_check_errors(w, &p, &port, 1);
		}
		return 0;
	}
	if ((size_t)n > cap - 4 || (msg.msg_flags & MSG_TRUNC)) {
		SOCK_COUNT(w->xs.truncated, 1);
		return -1;
	}
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		struct tpacket_auxdata aux;

		if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		if (!(aux.tp_status & TP_STATUS_VLAN_VALID))
			break;
		n = (ssize_t)sock_vlan_reinsert_inplace(buf, (size_t)n,
				(aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ?
					aux.tp_vlan_tpid : 0,
				aux.tp_vlan_tci);
		return n ? n : -1;
	}
	memmove(buf, buf + 4, (size_t)n);
	return n;
}

static int drain(struct sock_worker *w, int port, uint8_t *buf)
{
	int i, egress;
	ssize_t n;

	for (i = 0; i < DRAIN_MAX; i++) {
		enum fwd_reason r;

		n = recv_one(w, port, buf, BUF_LEN);
		if (n == 0)
			break;
		if (n < 0)
			continue;
		r = sock_classify(w->lpm, w->t->ports[port].mac, buf, (uint32_t)n,
				  &egress);
		SOCK_COUNT(w->stats.rx, 1);
		SOCK_COUNT(w->stats.reason[r], 1);
		if (r == FWD_FORWARD && w->port[egress].present) {
			while (send(w->port[egress].tx_fd, buf, (size_t)n, 0) < 0) {
				if (errno == EINTR)
					continue;
				SOCK_COUNT(w->xs.tx_err, 1);
				break;
			}
		} else if (w->punt && fwd_verdict(r) == FWD_V_PUNT) {
			sock_punt_write(w->punt, buf, (uint32_t)n, 0, 0);
		}
	}
	return i;
}

void *sock_naive_run(void *arg)
{
	static __thread uint8_t buf[BUF_LEN];
	struct sock_worker *w = arg;
	struct pollfd pfd[FWD_MAX_PORTS];
	int ports[FWD_MAX_PORTS];
	unsigned int idle = 0;
	int k, np = 0, work;

	for (k = 0; k < FWD_MAX_PORTS; k++) {
		if (!w->port[k].present)
			continue;
		pfd[np].fd = w->port[k].rx_fd;
		pfd[np].events = POLLIN;
		ports[np++] = k;
	}
	while (!__atomic_load_n(w->stop, __ATOMIC_RELAXED)) {
		if (!w->cfg->busy_poll || !(++idle & (BUSY_CHECK - 1))) {
			int rc = poll(pfd, (nfds_t)np, w->cfg->busy_poll ? 0 : POLL_MS);

			if (rc < 0 && errno != EINTR)
				break;
			if (rc > 0 && sock_worker_check_errors(w, pfd, ports, np))
				break;
			if (rc <= 0 && !w->cfg->busy_poll)
				continue;
		}
		work = 0;
		for (k = 0; k < np; k++)
			if (w->cfg->busy_poll || (pfd[k].revents & POLLIN))
				work += drain(w, ports[k], buf);
		if (work)
			idle = 0;
		if (__atomic_load_n(&w->fatal_err, __ATOMIC_RELAXED))
			break;
	}
	return NULL;
}
