/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fwd_lpm.h - the fast userspace longest-prefix match over a compiled route
 * table (struct fwd_table routes[] -> nexthops[], fwd_routes.h). It gives
 * exactly fwd_lpm_ref()'s answer (tests/unit/test_lpm_fast.c) in at most
 * three table reads instead of a scan over every route.
 *
 * Algorithm: DIR-16-8-8, a multibit trie with strides 16, 8, 8 and leaf
 * pushing (controlled prefix expansion: Srinivasan & Varghese, "Fast
 * address lookups using controlled prefix expansion", ACM TOCS 1999; the
 * same family as rte_lpm's DIR-24-8 and the kernel module's stride-8 trie,
 * paths/kmod/fwd_kmod_lpm.h).
 *
 *   tbl16[addr >> 16]                  65536 entries (the root)
 *   tbl8a[node * 256 + (addr >> 8 & 255)]   one node per /16 that holds a
 *                                           prefix longer than /16
 *   tbl8b[node * 256 + (addr & 255)]        one node per /24 that holds a
 *                                           prefix longer than /24
 *
 * Every entry is 16 bits: 0 = no route; bit 15 clear = leaf, next hop
 * id + 1; bit 15 set = index of a child node in the next level (each level
 * has its own pool, so 15 bits address 32768 nodes per level, more than
 * FWD_MAX_ROUTES). A prefix of length L is written into the level that
 * holds bit L-1 as 2^(level end - L) consecutive entries; routes go in
 * shortest first, so a longer prefix overwrites the expanded entries of a
 * shorter one, and a new child node starts as 256 copies of the leaf it
 * replaces (leaf pushing): a lookup never backtracks.
 *
 * Memory: 128 KiB root + 512 B per /16 node + 512 B per /24 node.
 * Measured: the golden tables 130-131 KiB (a few /16 and /24 nodes);
 * core-bench's 16384-route table (0/0 + random /8../24, 60 % /24) 6.5 MiB,
 * built in ~0.1 s; the worst case, FWD_MAX_ROUTES /32s each in its own /16
 * (one /16 and one /24 node per route), 17.2 MiB.
 * fwd_lpm_bytes() reports the real figure.
 *
 * Why not the other LPMs here: rte_lpm's DIR-24-8 costs a fixed 32 MiB
 * (16 M x 2 B) first level even for 16 routes, heavy for unit tests and
 * every golden run; the module's stride-8 trie (kernel types, lives in
 * paths/kmod) needs up to four reads and 1 KiB per node (32-bit entries).
 * Userspace can afford a 128 KiB root, which removes one level, and 16-bit
 * entries halve the node size.
 *
 * Not thread-safe to build; lookups on a built, unchanged table are safe
 * from any number of threads.
 */
#ifndef FWD_LPM_H
#define FWD_LPM_H

#include <stddef.h>
#include <stdint.h>

#include "fwd_routes.h"

#define FWD_LPM_CHILD 0x8000u   /* entry bit 15: index of a child node */
#define FWD_LPM_ROOT (1u << 16) /* root entries */
#define FWD_LPM_FANOUT 256      /* entries per level-2 / level-3 node */

/**
 * struct fwd_lpm - a built DIR-16-8-8 trie.
 * @tbl16: root, FWD_LPM_ROOT entries, indexed by the address's top 16 bits.
 * @tbl8a: level 2, @n8a nodes of FWD_LPM_FANOUT entries (address bits 15..8).
 * @tbl8b: level 3, @n8b nodes of FWD_LPM_FANOUT entries (address bits 7..0).
 * @nh:    the table's nexthops[]; the table must outlive the trie.
 */
struct fwd_lpm {
	uint16_t *tbl16;
	uint16_t *tbl8a;
	uint16_t *tbl8b;
	uint32_t n8a, n8b;     /* nodes in use */
	uint32_t cap8a, cap8b; /* nodes allocated */
	const struct fwd_nexthop *nh;
};

/**
 * fwd_lpm_build() - build the trie for @t's compiled routes[] (any order;
 * the first of two routes with the same prefix/len wins, as in
 * fwd_lpm_ref()).
 * @l: output; overwritten (not freed) first.
 * @t: a table from fwd_table_load()/fwd_table_parse(); prefixes host byte
 *     order. The trie keeps a pointer to @t->nexthops: keep @t alive and
 *     unchanged while @l is used.
 * Returns 0, -ENOMEM (out of memory) or -EINVAL (a route with length > 32,
 * host bits set or a next hop id out of range: not a compiled table). On
 * error @l is left empty (fwd_lpm_free() is harmless).
 */
int fwd_lpm_build(struct fwd_lpm *l, const struct fwd_table *t);

/** fwd_lpm_free() - release the trie (idempotent; @l may be zeroed). */
void fwd_lpm_free(struct fwd_lpm *l);

/** fwd_lpm_bytes() - bytes of memory the built trie holds (in use). */
size_t fwd_lpm_bytes(const struct fwd_lpm *l);

/**
 * fwd_lpm_lookup() - longest-prefix match for @daddr_host (destination
 * address, host byte order) in at most three reads.
 * Returns the next hop, or NULL when no route matches.
 */
static inline const struct fwd_nexthop *fwd_lpm_lookup(const struct fwd_lpm *l,
						       uint32_t daddr_host)
{
	uint32_t e = l->tbl16[daddr_host >> 16];

	if (e & FWD_LPM_CHILD) {
		e = l->tbl8a[(size_t)(e & ~FWD_LPM_CHILD) * FWD_LPM_FANOUT +
			     ((daddr_host >> 8) & 0xff)];
		if (e & FWD_LPM_CHILD)
			e = l->tbl8b[(size_t)(e & ~FWD_LPM_CHILD) * FWD_LPM_FANOUT +
				     (daddr_host & 0xff)];
	}
	return e ? &l->nh[e - 1] : NULL;
}

#endif /* FWD_LPM_H */
