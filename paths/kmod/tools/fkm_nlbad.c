// SPDX-License-Identifier: BSD-2-Clause
/*
 * fkm-nlbad - sends malformed FKM_CMD_SET_TABLE requests straight to
 * fwd_kmod.ko (bypassing fwd-kmodctl's parser) and checks that each is
 * refused with an error, then that the valid request is accepted and the
 * table can be cleared; finally sends random garbage (only "no crash" is
 * checked there: the guest's kernel log is checked by run-in-vm).
 * Runs in the guest (root, module loaded).
 *
 *   fkm-nlbad IFNAME     (an Ethernet interface of this netns, e.g. a veth)
 *
 * Prints "FAIL <case>" for each accepted bad request; exit 0 if none.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "fwd_core.h"
#include "fwd_kmod_uapi.h"

#define BUFSZ (256 * 1024)

static struct mnl_socket *nl;
static unsigned int seq = 1;
static uint16_t family;
static unsigned int ifindex;
static int failures;
static unsigned int rnd_state = 12345;

enum bad {
	OK, NO_ATTRS, PORT_NO_MAC, PORT_MAC_5, PORT_ID_16, PORT_NO_IF,
	PORT_DUP_ID, PORT_DUP_IF, NH_15B, NH_EMPTY, NH_KIND, NH_PORT, NH_TWICE,
	NO_NH, RT_7B, RT_LEN33, RT_HOSTBITS, RT_NH, RT_DUP, RT_PAD, UNKNOWN_ATTR,
	TOO_MANY_ROUTES, N_BAD
};

static const char *const names[N_BAD] = {
	"valid", "no attributes", "port without mac", "5-byte mac", "port id 16",
	"unknown ifindex", "duplicate port id", "one interface for two ports",
	"15-byte nexthop array", "empty nexthop array", "nexthop kind 7",
	"nexthop on an undeclared port", "two nexthop arrays", "no nexthop array",
	"7-byte route chunk", "route /33", "route with host bits",
	"route to nexthop 5 of 2", "duplicate route", "route pad byte",
	"unknown attribute", "17457 routes",
};

static struct nlmsghdr *hdr(char *buf, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

/* Send, return the ACK's error (0 or -errno); family id via @fam. */
static int transact(struct nlmsghdr *nlh, uint16_t *fam)
{
	static char rb[16384];
	int n;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		const struct nlmsghdr *m;

		n = (int)mnl_socket_recvfrom(nl, rb, sizeof(rb));
		if (n < 0)
			return -errno;
		for (m = (const struct nlmsghdr *)rb; mnl_nlmsg_ok(m, n);
		     m = mnl_nlmsg_next(m, &n)) {
			if (m->nlmsg_type == NLMSG_ERROR)
				return ((const struct nlmsgerr *)mnl_nlmsg_get_payload(m))->error;
			if (fam) {
				const struct nlattr *a;

				mnl_attr_for_each(a, m, GENL_HDRLEN)
					if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
						*fam = mnl_attr_get_u16(a);
			}
		}
	}
}

static void put_port(struct nlmsghdr *nlh, uint32_t id, uint32_t ifx, int maclen)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	struct nlattr *n = mnl_attr_nest_start(nlh, FKM_A_PORT);

	mnl_attr_put_u32(nlh, FKM_PA_ID, id);
	mnl_attr_put_u32(nlh, FKM_PA_IFINDEX, ifx);
	if (maclen)
		mnl_attr_put(nlh, FKM_PA_MAC, (size_t)maclen, mac);
	mnl_attr_nest_end(nlh, n);
}

static struct nlmsghdr *build(char *buf, enum bad b)
{
	struct nlmsghdr *nlh = hdr(buf, family, FKM_CMD_SET_TABLE);
	struct fwd_nexthop nh[2] = {
		{ .kind = FWD_NH_LOCAL },
		{ .kind = FWD_NH_FORWARD, .port = 0, .mtu = 1500 },
	};
	struct fkm_route rt[2] = {
		{ .prefix = 0x0a000000u, .len = 8, .nh = 1 },
		{ .prefix = 0xc6120001u, .len = 32, .nh = 0 },
	};
	static struct fkm_route many[FKM_MAX_ROUTES + 1];
	uint32_t i;

	if (b == NO_ATTRS)
		return nlh;
	put_port(nlh, b == PORT_ID_16 ? 16 : 0, b == PORT_NO_IF ? 999999 : ifindex,
		 b == PORT_NO_MAC ? 0 : b == PORT_MAC_5 ? 5 : 6);
	if (b == PORT_DUP_ID)
		put_port(nlh, 0, ifindex, 6);
	if (b == PORT_DUP_IF)
		put_port(nlh, 1, ifindex, 6);
	if (b == NH_KIND)
		nh[1].kind = 7;
	if (b == NH_PORT)
		nh[1].port = 3;
	if (b != NO_NH)
		mnl_attr_put(nlh, FKM_A_NEXTHOPS, b == NH_15B ? 15 : b == NH_EMPTY ? 0 : sizeof(nh), nh);
	if (b == NH_TWICE)
		mnl_attr_put(nlh, FKM_A_NEXTHOPS, sizeof(nh), nh);
	if (b == RT_LEN33)
		rt[0].len = 33;
	if (b == RT_HOSTBITS)
		rt[0].prefix |= 1;
	if (b == RT_NH)
		rt[0].nh = 5;
	if (b == RT_DUP)
		rt[1] = rt[0];
	if (b == RT_PAD)
		rt[0].pad = 1;
	mnl_attr_put(nlh, FKM_A_ROUTES, b == RT_7B ? 7 : sizeof(rt), rt);
	if (b == UNKNOWN_ATTR)
		mnl_attr_put_u32(nlh, 99, 1);
	if (b == TOO_MANY_ROUTES) {
		for (i = 0; i < FKM_MAX_ROUTES + 1; i++)
			many[i] = (struct fkm_route){ .prefix = i << 8, .len = 24, .nh = 1 };
		for (i = 0; i < FKM_MAX_ROUTES + 1; i += 8000) {
			uint32_t n = FKM_MAX_ROUTES + 1 - i < 8000 ? FKM_MAX_ROUTES + 1 - i : 8000;

			mnl_attr_put(nlh, FKM_A_ROUTES, n * sizeof(many[0]), many + i);
		}
	}
	return nlh;
}

static unsigned int rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

/* Random attributes and lengths: anything may be refused, nothing may crash. */
static void garbage(char *buf, int rounds)
{
	int r, k;

	for (r = 0; r < rounds; r++) {
		struct nlmsghdr *nlh = hdr(buf, family, (uint8_t)(rnd() % 5));
		int nattr = (int)(rnd() % 6);
		uint8_t junk[256];

		for (k = 0; k < (int)sizeof(junk); k++)
			junk[k] = (uint8_t)rnd();
		for (k = 0; k < nattr; k++)
			mnl_attr_put(nlh, (uint16_t)(rnd() % 12), rnd() % sizeof(junk), junk);
		if (rnd() % 4 == 0) /* an attribute claiming more than the message */
			((struct nlattr *)((char *)nlh + GENL_HDRLEN + NLMSG_HDRLEN))->nla_len = 0xfff0;
		transact(nlh, NULL);
	}
}

int main(int argc, char **argv)
{
	char *buf = calloc(1, BUFSZ);
	struct nlmsghdr *nlh;
	int one = 1, size = 4 << 20, b, rc;

	if (argc != 2 || !buf) {
		fprintf(stderr, "usage: fkm-nlbad IFNAME\n");
		return 2;
	}
	ifindex = if_nametoindex(argv[1]);
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!ifindex || !nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "fkm-nlbad: %s / netlink: %s\n", argv[1], strerror(errno));
		return 1;
	}
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size));
	nlh = hdr(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, FKM_GENL_NAME);
	if (transact(nlh, &family) || !family) {
		fprintf(stderr, "fkm-nlbad: family %s not found\n", FKM_GENL_NAME);
		return 1;
	}
	for (b = 1; b < N_BAD; b++) {
		memset(buf, 0, BUFSZ);
		rc = transact(build(buf, (enum bad)b), NULL);
		if (rc >= 0) {
			printf("FAIL %s: accepted\n", names[b]);
			failures++;
		} else {
			printf("ok %s: %s\n", names[b], strerror(-rc));
		}
	}
	memset(buf, 0, BUFSZ);
	rc = transact(build(buf, OK), NULL);
	if (rc) {
		printf("FAIL valid table refused: %s\n", strerror(-rc));
		failures++;
	}
	garbage(buf, 300);
	rc = transact(hdr(buf, family, FKM_CMD_CLEAR), NULL);
	if (rc && rc != -ENOENT) {
		printf("FAIL clear: %s\n", strerror(-rc));
		failures++;
	}
	printf("%d bad requests refused, valid accepted, 300 random requests survived, %d failures\n",
	       N_BAD - 1 - failures, failures);
	mnl_socket_close(nl);
	free(buf);
	return failures ? 1 : 0;
}
