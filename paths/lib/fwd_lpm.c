// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd_lpm.c - build the DIR-16-8-8 trie described in fwd_lpm.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fwd_lpm.h"

#define NODE_BYTES (FWD_LPM_FANOUT * sizeof(uint16_t))

/* 15-bit node indexes and leaves must hold every route / next hop. */
_Static_assert(FWD_MAX_ROUTES < FWD_LPM_CHILD, "node index overflows 15 bits");
_Static_assert(FWD_MAX_NEXTHOPS < FWD_LPM_CHILD, "next hop id overflows 15 bits");

/** One level-2 or level-3 node pool. */
struct pool {
	uint16_t **tbl;
	uint32_t *n, *cap;
};

static uint32_t mask_of(unsigned int len)
{
	return len ? ~0u << (32 - len) : 0;
}

/* A new node whose entries all inherit @fill (leaf pushing); its index or -ENOMEM. */
static long new_node(struct pool p, uint16_t fill)
{
	uint16_t *n;
	uint32_t i;

	if (*p.n == *p.cap) {
		uint32_t cap = *p.cap ? *p.cap * 2 : 16;
		uint16_t *tbl;

		if (cap > FWD_LPM_CHILD)
			cap = FWD_LPM_CHILD;
		if (*p.n == cap)
			return -ENOMEM; /* cannot happen: fewer routes than 2^15 */
		tbl = realloc(*p.tbl, (size_t)cap * NODE_BYTES);
		if (!tbl)
			return -ENOMEM;
		*p.tbl = tbl;
		*p.cap = cap;
	}
	n = *p.tbl + (size_t)*p.n * FWD_LPM_FANOUT;
	for (i = 0; i < FWD_LPM_FANOUT; i++)
		n[i] = fill;
	return (long)(*p.n)++;
}

/* The child node behind entry @slot of the level above, created if needed. */
static long child_of(uint16_t *slot, struct pool p)
{
	long c;

	if (*slot & FWD_LPM_CHILD)
		return *slot & ~FWD_LPM_CHILD;
	c = new_node(p, *slot);
	if (c >= 0)
		*slot = (uint16_t)(FWD_LPM_CHILD | (uint32_t)c);
	return c;
}

static void fill(uint16_t *e, uint32_t count, uint16_t leaf)
{
	uint32_t i;

	for (i = 0; i < count; i++)
		e[i] = leaf;
}

/*
 * Insert prefix/len -> @leaf. Every shorter route is already in, so the
 * entries it covers are leaves (no child below them yet) and are simply
 * overwritten.
 */
static int insert(struct fwd_lpm *l, uint32_t prefix, unsigned int len, uint16_t leaf)
{
	struct pool p2 = { &l->tbl8a, &l->n8a, &l->cap8a };
	struct pool p3 = { &l->tbl8b, &l->n8b, &l->cap8b };
	long a, b;

	if (len <= 16) {
		fill(l->tbl16 + (prefix >> 16), 1u << (16 - len), leaf);
		return 0;
	}
	a = child_of(&l->tbl16[prefix >> 16], p2);
	if (a < 0)
		return (int)a;
	if (len <= 24) {
		fill(l->tbl8a + (size_t)a * FWD_LPM_FANOUT + ((prefix >> 8) & 0xff),
		     1u << (24 - len), leaf);
		return 0;
	}
	/* tbl8a does not move while level 3 grows: the slot pointer stays valid */
	b = child_of(&l->tbl8a[(size_t)a * FWD_LPM_FANOUT + ((prefix >> 8) & 0xff)], p3);
	if (b < 0)
		return (int)b;
	fill(l->tbl8b + (size_t)b * FWD_LPM_FANOUT + (prefix & 0xff), 1u << (32 - len), leaf);
	return 0;
}

/* Shrink a pool to its use (a failed shrink keeps the larger block). */
static void trim(uint16_t **tbl, uint32_t n, uint32_t *cap)
{
	uint16_t *s;

	if (!n || n == *cap)
		return;
	s = realloc(*tbl, (size_t)n * NODE_BYTES);
	if (s) {
		*tbl = s;
		*cap = n;
	}
}

int fwd_lpm_build(struct fwd_lpm *l, const struct fwd_table *t)
{
	uint32_t start[34] = { 0 }, *order;
	int i, err = 0;

	memset(l, 0, sizeof(*l));
	if (t->nroutes < 0 || t->nroutes > FWD_MAX_ROUTES || t->nnexthops < 0 ||
	    t->nnexthops > FWD_MAX_NEXTHOPS)
		return -EINVAL;
	for (i = 0; i < t->nroutes; i++) {
		const struct fwd_route *r = &t->routes[i];

		if (r->len > 32 || (r->prefix & ~mask_of(r->len)) || r->nh >= t->nnexthops)
			return -EINVAL;
		start[r->len + 1]++;
	}
	/*
	 * Counting sort by length, shortest first; within one length the
	 * routes go in from the last to the first, so that the first of two
	 * equal prefixes ends on top, the one fwd_lpm_ref() returns.
	 */
	for (i = 1; i < 34; i++)
		start[i] += start[i - 1];
	order = malloc(((size_t)t->nroutes + 1) * sizeof(*order));
	l->tbl16 = calloc(FWD_LPM_ROOT, sizeof(*l->tbl16));
	if (!order || !l->tbl16) {
		err = -ENOMEM;
		goto out;
	}
	for (i = t->nroutes - 1; i >= 0; i--)
		order[start[t->routes[i].len]++] = (uint32_t)i;
	for (i = 0; i < t->nroutes && !err; i++) {
		const struct fwd_route *r = &t->routes[order[i]];

		err = insert(l, r->prefix, r->len, (uint16_t)(r->nh + 1));
	}
	trim(&l->tbl8a, l->n8a, &l->cap8a);
	trim(&l->tbl8b, l->n8b, &l->cap8b);
	l->nh = t->nexthops;
out:
	free(order);
	if (err)
		fwd_lpm_free(l);
	return err;
}

void fwd_lpm_free(struct fwd_lpm *l)
{
	free(l->tbl16);
	free(l->tbl8a);
	free(l->tbl8b);
	memset(l, 0, sizeof(*l));
}

size_t fwd_lpm_bytes(const struct fwd_lpm *l)
{
	return (l->tbl16 ? FWD_LPM_ROOT * sizeof(uint16_t) : 0) +
	       ((size_t)l->cap8a + l->cap8b) * NODE_BYTES;
}
