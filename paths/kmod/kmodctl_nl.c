// SPDX-License-Identifier: BSD-2-Clause
/*
 * kmodctl_nl.c - generic netlink client for fwd_kmod (kmodctl_nl.h).
 * One request at a time: send, then read replies until the ACK (or the
 * error with the kernel's extended-ACK message).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "fwd_kmod_uapi.h"
#include "kmodctl_nl.h"

_Static_assert(FKM_MAX_PORTS == FWD_MAX_PORTS, "port limit");
_Static_assert(FKM_MAX_NEXTHOPS == FWD_MAX_NEXTHOPS, "nexthop limit");
_Static_assert(FKM_MAX_ROUTES == FWD_MAX_ROUTES, "route limit");
_Static_assert(sizeof(struct fkm_route) == 8, "wire route");
_Static_assert(sizeof(struct fwd_nexthop) == 16, "wire nexthop");

#define ROUTES_PER_CHUNK 8000 /* 64000 bytes: fits an attribute (< 64 KiB) */
#define SNDBUF (1 << 20)

struct kmodctl {
	struct mnl_socket *nl;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;
};

struct reply {
	struct fwd_stats *stats;
	unsigned long long *tx_err;
	uint16_t family;
};

static int stats_cb(const struct nlattr *a, void *data)
{
	struct reply *r = data;
	const struct nlattr *n;

	switch (mnl_attr_get_type(a)) {
	case FKM_A_STATS_RX:
		if (mnl_attr_validate(a, MNL_TYPE_U64) == 0)
			r->stats->rx = mnl_attr_get_u64(a);
		break;
	case FKM_A_STATS_TX_ERR:
		if (mnl_attr_validate(a, MNL_TYPE_U64) == 0)
			*r->tx_err = mnl_attr_get_u64(a);
		break;
	case FKM_A_STATS_REASONS:
		mnl_attr_for_each_nested(n, a) {
			int t = mnl_attr_get_type(n) - 1;

			if (t >= 0 && t < FWD_REASON_MAX &&
			    mnl_attr_validate(n, MNL_TYPE_U64) == 0)
				r->stats->reason[t] = mnl_attr_get_u64(n);
		}
		break;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlattr *a, void *data)
{
	struct reply *r = data;

	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(a, MNL_TYPE_U16) == 0)
		r->family = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

/* The kernel's extended ACK message, if any, into @err. */
static void ack_message(const struct nlmsghdr *nlh, char *err, size_t errlen)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	unsigned int off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += mnl_nlmsg_get_payload_len(&e->msg);
	mnl_attr_for_each(a, nlh, off) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			snprintf(err, errlen, "%s", mnl_attr_get_str(a));
	}
}

/*
 * Send @nlh (NLM_F_ACK set here) and process replies with @cb on the
 * generic netlink payload until the ACK. Returns 0 or -errno.
 */
static int transact(struct kmodctl *c, struct nlmsghdr *nlh,
		    mnl_attr_cb_t cb, struct reply *rep, char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t got;
	int n;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++c->seq;
	if (mnl_socket_sendto(c->nl, nlh, nlh->nlmsg_len) < 0) {
		snprintf(err, errlen, "netlink send: %s", strerror(errno));
		return -errno;
	}
	for (;;) {
		const struct nlmsghdr *m;

		got = mnl_socket_recvfrom(c->nl, buf, sizeof(buf));
		if (got < 0) {
			snprintf(err, errlen, "netlink receive: %s", strerror(errno));
			return -errno;
		}
		n = (int)got;
		for (m = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(m, n);
		     m = mnl_nlmsg_next(m, &n)) {
			if (m->nlmsg_seq != c->seq)
				continue;
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(m);

				if (e->error) {
					snprintf(err, errlen, "%s", strerror(-e->error));
					ack_message(m, err, errlen);
				}
				return e->error;
			}
			if (m->nlmsg_type == NLMSG_DONE)
				return 0;
			if (cb)
				mnl_attr_parse(m, GENL_HDRLEN, cb, rep);
		}
	}
}

static struct nlmsghdr *put_hdr(void *buf, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = type == GENL_ID_CTRL ? 1 : FKM_GENL_VERSION;
	return nlh;
}

struct kmodctl *kmodctl_open(char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct reply rep = { 0 };
	struct kmodctl *c;
	struct nlmsghdr *nlh;
	int one = 1, size = SNDBUF, rc;

	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!c->nl || mnl_socket_bind(c->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "generic netlink socket: %s", strerror(errno));
		goto fail;
	}
	c->portid = mnl_socket_get_portid(c->nl);
	c->seq = (unsigned int)time(NULL);
	mnl_socket_setsockopt(c->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(c->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	/* A full table is ~160 KB in one message: raise the send buffer
	 * (SO_SNDBUFFORCE as root, else up to net.core.wmem_max). */
	if (setsockopt(mnl_socket_get_fd(c->nl), SOL_SOCKET, SO_SNDBUFFORCE,
		       &size, sizeof(size)))
		setsockopt(mnl_socket_get_fd(c->nl), SOL_SOCKET, SO_SNDBUF,
			   &size, sizeof(size));

	nlh = put_hdr(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, FKM_GENL_NAME);
	rc = transact(c, nlh, family_cb, &rep, err, errlen);
	if (rc == -ENOENT || (!rc && !rep.family)) {
		snprintf(err, errlen, "generic netlink family %s not found: "
			 "load the module first (insmod fwd_kmod.ko)", FKM_GENL_NAME);
		goto fail;
	}
	if (rc)
		goto fail;
	c->family = rep.family;
	return c;
fail:
	kmodctl_close(c);
	return NULL;
}

void kmodctl_close(struct kmodctl *c)
{
	if (!c)
		return;
	if (c->nl)
		mnl_socket_close(c->nl);
	free(c);
}

int kmodctl_set_table(struct kmodctl *c, const struct fwd_table *t,
		      const unsigned int *ifindex, char *err, size_t errlen)
{
	size_t size = 4096 + sizeof(t->nexthops) +
		      (size_t)t->nroutes * sizeof(struct fkm_route) +
		      (size_t)(t->nroutes / ROUTES_PER_CHUNK + 1) * 64;
	struct fkm_route *wire;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	char *buf;
	int i, rc;

	buf = calloc(1, size);
	wire = calloc((size_t)t->nroutes + 1, sizeof(*wire));
	if (!buf || !wire) {
		free(buf);
		free(wire);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	nlh = put_hdr(buf, c->family, FKM_CMD_SET_TABLE);
	for (i = 0; i < FWD_MAX_PORTS; i++) {
		if (!t->ports[i].present)
			continue;
		nest = mnl_attr_nest_start(nlh, FKM_A_PORT);
		mnl_attr_put_u32(nlh, FKM_PA_ID, (uint32_t)i);
		mnl_attr_put_u32(nlh, FKM_PA_IFINDEX, ifindex[i]);
		mnl_attr_put(nlh, FKM_PA_MAC, 6, t->ports[i].mac);
		mnl_attr_nest_end(nlh, nest);
	}
	mnl_attr_put(nlh, FKM_A_NEXTHOPS,
		     (size_t)t->nnexthops * sizeof(struct fwd_nexthop), t->nexthops);
	for (i = 0; i < t->nroutes; i++) {
		wire[i].prefix = t->routes[i].prefix;
		wire[i].len = t->routes[i].len;
		wire[i].nh = t->routes[i].nh;
	}
	for (i = 0; i < t->nroutes; i += ROUTES_PER_CHUNK) {
		int n = t->nroutes - i < ROUTES_PER_CHUNK ? t->nroutes - i
							  : ROUTES_PER_CHUNK;

		mnl_attr_put(nlh, FKM_A_ROUTES, (size_t)n * sizeof(*wire), wire + i);
	}
	rc = transact(c, nlh, NULL, NULL, err, errlen);
	free(wire);
	free(buf);
	return rc;
}

int kmodctl_clear(struct kmodctl *c, char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return transact(c, put_hdr(buf, c->family, FKM_CMD_CLEAR), NULL, NULL,
			err, errlen);
}

int kmodctl_stats(struct kmodctl *c, struct fwd_stats *s,
		  unsigned long long *tx_err, char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct reply rep = { .stats = s, .tx_err = tx_err };

	memset(s, 0, sizeof(*s));
	*tx_err = 0;
	return transact(c, put_hdr(buf, c->family, FKM_CMD_GET_STATS), stats_cb,
			&rep, err, errlen);
}
