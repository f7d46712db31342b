// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_lpm_fast - the fast LPM (paths/lib/fwd_lpm.h, DIR-16-8-8) must return
 * exactly the next hop fwd_lpm_ref() returns (the same pointer), for:
 *  - every route file named on the command line (the golden corpus and
 *    tests/routes/good), parsed by fwd_table_load();
 *  - 300 random compiled tables: prefixes /0../32 (with /0 and /32 in
 *    many), nested and clustered so that /16 and /24 nodes are shared,
 *    sometimes two routes with the same prefix/len (the first wins);
 *  - tables at the limit: FWD_MAX_USER_ROUTES user routes through the
 *    parser, and FWD_MAX_ROUTES /32s in distinct /16s (the worst case for
 *    memory: every route needs a level-2 and a level-3 node);
 * at each prefix's first and last address, one below and one above, and at
 * random addresses. It also checks the errors (-EINVAL for what is not a
 * compiled table), the empty table and that free is idempotent.
 *
 *   test-lpm-fast [ROUTES.conf ...]
 *   test-lpm-fast --bench [--seconds S]   ns per lookup, ref vs fast (not a test)
 */
#include <errno.h>
#include <getopt.h>
#include <time.h>

#include "fwd_lpm.h"
#include "fwd_routes.h"
#include "test_util.h"

static struct fwd_table *t;
static struct fwd_lpm lpm;
static long lookups;

static uint32_t mask_of(unsigned int len)
{
	return len ? ~0u << (32 - len) : 0;
}

static const char *ip(uint32_t a, char *buf)
{
	return fwd_format_ipv4(a, buf);
}

/* One address: the fast answer must be the reference's pointer. */
static void check_addr(const char *what, uint32_t a)
{
	const struct fwd_nexthop *want = fwd_lpm_ref(t, a), *got = fwd_lpm_lookup(&lpm, a);
	char b[16];

	lookups++;
	CHECK(got == want, "%s: %s: fwd_lpm_ref nh %ld, fast nh %ld", what, ip(a, b),
	      want ? (long)(want - t->nexthops) : -1L, got ? (long)(got - t->nexthops) : -1L);
}

/* Every route's boundaries (first, last, +-1), then @nrand random addresses. */
static void check_table(const char *what, int nrand)
{
	int i, before = test_failures;

	for (i = 0; i < t->nroutes && test_failures - before < 10; i++) {
		uint32_t first = t->routes[i].prefix, last = first | ~mask_of(t->routes[i].len);

		check_addr(what, first);
		check_addr(what, last);
		check_addr(what, first - 1);
		check_addr(what, last + 1);
		/* a random host inside, and one in the same /24 and /16 */
		check_addr(what, first | (test_rand32() & ~mask_of(t->routes[i].len)));
		check_addr(what, first ^ (test_rand32() & 0xff));
		check_addr(what, first ^ (test_rand32() & 0xffff));
	}
	for (i = 0; i < nrand && test_failures - before < 10; i++)
		check_addr(what, test_rand32());
	for (i = 0; i < 4; i++) /* the ends of the address space */
		check_addr(what, i < 2 ? (uint32_t)i : ~0u - (uint32_t)(i - 2));
}

/* Build, compare, free. */
static void build_and_check(const char *what, int nrand)
{
	int rc = fwd_lpm_build(&lpm, t);

	CHECK(rc == 0, "%s: fwd_lpm_build returned %d", what, rc);
	if (rc)
		return;
	check_table(what, nrand);
	fwd_lpm_free(&lpm);
}

static void check_file(const char *path)
{
	char err[512];

	if (fwd_table_load(path, t, err, sizeof(err))) {
		CHECK(0, "%s: cannot load: %s", path, err);
		return;
	}
	build_and_check(path, 20000);
}

/* Longest first, as the route compiler sorts (order among equals: by nh). */
static int route_cmp(const void *a, const void *b)
{
	const struct fwd_route *x = a, *y = b;

	if (x->len != y->len)
		return y->len - x->len;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	return x->nh - y->nh;
}

static void set_nexthops(int n)
{
	int i;

	memset(t->nexthops, 0, sizeof(t->nexthops));
	t->nnexthops = n;
	for (i = 0; i < n; i++) {
		t->nexthops[i].kind = (uint8_t)(i % 3);
		t->nexthops[i].port = (uint8_t)(i % FWD_MAX_PORTS);
		t->nexthops[i].mtu = 1500;
		t->nexthops[i].dmac[4] = (uint8_t)(i >> 8);
		t->nexthops[i].dmac[5] = (uint8_t)i;
	}
}

static int has_route(int n, uint32_t prefix, uint8_t len)
{
	int i;

	for (i = 0; i < n; i++)
		if (t->routes[i].prefix == prefix && t->routes[i].len == len)
			return 1;
	return 0;
}

/* A random length biased toward the ends and the stride borders 16 and 24. */
static uint8_t rand_len(void)
{
	static const uint8_t edges[] = { 0, 1, 8, 15, 16, 17, 23, 24, 25, 31, 32 };

	switch (test_range(0, 5)) {
	case 0: return 32;
	case 1: return edges[test_range(0, sizeof(edges) - 1)];
	default: return (uint8_t)test_range(0, 32);
	}
}

/*
 * A random compiled table of @n routes: a few cluster bases so prefixes
 * share /16 and /24 nodes, many nested in an earlier route, a default route
 * in half the tables; duplicates of prefix/len only when @dups.
 */
static void random_table(int n, int dups)
{
	uint32_t base[4];
	int i, tries;

	memset(t, 0, sizeof(*t));
	set_nexthops((int)test_range(1, 64));
	for (i = 0; i < 4; i++)
		base[i] = test_rand32();
	for (i = 0, tries = 0; i < n && tries < 20 * n; tries++) {
		uint8_t len = rand_len();
		uint32_t a;

		switch (test_range(0, 3)) {
		case 0: a = test_rand32(); break;
		case 1: a = base[test_range(0, 3)] ^ (test_rand32() >> test_range(8, 31)); break;
		default: /* inside an earlier route, longer than it */
			if (!i) {
				a = test_rand32();
				break;
			}
			{
				const struct fwd_route *r = &t->routes[test_range(0, (uint32_t)i - 1)];

				a = r->prefix | (test_rand32() & ~mask_of(r->len));
				if (len < r->len)
					len = (uint8_t)test_range(r->len, 32);
			}
		}
		if (i == 0 && test_range(0, 1))
			len = 0;
		a &= mask_of(len);
		if (has_route(i, a, len) && !(dups && test_range(0, 3) == 0))
			continue;
		t->routes[i].prefix = a;
		t->routes[i].len = len;
		t->routes[i].nh = (uint16_t)test_range(0, (uint32_t)t->nnexthops - 1);
		i++;
	}
	t->nroutes = i;
	qsort(t->routes, (size_t)t->nroutes, sizeof(t->routes[0]), route_cmp);
}

static void random_tables(int count)
{
	char what[64];
	int k;

	for (k = 0; k < count; k++) {
		/* mostly small tables (fwd_lpm_ref is the slow side), some large */
		int n = k % 10 == 9 ? (int)test_range(500, 2000) : (int)test_range(1, 300);

		random_table(n, k % 4 == 3);
		snprintf(what, sizeof(what), "random table %d (%d routes)", k, t->nroutes);
		build_and_check(what, 500);
	}
}

/* FWD_MAX_USER_ROUTES user routes (0/0 + random /8../32) through the parser. */
static void limit_parsed(void)
{
	char *text = NULL, err[512];
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	int i;

	if (!f) {
		CHECK(0, "open_memstream: %s", strerror(errno));
		return;
	}
	fprintf(f, "port 0 name in0 mac 02:00:00:00:00:01 addr 10.0.0.1/24\n"
		   "port 1 name out1 mac 02:00:00:00:00:02 addr 10.0.1.1/24\n"
		   "neigh 10.0.1.2 mac 02:00:00:00:00:0b port 1\n"
		   "neigh 10.0.1.3 mac 02:00:00:00:00:0c port 1\n"
		   "route 0.0.0.0/0 via 10.0.1.2\n");
	/* distinct by construction: route i is 100.0.0.0/8 + i's bits, /18../32 */
	for (i = 1; i < FWD_MAX_USER_ROUTES; i++) {
		uint8_t len = (uint8_t)(18 + i % 15);
		uint32_t a = (IP4(100, 0, 0, 0) | (uint32_t)i << (32 - 8 - 14)) & mask_of(len);

		if (len < 22) /* too short to hold i: vary the first octet instead */
			a = (IP4(101 + (i & 63), 0, 0, 0) | (uint32_t)(i >> 6) << (32 - len)) & mask_of(len);
		fprintf(f, "route %u.%u.%u.%u/%u via 10.0.1.%d\n", a >> 24, (a >> 16) & 255,
			(a >> 8) & 255, a & 255, len, 2 + (i & 1));
	}
	fclose(f);
	f = fmemopen(text, size, "r");
	if (!f || fwd_table_parse(f, "limit.conf", t, err, sizeof(err))) {
		CHECK(0, "limit table: %s", f ? err : "fmemopen failed");
	} else {
		CHECK(t->nuser == FWD_MAX_USER_ROUTES, "limit table: %d user routes", t->nuser);
		build_and_check("limit table (parsed)", 20000);
	}
	if (f)
		fclose(f);
	free(text);
}

/* FWD_MAX_ROUTES /32s, each in its own /16: the most nodes a table can need. */
static void limit_worst(void)
{
	int i, rc;

	memset(t, 0, sizeof(*t));
	set_nexthops(FWD_MAX_NEXTHOPS);
	for (i = 0; i < FWD_MAX_ROUTES; i++) {
		t->routes[i].prefix = (uint32_t)i << 16 | (test_rand32() & 0xffff);
		t->routes[i].len = 32;
		t->routes[i].nh = (uint16_t)(i % FWD_MAX_NEXTHOPS);
	}
	t->nroutes = FWD_MAX_ROUTES;
	qsort(t->routes, (size_t)t->nroutes, sizeof(t->routes[0]), route_cmp);
	rc = fwd_lpm_build(&lpm, t);
	CHECK(rc == 0, "worst-case table: fwd_lpm_build returned %d", rc);
	if (rc)
		return;
	CHECK(lpm.n8a == FWD_MAX_ROUTES && lpm.n8b == FWD_MAX_ROUTES,
	      "worst-case table: %u + %u nodes, expected %d each", lpm.n8a, lpm.n8b, FWD_MAX_ROUTES);
	printf("worst-case table (%d /32s in distinct /16s): %.1f MiB\n", FWD_MAX_ROUTES,
	       fwd_lpm_bytes(&lpm) / 1048576.0);
	check_table("worst-case table", 20000);
	fwd_lpm_free(&lpm);
}

/* What is not a compiled table is refused; the empty table finds nothing. */
static void errors(void)
{
	static const struct { uint32_t prefix; uint8_t len; uint16_t nh; const char *what; } bad[] = {
		{ IP4(10, 0, 0, 1), 24, 0, "host bits set" },
		{ 0, 33, 0, "length 33" },
		{ IP4(10, 0, 0, 0), 8, 4, "next hop out of range" },
	};
	size_t k;
	int rc, i;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		memset(t, 0, sizeof(*t));
		set_nexthops(4);
		t->routes[0].prefix = bad[k].prefix;
		t->routes[0].len = bad[k].len;
		t->routes[0].nh = bad[k].nh;
		t->nroutes = 1;
		rc = fwd_lpm_build(&lpm, t);
		CHECK(rc == -EINVAL, "%s: fwd_lpm_build returned %d, expected -EINVAL", bad[k].what, rc);
		CHECK(!lpm.tbl16 && !lpm.tbl8a && !lpm.tbl8b, "%s: left memory behind", bad[k].what);
		fwd_lpm_free(&lpm);
	}
	memset(t, 0, sizeof(*t));
	rc = fwd_lpm_build(&lpm, t);
	CHECK(rc == 0, "empty table: fwd_lpm_build returned %d", rc);
	if (!rc) {
		for (i = 0; i < 1000; i++) {
			uint32_t a = test_rand32();

			CHECK(fwd_lpm_lookup(&lpm, a) == NULL, "empty table: route for 0x%08x", a);
		}
		CHECK(fwd_lpm_bytes(&lpm) == FWD_LPM_ROOT * 2, "empty table: %zu bytes",
		      fwd_lpm_bytes(&lpm));
	}
	fwd_lpm_free(&lpm);
	fwd_lpm_free(&lpm); /* idempotent */
	CHECK(fwd_lpm_bytes(&lpm) == 0, "freed trie: %zu bytes", fwd_lpm_bytes(&lpm));
}

/* ---- benchmark (not a test) ------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/*
 * core-bench's table (paths/tests/bench/core_bench.c): 0/0 then random
 * prefixes, 60 % /24, 35 % /16../23, 5 % /8../15, via two neighbours; also
 * returns the prefixes so that destinations fall inside them.
 */
static int bench_table(int n, uint32_t *px, uint8_t *ln)
{
	char *text = NULL, err[512];
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	int i, j, rc;

	if (!f)
		return -1;
	fprintf(f, "port 0 name in0 mac 02:00:00:00:00:01 addr 10.0.0.1/24\n"
		   "port 1 name out1 mac 02:00:00:00:00:02 addr 10.0.1.1/24\n"
		   "neigh 10.0.1.2 mac 02:00:00:00:00:0b port 1\n"
		   "neigh 10.0.1.3 mac 02:00:00:00:00:0c port 1\n");
	for (i = 0; i < n; i++) {
		uint32_t r = test_range(0, 99), a;
		uint8_t len = i == 0 ? 0 : r < 60 ? 24 : r < 95 ? (uint8_t)test_range(16, 23)
							       : (uint8_t)test_range(8, 15);

		do
			a = test_rand32();
		while ((a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 || (a >> 24) >= 224);
		a &= mask_of(len);
		for (j = 0; j < i; j++)
			if (px[j] == a && ln[j] == len)
				break;
		if (j < i) {
			i--;
			continue;
		}
		px[i] = a;
		ln[i] = len;
		fprintf(f, "route %u.%u.%u.%u/%u via 10.0.1.%d\n", a >> 24, (a >> 16) & 255,
			(a >> 8) & 255, a & 255, len, 2 + (i & 1));
	}
	fclose(f);
	f = fmemopen(text, size, "r");
	rc = !f || fwd_table_parse(f, "bench.conf", t, err, sizeof(err));
	if (rc)
		fprintf(stderr, "test-lpm-fast: bench table: %s\n", f ? err : "fmemopen failed");
	if (f)
		fclose(f);
	free(text);
	return rc ? -1 : 0;
}

#define BENCH_ADDRS 4096

static volatile uintptr_t bench_sink;

/* ns per lookup over @addr[], for about @seconds (at least one pass). */
static double bench_loop(int fast, const uint32_t *addr, double seconds)
{
	uintptr_t acc = 0;
	long n = 0;
	double t0 = now_s(), t1;
	int i;

	do {
		if (fast)
			for (i = 0; i < BENCH_ADDRS; i++)
				acc += (uintptr_t)fwd_lpm_lookup(&lpm, addr[i]);
		else
			for (i = 0; i < BENCH_ADDRS; i++)
				acc += (uintptr_t)fwd_lpm_ref(t, addr[i]);
		n += BENCH_ADDRS;
		t1 = now_s();
	} while (t1 - t0 < seconds);
	bench_sink += acc;
	return (t1 - t0) * 1e9 / (double)n;
}

static int bench(double seconds)
{
	static const int sizes[] = { 16, 1024, FWD_MAX_USER_ROUTES };
	static uint32_t px[FWD_MAX_USER_ROUTES], addr[BENCH_ADDRS], any[BENCH_ADDRS];
	static uint8_t ln[FWD_MAX_USER_ROUTES];
	size_t k;
	int i;

	printf("test-lpm-fast --bench: ns per lookup, mean over %d independent lookups; rough:\n"
	       "one run on a shared machine. 'in': destinations inside random routes of the\n"
	       "table; 'any': uniform random addresses (most match only 0/0, the longest scan\n"
	       "for fwd_lpm_ref)\n", BENCH_ADDRS);
	printf("%11s %9s %11s %11s %11s %11s %9s %9s\n", "user routes", "compiled", "ref in",
	       "fast in", "ref any", "fast any", "build ms", "trie KiB");
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		double ns_ref, ns_fast, ns_ref_any, ns_fast_any, b0, b1;

		if (bench_table(sizes[k], px, ln))
			return 1;
		for (i = 0; i < BENCH_ADDRS; i++) {
			uint32_t j = test_range(1, (uint32_t)sizes[k] - 1);

			addr[i] = px[j] | (test_rand32() & ~mask_of(ln[j]));
			any[i] = test_rand32();
		}
		b0 = now_s();
		if (fwd_lpm_build(&lpm, t)) {
			fprintf(stderr, "test-lpm-fast: fwd_lpm_build failed\n");
			return 1;
		}
		b1 = now_s();
		for (i = 0; i < BENCH_ADDRS; i++) /* the benchmark is worthless if they differ */
			if (fwd_lpm_lookup(&lpm, addr[i]) != fwd_lpm_ref(t, addr[i]) ||
			    fwd_lpm_lookup(&lpm, any[i]) != fwd_lpm_ref(t, any[i])) {
				fprintf(stderr, "test-lpm-fast: fast and ref LPM differ\n");
				return 1;
			}
		ns_fast = bench_loop(1, addr, seconds);
		ns_ref = bench_loop(0, addr, seconds);
		ns_fast_any = bench_loop(1, any, seconds);
		ns_ref_any = bench_loop(0, any, seconds);
		printf("%11d %9d %11.2f %11.2f %11.2f %11.2f %9.2f %9.0f\n", sizes[k], t->nroutes,
		       ns_ref, ns_fast, ns_ref_any, ns_fast_any, (b1 - b0) * 1e3,
		       fwd_lpm_bytes(&lpm) / 1024.0);
		fwd_lpm_free(&lpm);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bench", no_argument, NULL, 'b' },
		{ "seconds", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	double seconds = 0.5;
	int do_bench = 0, c, rc;
	char *end;

	while ((c = getopt_long(argc, argv, "bs:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b': do_bench = 1; break;
		case 's':
			seconds = strtod(optarg, &end);
			if (*end || !(seconds > 0 && seconds <= 60)) {
				fprintf(stderr, "test-lpm-fast: --seconds: expected (0, 60], got '%s'\n", optarg);
				return 2;
			}
			break;
		case 'h':
			printf("usage: test-lpm-fast [ROUTES.conf ...] | --bench [--seconds S]\n");
			return 0;
		default:
			fprintf(stderr, "usage: test-lpm-fast [ROUTES.conf ...] | --bench [--seconds S]\n");
			return 2;
		}
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		fprintf(stderr, "test-lpm-fast: out of memory\n");
		return 1;
	}
	test_seed("test-lpm-fast");
	if (do_bench) {
		rc = bench(seconds);
		free(t);
		return rc;
	}
	for (c = optind; c < argc; c++)
		check_file(argv[c]);
	errors();
	random_tables(300);
	limit_parsed();
	limit_worst();
	printf("test-lpm-fast: %d route files, %ld lookups compared\n", argc - optind, lookups);
	free(t);
	return test_done("test-lpm-fast");
}
