/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * fwd_kmod_lpm.h - the kernel module's own longest-prefix match: a
 * multibit trie with a fixed stride of 8 bits (4 levels, 256 entries per
 * node) and controlled prefix expansion (Srinivasan & Varghese, "Fast
 * address lookups using controlled prefix expansion", 1999).
 *
 * A lookup reads at most 4 entries, one per byte of the address. Each
 * 32-bit entry is either a leaf (bits 0..15: next hop id + 1, 0 = no
 * route; bits 16..21: prefix length, used while building) or, with bit 31
 * set, the index of a child node. A prefix of length L is written into
 * the node of level ceil(L/8)-1 as 2^(8*ceil(L/8) - L) consecutive
 * entries. Routes are inserted shortest first, so a longer prefix
 * simply overwrites the expanded entries of a shorter one and a new
 * child inherits its parent entry's leaf: the result is exactly the
 * longest match (the same answer as fwd_lpm_ref(), tests/test_kmod_lpm.c).
 *
 * Memory: 1 KiB per node; root + one node per distinct /8, /16, /24 that
 * holds a longer prefix (e.g. 17 k host routes in 17 k distinct /24s
 * ~ 35 MiB; the default benchmark tables < 100 KiB).
 *
 * Builds in the kernel (kvmalloc) and in userspace (unit test).
 */
#ifndef FWD_KMOD_LPM_H
#define FWD_KMOD_LPM_H

#include "fwd_compat.h"
#include "fwd_kmod_uapi.h"

#define FKM_LPM_CHILD 0x80000000u
#define FKM_LPM_FANOUT 256

/** struct fkm_lpm - the trie; nodes[0..255] is the root. */
struct fkm_lpm {
	__u32 *nodes;  /* n_nodes * 256 entries */
	__u32 n_nodes; /* nodes in use */
	__u32 cap;     /* nodes allocated */
};

/**
 * fkm_lpm_build() - build a trie from @n routes (any order).
 * @r:   routes; prefix host order with host bits zero, len <= 32,
 *       nh < @nnh (all checked).
 * Returns 0, -EINVAL (bad route), -EEXIST (same prefix/len twice) or
 * -ENOMEM. On error @l is left empty (nothing to free).
 */
int fkm_lpm_build(struct fkm_lpm *l, const struct fkm_route *r, __u32 n,
		  __u32 nnh);

/** fkm_lpm_free() - release the nodes (NULL-safe, idempotent). */
void fkm_lpm_free(struct fkm_lpm *l);

/**
 * fkm_lpm_lookup() - longest match for @daddr (host byte order).
 * Returns the next hop id or -1 (no route).
 */
static inline int fkm_lpm_lookup(const struct fkm_lpm *l, __u32 daddr)
{
	const __u32 *nodes = l->nodes;
	__u32 e = nodes[daddr >> 24];
	int shift;

	for (shift = 16; (e & FKM_LPM_CHILD) && shift >= 0; shift -= 8)
		e = nodes[(e & ~FKM_LPM_CHILD) * FKM_LPM_FANOUT +
			  ((daddr >> shift) & 0xff)];
	return (int)(e & 0xffff) - 1;
}

#endif /* FWD_KMOD_LPM_H */
