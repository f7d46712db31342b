// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd-xdp-unit - table-driven BPF_PROG_RUN test of the XDP forwarder (the
 * kernel selftests' prog_tests/fib_lookup.c style): each row is a crafted
 * frame, the reason and XDP action the program must give, and for forwarded
 * frames the exact rewrite (TTL - 1, RFC 1624 checksum, MACs, nothing else).
 * Exit 0 = all rows pass, 1 = a row failed, 77 = BPF not permitted here.
 *
 *   fwd-xdp-unit            the LPM-trie program (fwd_xdp_lpm)
 *   fwd-xdp-unit dir        the same rows through fwd_xdp_dir (DIR-16-8-8)
 *   fwd-xdp-unit fib        the same rows through fwd_xdp_fib: needs the
 *                           interfaces in0 and out1 (with the ports' MACs)
 *                           in this namespace; installs the route file into
 *                           its FIB (tests/unit_fib.sh sets this up)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "fwd_xdp_fib.h"
#include "fwd_xdp_maps.h"
#include "fwd_xdp_testrun.h"

static const char routes[] =
	"port 0 name in0 mac 02:00:00:00:00:10 addr 198.18.0.1/24\n"
	"port 1 name out1 mac 02:00:00:00:00:11 addr 198.19.0.1/24 mtu 1000\n"
	"neigh 198.19.0.2 mac 02:00:00:00:01:02 port 1\n"
	"route 203.0.113.0/24 via 198.19.0.2\n"
	"route 203.0.113.128/25 via 198.19.0.9\n"
	"route 100.64.0.0/10 via 198.19.0.2\n";

static const uint8_t port0_mac[6] = { 2, 0, 0, 0, 0, 0x10 };
static const uint8_t port1_mac[6] = { 2, 0, 0, 0, 0, 0x11 };
static const uint8_t nb_mac[6] = { 2, 0, 0, 0, 1, 2 };

enum mut { M_NONE, M_BAD_CSUM, M_ARP, M_OTHER_MAC, M_BCAST_MAC, M_OPTIONS,
	   M_TRUNC_IP };

struct row {
	const char *desc;
	const char *src, *dst;
	int ttl;
	int len;        /* frame bytes (no FCS), 60..16384 */
	enum mut mut;
	enum fwd_reason reason;
};

static const struct row rows[] = {
	{ "route via neighbour", "198.18.0.2", "203.0.113.5", 64, 60, M_NONE, FWD_FORWARD },
	{ "TTL 2 still forwarded", "198.18.0.2", "203.0.113.5", 2, 60, M_NONE, FWD_FORWARD },
	{ "connected /32 neighbour", "198.18.0.2", "198.19.0.2", 64, 60, M_NONE, FWD_FORWARD },
	{ "second route, same next hop", "198.18.0.2", "100.100.1.1", 64, 60, M_NONE, FWD_FORWARD },
	{ "longer prefix wins: /25 via unknown MAC", "198.18.0.2", "203.0.113.200", 64, 60, M_NONE, FWD_PUNT_NO_NEIGH },
	{ "connected subnet, no neighbour", "198.18.0.2", "198.19.0.77", 64, 60, M_NONE, FWD_PUNT_NO_NEIGH },
	{ "no route", "198.18.0.2", "8.8.8.8", 64, 60, M_NONE, FWD_PUNT_NO_ROUTE },
	{ "router's own address", "198.18.0.2", "198.18.0.1", 64, 60, M_NONE, FWD_PUNT_LOCAL },
	{ "subnet broadcast", "198.18.0.2", "198.19.0.255", 64, 60, M_NONE, FWD_PUNT_LOCAL },
	{ "IP multicast", "198.18.0.2", "224.0.0.5", 64, 60, M_NONE, FWD_PUNT_LOCAL },
	{ "TTL 1", "198.18.0.2", "203.0.113.5", 1, 60, M_NONE, FWD_PUNT_TTL },
	{ "TTL 0", "198.18.0.2", "203.0.113.5", 0, 60, M_NONE, FWD_PUNT_TTL },
	{ "IP options", "198.18.0.2", "203.0.113.5", 64, 60, M_OPTIONS, FWD_PUNT_OPTIONS },
	{ "larger than egress MTU", "198.18.0.2", "203.0.113.5", 64, 1100, M_NONE, FWD_PUNT_MTU },
	{ "exactly the egress MTU", "198.18.0.2", "203.0.113.5", 64, 1014, M_NONE, FWD_FORWARD },
	/* Longer than one XDP buffer (3520 bytes): first buffer + fragments;
	 * the length checks must see the whole frame (bpf_xdp_get_buff_len). */
	{ "4000 B, multi-buffer: mtu by whole length", "198.18.0.2", "203.0.113.5", 64, 4000, M_NONE, FWD_PUNT_MTU },
	{ "4000 B, multi-buffer, total length past it", "198.18.0.2", "203.0.113.5", 64, 4000, M_TRUNC_IP, FWD_DROP_MALFORMED },
	{ "bad header checksum", "198.18.0.2", "203.0.113.5", 64, 60, M_BAD_CSUM, FWD_DROP_MALFORMED },
	{ "total length past the frame", "198.18.0.2", "203.0.113.5", 64, 60, M_TRUNC_IP, FWD_DROP_MALFORMED },
	{ "martian source 127/8", "127.0.0.1", "203.0.113.5", 64, 60, M_NONE, FWD_DROP_MARTIAN },
	{ "unicast to another MAC", "198.18.0.2", "203.0.113.5", 64, 60, M_OTHER_MAC, FWD_DROP_NOT_FOR_US },
	{ "L2 broadcast", "198.18.0.2", "203.0.113.5", 64, 60, M_BCAST_MAC, FWD_PUNT_L2_MULTICAST },
	{ "ARP", "198.18.0.2", "203.0.113.5", 64, 60, M_ARP, FWD_PUNT_NOT_IPV4 },
};

static uint16_t ip_csum(const uint8_t *h, int n)
{
	uint32_t s = 0;
	int i;

	for (i = 0; i < n; i += 2)
		s += (uint32_t)h[i] << 8 | h[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Ethernet + IPv4 (+ 4 option bytes) + zero payload, checksum valid. */
static int build(const struct row *r, uint8_t *f)
{
	uint32_t s, d;
	int ihl = r->mut == M_OPTIONS ? 6 : 5, tot = r->len - 14;
	uint8_t *ip = f + 14;
	uint16_t c;

	memset(f, 0, (size_t)r->len);
	memcpy(f, r->mut == M_OTHER_MAC ? nb_mac : port0_mac, 6);
	if (r->mut == M_BCAST_MAC)
		memset(f, 0xff, 6);
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x99", 6);
	f[12] = r->mut == M_ARP ? 0x08 : 0x08;
	f[13] = r->mut == M_ARP ? 0x06 : 0x00;
	fwd_parse_ipv4(r->src, &s);
	fwd_parse_ipv4(r->dst, &d);
	ip[0] = (uint8_t)(0x40 | ihl);
	if (r->mut == M_TRUNC_IP)
		tot = r->len - 14 + 1;
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[4] = 0x12; ip[5] = 0x34;
	ip[8] = (uint8_t)r->ttl;
	ip[9] = 17; /* UDP */
	for (int i = 0; i < 4; i++) {
		ip[12 + i] = (uint8_t)(s >> (24 - 8 * i));
		ip[16 + i] = (uint8_t)(d >> (24 - 8 * i));
	}
	if (ihl == 6)
		ip[20] = 1; /* NOP option */
	c = ip_csum(ip, ihl * 4);
	if (r->mut == M_BAD_CSUM)
		c ^= 0x0101;
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	return r->len;
}

/* The only bytes a forward may change: MACs, TTL, checksum. */
static const char *check_rewrite(const struct row *r, const uint8_t *in,
				 const uint8_t *out, uint32_t out_len)
{
	if (out_len != (uint32_t)r->len)
		return "length changed";
	if (memcmp(out, nb_mac, 6) || memcmp(out + 6, port1_mac, 6))
		return "MACs not rewritten to the neighbour / egress port";
	if (out[14 + 8] != r->ttl - 1)
		return "TTL not decremented by one";
	if (ip_csum(out + 14, 20) != 0)
		return "IPv4 header checksum wrong after the rewrite";
	for (int i = 12; i < r->len; i++)
		if (i != 14 + 8 && i != 14 + 10 && i != 14 + 11 && in[i] != out[i])
			return "a byte other than MACs, TTL, checksum changed";
	return NULL;
}

/*
 * All rows through the program loaded multi-buffer (@frags 1), or the rows
 * that fit one buffer through it loaded single-buffer (@frags 0: longer
 * frames never reach a single-buffer program). Returns the failures.
 */
static int run_rows(const struct fwd_table *t, enum fwd_xdp_prog which,
		    int frags)
{
	static uint8_t in[16384], out[16384 + 4096];
	uint64_t expect[FWD_REASON_MAX] = { 0 };
	struct fwd_xdp_tr tr = { 0 };
	struct fwd_xdp_tr_res res;
	struct fwd_stats st;
	const char *why, *mode = frags ? "multi-buffer " : "single-buffer";
	char err[512];
	size_t i;
	int fails = 0, rc;

	rc = fwd_xdp_tr_open(&tr, t, 0, which, frags, err, sizeof(err));
	if (rc) {
		printf("fwd-xdp-unit: %s%s\n", err, rc == FWD_XDP_TR_SKIP ? ": skipped" : "");
		return rc == FWD_XDP_TR_SKIP ? -77 : 1;
	}
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		int len;

		if (!frags && r->len > FWD_XDP_SINGLE_BUFFER_MTU + 14)
			continue;
		len = build(r, in);
		expect[r->reason]++;
		why = NULL;
		if (fwd_xdp_tr_run(&tr, in, (uint32_t)len, out, sizeof(out), &res,
				   err, sizeof(err)))
			why = err;
		else if (res.reason != r->reason)
			why = fwd_reason_name(res.reason);
		else if (r->reason == FWD_FORWARD && res.port != 1)
			why = "wrong egress port";
		else if (r->reason == FWD_FORWARD)
			why = check_rewrite(r, in, out, res.out_len);
		else if (res.out_len != (uint32_t)len || memcmp(in, out, (size_t)len))
			why = "frame modified although not forwarded";
		printf("%s %s %s %2zu %-42s expect %-12s%s%s\n", why ? "FAIL" : "ok  ",
		       fwd_xdp_prog_name(which), mode, i, r->desc,
		       fwd_reason_name(r->reason), why ? " got: " : "", why ? why : "");
		fails += why != NULL;
	}
	if (fwd_xdp_read_stats(tr.skel, &st)) {
		printf("FAIL reading counters\n");
		fails++;
	} else {
		for (i = 0; i < FWD_REASON_MAX; i++) {
			if (st.reason[i] != expect[i]) {
				printf("FAIL %s counter %s: %llu, expected %llu\n", mode,
				       fwd_reason_name((int)i),
				       (unsigned long long)st.reason[i],
				       (unsigned long long)expect[i]);
				fails++;
			}
		}
		printf("%s %s counters: ", fails ? "FAIL" : "ok  ", mode);
		fwd_stats_print(stdout, &st);
	}
	fwd_xdp_tr_close(&tr);
	return fails;
}

int main(int argc, char **argv)
{
	struct fwd_table *t = calloc(1, sizeof(*t));
	char err[512];
	FILE *f;
	int fails, rc, fib = argc > 1 && !strcmp(argv[1], "fib");
	enum fwd_xdp_prog which = fib ? FWD_XDP_PROG_FIB : FWD_XDP_PROG_LPM;

	if (argc > 1 && !strcmp(argv[1], "dir"))
		which = FWD_XDP_PROG_DIR;
	else if (argc > 2 || (argc == 2 && !fib)) {
		fprintf(stderr, "usage: fwd-xdp-unit [fib|dir]\n");
		return 2;
	}

	libbpf_set_print(fwd_xdp_libbpf_print);
	f = fmemopen((void *)routes, sizeof(routes) - 1, "r");
	if (!t || !f || fwd_table_parse(f, "unit-routes", t, err, sizeof(err))) {
		fprintf(stderr, "fwd-xdp-unit: route table: %s\n", t && f ? err : "no memory");
		return 1;
	}
	fclose(f);
	if (fib && fwd_xdp_fib_install(t, err, sizeof(err))) {
		fprintf(stderr, "fwd-xdp-unit: %s\n", err);
		return 1;
	}
	fails = run_rows(t, which, 1);
	if (fails == -77) {
		free(t);
		return 77;
	}
	rc = run_rows(t, which, 0);
	fails += rc < 0 ? 1 : rc;
	free(t);
	return fails ? 1 : 0;
}
