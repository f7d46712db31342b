// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_core - the shared forwarding core (paths/common/fwd_core.h) on
 * crafted byte arrays, no privileges:
 *
 *  1. every verdict row of fwd_parse()/fwd_decide() as a table of
 *     {description, next hop or NULL, expected reason, frame spec (with
 *     the ingress MAC)}
 *     (the Linux BPF selftests' style); a non-FORWARD verdict must leave the
 *     frame untouched, a FORWARD is rewritten and compared byte for byte
 *     with an expectation built here, independently of the core;
 *  2. fwd_rewrite() on one literal frame: the exact output bytes;
 *  3. the RFC 1624 incremental checksum against a full RFC 1071
 *     recomputation over many random valid headers (checksum fields 0x0000
 *     and 0xFFFF included, TTL 2..255), never 0xFFFF for a non-zero header;
 *  4. the martian helpers on every range boundary;
 *  5. fwd_parse_len() (fast path + full checks) against fwd_parse_full()
 *     (the checks in order, nothing skipped) on random frames: mutations
 *     of a forwardable frame in the bytes and address octets the fast
 *     path reads, every frame length 0..74, padding, multi-buffer lengths:
 *     the same reason and, for FORWARD, the same struct fwd_pkt.
 */
#include "fwd_core.h"
#include "test_util.h"

static const uint8_t in_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t other_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t other_mac0[6] = { 0x12, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mcast_mac[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x05 };
static const uint8_t ig_mac[6] = { 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 };

/* Next hops as an LPM would return them. */
static const struct fwd_nexthop nh_fwd = {
	.kind = FWD_NH_FORWARD, .port = 1, .mtu = 1500,
	.dmac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b },
	.smac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 },
};
static const struct fwd_nexthop nh_mtu100 = {
	.kind = FWD_NH_FORWARD, .port = 3, .mtu = 100,
	.dmac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x3b },
	.smac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x04 },
};
static const struct fwd_nexthop nh_local = { .kind = FWD_NH_LOCAL };
static const struct fwd_nexthop nh_noneigh = {
	.kind = FWD_NH_NO_NEIGH, .port = 1, .mtu = 1500,
	.smac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 },
};

struct row {
	const char *desc;
	struct frame_spec f;
	const struct fwd_nexthop *nh; /* the lookup result, NULL = no route */
	enum fwd_reason want;
};

#define ROW(d, nhp, w, ...) { d, { __VA_ARGS__ }, nhp, w }

static const struct row rows[] = {
	/* 1. malformed (RFC 1812 5.2.2), checked first */
	ROW("IPv4 frame of 33 bytes", &nh_fwd, FWD_DROP_MALFORMED, .cut = SET(33)),
	ROW("frame of 14 bytes (Ethernet only)", &nh_fwd, FWD_DROP_MALFORMED, .cut = SET(14)),
	ROW("empty frame", &nh_fwd, FWD_DROP_MALFORMED, .cut = SET(0)),
	ROW("ARP frame of 33 bytes", &nh_fwd, FWD_DROP_MALFORMED, .type = SET(0x0806), .cut = SET(33)),
	ROW("IPv4 frame of exactly 34 bytes, header only", &nh_fwd, FWD_FORWARD, .size = SET(34)),
	ROW("version 6 in an IPv4 ethertype", &nh_fwd, FWD_DROP_MALFORMED, .ver_ihl = SET(0x65)),
	ROW("version 0", &nh_fwd, FWD_DROP_MALFORMED, .ver_ihl = SET(0x05)),
	ROW("IHL 4", &nh_fwd, FWD_DROP_MALFORMED, .ver_ihl = SET(0x44)),
	ROW("IHL 0", &nh_fwd, FWD_DROP_MALFORMED, .ver_ihl = SET(0x40)),
	ROW("bad header checksum", &nh_fwd, FWD_DROP_MALFORMED, .csum = 1),
	ROW("checksum left 0", &nh_fwd, FWD_DROP_MALFORMED, .csum = 2),
	ROW("bad checksum with TTL 1", &nh_fwd, FWD_DROP_MALFORMED, .csum = 1, .ttl = SET(1)),
	ROW("bad checksum with options", &nh_fwd, FWD_DROP_MALFORMED, .csum = 1, .opt_words = SET(1)),
	ROW("total length 19 < IHL*4", &nh_fwd, FWD_DROP_MALFORMED, .tot_len = SET(19)),
	ROW("total length 0", &nh_fwd, FWD_DROP_MALFORMED, .tot_len = SET(0)),
	ROW("total length 23 < IHL*4 = 24", &nh_fwd, FWD_DROP_MALFORMED, .opt_words = SET(1), .tot_len = SET(23)),
	ROW("total length = IHL*4 (header only)", &nh_fwd, FWD_FORWARD, .tot_len = SET(20)),
	ROW("total length frame-14+1", &nh_fwd, FWD_DROP_MALFORMED, .tot_len = SET(51)),
	ROW("total length 0xFFFF", &nh_fwd, FWD_DROP_MALFORMED, .tot_len = SET(0xffff)),
	ROW("frame cut after the IP header", &nh_fwd, FWD_DROP_MALFORMED, .cut = SET(40)),
	ROW("IHL 15 in a 40-byte frame", &nh_fwd, FWD_DROP_MALFORMED, .ver_ihl = SET(0x4f), .tot_len = SET(26), .size = SET(40)),
	ROW("malformed and for another MAC", &nh_fwd, FWD_DROP_MALFORMED, .csum = 1, .dmac = other_mac),
	ROW("malformed and L2 broadcast", &nh_fwd, FWD_DROP_MALFORMED, .csum = 1, .dmac = bcast_mac),
	ROW("malformed and martian source", &nh_fwd, FWD_DROP_MALFORMED, .csum = 1, .saddr = SET(IP4(127, 0, 0, 1))),
	/* 2. not for us */
	ROW("unicast to another MAC (last byte)", &nh_fwd, FWD_DROP_NOT_FOR_US, .dmac = other_mac),
	ROW("unicast to another MAC (first byte)", &nh_fwd, FWD_DROP_NOT_FOR_US, .dmac = other_mac0),
	ROW("ARP to another unicast MAC", &nh_fwd, FWD_DROP_NOT_FOR_US, .type = SET(0x0806), .dmac = other_mac),
	ROW("IPv6 to another unicast MAC", &nh_fwd, FWD_DROP_NOT_FOR_US, .type = SET(0x86dd), .dmac = other_mac),
	ROW("to port 0's MAC, received on another port", &nh_fwd, FWD_DROP_NOT_FOR_US, .ingress = other_mac, .dmac = in_mac),
	ROW("not for us beats TTL 1", &nh_fwd, FWD_DROP_NOT_FOR_US, .dmac = other_mac, .ttl = SET(1)),
	ROW("not for us beats a martian source", &nh_fwd, FWD_DROP_NOT_FOR_US, .dmac = other_mac, .saddr = SET(0)),
	/* 3. not IPv4 */
	ROW("ARP broadcast", &nh_fwd, FWD_PUNT_NOT_IPV4, .type = SET(0x0806), .dmac = bcast_mac, .size = SET(42)),
	ROW("ARP to us", &nh_fwd, FWD_PUNT_NOT_IPV4, .type = SET(0x0806), .size = SET(42)),
	ROW("IPv6 to us", &nh_fwd, FWD_PUNT_NOT_IPV4, .type = SET(0x86dd)),
	ROW("IPv6 multicast", &nh_fwd, FWD_PUNT_NOT_IPV4, .type = SET(0x86dd), .dmac = mcast_mac),
	ROW("802.1Q tag", &nh_fwd, FWD_PUNT_NOT_IPV4, .type = SET(0x8100)),
	ROW("802.1ad tag", &nh_fwd, FWD_PUNT_NOT_IPV4, .type = SET(0x88a8)),
	ROW("ethertype 0x0801", &nh_fwd, FWD_PUNT_NOT_IPV4, .type = SET(0x0801)),
	ROW("non-IPv4 with a garbage 'IP header'", &nh_fwd, FWD_PUNT_NOT_IPV4, .type = SET(0x88b5), .ver_ihl = SET(0x00), .csum = 1),
	/* 4. L2 broadcast / multicast */
	ROW("IPv4 to L2 broadcast", &nh_fwd, FWD_PUNT_L2_MULTICAST, .dmac = bcast_mac),
	ROW("IPv4 to L2 multicast", &nh_fwd, FWD_PUNT_L2_MULTICAST, .dmac = mcast_mac),
	ROW("IPv4 to our MAC with the I/G bit set", &nh_fwd, FWD_PUNT_L2_MULTICAST, .dmac = ig_mac),
	ROW("L2 multicast beats a martian source", &nh_fwd, FWD_PUNT_L2_MULTICAST, .dmac = bcast_mac, .saddr = SET(0)),
	ROW("L2 multicast beats TTL 0", &nh_fwd, FWD_PUNT_L2_MULTICAST, .dmac = mcast_mac, .ttl = SET(0)),
	/* 5. martian source / destination (RFC 1812 5.3.7) */
	ROW("source 0.0.0.0", &nh_fwd, FWD_DROP_MARTIAN, .saddr = SET(0)),
	ROW("source 0.255.255.255", &nh_fwd, FWD_DROP_MARTIAN, .saddr = SET(IP4(0, 255, 255, 255))),
	ROW("source 127.0.0.1", &nh_fwd, FWD_DROP_MARTIAN, .saddr = SET(IP4(127, 0, 0, 1))),
	ROW("source 224.0.0.1", &nh_fwd, FWD_DROP_MARTIAN, .saddr = SET(IP4(224, 0, 0, 1))),
	ROW("source 239.255.255.255", &nh_fwd, FWD_DROP_MARTIAN, .saddr = SET(IP4(239, 255, 255, 255))),
	ROW("source 240.0.0.1", &nh_fwd, FWD_DROP_MARTIAN, .saddr = SET(IP4(240, 0, 0, 1))),
	ROW("source 255.255.255.255", &nh_fwd, FWD_DROP_MARTIAN, .saddr = SET(0xffffffff)),
	ROW("source 169.254.1.1", &nh_fwd, FWD_DROP_MARTIAN, .saddr = SET(IP4(169, 254, 1, 1))),
	ROW("destination 0.0.0.1", &nh_fwd, FWD_DROP_MARTIAN, .daddr = SET(1)),
	ROW("destination 127.255.255.255", &nh_fwd, FWD_DROP_MARTIAN, .daddr = SET(IP4(127, 255, 255, 255))),
	ROW("destination 240.0.0.0", &nh_fwd, FWD_DROP_MARTIAN, .daddr = SET(IP4(240, 0, 0, 0))),
	ROW("destination 255.255.255.254", &nh_fwd, FWD_DROP_MARTIAN, .daddr = SET(0xfffffffe)),
	ROW("destination 169.254.255.255", &nh_fwd, FWD_DROP_MARTIAN, .daddr = SET(IP4(169, 254, 255, 255))),
	ROW("martian beats TTL 1", &nh_fwd, FWD_DROP_MARTIAN, .saddr = SET(IP4(127, 0, 0, 1)), .ttl = SET(1)),
	ROW("martian beats options", &nh_fwd, FWD_DROP_MARTIAN, .daddr = SET(IP4(127, 0, 0, 1)), .opt_words = SET(2)),
	ROW("martian beats a local next hop", &nh_local, FWD_DROP_MARTIAN, .saddr = SET(IP4(169, 254, 0, 0))),
	/* 6. local: limited broadcast, 224/4, router addresses (LOCAL next hop) */
	ROW("destination 255.255.255.255", NULL, FWD_PUNT_LOCAL, .daddr = SET(0xffffffff)),
	ROW("destination 224.0.0.5", NULL, FWD_PUNT_LOCAL, .daddr = SET(IP4(224, 0, 0, 5))),
	ROW("destination 239.255.255.255", &nh_fwd, FWD_PUNT_LOCAL, .daddr = SET(IP4(239, 255, 255, 255))),
	ROW("multicast destination with TTL 1", &nh_fwd, FWD_PUNT_LOCAL, .daddr = SET(IP4(224, 0, 0, 1)), .ttl = SET(1)),
	ROW("LOCAL next hop (router address)", &nh_local, FWD_PUNT_LOCAL, .daddr = SET(IP4(198, 18, 0, 1))),
	ROW("LOCAL next hop beats TTL 1", &nh_local, FWD_PUNT_LOCAL, .ttl = SET(1)),
	ROW("LOCAL next hop beats TTL 0", &nh_local, FWD_PUNT_LOCAL, .ttl = SET(0)),
	ROW("LOCAL next hop beats options", &nh_local, FWD_PUNT_LOCAL, .opt_words = SET(1)),
	/* 7. TTL (RFC 1812 5.3.1) */
	ROW("TTL 1", &nh_fwd, FWD_PUNT_TTL, .ttl = SET(1)),
	ROW("TTL 0", &nh_fwd, FWD_PUNT_TTL, .ttl = SET(0)),
	ROW("TTL 1 beats options", &nh_fwd, FWD_PUNT_TTL, .ttl = SET(1), .opt_words = SET(1)),
	ROW("TTL 1 beats no route", NULL, FWD_PUNT_TTL, .ttl = SET(1)),
	ROW("TTL 1 beats no neighbour", &nh_noneigh, FWD_PUNT_TTL, .ttl = SET(1)),
	ROW("TTL 1 beats MTU", &nh_mtu100, FWD_PUNT_TTL, .ttl = SET(1), .size = SET(200)),
	/* 8. options */
	ROW("IHL 6 (one option word)", &nh_fwd, FWD_PUNT_OPTIONS, .opt_words = SET(1)),
	ROW("IHL 15 (40 bytes of options)", &nh_fwd, FWD_PUNT_OPTIONS, .opt_words = SET(10), .size = SET(100)),
	ROW("options beat no route", NULL, FWD_PUNT_OPTIONS, .opt_words = SET(1)),
	ROW("options beat no neighbour", &nh_noneigh, FWD_PUNT_OPTIONS, .opt_words = SET(1)),
	/* 9.-11. no route, no neighbour, MTU */
	ROW("no route", NULL, FWD_PUNT_NO_ROUTE),
	ROW("no route with a big frame", NULL, FWD_PUNT_NO_ROUTE, .size = SET(1600)),
	ROW("next hop without a MAC", &nh_noneigh, FWD_PUNT_NO_NEIGH),
	ROW("no neighbour beats MTU", &nh_noneigh, FWD_PUNT_NO_NEIGH, .size = SET(1600)),
	ROW("frame = MTU + 15 bytes", &nh_mtu100, FWD_PUNT_MTU, .size = SET(115)),
	ROW("frame = MTU + 14 bytes", &nh_mtu100, FWD_FORWARD, .size = SET(114)),
	ROW("1515-byte frame, MTU 1500", &nh_fwd, FWD_PUNT_MTU, .size = SET(1515)),
	ROW("1514-byte frame, MTU 1500", &nh_fwd, FWD_FORWARD, .size = SET(1514)),
	ROW("padding counts toward the MTU check", &nh_mtu100, FWD_PUNT_MTU, .size = SET(115), .tot_len = SET(46)),
	/* 12. forward */
	ROW("64-byte UDP", &nh_fwd, FWD_FORWARD),
	ROW("64-byte UDP on another ingress port", &nh_fwd, FWD_FORWARD, .ingress = other_mac),
	ROW("TTL 2", &nh_fwd, FWD_FORWARD, .ttl = SET(2)),
	ROW("TTL 255", &nh_fwd, FWD_FORWARD, .ttl = SET(255)),
	ROW("first fragment (MF)", &nh_fwd, FWD_FORWARD, .frag = SET(0x2000)),
	ROW("non-first fragment (offset 185)", &nh_fwd, FWD_FORWARD, .frag = SET(0x00b9)),
	ROW("last fragment, no L4 header", &nh_fwd, FWD_FORWARD, .frag = SET(0x0010), .proto = SET(6), .size = SET(38)),
	ROW("Ethernet padding past total length kept", &nh_fwd, FWD_FORWARD, .tot_len = SET(28)),
	ROW("source 1.0.0.0 (not martian)", &nh_fwd, FWD_FORWARD, .saddr = SET(IP4(1, 0, 0, 0))),
	ROW("source 126.255.255.255", &nh_fwd, FWD_FORWARD, .saddr = SET(IP4(126, 255, 255, 255))),
	ROW("source 223.255.255.255", &nh_fwd, FWD_FORWARD, .saddr = SET(IP4(223, 255, 255, 255))),
	ROW("source 169.253.255.255", &nh_fwd, FWD_FORWARD, .saddr = SET(IP4(169, 253, 255, 255))),
	ROW("destination 223.255.255.255", &nh_fwd, FWD_FORWARD, .daddr = SET(IP4(223, 255, 255, 255))),
	ROW("destination 128.0.0.0", &nh_fwd, FWD_FORWARD, .daddr = SET(IP4(128, 0, 0, 0))),
	ROW("destination 169.255.0.0", &nh_fwd, FWD_FORWARD, .daddr = SET(IP4(169, 255, 0, 0))),
	ROW("protocol 0, TOS and id kept", &nh_fwd, FWD_FORWARD, .proto = SET(0)),
	ROW("egress port 3, MTU 100", &nh_mtu100, FWD_FORWARD),
};

/* What a forwarded frame must look like, built without the core. */
static void expect_forwarded(uint8_t *exp, const uint8_t *in, size_t len,
			     const struct fwd_nexthop *nh)
{
	unsigned int hlen = (in[OFF_VER_IHL] & 15) * 4;

	memcpy(exp, in, len);
	memcpy(exp + OFF_DMAC, nh->dmac, 6);
	memcpy(exp + OFF_SMAC, nh->smac, 6);
	exp[OFF_TTL]--;
	test_put16(exp + OFF_CSUM, test_ip_csum(exp + OFF_IP, hlen));
}

/* Index of the first differing byte, or -1. */
static long first_diff(const uint8_t *a, const uint8_t *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (a[i] != b[i])
			return (long)i;
	return -1;
}

static const char *reason_str(enum fwd_reason r)
{
#define X_STR(e, name, kind) name,
	static const char *const names[] = { FWD_REASONS(X_STR) };
#undef X_STR
	return (unsigned int)r < FWD_REASON_MAX ? names[r] : "?";
}

/*
 * One row: parse, then (as every path does) decide with the row's next hop
 * and rewrite. The frame lives in a heap buffer of exactly its length so a
 * read past data_end is caught by ASan/valgrind.
 */
static void run_row(const struct row *r)
{
	static uint8_t buf[2048], orig[2048], exp[2048];
	const uint8_t *mac = r->f.ingress ? r->f.ingress : in_mac;
	size_t len = test_build(buf, &r->f, mac);
	uint8_t *frame = malloc(len ? len : 1);
	struct fwd_pkt p;
	enum fwd_reason got;

	if (!frame) {
		CHECK(0, "out of memory");
		return;
	}
	memcpy(frame, buf, len);
	memcpy(orig, buf, len);
	got = fwd_parse(frame, frame + len, mac, &p);
	if (got == FWD_FORWARD) {
		CHECK(p.frame_len == len, "%s: frame_len %u, want %zu", r->desc, p.frame_len, len);
		CHECK((uint8_t *)p.eth == frame && (uint8_t *)p.ip == frame + OFF_IP,
		      "%s: header pointers", r->desc);
		CHECK(memcmp(&p.daddr, frame + OFF_DADDR, 4) == 0, "%s: daddr", r->desc);
		got = fwd_decide(&p, r->nh);
	}
	CHECK(got == r->want, "%s: got %s, want %s", r->desc, reason_str(got), reason_str(r->want));
	if (got != FWD_FORWARD) {
		CHECK(fwd_verdict(got) != FWD_V_FORWARD, "%s: kind", r->desc);
		CHECK(memcmp(frame, orig, len) == 0, "%s: %s modified the frame at byte %ld",
		      r->desc, reason_str(got), first_diff(frame, orig, len));
	} else if (r->nh) {
		fwd_rewrite(&p, r->nh);
		expect_forwarded(exp, orig, len, r->nh);
		CHECK(memcmp(frame, exp, len) == 0, "%s: rewritten frame differs at byte %ld",
		      r->desc, first_diff(frame, exp, len));
		CHECK(test_ip_csum_ok(frame + OFF_IP, 20), "%s: rewritten header fails its checksum", r->desc);
	}
	free(frame);
}

/* fwd_rewrite() on a literal frame: the exact bytes out. */
static void test_rewrite_literal(void)
{
	uint8_t frame[64] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* dst MAC: ingress port */
		0x02, 0x00, 0x00, 0x00, 0x00, 0xaa, /* src MAC: sender */
		0x08, 0x00,                         /* ethertype IPv4 */
		0x45, 0x00, 0x00, 0x32,             /* version 4, IHL 5, TOS 0, total length 50 */
		0x1c, 0x46, 0x40, 0x00,             /* id 0x1c46, DF, offset 0 */
		0x40, 0x11, 0x92, 0x4c,             /* TTL 64, UDP, checksum 0x924c */
		0xc6, 0x12, 0x00, 0x02,             /* source 198.18.0.2 */
		0xc6, 0x13, 0x00, 0x01,             /* destination 198.19.0.1 */
		0x04, 0xd2, 0x00, 0x09, 0x00, 0x1e, 0x00, 0x00, /* UDP 1234 -> 9, len 30 */
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
	};
	const uint8_t want[64] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x0b, /* dst MAC: next hop */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02, /* src MAC: egress port */
		0x08, 0x00,
		0x45, 0x00, 0x00, 0x32,
		0x1c, 0x46, 0x40, 0x00,
		0x3f, 0x11, 0x93, 0x4c,             /* TTL 63, checksum + 0x0100 */
		0xc6, 0x12, 0x00, 0x02,
		0xc6, 0x13, 0x00, 0x01,
		0x04, 0xd2, 0x00, 0x09, 0x00, 0x1e, 0x00, 0x00,
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
	};
	struct fwd_pkt p;
	enum fwd_reason r = fwd_parse(frame, frame + sizeof(frame), in_mac, &p);

	CHECK(r == FWD_FORWARD, "literal frame: parse says %s", reason_str(r));
	if (r != FWD_FORWARD)
		return;
	r = fwd_decide(&p, &nh_fwd);
	CHECK(r == FWD_FORWARD, "literal frame: decide says %s", reason_str(r));
	fwd_rewrite(&p, &nh_fwd);
	CHECK(memcmp(frame, want, sizeof(want)) == 0, "literal frame differs at byte %ld",
	      first_diff(frame, want, sizeof(want)));
}

/* One's complement 16-bit addition with end-around carry (RFC 1071). */
static uint16_t oc_add(uint16_t a, uint16_t b)
{
	uint32_t s = (uint32_t)a + b;

	return (uint16_t)((s & 0xffff) + (s >> 16));
}

/*
 * A random valid header of @words 32-bit words (5..15) with TTL @ttl.
 * @force: 0 any checksum; 1 checksum field 0x0000; 2 checksum field 0xFFFF
 * (the other representation of zero, which verifies equally well); 3, 4, 5
 * checksum 0xFEFF, 0xFF00, 0xFFFE: after TTL - 1 the update crosses
 * 0xFFFF/0x0000 (0xFEFF becomes exactly 0x0000).
 */
static void random_header(uint8_t *h, unsigned int words, uint8_t ttl, int force)
{
	static const uint16_t targets[] = { 0, 0x0000, 0x0000, 0xfeff, 0xff00, 0xfffe };
	unsigned int i, len = words * 4;
	uint16_t c;

	for (i = 0; i < len; i++)
		h[i] = (uint8_t)test_rand32();
	h[0] = (uint8_t)(0x40 | words);
	test_put16(h + 2, (uint16_t)test_range(len, 1500));
	h[8] = ttl;
	if (force) {
		/* choose the id word so that the full checksum is the target */
		test_put16(h + 4, 0);
		c = test_ip_csum(h, len); /* ~(sum of the others) */
		test_put16(h + 4, oc_add((uint16_t)~targets[force], c));
	}
	c = test_ip_csum(h, len);
	if (force)
		CHECK(c == targets[force], "forced checksum 0x%04x, got 0x%04x", targets[force], c);
	if (force == 2)
		c = 0xffff;
	test_put16(h + 10, c);
}

/*
 * RFC 1624 eqn. 3 as fwd_rewrite() applies it, against a full recomputation,
 * on @n random headers. Also: fwd_csum_update16() alone never returns
 * 0xFFFF except for the all-zero input (~HC = ~m = m' = 0).
 */
static void test_checksum_random(int n)
{
	int i, seen0 = 0, seenF = 0, seen_res0 = 0, ttl_seen[256] = { 0 }, ttl_all = 1;
	static uint8_t frame[14 + 60];

	for (i = 0; i < n; i++) {
		unsigned int words = (i % 4) ? 5 : test_range(5, 15);
		uint8_t ttl = (uint8_t)(2 + i % 254);
		int force = i % 6; /* random, 0x0000, 0xFFFF, edges */
		uint8_t *h = frame + 14, before[60];
		uint16_t full, got;
		struct fwd_pkt p = { 0 };

		random_header(h, words, ttl, force);
		memcpy(before, h, words * 4);
		ttl_seen[ttl] = 1;
		CHECK(test_ip_csum_ok(h, words * 4), "random header %d does not verify", i);
		if (test_get16(h + 10) == 0)
			seen0++;
		if (test_get16(h + 10) == 0xffff)
			seenF++;
		/* the core's rewrite works on any header whose pointers are set */
		p.eth = (struct fwd_eth *)frame;
		p.ip = (struct fwd_ipv4 *)h;
		p.ihl = (uint8_t)words;
		fwd_rewrite(&p, &nh_fwd);
		got = test_get16(h + 10);
		full = test_ip_csum(h, words * 4);
		if (got == 0)
			seen_res0++;
		CHECK(h[8] == ttl - 1, "header %d: TTL %u -> %u", i, ttl, h[8]);
		CHECK(got == full, "header %d (check 0x%04x, TTL %u): incremental 0x%04x, full 0x%04x",
		      i, test_get16(before + 10), ttl, got, full);
		CHECK(got != 0xffff, "header %d: incremental result 0xFFFF", i);
		CHECK(memcmp(h, before, 8) == 0 && h[9] == before[9] &&
		      memcmp(h + 12, before + 12, words * 4 - 12) == 0,
		      "header %d: a byte other than TTL/checksum changed", i);
	}
	for (i = 2; i < 256; i++)
		ttl_all &= ttl_seen[i];
	CHECK(ttl_all, "not every TTL 2..255 was exercised");
	CHECK(seen0 > n / 10 && seenF > n / 10 && seen_res0 > n / 10, "checksum 0x0000 seen %d, 0xFFFF seen %d, result 0x0000 %d", seen0, seenF, seen_res0);
	printf("checksum: %d headers (%d with check 0x0000, %d with 0xFFFF, %d results 0x0000)\n",
	       n, seen0, seenF, seen_res0);

	for (i = 0; i < n * 4; i++) {
		uint16_t hc = (uint16_t)test_rand32(), m = (uint16_t)test_rand32();
		uint16_t m2 = (uint16_t)test_rand32(), r;

		if (i % 7 == 0)
			hc = 0xffff;
		if (i % 11 == 0)
			m = 0xffff;
		r = fwd_csum_update16(hc, m, m2);
		CHECK(r != 0xffff || (hc == 0xffff && m == 0xffff && m2 == 0),
		      "update16(0x%04x, 0x%04x, 0x%04x) = 0xFFFF", hc, m, m2);
	}
	CHECK(fwd_csum_update16(0xffff, 0xffff, 0) == 0xffff, "the all-zero corner");

	/* fwd_ip_sum5_bad() (one multiplication) against the RFC 1071 fold,
	 * on random wide sums (< 2^35) and on multiples of 0xffff, which are
	 * rare at random, with their neighbours */
	for (i = 0; i < n * 4; i++) {
		uint64_t sum = ((uint64_t)test_rand32() << 3 ^ test_rand32()) & 0x7ffffffffULL;
		int k;

		if (i % 3 == 0)
			sum = (sum % (0x800000000ULL / 0xffff)) * 0xffff;
		for (k = -1; k <= 1; k++) {
			uint64_t s = sum + (uint64_t)(int64_t)k;
			uint64_t f = (s & 0xffffffffu) + (s >> 32);

			if (s == 0 || s >= 0x800000000ULL)
				continue;
			f = (f & 0xffffffffu) + (f >> 32);
			CHECK(fwd_ip_sum5_bad(s) == (fwd_csum_fold((uint32_t)f) != 0xffff),
			      "sum5_bad(0x%llx)", (unsigned long long)s);
		}
	}
}

/* Reference ranges, written from RFC 1812 5.3.7 / RFC 6890 as [first, last]. */
struct range { uint32_t lo, hi; };
static const struct range src_martians[] = {
	{ IP4(0, 0, 0, 0), IP4(0, 255, 255, 255) },
	{ IP4(127, 0, 0, 0), IP4(127, 255, 255, 255) },
	{ IP4(169, 254, 0, 0), IP4(169, 254, 255, 255) },
	{ IP4(224, 0, 0, 0), IP4(255, 255, 255, 255) }, /* 224/4 + 240/4 */
};
static const struct range dst_martians[] = {
	{ IP4(0, 0, 0, 0), IP4(0, 255, 255, 255) },
	{ IP4(127, 0, 0, 0), IP4(127, 255, 255, 255) },
	{ IP4(169, 254, 0, 0), IP4(169, 254, 255, 255) },
	{ IP4(240, 0, 0, 0), IP4(255, 255, 255, 254) }, /* not 255.255.255.255 */
};

static int in_ranges(const struct range *r, size_t n, uint32_t a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a >= r[i].lo && a <= r[i].hi)
			return 1;
	return 0;
}

/*
 * The martian helpers at every boundary: every range above starts and ends
 * on a /16 boundary, so checking the first and last address of all 65536
 * /16s (and their neighbours) covers every edge, plus explicit corners.
 */
static void test_martians(void)
{
	static const uint32_t corners[] = {
		0, 1, IP4(0, 255, 255, 255), IP4(1, 0, 0, 0), IP4(126, 255, 255, 255),
		IP4(127, 0, 0, 0), IP4(127, 255, 255, 255), IP4(128, 0, 0, 0),
		IP4(169, 253, 255, 255), IP4(169, 254, 0, 0), IP4(169, 254, 255, 255),
		IP4(169, 255, 0, 0), IP4(223, 255, 255, 255), IP4(224, 0, 0, 0),
		IP4(239, 255, 255, 255), IP4(240, 0, 0, 0), 0xfffffffe, 0xffffffff,
	};
	size_t i;
	uint32_t hi16, a;
	int k, bad = 0;

	for (i = 0; i < sizeof(corners) / sizeof(corners[0]); i++) {
		a = corners[i];
		CHECK(fwd_martian_src(a) == in_ranges(src_martians, 4, a), "martian_src(0x%08x)", a);
		CHECK(fwd_martian_dst(a) == in_ranges(dst_martians, 4, a), "martian_dst(0x%08x)", a);
	}
	for (hi16 = 0; hi16 < 0x10000; hi16++) {
		const uint32_t cand[4] = { hi16 << 16, hi16 << 16 | 1, hi16 << 16 | 0xfffe,
					   hi16 << 16 | 0xffff };

		for (k = 0; k < 4; k++) {
			a = cand[k];
			if (fwd_martian_src(a) != in_ranges(src_martians, 4, a) ||
			    fwd_martian_dst(a) != in_ranges(dst_martians, 4, a)) {
				if (bad++ < 10)
					CHECK(0, "martian helpers disagree at 0x%08x", a);
			}
		}
	}
	CHECK(bad == 0, "%d boundary addresses disagree", bad);
	/* a few exact values the issue names */
	CHECK(fwd_martian_src(0xffffffff) && !fwd_martian_dst(0xffffffff), "255.255.255.255");
	CHECK(fwd_martian_src(IP4(224, 0, 0, 1)) && !fwd_martian_dst(IP4(224, 0, 0, 1)), "224/4");
}

/* fwd_verdict() agrees with the kind column of FWD_REASONS. */
static void test_verdict_kinds(void)
{
#define X_KIND(e, name, kind) kind,
	static const int kinds[] = { FWD_REASONS(X_KIND) };
#undef X_KIND
	int r;

	CHECK(sizeof(kinds) / sizeof(kinds[0]) == FWD_REASON_MAX, "FWD_REASON_MAX");
	CHECK(FWD_FORWARD == 0, "FWD_FORWARD is 0");
	for (r = 0; r < FWD_REASON_MAX; r++)
		CHECK((int)fwd_verdict((enum fwd_reason)r) == kinds[r], "fwd_verdict(%s)", reason_str(r));
	CHECK(sizeof(struct fwd_nexthop) == 16, "struct fwd_nexthop is %zu bytes", sizeof(struct fwd_nexthop));
	/* header layouts, and usable 14 bytes into a 4-byte aligned frame */
	CHECK(sizeof(struct fwd_eth) == 14 && sizeof(struct fwd_ipv4) == 20, "header sizes");
	CHECK(_Alignof(struct fwd_ipv4) <= 2 && _Alignof(struct fwd_eth) <= 2, "header alignment %zu",
	      (size_t)_Alignof(struct fwd_ipv4));
}

/* Every reason of FWD_REASONS appears as the expected verdict of some row. */
static void test_rows_cover_reasons(void)
{
	int seen[FWD_REASON_MAX] = { 0 }, r;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		seen[rows[i].want] = 1;
	for (r = 0; r < FWD_REASON_MAX; r++)
		CHECK(seen[r], "no table row expects %s", reason_str(r));
}

/* A forwardable 64-byte frame (60 without FCS) to @mac, checksum valid. */
static void good_frame(uint8_t *f, const uint8_t *mac)
{
	uint8_t *ip = f + 14;

	memset(f, 0, 60);
	memcpy(f, mac, 6);
	memcpy(f + 6, other_mac, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	test_put16(ip + 2, 46);
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, "\xc6\x12\x00\x02", 4); /* 198.18.0.2 */
	memcpy(ip + 16, "\xcb\x00\x71\x05", 4); /* 203.0.113.5 */
	test_put16(ip + 10, test_ip_csum(ip, 20));
}

/* Octets worth trying in an address's first two bytes: every class edge. */
static const uint8_t edge_octets[] = { 0, 1, 9, 126, 127, 128, 168, 169, 170,
				       223, 224, 239, 240, 254, 255 };

static void test_fast_path(int n)
{
	static uint8_t f[14 + 60 + 64];
	int i, fast = 0, diff_reason = 0;

	for (i = 0; i < n; i++) {
		struct fwd_pkt pf, pr;
		enum fwd_reason rf, rr;
		uint32_t len = 60, frame_len;
		int k, muts = 1 + (int)test_range(0, 3);

		good_frame(f, in_mac);
		for (k = 0; k < muts; k++) {
			uint32_t what = test_range(0, 9);

			if (what <= 3) { /* an address octet at a class edge */
				static const int at[] = { 14 + 12, 14 + 13, 14 + 16, 14 + 17 };

				f[at[what]] = edge_octets[test_range(0, sizeof(edge_octets) - 1)];
			} else if (what == 4) { /* any byte the fast path reads */
				f[test_range(0, 33)] ^= (uint8_t)(1u << test_range(0, 7));
			} else if (what == 5) { /* total length around the frame's */
				test_put16(f + 16, (uint16_t)test_range(0, 80));
			} else if (what == 6) { /* version/IHL */
				f[14] = (uint8_t)test_rand32();
			} else if (what == 7) { /* frame length, runts included */
				len = test_range(0, 74);
			} else if (what == 8) { /* L2 destination */
				memcpy(f, test_range(0, 1) ? bcast_mac : other_mac0, 6);
			}
			/* what == 9: keep the checksum wrong, else fix it */
			if (what != 9 && test_range(0, 3))
				test_put16(f + 24, 0), test_put16(f + 24, test_ip_csum(f + 14, 20));
		}
		/* a frame that continues past the first buffer now and then */
		frame_len = test_range(0, 7) ? len : len + test_range(0, 3000);
		memset(&pf, 0xa5, sizeof(pf));
		memset(&pr, 0x5a, sizeof(pr));
		rf = fwd_parse_len(f, f + len, frame_len, in_mac, &pf);
		rr = fwd_parse_full(f, f + len, frame_len, in_mac, &pr);
		fast += fwd_parse_fast(f, f + len, frame_len, in_mac, &pf);
		if (rf != rr) {
			diff_reason++;
			CHECK(rf == rr, "frame %d (len %u/%u): fast path says %s, full checks %s",
			      i, len, frame_len, reason_str(rf), reason_str(rr));
		} else if (rf == FWD_FORWARD) {
			CHECK(pf.eth == pr.eth && pf.ip == pr.ip && pf.frame_len == pr.frame_len &&
			      pf.daddr == pr.daddr && pf.ihl == pr.ihl,
			      "frame %d: fast path and full checks fill struct fwd_pkt differently", i);
		}
	}
	/* the mutations must leave enough frames on the fast path to mean
	 * something, and enough off it */
	CHECK(fast > n / 20 && fast < n - n / 20, "fast path taken by %d of %d frames", fast, n);
	printf("fast path vs full checks: %d frames, %d on the fast path, %d disagreements\n",
	       n, fast, diff_reason);
}

int main(void)
{
	size_t i;

	test_seed("test-core");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		run_row(&rows[i]);
	printf("verdict table: %zu rows\n", sizeof(rows) / sizeof(rows[0]));
	test_rows_cover_reasons();
	test_verdict_kinds();
	test_rewrite_literal();
	test_checksum_random(200000);
	test_martians();
	test_fast_path(500000);
	return test_done("test-core");
}
