// SPDX-License-Identifier: BSD-2-Clause
/*
 * sock_ring.c - the ring-mode worker: TPACKET_V3 RX blocks in, batched TX out.
 *
 * Per RX block the kernel hands over (TP_STATUS_USER; with --rx-ring v2:
 * per batch of ready frame slots), every frame runs
 * through the core *in place* in the shared ring memory; a forwarded frame
 * is queued for its egress port either as an iovec pointing into the RX
 * block (--tx mmsg: sendmmsg() copies it into an skb) or copied into a
 * TPACKET_V2 TX ring slot (--tx ring: one send() kicks the whole batch).
 * The TX batches are flushed before the block is given back to the kernel
 * (TP_STATUS_KERNEL), so an iovec never points into a block the kernel may
 * overwrite. Idle: poll() on every RX socket, or spin with --busy-poll.
 */
#include <errno.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "sock_punt.h"
#include "sock_util.h"
#include "sock_worker.h"

#define POLL_MS 100         /* idle wake-up to notice a stop request */
#define TX_RING_SPINS 1000  /* re-checks of a busy TX slot after a kick */
#define BUSY_CHECK 4096     /* busy-poll: idle rounds between error checks */

static void mmsg_flush(struct sock_worker *w, struct sock_wport *wp)
{
	struct sock_mmsg *mm = &wp->mm;
	unsigned int sent = 0;
	int r, again = 0;

	while (sent < mm->n) {
		r = sendmmsg(wp->tx_fd, mm->msg + sent, mm->n - sent, MSG_DONTWAIT);
		if (r > 0) {
			sent += (unsigned int)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == ENOBUFS) && again++ < 3) {
			struct pollfd pfd = { .fd = wp->tx_fd, .events = POLLOUT };

			(void)poll(&pfd, 1, 1); /* socket send buffer full */
			continue;
		}
		/* the device refused this frame (veth peer backlog full...) */
		SOCK_COUNT(w->xs.tx_err, 1);
		sent++;
	}
	mm->n = 0;
}

static void mmsg_queue(struct sock_worker *w, struct sock_wport *wp,
		       uint8_t *frame, uint32_t len)
{
	struct sock_mmsg *mm = &wp->mm;
	unsigned int i = mm->n;

	mm->iov[i].iov_base = frame;
	mm->iov[i].iov_len = len;
	memset(&mm->msg[i], 0, sizeof(mm->msg[i]));
	mm->msg[i].msg_hdr.msg_iov = &mm->iov[i];
	mm->msg[i].msg_hdr.msg_iovlen = 1;
	if (++mm->n == SOCK_TX_BATCH)
		mmsg_flush(w, wp);
}

static void txring_kick(struct sock_worker *w, struct sock_wport *wp)
{
	if (!wp->tx.pending)
		return;
	wp->tx.pending = 0;
	while (send(wp->tx_fd, NULL, 0, MSG_DONTWAIT) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != ENOBUFS)
			SOCK_COUNT(w->xs.tx_err, 1);
		break;
	}
}

static void txring_queue(struct sock_worker *w, struct sock_wport *wp,
			 const uint8_t *frame, uint32_t len)
{
	struct sock_tx_ring *tx = &wp->tx;
	struct tpacket2_hdr *h =
		(struct tpacket2_hdr *)(tx->map + (size_t)tx->cur * tx->frame_size);
	uint32_t st = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
	int spins = 0;

	if (st & TP_STATUS_WRONG_FORMAT)
		st = TP_STATUS_AVAILABLE; /* the kernel rejected that old frame */
	while (st != TP_STATUS_AVAILABLE) {
		if (spins == 0)
			txring_kick(w, wp);
		if (++spins > TX_RING_SPINS) {
			SOCK_COUNT(w->xs.tx_full, 1);
			return;
		}
		st = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
	}
	memcpy((uint8_t *)h + TPACKET2_HDRLEN - sizeof(struct sockaddr_ll), frame, len);
	h->tp_len = len;
	h->tp_snaplen = len;
	__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
	tx->cur = (tx->cur + 1) % tx->frame_nr;
	if (++tx->pending == SOCK_TX_BATCH)
		txring_kick(w, wp);
}

static void tx_queue(struct sock_worker *w, int port, uint8_t *frame,
		     uint32_t len)
{
	struct sock_wport *wp = &w->port[port];

	if (w->cfg->tx == SOCK_TX_RING)
		txring_queue(w, wp, frame, len);
	else
		mmsg_queue(w, wp, frame, len);
}

static void tx_flush_all(struct sock_worker *w)
{
	int k;

	for (k = 0; k < FWD_MAX_PORTS; k++) {
		if (!w->port[k].present)
			continue;
		if (w->cfg->tx == SOCK_TX_RING)
			txring_kick(w, &w->port[k]);
		else if (w->port[k].mm.n)
			mmsg_flush(w, &w->port[k]);
	}
}

/* What the RX ring's header says about one frame (V2 or V3). */
struct rx_meta {
	uint8_t *frame;
	uint32_t snaplen, len, status, sec, nsec;
	uint16_t vlan_tci, vlan_tpid;
};

/* One received frame: the kernel reports a VLAN tag it stripped in the
 * header, put it back so the core sees the frame as it was on the wire.
 * cnt[0..FWD_REASON_MAX-1]: verdicts, cnt[FWD_REASON_MAX]: rx. */
static void one_frame(struct sock_worker *w, int in_port,
		      const struct rx_meta *m, uint64_t *cnt)
{
	uint8_t *frame = m->frame;
	uint32_t len = m->snaplen;
	enum fwd_reason r;
	int egress = -1;

	if (m->snaplen != m->len) {
		SOCK_COUNT(w->xs.truncated, 1);
		return;
	}
	if (m->status & TP_STATUS_VLAN_VALID) {
		uint16_t tpid = (m->status & TP_STATUS_VLAN_TPID_VALID) ? m->vlan_tpid : 0;
		size_t n = sock_vlan_reinsert(w->scratch, w->scratch_len, frame,
					      len, tpid, m->vlan_tci);

		if (!n) {
			SOCK_COUNT(w->xs.truncated, 1);
			return;
		}
		frame = w->scratch;
		len = (uint32_t)n;
	}
	cnt[FWD_REASON_MAX]++; /* rx */
	r = sock_classify(w->lpm, w->t->ports[in_port].mac, frame, len, &egress);
	cnt[r]++;
	if (r == FWD_FORWARD && w->port[egress].present) {
		tx_queue(w, egress, frame, len);
		if (frame == w->scratch) /* never for IPv4, but stay safe */
			tx_flush_all(w);
	} else if (w->punt && fwd_verdict(r) == FWD_V_PUNT) {
		sock_punt_write(w->punt, frame, len, m->sec, m->nsec);
	}
}

static void publish(struct sock_worker *w, const uint64_t *cnt)
{
	int r;

	SOCK_COUNT(w->stats.rx, cnt[FWD_REASON_MAX]);
	for (r = 0; r < FWD_REASON_MAX; r++)
		if (cnt[r])
			SOCK_COUNT(w->stats.reason[r], cnt[r]);
}

/* TPACKET_V3: process one retired block, flush TX, give the block back. */
static void one_block(struct sock_worker *w, int in_port,
		      struct tpacket_block_desc *bd)
{
	uint64_t cnt[FWD_REASON_MAX + 1] = { 0 };
	uint32_t i, n = bd->hdr.bh1.num_pkts;
	struct tpacket3_hdr *h =
		(struct tpacket3_hdr *)((uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt);

	for (i = 0; i < n; i++) {
		struct rx_meta m = {
			.frame = (uint8_t *)h + h->tp_mac, .snaplen = h->tp_snaplen,
			.len = h->tp_len, .status = h->tp_status, .sec = h->tp_sec,
			.nsec = h->tp_nsec, .vlan_tci = (uint16_t)h->hv1.tp_vlan_tci,
			.vlan_tpid = (uint16_t)h->hv1.tp_vlan_tpid,
		};

		one_frame(w, in_port, &m, cnt);
		h = (struct tpacket3_hdr *)((uint8_t *)h + h->tp_next_offset);
	}
	tx_flush_all(w);
	__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL,
			 __ATOMIC_RELEASE);
	publish(w, cnt);
}

/* Drain every block the kernel has handed over on @port. Returns blocks. */
static int drain_v3(struct sock_worker *w, int port)
{
	struct sock_rx_ring *rx = &w->port[port].rx;
	int done = 0;

	for (;;) {
		struct tpacket_block_desc *bd = (struct tpacket_block_desc *)
			(rx->map + (size_t)rx->cur * rx->block_size);

		if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
		      TP_STATUS_USER))
			return done;
		one_block(w, port, bd);
		rx->cur = (rx->cur + 1) % rx->block_nr;
		done++;
	}
}

/* TPACKET_V2: every frame has its own slot and status. Take up to
 * RX_V2_BATCH ready slots, flush TX, then give them all back (the sendmmsg
 * iovecs point into them). Returns frames. */
#define RX_V2_BATCH 256
static int drain_v2(struct sock_worker *w, int port)
{
	struct sock_rx_ring *rx = &w->port[port].rx;
	uint64_t cnt[FWD_REASON_MAX + 1] = { 0 };
	struct tpacket2_hdr *taken[RX_V2_BATCH];
	int n = 0, i;

	while (n < RX_V2_BATCH) {
		struct tpacket2_hdr *h = (struct tpacket2_hdr *)
			(rx->map + (size_t)rx->cur * rx->frame_size);
		struct rx_meta m;

		if (!(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			break;
		m = (struct rx_meta){
			.frame = (uint8_t *)h + h->tp_mac, .snaplen = h->tp_snaplen,
			.len = h->tp_len, .status = h->tp_status, .sec = h->tp_sec,
			.nsec = h->tp_nsec, .vlan_tci = h->tp_vlan_tci,
			.vlan_tpid = h->tp_vlan_tpid,
		};
		one_frame(w, port, &m, cnt);
		taken[n++] = h;
		rx->cur = (rx->cur + 1) % rx->frame_nr;
	}
	if (!n)
		return 0;
	tx_flush_all(w);
	for (i = 0; i < n; i++)
		__atomic_store_n(&taken[i]->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
	publish(w, cnt);
	return n;
}

static int drain_port(struct sock_worker *w, int port)
{
	return w->cfg->rx_ring == SOCK_RX_V2 ? drain_v2(w, port) : drain_v3(w, port);
}

void *sock_ring_run(void *arg)
{
	struct sock_worker *w = arg;
	struct pollfd pfd[FWD_MAX_PORTS];
	int ports[FWD_MAX_PORTS];
	unsigned int idle = 0;
	int k, np = 0, work;

	for (k = 0; k < FWD_MAX_PORTS; k++) {
		if (!w->port[k].present)
			continue;
		pfd[np].fd = w->port[k].rx_fd;
		pfd[np].events = POLLIN | POLLERR;
		ports[np++] = k;
	}
	while (!__atomic_load_n(w->stop, __ATOMIC_RELAXED)) {
		int rc;

		work = 0;
		for (k = 0; k < np; k++)
			work += drain_port(w, ports[k]);
		if (work)
			continue;
		/* busy-poll: only a zero-timeout poll now and then, to notice
		 * socket errors (a vanished device) */
		if (w->cfg->busy_poll && (++idle & (BUSY_CHECK - 1)))
			continue;
		rc = poll(pfd, (nfds_t)np, w->cfg->busy_poll ? 0 : POLL_MS);
		if (rc < 0 && errno != EINTR)
			break;
		if (rc > 0 && sock_worker_check_errors(w, pfd, ports, np))
			break;
	}
	tx_flush_all(w);
	return NULL;
}
