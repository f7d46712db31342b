// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * fwd_kmod_lpm.c - build the stride-8 multibit trie (fwd_kmod_lpm.h).
 * Compiled into fwd_kmod.ko and into the userspace unit test.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#define fkm_zalloc(n) kvzalloc((n), GFP_KERNEL)
#define fkm_free(p) kvfree(p)
#else
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#define fkm_zalloc(n) calloc(1, (n))
#define fkm_free(p) free(p)
#endif

#include "fwd_kmod_lpm.h"

#define NODE_BYTES (FKM_LPM_FANOUT * sizeof(__u32))
#define LEAF(nh, len) ((__u32)((nh) + 1) | (__u32)(len) << 16)
#define LEAF_LEN(e) (((e) >> 16) & 0x3f)

/* A new node whose 256 entries all inherit @fill; returns its index. */
static long new_node(struct fkm_lpm *l, __u32 fill)
{
	__u32 *n, i;

	if (l->n_nodes == l->cap) {
		__u32 cap = l->cap ? l->cap * 2 : 16;
		__u32 *nodes;

		if (cap > (FKM_LPM_CHILD >> 8))
			return -ENOMEM;
		nodes = fkm_zalloc((size_t)cap * NODE_BYTES);
		if (!nodes)
			return -ENOMEM;
		if (l->nodes)
			memcpy(nodes, l->nodes, (size_t)l->n_nodes * NODE_BYTES);
		fkm_free(l->nodes);
		l->nodes = nodes;
		l->cap = cap;
	}
	n = l->nodes + (size_t)l->n_nodes * FKM_LPM_FANOUT;
	for (i = 0; i < FKM_LPM_FANOUT; i++)
		n[i] = fill;
	return l->n_nodes++;
}

/* Insert one route; every shorter route is already in. */
static int insert(struct fkm_lpm *l, __u32 prefix, __u8 len, __u16 nh)
{
	__u32 node = 0, lvl, idx, span, i, e;
	long child;

	for (lvl = 0; lvl < 4; lvl++) {
		idx = (prefix >> (24 - 8 * lvl)) & 0xff;
		if (len <= 8 * (lvl + 1)) {
			span = 1u << (8 * (lvl + 1) - len);
			for (i = idx; i < idx + span; i++) {
				e = l->nodes[node * FKM_LPM_FANOUT + i];
				/* Shortest first: no child can exist here yet. */
				if (e & FKM_LPM_CHILD)
					return -EINVAL;
				if (e && LEAF_LEN(e) == len)
					return -EEXIST;
				l->nodes[node * FKM_LPM_FANOUT + i] = LEAF(nh, len);
			}
			return 0;
		}
		e = l->nodes[node * FKM_LPM_FANOUT + idx];
		if (!(e & FKM_LPM_CHILD)) {
			child = new_node(l, e); /* may move l->nodes */
			if (child < 0)
				return (int)child;
			l->nodes[node * FKM_LPM_FANOUT + idx] =
				FKM_LPM_CHILD | (__u32)child;
			e = FKM_LPM_CHILD | (__u32)child;
		}
		node = e & ~FKM_LPM_CHILD;
	}
	return -EINVAL; /* unreachable: len <= 32 */
}

int fkm_lpm_build(struct fkm_lpm *l, const struct fkm_route *r, __u32 n,
		  __u32 nnh)
{
	__u32 i, len;
	int err = 0;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < n; i++) {
		__u32 mask = r[i].len ? ~0u << (32 - r[i].len) : 0;

		if (r[i].len > 32 || (r[i].prefix & ~mask) || r[i].nh >= nnh ||
		    r[i].pad)
			return -EINVAL;
	}
	if (new_node(l, 0) < 0)
		return -ENOMEM;
	/* Shortest prefixes first: 33 passes over the list, no sort buffer. */
	for (len = 0; len <= 32 && !err; len++)
		for (i = 0; i < n && !err; i++)
			if (r[i].len == len)
				err = insert(l, r[i].prefix, (__u8)len, r[i].nh);
	if (err)
		fkm_lpm_free(l);
	return err;
}

void fkm_lpm_free(struct fkm_lpm *l)
{
	fkm_free(l->nodes);
	l->nodes = NULL;
	l->n_nodes = l->cap = 0;
}
