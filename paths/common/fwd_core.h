/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * fwd_core.h - the IPv4 forwarding core shared by every fwdlab datapath.
 *
 * Header-only and freestanding: the same lines compile into the BPF object,
 * the kernel module, the DPDK application, fwd-socket and fwd-ref. One packet
 * takes three steps:
 *
 *   r = fwd_parse(data, data_end, ingress_mac, &pkt);    RFC 1812 5.2.2 checks
 *   if (r == FWD_FORWARD) {
 *       nh = <platform LPM lookup of pkt.daddr>;          the only step that differs
 *       r = fwd_decide(&pkt, nh);                         local / TTL / options / ...
 *       if (r == FWD_FORWARD)
 *           fwd_rewrite(&pkt, nh);                        TTL-1, RFC 1624, MACs
 *   }
 *
 * The result is a reason code (enum fwd_reason). FWD_FORWARD means "send on
 * nh->port"; a DROP reason means "free the frame"; a PUNT reason means "hand
 * the frame, byte for byte unmodified, to the host stack". The core never
 * logs, never allocates and never modifies a frame it does not forward.
 *
 * Choices every path inherits (docs/forwarding.md):
 *  - L2 broadcast/multicast destinations are PUNTed (l2-multicast), never
 *    forwarded; the host stack decides (DHCP, IGMP, OSPF...).
 *  - IPv4 options (IHL > 5) are PUNTed (options): the slow path handles them.
 *  - Ethernet padding past the IP total length is kept as received.
 *  - Fragments are forwarded like any datagram; L4 is never read.
 *
 * Bounds checks are written against data_end the way the BPF verifier wants
 * them; every header access is preceded by one.
 */
#ifndef FWD_CORE_H
#define FWD_CORE_H

#include "fwd_compat.h"

#define FWD_ETH_HLEN 14      /* bytes: dst MAC, src MAC, ethertype */
#define FWD_IP_MIN_HLEN 20   /* bytes: IHL = 5 */
#define FWD_ETH_P_IP 0x0800

/*
 * Every verdict reason, in the order the checks run. X(ENUM, "name", kind):
 * the name is what stats.json, the CLI tools and the harness print, in every
 * path. kind is 0 = forward, 1 = drop, 2 = punt.
 */
#define FWD_REASONS(X)                                                     \
	X(FORWARD, "forward", 0)                                           \
	X(DROP_MALFORMED, "malformed", 1)   /* RFC 1812 5.2.2 failed */    \
	X(DROP_NOT_FOR_US, "not-for-us", 1) /* unicast to another MAC */   \
	X(DROP_MARTIAN, "martian", 1)       /* RFC 1812 5.3.7 addresses */ \
	X(PUNT_NOT_IPV4, "not-ipv4", 2)     /* ARP, IPv6, VLAN tags ... */ \
	X(PUNT_L2_MULTICAST, "l2-multicast", 2) /* I/G bit set (bcast too) */ \
	X(PUNT_LOCAL, "local", 2)           /* for the router itself */    \
	X(PUNT_TTL, "ttl", 2)               /* TTL <= 1: ICMP by the host */ \
	X(PUNT_OPTIONS, "options", 2)       /* IHL > 5 */                  \
	X(PUNT_NO_ROUTE, "no-route", 2)                                    \
	X(PUNT_NO_NEIGH, "no-neigh", 2)     /* next hop MAC unknown */     \
	X(PUNT_MTU, "mtu", 2)               /* larger than egress MTU */

#define FWD_X_ENUM(e, name, kind) FWD_##e,
/** Verdict reason returned by the core; FWD_FORWARD is 0. */
enum fwd_reason { FWD_REASONS(FWD_X_ENUM) FWD_REASON_MAX };
#undef FWD_X_ENUM

/** Verdict kinds; fwd_verdict(reason) maps a reason to its kind. */
enum fwd_verdict { FWD_V_FORWARD = 0, FWD_V_DROP = 1, FWD_V_PUNT = 2 };

/** Kind of a next-hop entry, the value an LPM lookup resolves to. */
enum fwd_nh_kind {
	FWD_NH_FORWARD = 0,  /* send to port with dmac/smac */
	FWD_NH_LOCAL = 1,    /* a router port address or subnet broadcast */
	FWD_NH_NO_NEIGH = 2, /* route exists, next hop MAC unknown */
};

/**
 * struct fwd_nexthop - what a route resolves to (16 bytes, map-value safe).
 * @kind: enum fwd_nh_kind.
 * @port: egress port index (route file "port N").
 * @mtu:  egress port MTU in bytes of IP datagram, host byte order.
 * @dmac: next hop's MAC (destination of the rewritten frame).
 * @smac: egress port's own MAC (source of the rewritten frame).
 */
struct fwd_nexthop {
	__u8 kind;
	__u8 port;
	__u16 mtu;
	__u8 dmac[6];
	__u8 smac[6]; /* right after dmac: fwd_rewrite() copies both at once */
} __attribute__((aligned(4)));

struct fwd_eth {
	__u8 dst[6];
	__u8 src[6];
	__be16 type;
} FWD_MAY_ALIAS FWD_HDR_ALIGN;

/* RFC 791 3.1, without bitfields so that byte order is explicit. */
struct fwd_ipv4 {
	__u8 ver_ihl; /* version << 4 | IHL (32-bit words) */
	__u8 tos;
	__be16 tot_len;
	__be16 id;
	__be16 frag_off;
	__u8 ttl;
	__u8 protocol;
	__sum16 check;
	__be32 saddr;
	__be32 daddr;
} FWD_MAY_ALIAS FWD_HDR_ALIGN;

typedef __u16 FWD_MAY_ALIAS fwd_u16_alias;

/**
 * struct fwd_pkt - what fwd_parse() found, input to decide/rewrite.
 * @eth, @ip: headers inside the frame (valid until the frame is released).
 * @frame_len: the whole frame's length in bytes (no FCS).
 * @daddr: IPv4 destination, network byte order (the LPM key).
 * @ihl: header length in 32-bit words.
 */
struct fwd_pkt {
	struct fwd_eth *eth;
	struct fwd_ipv4 *ip;
	__u32 frame_len;
	__be32 daddr;
	__u8 ihl;
};

/** fwd_verdict() - kind (forward/drop/punt) of a reason code. */
FWD_INLINE enum fwd_verdict fwd_verdict(enum fwd_reason r)
{
	if (r == FWD_FORWARD)
		return FWD_V_FORWARD;
	return r <= FWD_DROP_MARTIAN ? FWD_V_DROP : FWD_V_PUNT;
}

/**
 * fwd_csum_fold() - fold a 32-bit one's complement accumulator to 16 bits
 * with end-around carry (RFC 1071). Result in the byte order of the summed
 * words.
 */
FWD_INLINE __u16 fwd_csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/**
 * fwd_csum_update16() - RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m').
 * @check: old checksum field as stored (network byte order).
 * @old_w, @new_w: the 16-bit header word before and after the change, as
 *                 stored (network byte order).
 * Returns the new checksum field. Unlike eqn. 2 it never yields 0xFFFF
 * (-0) for a header that is not all zeros, so it equals a full recomputation.
 */
FWD_INLINE __sum16 fwd_csum_update16(__sum16 check, __u16 old_w, __u16 new_w)
{
	__u32 sum = (__u16)~check;

	sum += (__u16)~old_w;
	sum += new_w;
	return (__sum16)(__u16)~fwd_csum_fold(sum);
}

/*
 * Sum of the ten 16-bit words (as stored) of a 20-byte IPv4 header, taken
 * as five 32-bit words in 64 bits (RFC 1071 2(B), parallel summation,
 * carries not yet folded back: < 2^35); the caller checked the 20 bytes
 * are there.
 */
FWD_INLINE __u64 fwd_ip_sum5_wide(const fwd_u16_alias *w)
{
	return (__u64)fwd_ld32(w) + fwd_ld32(w + 2) + fwd_ld32(w + 4) +
	       fwd_ld32(w + 6) + fwd_ld32(w + 8);
}

/* fwd_ip_sum5_wide() folded back to 32 bits (its one's complement sum of
 * 16-bit words is fwd_csum_fold() of this). */
FWD_INLINE __u32 fwd_ip_sum5(const fwd_u16_alias *w)
{
	__u64 s64 = fwd_ip_sum5_wide(w);

	/* < 2^35: two folds leave 32 bits */
	s64 = (s64 & 0xffffffffu) + (s64 >> 32);
	s64 = (s64 & 0xffffffffu) + (s64 >> 32);
	return (__u32)s64;
}

/*
 * Nonzero unless @s, a nonzero fwd_ip_sum5_wide(), is a valid header's:
 * RFC 1071's end-around-carry sum of a nonzero total lies in 1..0xffff and
 * is congruent to the total modulo 0xffff, so it is 0xffff exactly when
 * 0xffff divides @s. Tested without a division: 0xffff is odd, so it
 * divides @s exactly when @s times its inverse modulo 2^64 is at most
 * (2^64 - 1) / 0xffff (Granlund and Montgomery, PLDI 1994, section 9):
 * one multiplication and one compare instead of four folds.
 */
FWD_INLINE int fwd_ip_sum5_bad(__u64 s)
{
	return s * 0xfffefffefffeffffULL > 0x1000100010001ULL;
}

/* Sum of the 16-bit words (as stored) of an IPv4 header of ihl words. */
FWD_INLINE __u32 fwd_ip_sum(const fwd_u16_alias *w, __u8 ihl, void *data_end,
			    int *oob)
{
	__u32 sum = 0;
	int i;

	if (ihl == 5) { /* the common case */
		if ((void *)(w + 10) > data_end) {
			*oob = 1;
			return 0;
		}
		return fwd_ip_sum5(w);
	}
	/* A bounded loop (kernel >= 5.3 verifies it without unrolling). */
	for (i = 0; i < 30; i++) { /* IHL <= 15: at most 30 words */
		if (i >= ihl * 2)
			break;
		if ((void *)(w + i + 1) > data_end) {
			*oob = 1;
			return 0;
		}
		sum += w[i];
	}
	return sum;
}

/*
 * MACs as one 32-bit and one 16-bit word. In a BPF program the MACs the
 * core reads from outside the frame (a port's own, struct fwd_nexthop's)
 * must be on a 4-byte boundary if they are on the stack (the verifier
 * checks stack alignment strictly; frame and map accesses may be
 * unaligned); C callers need no alignment (fwd_ld32() is a memcpy).
 */
/* Nonzero when the 6-byte MACs @a and @b differ. */
FWD_INLINE __u32 fwd_mac_ne(const __u8 *a, const __u8 *b)
{
	return (fwd_ld32(a) ^ fwd_ld32(b)) |
	       (__u32)(__u16)(fwd_ld16(a + 4) ^ fwd_ld16(b + 4));
}

/*
 * RFC 1812 5.3.7 / RFC 6890: addresses a router must not forward from/to.
 * Source: 0/8, 127/8, 169.254/16, 224/4 (multicast) and 240/4 (incl.
 * 255.255.255.255). Destination: 0/8, 127/8, 169.254/16, 240/4 except the
 * limited broadcast (a local PUNT). (__u8)(o - 1) >= N covers octet 0 and
 * the octets above N in one compare.
 */
FWD_INLINE int fwd_martian_src(__u32 a /* host order */)
{
	__u8 o = a >> 24;

	return (__u8)(o - 1) >= 223 || o == 127 || (a >> 16) == 0xa9fe;
}

FWD_INLINE int fwd_martian_dst(__u32 a /* host order */)
{
	__u8 o = a >> 24;

	if (a == 0xffffffffu)
		return 0;
	return (__u8)(o - 1) >= 239 || o == 127 || (a >> 16) == 0xa9fe;
}

/**
 * fwd_parse_full() - step 1, every check in order: parse and validate one
 * Ethernet frame whose bytes may extend past the first buffer (XDP
 * multi-buffer, paged skbs). fwd_parse_len() gives the same result faster;
 * this is its slow path and its reference (test_core.c, fuzz-core).
 * @data, @data_end: the frame's first contiguous part, Ethernet header
 *                   first, on a 2-byte boundary; all the headers the core
 *                   reads (14 + IHL*4 bytes) must lie inside it, otherwise
 *                   the frame is malformed.
 * @frame_len: the whole frame's length in bytes (no FCS), >= data_end - data.
 * @port_mac: the ingress port's own MAC (6 bytes).
 * @p: filled with header pointers and the destination address.
 *
 * Implements, in this order: RFC 1812 5.2.2 (length, version, IHL, header
 * checksum, total length), L2 destination check, ethertype, L2 multicast,
 * martian source/destination (RFC 1812 5.3.7), limited broadcast and
 * multicast destinations (local).
 * Returns FWD_FORWARD when the frame should be looked up, otherwise the
 * DROP or PUNT reason. Never writes to the frame.
 */
FWD_INLINE enum fwd_reason fwd_parse_full(void *data, void *data_end,
					  __u32 frame_len, const __u8 *port_mac,
					  struct fwd_pkt *p)
{
	struct fwd_eth *eth = data;
	struct fwd_ipv4 *ip = (struct fwd_ipv4 *)(eth + 1);
	__u32 tot_len, daddr, saddr;
	int oob = 0;
	__u8 ihl;

	if ((void *)(ip + 1) > data_end)
		return FWD_DROP_MALFORMED; /* shorter than 14 + 20 bytes */

	if (eth->type == fwd_htons(FWD_ETH_P_IP)) {
		/* RFC 1812 5.2.2 */
		if ((ip->ver_ihl >> 4) != 4)
			return FWD_DROP_MALFORMED;
		ihl = ip->ver_ihl & 0x0f;
		if (ihl < 5)
			return FWD_DROP_MALFORMED;
		tot_len = fwd_ntohs(ip->tot_len);
		if (tot_len < (__u32)ihl * 4 || tot_len > frame_len - FWD_ETH_HLEN)
			return FWD_DROP_MALFORMED;
		if (fwd_csum_fold(fwd_ip_sum((const fwd_u16_alias *)ip, ihl,
					     data_end, &oob)) != 0xffff ||
		    oob)
			return FWD_DROP_MALFORMED;
	} else {
		ihl = 0;
	}

	if (!(eth->dst[0] & 1) && fwd_mac_ne(eth->dst, port_mac))
		return FWD_DROP_NOT_FOR_US; /* unicast, not ours */
	if (eth->type != fwd_htons(FWD_ETH_P_IP))
		return FWD_PUNT_NOT_IPV4;
	if (eth->dst[0] & 1)
		return FWD_PUNT_L2_MULTICAST;

	saddr = fwd_ntohl(fwd_ld32(&ip->saddr));
	daddr = fwd_ntohl(fwd_ld32(&ip->daddr));
	if (fwd_martian_src(saddr) || fwd_martian_dst(daddr))
		return FWD_DROP_MARTIAN;
	if (daddr == 0xffffffffu || (daddr >> 28) == 0xe)
		return FWD_PUNT_LOCAL; /* limited broadcast, 224/4 */

	p->eth = eth;
	p->ip = ip;
	p->frame_len = frame_len;
	p->daddr = fwd_htonl(daddr);
	p->ihl = ihl;
	return FWD_FORWARD;
}

/*
 * The common case in few instructions and one well-predicted branch per
 * group of checks: an untagged IPv4 frame with IHL 5, a valid header
 * checksum and total length, unicast to @port_mac, from and to addresses
 * outside 0/8, 127/8, 169.254/16 and 224/3 (multicast, reserved,
 * broadcast). @port_mac must be a unicast MAC (fwd_routes.c refuses any
 * other as a port's), so "equal to @port_mac" implies unicast.
 * Returns 1 exactly when each of these holds; then
 * fwd_parse_full() would return FWD_FORWARD too (each condition is one of
 * its checks passing, or a narrower one), and @p is filled as it would be.
 * 0: not the common case, fwd_parse_full() decides.
 */
FWD_INLINE int fwd_parse_fast(void *data, void *data_end, __u32 frame_len,
			      const __u8 *port_mac, struct fwd_pkt *p)
{
	struct fwd_eth *eth = data;
	struct fwd_ipv4 *ip = (struct fwd_ipv4 *)(eth + 1);
	const __u8 *s, *d;
	__u32 tot_len;

	if ((void *)(ip + 1) > data_end)
		return 0;
	if (((__u32)(__u16)(eth->type ^ fwd_htons(FWD_ETH_P_IP)) |
	     (__u32)(ip->ver_ihl ^ 0x45) | fwd_mac_ne(eth->dst, port_mac)) != 0)
		return 0;
	/* the addresses' first two octets as bytes: no byte swap, small
	 * constants (fwd_martian_src/dst() for the ranges) */
	s = (const __u8 *)&ip->saddr;
	d = (const __u8 *)&ip->daddr;
	if ((__u8)(s[0] - 1) >= 223 || s[0] == 127 ||
	    (s[0] == 169 && s[1] == 254) || (__u8)(d[0] - 1) >= 223 ||
	    d[0] == 127 || (d[0] == 169 && d[1] == 254))
		return 0;
	tot_len = fwd_ntohs(ip->tot_len);
	if (tot_len < FWD_IP_MIN_HLEN || tot_len > frame_len - FWD_ETH_HLEN)
		return 0;
	/* ver_ihl 0x45 makes the sum nonzero, as fwd_ip_sum5_bad() needs */
	if (fwd_ip_sum5_bad(fwd_ip_sum5_wide((const fwd_u16_alias *)ip)))
		return 0;
	p->eth = eth;
	p->ip = ip;
	p->frame_len = frame_len;
	p->daddr = fwd_ld32(&ip->daddr);
	p->ihl = 5;
	return 1;
}

/**
 * fwd_parse_len() - step 1: parse and validate one Ethernet frame whose
 * bytes may extend past the first buffer (XDP multi-buffer, paged skbs).
 * Arguments, checks, order and result as fwd_parse_full(), which it calls
 * for every frame that is not the common case (fwd_parse_fast()).
 */
FWD_INLINE enum fwd_reason fwd_parse_len(void *data, void *data_end,
					 __u32 frame_len, const __u8 *port_mac,
					 struct fwd_pkt *p)
{
	if (fwd_parse_fast(data, data_end, frame_len, port_mac, p))
		return FWD_FORWARD;
	return fwd_parse_full(data, data_end, frame_len, port_mac, p);
}

/**
 * fwd_parse() - fwd_parse_len() for a frame that is one contiguous buffer
 * [data, data_end) (no FCS): the common case in every path.
 */
FWD_INLINE enum fwd_reason fwd_parse(void *data, void *data_end,
				     const __u8 *port_mac, struct fwd_pkt *p)
{
	return fwd_parse_len(data, data_end,
			     (__u32)((char *)data_end - (char *)data), port_mac,
			     p);
}

/**
 * fwd_decide() - step 3a: verdict from the lookup result.
 * @p: a packet fwd_parse() accepted.
 * @nh: the LPM result for p->daddr, or NULL when no route matched.
 *
 * Order: local address (router port, subnet broadcast), TTL <= 1 (RFC 1812
 * 5.3.1: the host stack sends ICMP Time Exceeded), options, no route, no
 * neighbour, egress MTU. Returns FWD_FORWARD or a PUNT reason.
 */
FWD_INLINE enum fwd_reason fwd_decide(const struct fwd_pkt *p,
				      const struct fwd_nexthop *nh)
{
	if (nh && nh->kind == FWD_NH_LOCAL)
		return FWD_PUNT_LOCAL;
	if (p->ip->ttl <= 1)
		return FWD_PUNT_TTL;
	if (p->ihl > 5)
		return FWD_PUNT_OPTIONS;
	if (!nh)
		return FWD_PUNT_NO_ROUTE;
	if (nh->kind != FWD_NH_FORWARD)
		return FWD_PUNT_NO_NEIGH;
	if (p->frame_len > (__u32)nh->mtu + FWD_ETH_HLEN)
		return FWD_PUNT_MTU;
	return FWD_FORWARD;
}

/**
 * fwd_rewrite() - step 3b: rewrite a frame fwd_decide() let through.
 * TTL - 1 with the RFC 1624 eqn. 3 incremental checksum update of the
 * TTL/protocol word (RFC 1812 5.3.1), destination MAC = next hop's, source
 * MAC = egress port's. No other byte changes.
 */
FWD_INLINE void fwd_rewrite(struct fwd_pkt *p, const struct fwd_nexthop *nh)
{
	struct fwd_ipv4 *ip = p->ip;
	__u8 *l2 = (__u8 *)p->eth;
	const __u8 *n = (const __u8 *)nh;
	__u16 old_w = *(fwd_u16_alias *)&ip->ttl; /* TTL, protocol */
	/* TTL - 1 on the stored word: no borrow, fwd_decide() left TTL >= 2.
	 * Computing the word (not re-reading it after a byte store) avoids a
	 * store-forwarding stall. */
	__u16 new_w = (__u16)(old_w - fwd_htons(0x0100));

	*(fwd_u16_alias *)&ip->ttl = new_w;
	ip->check = fwd_csum_update16(ip->check, old_w, new_w);
	/* dmac + smac (bytes 4-15 of *nh) onto the frame's dst + src (bytes
	 * 0-11): three 32-bit words */
	fwd_st32(l2, fwd_ld32(n + 4));
	fwd_st32(l2 + 4, fwd_ld32(n + 8));
	fwd_st32(l2 + 8, fwd_ld32(n + 12));
}

_Static_assert(__builtin_offsetof(struct fwd_nexthop, dmac) == 4 &&
		       __builtin_offsetof(struct fwd_nexthop, smac) == 10,
	       "fwd_rewrite() copies dmac and smac as words 1-3");
_Static_assert(__builtin_offsetof(struct fwd_eth, src) == 6,
	       "fwd_rewrite() writes dst and src as one 12-byte run");

#endif /* FWD_CORE_H */
