// SPDX-License-Identifier: BSD-2-Clause
/* tr_frame.c - see tr_frame.h. */
#include <string.h>

#include "tr_frame.h"
#include "tr_payload.h"

uint16_t tr_ip_csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return fwd_htons((uint16_t)~sum);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

int tr_frame_build(const struct tr_frame_spec *s, uint8_t *buf, size_t buflen)
{
	size_t len = (size_t)s->size - TR_FCS_LEN;
	uint8_t *ip = buf + TR_ETH_HLEN, *udp = ip + TR_IP_HLEN;
	uint16_t csum;

	if (s->size < TR_MIN_FRAME || s->size > TR_MAX_FRAME || buflen < len)
		return -1;
	memset(buf, 0, len);
	/* Ethernet II: destination, source, ethertype */
	memcpy(buf, s->dmac, 6);
	memcpy(buf + 6, s->smac, 6);
	put16(buf + 12, TR_ETH_P_IP);
	/* IPv4 (RFC 791): version 4, IHL 5, TOS 0, total length, id 0,
	 * flags/fragment 0, TTL, protocol UDP, checksum, addresses */
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(len - TR_ETH_HLEN));
	ip[8] = s->ttl;
	ip[9] = TR_IPPROTO_UDP;
	put32(ip + 12, s->saddr);
	put32(ip + 16, s->daddr);
	csum = tr_ip_csum(ip, TR_IP_HLEN);
	memcpy(ip + 10, &csum, 2);
	/* UDP (RFC 768): ports, length, checksum 0 = none */
	put16(udp, s->sport);
	put16(udp + 2, s->dport);
	put16(udp + 4, (uint16_t)(len - TR_ETH_HLEN - TR_IP_HLEN));
	/* test payload: magic, seq 0, tx_ns 0 */
	put32(udp + TR_UDP_HLEN, TR_MAGIC);
	return (int)len;
}

uint16_t tr_imix_size(uint64_t i)
{
	/* 7 x 64, 4 x 576, 1 x 1500, spread out over the cycle */
	static const uint16_t cycle[TR_IMIX_CYCLE] = {
		64, 576, 64, 64, 576, 64, 1500, 64, 576, 64, 64, 576,
	};
	return cycle[i % TR_IMIX_CYCLE];
}

uint64_t tr_prefix_hosts(int len)
{
	if (len >= 31)
		return len == 32 ? 1 : 2;
	return (1ull << (32 - len)) - 2;
}

int tr_prefix_host(uint32_t prefix, int len, uint64_t n, uint32_t *out)
{
	if (len < 0 || len > 32 || n >= tr_prefix_hosts(len))
		return -1;
	*out = prefix + (uint32_t)n + (len <= 30 ? 1 : 0);
	return 0;
}

void tr_payload_stamp(uint8_t *frame, int pl_off, uint32_t seq, uint64_t tx_ns)
{
	struct tr_payload *pl = (struct tr_payload *)(frame + pl_off);
	__be32 m = fwd_htonl(TR_MAGIC), s = fwd_htonl(seq);
	__be64 t = tr_htonll(tx_ns);

	memcpy(&pl->magic, &m, sizeof(m));
	memcpy(&pl->seq, &s, sizeof(s));
	memcpy(&pl->tx_ns, &t, sizeof(t));
}
