/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * tr_payload.h - the 16-byte test payload every fwdlab test frame carries
 * right after its UDP header, and the one parser that finds it.
 *
 * Header-only and freestanding (like paths/common/fwd_core.h): the same lines
 * compile into the generator's and the sink's BPF objects and into userspace
 * (fwd-profile, fwd-gen's AF_PACKET engine, the unit tests).
 *
 *   offset  size  field   byte order  meaning
 *        0     4  magic   network     0x46574c42 ("FWLB")
 *        4     4  seq     network     0, 1, 2 ... per generator run, in send order
 *        8     8  tx_ns   network     CLOCK_MONOTONIC ns when the frame was sent
 *                                     (the clock of bpf_ktime_get_ns())
 *
 * Frame sizes follow RFC 2544 section 9: they include the 4-byte FCS, which
 * never appears in a pcap or on a veth. The smallest test frame,
 * 14 (Ethernet) + 20 (IPv4) + 8 (UDP) + 16 (payload) + 4 (FCS) = 62 bytes,
 * fits the 64-byte minimum.
 */
#ifndef TR_PAYLOAD_H
#define TR_PAYLOAD_H

#include "fwd_compat.h"

#define TR_MAGIC 0x46574c42u      /* "FWLB" */
#define TR_PAYLOAD_LEN 16         /* bytes */
#define TR_FCS_LEN 4              /* bytes counted in RFC 2544 frame sizes */
#define TR_ETH_HLEN 14
#define TR_VLAN_HLEN 4
#define TR_IP_HLEN 20
#define TR_UDP_HLEN 8
#define TR_ETH_P_IP 0x0800
#define TR_ETH_P_8021Q 0x8100
#define TR_ETH_P_8021AD 0x88a8
#define TR_IPPROTO_UDP 17
/* Smallest frame (incl. FCS) that carries the payload: 62 -> RFC 2544's 64. */
#define TR_MIN_FRAME (TR_ETH_HLEN + TR_IP_HLEN + TR_UDP_HLEN + TR_PAYLOAD_LEN + TR_FCS_LEN)
#define TR_MAX_FRAME 1518         /* RFC 2544 largest Ethernet frame, incl. FCS */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define tr_htonll(x) ((__u64)__builtin_bswap64((__u64)(x)))
#else
#define tr_htonll(x) ((__u64)(x))
#endif
#define tr_ntohll(x) tr_htonll(x)

/** struct tr_payload - the test payload (all fields network byte order). */
struct tr_payload {
	__be32 magic;
	__be32 seq;
	__be64 tx_ns;
} __attribute__((packed));

/**
 * tr_payload_find() - offset of the test payload slot in a frame.
 * @data, @data_end: the frame (Ethernet header first), data_end exclusive.
 *
 * Accepts Ethernet II, at most one 802.1Q/802.1ad tag, IPv4 (any IHL, not a
 * non-first fragment), UDP, and requires TR_PAYLOAD_LEN bytes after the UDP
 * header inside the frame. Does not look at the magic: the generator uses it
 * to find where to write, the sink then checks the magic.
 * Returns the byte offset from @data, or -1 if the frame has no such slot.
 * Every access is bounds-checked against @data_end the way the BPF verifier
 * wants it.
 */
static inline __attribute__((always_inline)) int
tr_payload_find(void *data, void *data_end)
{
	unsigned char *p = data;
	__u16 proto;
	__u32 off = TR_ETH_HLEN;
	__u32 ihl;

	if (p + TR_ETH_HLEN > (unsigned char *)data_end)
		return -1;
	proto = ((__u16)p[12] << 8) | p[13];
	if (proto == TR_ETH_P_8021Q || proto == TR_ETH_P_8021AD) {
		if (p + TR_ETH_HLEN + TR_VLAN_HLEN > (unsigned char *)data_end)
			return -1;
		proto = ((__u16)p[16] << 8) | p[17];
		off += TR_VLAN_HLEN;
	}
	if (proto != TR_ETH_P_IP)
		return -1;
	if (p + off + TR_IP_HLEN > (unsigned char *)data_end)
		return -1;
	if ((p[off] >> 4) != 4 || p[off + 9] != TR_IPPROTO_UDP)
		return -1;
	/* fragment offset != 0: no UDP header in this fragment */
	if (((p[off + 6] & 0x1f) | p[off + 7]) != 0)
		return -1;
	ihl = (p[off] & 0x0f) * 4u;
	if (ihl < TR_IP_HLEN)
		return -1;
	off += ihl + TR_UDP_HLEN;
	if (off > 128)  /* bounded for the verifier; 14+4+60+8 = 86 at most */
		return -1;
	if (p + off + TR_PAYLOAD_LEN > (unsigned char *)data_end)
		return -1;
	return (int)off;
}

#endif /* TR_PAYLOAD_H */
