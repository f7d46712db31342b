// SPDX-License-Identifier: BSD-2-Clause
/*
 * gen_afpacket.c - the AF_PACKET engine: a SOCK_RAW packet socket bound to
 * the interface with PACKET_QDISC_BYPASS (frames go straight to the driver,
 * no qdisc), protocol 0 (it never receives), and sendmmsg() of up to
 * `burst` frames per system call. Portable: works on any interface.
 *
 * Each frame of a burst is copied into its own slot, stamped (magic, seq,
 * CLOCK_MONOTONIC ns read just before the sendmmsg call, per frame) and
 * sent. A short count from sendmmsg (ENOBUFS/EAGAIN) is returned as is:
 * fwd_gen.c sends the rest again with the same sequence numbers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "gen.h"
#include "tr_frame.h"
#include "tr_util.h"

struct afp {
	int fd;
	const struct tr_gen_cfg *cfg;
	uint8_t *slots;          /* burst slots of max_len bytes */
	struct mmsghdr *msgs;
	struct iovec *iov;
	uint64_t seq;            /* next sequence number */
	uint32_t next;           /* next frame of the profile */
};

static int afp_open(const struct tr_gen_cfg *cfg, void **stp, char *err, size_t errlen)
{
	struct sockaddr_ll sll = { 0 };
	struct afp *a;
	int one = 1, sndbuf = 4 << 20;

	a = calloc(1, sizeof(*a));
	*stp = a;
	if (!a) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a->fd = -1;
	a->cfg = cfg;
	a->slots = calloc(cfg->burst, cfg->frames->max_len);
	a->msgs = calloc(cfg->burst, sizeof(*a->msgs));
	a->iov = calloc(cfg->burst, sizeof(*a->iov));
	if (!a->slots || !a->msgs || !a->iov) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (a->fd < 0) {
		snprintf(err, errlen, "packet socket: %s", strerror(errno));
		return -1;
	}
	if (setsockopt(a->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) < 0) {
		snprintf(err, errlen, "PACKET_QDISC_BYPASS: %s", strerror(errno));
		return -1;
	}
	/* best effort: a larger send buffer absorbs bursts */
	setsockopt(a->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = cfg->ifindex;
	sll.sll_protocol = 0;
	if (bind(a->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		snprintf(err, errlen, "bind to %s: %s", cfg->dev, strerror(errno));
		return -1;
	}
	return 0;
}

static int64_t afp_send(void *stp, uint32_t n, char *err, size_t errlen)
{
	struct afp *a = stp;
	const struct tr_frames *f = a->cfg->frames;
	uint32_t i, fi = a->next;
	int r;

	if (n > a->cfg->burst) {
		snprintf(err, errlen, "internal: %u frames asked, slots for %u", n, a->cfg->burst);
		return -1;
	}
	for (i = 0; i < n; i++) {
		uint8_t *slot = a->slots + (size_t)i * f->max_len;

		memcpy(slot, f->data[fi], f->len[fi]);
		if (!a->cfg->raw)
			tr_payload_stamp(slot, f->pl_off[fi], (uint32_t)(a->seq + i), tr_now_ns());
		a->iov[i] = (struct iovec){ slot, f->len[fi] };
		a->msgs[i].msg_hdr = (struct msghdr){ .msg_iov = &a->iov[i], .msg_iovlen = 1 };
		fi = fi + 1 == f->n ? 0 : fi + 1;
	}
	r = sendmmsg(a->fd, a->msgs, n, 0);
	if (r < 0) {
		if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)
			return 0;
		snprintf(err, errlen, "sendmmsg on %s: %s", a->cfg->dev, strerror(errno));
		return -1;
	}
	a->seq += (uint32_t)r;
	a->next = (uint32_t)((a->next + (uint64_t)r) % f->n);
	return r;
}

static void afp_close(void *stp)
{
	struct afp *a = stp;

	if (!a)
		return;
	if (a->fd >= 0)
		close(a->fd);
	free(a->slots);
	free(a->msgs);
	free(a->iov);
	free(a);
}

const struct tr_engine tr_engine_afpacket = {
	.name = "afpacket",
	.open = afp_open,
	.send = afp_send,
	.close = afp_close,
};
