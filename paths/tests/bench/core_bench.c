// SPDX-License-Identifier: BSD-2-Clause
/*
 * core-bench - microbenchmark of the shared core: ns per packet for
 * parse + lookup + decide + rewrite over a mix of 64-byte frames, CPU only
 * (no I/O). Not a test: `meson test --benchmark` runs it as
 * 'core-ns-per-pkt'.
 *
 *   core-bench [--table N] [--frames N] [--seconds S] [--lpm ref|fast]
 *
 * The table is N user routes (default 1024: one default route plus random
 * /8../24 prefixes, mostly /24, via two neighbours) compiled by the route
 * parser. The frame mix is 90 % forwardable UDP to destinations inside the
 * routed prefixes, 4 % TTL 1, 3 % to the router itself, 3 % with a bad
 * checksum. Every packet is restored from its template (a 64-byte copy)
 * before it is processed, so every iteration does the full work; the copy
 * alone is timed too. Three loops:
 *   ref:     parse + fwd_lpm_ref (the reference LPM, a linear scan) + decide + rewrite
 *            (--lpm fast: fwd_lpm_lookup, the DIR-16-8-8 trie of paths/lib/fwd_lpm.h)
 *   trivial: parse + an array index as lookup + decide + rewrite (the core alone)
 *   copy:    the restore copy only
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fwd_core.h"
#include "fwd_lpm.h"
#include "fwd_routes.h"

#define FRAME_LEN 64

struct bench {
	struct fwd_table *t;
	struct fwd_lpm lpm;  /* built only with --lpm fast */
	int fast;            /* --lpm fast */
	int nframes;
	uint8_t (*tmpl)[FRAME_LEN]; /* pristine frames */
	uint8_t (*work)[FRAME_LEN]; /* rewritten in place each round */
	struct fwd_nexthop trivial_nh[4];
	uint64_t verdicts[FWD_REASON_MAX];
};

static volatile uint64_t sink; /* results are folded here so nothing is dead code */

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint32_t mask_of(unsigned int len)
{
	return len ? ~0u << (32 - len) : 0;
}

/* A unicast, non-martian, non-10/8 address. */
static uint32_t public_addr(void)
{
	for (;;) {
		uint32_t a = rnd() ^ (rnd() << 16);
		uint8_t o = a >> 24;

		if (o != 0 && o != 10 && o != 127 && o < 224 && (a >> 16) != 0xa9fe)
			return a;
	}
}

/* Route file text: 2 ports, 2 neighbours, n user routes (0/0 first). */
static char *gen_routes(int n, uint32_t **prefixes, uint8_t **lens)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	uint32_t *px = calloc((size_t)n + 1, sizeof(*px));
	uint8_t *ln = calloc((size_t)n + 1, 1);
	int i, j;

	if (!f || !px || !ln) {
		fprintf(stderr, "core-bench: out of memory\n");
		exit(1);
	}
	fprintf(f, "port 0 name in0 mac 02:00:00:00:00:01 addr 10.0.0.1/24\n"
		   "port 1 name out1 mac 02:00:00:00:00:02 addr 10.0.1.1/24\n"
		   "neigh 10.0.1.2 mac 02:00:00:00:00:0b port 1\n"
		   "neigh 10.0.1.3 mac 02:00:00:00:00:0c port 1\n");
	for (i = 0; i < n; i++) {
		uint32_t r = rnd() % 100;
		uint8_t len = i == 0 ? 0 : r < 60 ? 24 : r < 95 ? (uint8_t)(16 + rnd() % 8) : (uint8_t)(8 + rnd() % 8);
		uint32_t p = i == 0 ? 0 : public_addr() & mask_of(len);

		for (j = 0; j < i; j++)
			if (px[j] == p && ln[j] == len)
				break;
		if (j < i) { /* duplicate: draw again */
			i--;
			continue;
		}
		px[i] = p;
		ln[i] = len;
		fprintf(f, "route %u.%u.%u.%u/%u via 10.0.1.%d\n", p >> 24, (p >> 16) & 255,
			(p >> 8) & 255, p & 255, len, 2 + (i & 1));
	}
	fclose(f);
	*prefixes = px;
	*lens = ln;
	return text;
}

static uint16_t ip_csum(const uint8_t *h)
{
	uint32_t s = 0;
	int i;

	for (i = 0; i < 20; i += 2)
		if (i != 10)
			s += (uint32_t)h[i] << 8 | h[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* One 64-byte Ethernet + IPv4 + UDP frame to @dst. */
static void make_frame(uint8_t *f, uint32_t dst, uint8_t ttl, int bad_csum)
{
	static const uint8_t hdr[14] = { 0x02, 0, 0, 0, 0, 0x01, /* dst MAC: port 0 */
					 0x02, 0, 0, 0, 0, 0xaa, /* src MAC */
					 0x08, 0x00 };
	uint8_t *ip = f + 14;
	uint32_t src = 0xc6120002; /* 198.18.0.2 */
	uint16_t c;
	int i;

	memcpy(f, hdr, 14);
	for (i = 14; i < FRAME_LEN; i++)
		f[i] = (uint8_t)i;
	ip[0] = 0x45;
	ip[1] = 0;
	ip[2] = 0;
	ip[3] = FRAME_LEN - 14;
	ip[4] = (uint8_t)rnd();
	ip[5] = (uint8_t)rnd();
	ip[6] = 0x40;
	ip[7] = 0;
	ip[8] = ttl;
	ip[9] = 17;
	for (i = 0; i < 4; i++) {
		ip[12 + i] = (uint8_t)(src >> (24 - 8 * i));
		ip[16 + i] = (uint8_t)(dst >> (24 - 8 * i));
	}
	ip[10] = ip[11] = 0;
	c = ip_csum(ip) ^ (bad_csum ? 0x00ff : 0);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
}

static void make_mix(struct bench *b, int ntable, const uint32_t *px, const uint8_t *ln)
{
	int i;

	for (i = 0; i < b->nframes; i++) {
		uint32_t r = rnd() % 100, k = ntable > 1 ? 1 + rnd() % (uint32_t)(ntable - 1) : 0;
		uint32_t dst = ntable > 1 ? px[k] | (rnd() & ~mask_of(ln[k])) : public_addr();

		if (r < 90)
			make_frame(b->tmpl[i], dst, 64, 0);
		else if (r < 94)
			make_frame(b->tmpl[i], dst, 1, 0);
		else if (r < 97)
			make_frame(b->tmpl[i], 0x0a000001, 64, 0); /* the router itself */
		else
			make_frame(b->tmpl[i], dst, 64, 1);
	}
}

enum mode { M_REF, M_TRIVIAL, M_COPY };

/* One pass over all frames; returns a value that depends on every result. */
static uint64_t pass(struct bench *b, enum mode m, int count)
{
	const uint8_t *in_mac = b->t->ports[0].mac;
	uint64_t acc = 0;
	int i;

	for (i = 0; i < b->nframes; i++) {
		uint8_t *f = b->work[i];
		const struct fwd_nexthop *nh;
		struct fwd_pkt p;
		enum fwd_reason r;

		memcpy(f, b->tmpl[i], FRAME_LEN);
		if (m == M_COPY) {
			acc += f[FRAME_LEN - 1 - (i & 7)];
			continue;
		}
		r = fwd_parse(f, f + FRAME_LEN, in_mac, &p);
		if (r == FWD_FORWARD) {
			if (m != M_REF)
				nh = &b->trivial_nh[fwd_ntohl(p.daddr) & 3];
			else if (b->fast)
				nh = fwd_lpm_lookup(&b->lpm, fwd_ntohl(p.daddr));
			else
				nh = fwd_lpm_ref(b->t, fwd_ntohl(p.daddr));
			r = fwd_decide(&p, nh);
			if (r == FWD_FORWARD) {
				fwd_rewrite(&p, nh);
				acc += nh->port + f[24]; /* egress port + new checksum byte */
			}
		}
		acc += (uint64_t)r << 8;
		if (count)
			b->verdicts[r]++;
	}
	return acc;
}

/* Run passes for about @seconds; returns ns per packet. */
static double measure(struct bench *b, enum mode m, double seconds)
{
	double t0, t1;
	uint64_t rounds = 0, acc = 0;

	acc += pass(b, m, 0); /* warm up */
	t0 = now_s();
	do {
		int k;

		for (k = 0; k < 64; k++)
			acc += pass(b, m, 0);
		rounds += 64;
		t1 = now_s();
	} while (t1 - t0 < seconds);
	sink += acc;
	return (t1 - t0) * 1e9 / ((double)rounds * b->nframes);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: core-bench [--table N] [--frames N] [--seconds S] [--lpm ref|fast]\n"
		   "  --table N    user routes in the table (1..%d, default 1024)\n"
		   "  --frames N   frames in the mix (1..65536, default 256)\n"
		   "  --seconds S  time per loop (default 0.5)\n"
		   "  --lpm L      ref: fwd_lpm_ref, linear scan (default); fast: fwd_lpm_lookup\n",
		FWD_MAX_USER_ROUTES);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "table", required_argument, NULL, 't' },
		{ "frames", required_argument, NULL, 'f' },
		{ "seconds", required_argument, NULL, 's' },
		{ "lpm", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct bench b = { .nframes = 256 };
	int ntable = 1024, c, i;
	double seconds = 0.5, ns_ref, ns_triv, ns_copy;
	uint32_t *px;
	uint8_t *ln;
	char *text, *end, err[512];
	FILE *f;

	while ((c = getopt_long(argc, argv, "t:f:s:l:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			ntable = (int)strtol(optarg, &end, 10);
			if (*end || ntable < 1 || ntable > FWD_MAX_USER_ROUTES) {
				fprintf(stderr, "core-bench: --table: expected 1..%d, got '%s'\n",
					FWD_MAX_USER_ROUTES, optarg);
				return 2;
			}
			break;
		case 'f':
			b.nframes = (int)strtol(optarg, &end, 10);
			if (*end || b.nframes < 1 || b.nframes > 65536) {
				fprintf(stderr, "core-bench: --frames: expected 1..65536, got '%s'\n", optarg);
				return 2;
			}
			break;
		case 's':
			seconds = strtod(optarg, &end);
			if (*end || !(seconds > 0 && seconds <= 60)) {
				fprintf(stderr, "core-bench: --seconds: expected (0, 60], got '%s'\n", optarg);
				return 2;
			}
			break;
		case 'l':
			if (strcmp(optarg, "ref") && strcmp(optarg, "fast")) {
				fprintf(stderr, "core-bench: --lpm: expected ref or fast, got '%s'\n", optarg);
				return 2;
			}
			b.fast = !strcmp(optarg, "fast");
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	b.t = calloc(1, sizeof(*b.t));
	b.tmpl = calloc((size_t)b.nframes, FRAME_LEN);
	b.work = calloc((size_t)b.nframes, FRAME_LEN);
	if (!b.t || !b.tmpl || !b.work) {
		fprintf(stderr, "core-bench: out of memory\n");
		return 1;
	}
	text = gen_routes(ntable, &px, &ln);
	f = fmemopen(text, strlen(text), "r");
	if (!f || fwd_table_parse(f, "bench.conf", b.t, err, sizeof(err))) {
		fprintf(stderr, "core-bench: %s\n", f ? err : "fmemopen failed");
		return 1;
	}
	fclose(f);
	if (b.fast && fwd_lpm_build(&b.lpm, b.t)) {
		fprintf(stderr, "core-bench: out of memory building the LPM\n");
		return 1;
	}
	for (i = 0; i < 4; i++) { /* the trivial "LPM": four forwarding next hops */
		b.trivial_nh[i] = b.t->nexthops[b.t->routes[0].nh];
		b.trivial_nh[i].kind = FWD_NH_FORWARD;
		b.trivial_nh[i].port = (uint8_t)(i & 1);
		b.trivial_nh[i].mtu = 1500;
		b.trivial_nh[i].dmac[5] = (uint8_t)(0x10 + i);
	}
	make_mix(&b, ntable, px, ln);
	sink += pass(&b, M_REF, 1); /* verdict mix of the reference loop */

	ns_copy = measure(&b, M_COPY, seconds);
	ns_triv = measure(&b, M_TRIVIAL, seconds);
	ns_ref = measure(&b, M_REF, seconds);

	printf("core-bench: %d-frame mix of %d B frames:", b.nframes, FRAME_LEN);
	for (i = 0; i < FWD_REASON_MAX; i++)
		if (b.verdicts[i]) {
			static const char *const names[] = {
#define X_NAME(e, name, kind) name,
				FWD_REASONS(X_NAME)
#undef X_NAME
			};
			printf(" %s %llu", names[i], (unsigned long long)b.verdicts[i]);
		}
	printf("\ncore-bench: table %d user routes -> %d compiled entries (%s)\n", ntable,
	       b.t->nroutes, b.fast ? "fast LPM: DIR-16-8-8 trie" : "reference LPM: linear scan");
	printf("parse+lpm_%s+decide+rewrite: %s%8.2f ns/pkt  %7.2f Mpps\n", b.fast ? "fast" : "ref",
	       b.fast ? "" : " ", ns_ref, 1e3 / ns_ref);
	printf("parse+trivial+decide+rewrite:  %8.2f ns/pkt  %7.2f Mpps   (the core alone)\n",
	       ns_triv, 1e3 / ns_triv);
	printf("frame restore (64 B copy):     %8.2f ns/pkt             (included in both)\n", ns_copy);
	printf("(rough: one run on a shared machine; sink %llu)\n", (unsigned long long)(sink & 0xff));
	free(text);
	free(px);
	free(ln);
	fwd_lpm_free(&b.lpm);
	free(b.t);
	free(b.tmpl);
	free(b.work);
	return 0;
}
