/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tr_frame.h - synthesis of fwdlab test frames: Ethernet II + IPv4 + UDP +
 * the 16-byte test payload (tr_payload.h) + zero padding.
 *
 * Sizes are RFC 2544 frame sizes: they include the 4-byte FCS, so a 64-byte
 * frame is 60 bytes in the buffer and in the pcap. All addresses in this
 * header are host byte order.
 */
#ifndef TR_FRAME_H
#define TR_FRAME_H

#include <stddef.h>
#include <stdint.h>

/** struct tr_frame_spec - one test frame. */
struct tr_frame_spec {
	uint8_t dmac[6], smac[6];
	uint32_t saddr, daddr;   /* host order */
	uint16_t sport, dport;   /* host order */
	uint8_t ttl;
	uint16_t size;           /* frame size incl. FCS, TR_MIN_FRAME..TR_MAX_FRAME */
};

/**
 * tr_frame_build() - write the frame described by @s into @buf.
 * The IPv4 header has no options, DF clear, id 0, a valid header checksum
 * (RFC 791 / RFC 1071); UDP checksum 0 (allowed for IPv4, RFC 768); payload
 * magic set, seq 0, tx_ns 0; padding zero.
 * Returns the frame length written (s->size - 4), or -1 if s->size is out
 * of range or @buflen too small.
 */
int tr_frame_build(const struct tr_frame_spec *s, uint8_t *buf, size_t buflen);

/** tr_ip_csum() - RFC 1071 Internet checksum of @len bytes (network order
 * result, ready to store). */
uint16_t tr_ip_csum(const void *data, size_t len);

/** IMIX 7:4:1 of 64/576/1500-byte frames (sizes incl. FCS). */
#define TR_IMIX_CYCLE 12
/** tr_imix_size() - frame size of the i-th frame of the IMIX cycle: the 12
 * frames interleave 7 small, 4 medium, 1 large as evenly as possible. */
uint16_t tr_imix_size(uint64_t i);

/**
 * tr_prefix_host() - the n-th usable host address of @prefix/@len:
 * skips the network and broadcast addresses for len <= 30.
 * Returns 0 and *out, or -1 if n >= tr_prefix_hosts(len).
 */
int tr_prefix_host(uint32_t prefix, int len, uint64_t n, uint32_t *out);

/** tr_prefix_hosts() - number of usable host addresses in a /len. */
uint64_t tr_prefix_hosts(int len);

/** tr_payload_stamp() - write the magic, seq and tx_ns (host order in,
 * network order out) into the payload at @pl_off of @frame. */
void tr_payload_stamp(uint8_t *frame, int pl_off, uint32_t seq, uint64_t tx_ns);

#endif /* TR_FRAME_H */
