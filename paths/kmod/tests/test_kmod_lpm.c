// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_kmod_lpm - the module's stride-8 trie (fwd_kmod_lpm.c, compiled for
 * userspace) must give exactly fwd_lpm_ref()'s answer:
 *  - for every route file named on the command line (the golden cases'),
 *    at each prefix's first and last address, just outside it, and at
 *    random addresses;
 *  - for random tables (all prefix lengths 0..32, nested prefixes);
 *  - and it must reject what the kernel must not accept (host bits set,
 *    length > 32, next hop out of range, duplicates).
 *
 *   test_kmod_lpm [ROUTES.conf ...]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwd_kmod_lpm.h"
#include "fwd_routes.h"

static int failures;

#define CHECK(cond, ...)                                               \
	do {                                                           \
		if (!(cond)) {                                         \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                  \
			fputc('\n', stderr);                           \
			failures++;                                    \
		}                                                      \
	} while (0)

static uint32_t rnd(void)
{
	static uint64_t s = 0x9e3779b97f4a7c15ull;

	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return (uint32_t)(s >> 11);
}

static int build(const struct fwd_table *t, struct fkm_lpm *l)
{
	struct fkm_route *w = calloc((size_t)t->nroutes + 1, sizeof(*w));
	int i, rc;

	for (i = 0; i < t->nroutes; i++) {
		w[i].prefix = t->routes[i].prefix;
		w[i].len = t->routes[i].len;
		w[i].nh = t->routes[i].nh;
	}
	rc = fkm_lpm_build(l, w, (uint32_t)t->nroutes, (uint32_t)t->nnexthops);
	free(w);
	return rc;
}

static int same(const struct fwd_table *t, const struct fkm_lpm *l, uint32_t a)
{
	const struct fwd_nexthop *ref = fwd_lpm_ref(t, a);
	int want = ref ? (int)(ref - t->nexthops) : -1;
	int got = fkm_lpm_lookup(l, a);

	if (got != want) {
		char b[16];

		fprintf(stderr, "FAIL: %s: trie nh %d, fwd_lpm_ref nh %d\n",
			fwd_format_ipv4(a, b), got, want);
		failures++;
		return 0;
	}
	return 1;
}

/* Compare at every prefix's edges and at @nrand random addresses. */
static void compare(const struct fwd_table *t, const struct fkm_lpm *l, int nrand)
{
	int i;

	for (i = 0; i < t->nroutes; i++) {
		uint32_t p = t->routes[i].prefix, len = t->routes[i].len;
		uint32_t last = p | (len ? ~(~0u << (32 - len)) : ~0u);

		if (len == 0)
			last = ~0u;
		same(t, l, p);
		same(t, l, last);
		same(t, l, p - 1);
		same(t, l, last + 1);
		same(t, l, p | (rnd() & (last - p)));
	}
	for (i = 0; i < nrand; i++)
		same(t, l, rnd());
}

static int route_cmp(const void *a, const void *b)
{
	const struct fwd_route *x = a, *y = b;

	if (x->len != y->len)
		return y->len - x->len;
	return x->prefix < y->prefix ? -1 : x->prefix > y->prefix;
}

/* A random table of @n distinct routes, mostly nested in a few /8s. */
static void random_table(struct fwd_table *t, int n)
{
	int i, j;

	memset(t, 0, sizeof(*t));
	t->nnexthops = 40;
	for (i = 0; i < t->nnexthops; i++)
		t->nexthops[i].port = (uint8_t)i;
	while (t->nroutes < n) {
		uint8_t len = (uint8_t)(rnd() % 33);
		uint32_t base = (rnd() % 4) << 24 | 0x0a000000u;
		uint32_t p = (rnd() & 1 ? rnd() : base | (rnd() & 0xffffff));
		int dup = 0;

		p &= len ? ~0u << (32 - len) : 0;
		for (j = 0; j < t->nroutes; j++)
			if (t->routes[j].prefix == p && t->routes[j].len == len)
				dup = 1;
		if (dup)
			continue;
		t->routes[t->nroutes].prefix = p;
		t->routes[t->nroutes].len = len;
		t->routes[t->nroutes].nh = (uint16_t)(rnd() % (uint32_t)t->nnexthops);
		t->nroutes++;
	}
	qsort(t->routes, (size_t)t->nroutes, sizeof(t->routes[0]), route_cmp);
}

static void test_rejects(void)
{
	struct fkm_route r[2] = { { 0x0a000000u, 8, 0, 0 }, { 0x0a000000u, 8, 0, 1 } };
	struct fkm_lpm l;

	CHECK(fkm_lpm_build(&l, r, 2, 2) == -EEXIST, "duplicate accepted");
	CHECK(!l.nodes, "nodes left after an error");
	r[0].prefix = 0x0a000001u;
	CHECK(fkm_lpm_build(&l, r, 1, 2) == -EINVAL, "host bits accepted");
	r[0].prefix = 0x0a000000u;
	r[0].len = 33;
	CHECK(fkm_lpm_build(&l, r, 1, 2) == -EINVAL, "length 33 accepted");
	r[0].len = 8;
	r[0].nh = 2;
	CHECK(fkm_lpm_build(&l, r, 1, 2) == -EINVAL, "next hop out of range accepted");
	r[0].nh = 0;
	r[0].pad = 1;
	CHECK(fkm_lpm_build(&l, r, 1, 2) == -EINVAL, "non-zero pad accepted");
	CHECK(fkm_lpm_build(&l, r, 0, 0) == 0 && fkm_lpm_lookup(&l, 0x0a000001u) == -1,
	      "empty table must find nothing");
	fkm_lpm_free(&l);
}

int main(int argc, char **argv)
{
	struct fwd_table *t = calloc(1, sizeof(*t));
	struct fkm_lpm l;
	char err[512];
	int i, k;

	if (!t)
		return 1;
	for (i = 1; i < argc; i++) {
		if (fwd_table_load(argv[i], t, err, sizeof(err))) {
			fprintf(stderr, "FAIL: %s\n", err);
			failures++;
			continue;
		}
		CHECK(build(t, &l) == 0, "%s: build failed", argv[i]);
		compare(t, &l, 20000);
		fkm_lpm_free(&l);
	}
	for (k = 0; k < 30; k++) {
		random_table(t, 1 + (int)(rnd() % 600));
		CHECK(build(t, &l) == 0, "random table %d: build failed", k);
		compare(t, &l, 20000);
		fkm_lpm_free(&l);
	}
	test_rejects();
	free(t);
	printf("%s: %d route files, 30 random tables, %d failures\n",
	       failures ? "FAIL" : "ok", argc - 1, failures);
	return failures ? 1 : 0;
}
