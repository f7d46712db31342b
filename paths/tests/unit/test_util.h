/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_util.h - what every unit test shares: CHECK() (count and report a
 * failure, keep going), a reproducible PRNG, an independent RFC 1071 header
 * checksum and a builder for crafted Ethernet + IPv4 + UDP frames.
 *
 * Nothing here calls the core: the checksum and the frame layout are written
 * again from RFC 791 / RFC 1071 so that the tests do not trust the code they
 * test.
 */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failures;
static int test_checks;

/* Record one check; on failure print where and why, and keep going. */
#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		test_checks++;                                               \
		if (!(cond)) {                                               \
			test_failures++;                                     \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__,        \
				__LINE__, #cond);                            \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
		}                                                            \
	} while (0)

/* Summary line and exit status for main(). */
static inline int test_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, test_checks, test_failures);
	return test_failures ? 1 : 0;
}

/* splitmix64: small, fast, reproducible. Seed from FWD_TEST_SEED if set. */
static uint64_t test_rng_state = 0x9e3779b97f4a7c15ull;

static inline void test_seed(const char *name)
{
	const char *s = getenv("FWD_TEST_SEED");

	if (s)
		test_rng_state = strtoull(s, NULL, 0);
	printf("%s: seed 0x%llx (set FWD_TEST_SEED to repeat)\n", name,
	       (unsigned long long)test_rng_state);
}

static inline uint64_t test_rand64(void)
{
	uint64_t z = (test_rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint32_t test_rand32(void) { return (uint32_t)test_rand64(); }

/* Uniform in [lo, hi]. */
static inline uint32_t test_range(uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t)(test_rand64() % ((uint64_t)hi - lo + 1));
}

/*
 * RFC 1071 checksum of an IPv4 header of @len bytes with its checksum field
 * taken as zero: ~(one's complement sum of the big-endian 16-bit words).
 * Returned in host order; store it big-endian at offset 10.
 */
static inline uint16_t test_ip_csum(const uint8_t *h, unsigned int len)
{
	uint32_t sum = 0;
	unsigned int i;

	for (i = 0; i + 1 < len; i += 2)
		if (i != 10)
			sum += (uint32_t)h[i] << 8 | h[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* 1 if the header of @len bytes verifies (sum of all words incl. checksum is 0xFFFF). */
static inline int test_ip_csum_ok(const uint8_t *h, unsigned int len)
{
	uint32_t sum = 0;
	unsigned int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)h[i] << 8 | h[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

static inline void test_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void test_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint16_t test_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

/* Offsets in a frame: Ethernet, then IPv4 at 14 (RFC 791 3.1). */
enum {
	OFF_DMAC = 0, OFF_SMAC = 6, OFF_TYPE = 12, OFF_IP = 14,
	OFF_VER_IHL = 14, OFF_TOS = 15, OFF_TOTLEN = 16, OFF_ID = 18,
	OFF_FRAG = 20, OFF_TTL = 22, OFF_PROTO = 23, OFF_CSUM = 24,
	OFF_SADDR = 26, OFF_DADDR = 30,
};

/* An optional field of a frame spec: .ttl = SET(1). */
struct opt { int set; uint32_t v; };
#define SET(x) { 1, (uint32_t)(x) }

/*
 * A crafted frame: defaults give a valid 64-byte Ethernet + IPv4 + UDP frame
 * from 198.18.0.2 to 198.19.0.1, TTL 64, addressed to the ingress MAC.
 */
struct frame_spec {
	const uint8_t *ingress; /* ingress port MAC; NULL: the test's default */
	const uint8_t *dmac;  /* NULL: the ingress port MAC */
	struct opt type;      /* ethertype */
	struct opt ver_ihl;   /* raw first IP byte (overrides opt_words' IHL) */
	struct opt opt_words; /* IPv4 options: N 32-bit words of NOPs, IHL 5+N */
	struct opt tot_len;   /* raw total length */
	struct opt frag;      /* raw flags + fragment offset */
	struct opt ttl;
	struct opt proto;
	struct opt saddr, daddr;
	struct opt size;      /* frame bytes before any cut (default 64) */
	struct opt cut;       /* truncate the frame to this many bytes at the end */
	int csum;             /* 0 correct, 1 corrupted, 2 left 0 */
};

/* Build @s into @buf (>= 2048 bytes) for ingress MAC @in_mac; returns the length. */
static inline size_t test_build(uint8_t *buf, const struct frame_spec *s,
				const uint8_t *in_mac)
{
	static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0xaa };
	size_t size = s->size.set ? s->size.v : 64, len, i;
	unsigned int words = s->opt_words.set ? s->opt_words.v : 0;
	unsigned int hlen = 20 + 4 * words;
	uint8_t *ip = buf + OFF_IP;

	memset(buf, 0, 2048);
	memcpy(buf + OFF_DMAC, s->dmac ? s->dmac : in_mac, 6);
	memcpy(buf + OFF_SMAC, peer_mac, 6);
	test_put16(buf + OFF_TYPE, s->type.set ? (uint16_t)s->type.v : 0x0800);
	for (i = OFF_IP; i < size; i++)
		buf[i] = (uint8_t)(0x40 + i); /* payload pattern */
	ip[0] = s->ver_ihl.set ? (uint8_t)s->ver_ihl.v : (uint8_t)(0x40 | (5 + words));
	ip[1] = 0;
	test_put16(ip + 2, s->tot_len.set ? (uint16_t)s->tot_len.v : (uint16_t)(size - 14));
	test_put16(ip + 4, 0x1234);
	test_put16(ip + 6, s->frag.set ? (uint16_t)s->frag.v : 0x4000); /* DF */
	ip[8] = s->ttl.set ? (uint8_t)s->ttl.v : 64;
	ip[9] = s->proto.set ? (uint8_t)s->proto.v : 17;
	test_put32(ip + 12, s->saddr.set ? s->saddr.v : IP4(198, 18, 0, 2));
	test_put32(ip + 16, s->daddr.set ? s->daddr.v : IP4(198, 19, 0, 1));
	for (i = 20; i < hlen; i++)
		ip[i] = 1; /* NOP options */
	/* UDP header after the IP header: ports 9, length, no checksum. */
	if (OFF_IP + hlen + 8 <= size) {
		test_put16(ip + hlen, 1234);
		test_put16(ip + hlen + 2, 9);
		test_put16(ip + hlen + 4, (uint16_t)(size - 14 - hlen));
		test_put16(ip + hlen + 6, 0);
	}
	test_put16(ip + 10, 0);
	{ /* over the IHL the header claims (at least 20 bytes) */
		unsigned int ihl = ip[0] & 15;
		uint16_t c = test_ip_csum(ip, ihl < 5 ? 20 : ihl * 4);

		if (s->csum == 1)
			c ^= 0x0101;
		else if (s->csum == 2)
			c = 0;
		test_put16(ip + 10, c);
	}
	len = s->cut.set ? s->cut.v : size;
	return len;
}

#endif /* TEST_UTIL_H */
