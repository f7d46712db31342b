/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sock_util.h - small pure helpers of fwd-socket (no sockets, no privileges),
 * unit-tested by test_sock_util.c.
 */
#ifndef SOCK_UTIL_H
#define SOCK_UTIL_H

#include <stddef.h>
#include <stdint.h>

/**
 * sock_parse_cpu_list() - "1", "0,2", "0-3,6" to CPU numbers in order.
 * @s: the list; @cpus: output, @max entries.
 * Returns the number of CPUs (>= 1) or -1 on a syntax error, a CPU >= 1024,
 * an empty or reversed range, or more than @max entries.
 */
int sock_parse_cpu_list(const char *s, int *cpus, int max);

/**
 * sock_parse_seconds() - "0", "1", "0.25" to seconds (>= 0, <= 86400).
 * Returns 0 or -1.
 */
int sock_parse_seconds(const char *s, double *out);

/**
 * sock_parse_u32() - decimal in [@min, @max] to *out. Returns 0 or -1.
 */
int sock_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

/**
 * sock_vlan_reinsert() - rebuild a frame whose 802.1Q/802.1ad tag the
 * kernel moved into metadata (skb_vlan_untag(), reported by AF_PACKET as
 * TP_STATUS_VLAN_VALID / PACKET_AUXDATA): dst MAC, src MAC, @tpid, @tci,
 * then the rest of @frame from its ethertype on. Same layout as libpcap.
 * @tpid, @tci: host byte order; @tpid 0 means 0x8100.
 * Returns the new length (@len + 4), or 0 when @len < 12 or @cap is too
 * small. @out and @frame must not overlap.
 */
size_t sock_vlan_reinsert(uint8_t *out, size_t cap, const uint8_t *frame,
			  size_t len, uint16_t tpid, uint16_t tci);

/**
 * sock_vlan_reinsert_inplace() - as sock_vlan_reinsert() for a frame of
 * @len bytes received at @buf + 4 (4 bytes of headroom): moves the MACs
 * down and writes the tag into the gap. Returns @len + 4, or 0 if @len < 12.
 */
size_t sock_vlan_reinsert_inplace(uint8_t *buf, size_t len, uint16_t tpid,
				  uint16_t tci);

/** sock_pow2_at_least() - smallest power of two >= @v (>= @min). */
uint32_t sock_pow2_at_least(uint32_t v, uint32_t min);

#endif /* SOCK_UTIL_H */
