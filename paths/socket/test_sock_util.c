// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_sock_util.c - unit tests of fwd-socket's pure helpers: CPU lists,
 * option numbers, VLAN tag re-insertion (suite "unit", no privileges).
 */
#include <stdio.h>
#include <string.h>

#include "sock_util.h"

static int failures;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, \
				__LINE__, #cond);                            \
			failures++;                                          \
		}                                                            \
	} while (0)

static void test_cpu_list(void)
{
	int c[8];

	CHECK(sock_parse_cpu_list("1", c, 8) == 1 && c[0] == 1);
	CHECK(sock_parse_cpu_list("0,2-4", c, 8) == 4 && c[0] == 0 && c[1] == 2 &&
	      c[2] == 3 && c[3] == 4);
	CHECK(sock_parse_cpu_list("3-3", c, 8) == 1 && c[0] == 3);
	CHECK(sock_parse_cpu_list("", c, 8) == -1);
	CHECK(sock_parse_cpu_list("a", c, 8) == -1);
	CHECK(sock_parse_cpu_list("1,", c, 8) == -1);
	CHECK(sock_parse_cpu_list("4-2", c, 8) == -1);
	CHECK(sock_parse_cpu_list("-1", c, 8) == -1);
	CHECK(sock_parse_cpu_list("0-8", c, 8) == -1); /* 9 entries > 8 */
	CHECK(sock_parse_cpu_list("5000", c, 8) == -1);
}

static void test_numbers(void)
{
	uint32_t v;
	double d;

	CHECK(sock_parse_u32("16", 1, 64, &v) == 0 && v == 16);
	CHECK(sock_parse_u32("0", 1, 64, &v) == -1);
	CHECK(sock_parse_u32("65", 1, 64, &v) == -1);
	CHECK(sock_parse_u32("-1", 0, 64, &v) == -1);
	CHECK(sock_parse_u32("12x", 0, 64, &v) == -1);
	CHECK(sock_parse_seconds("0.25", &d) == 0 && d == 0.25);
	CHECK(sock_parse_seconds("0", &d) == 0 && d == 0.0);
	CHECK(sock_parse_seconds("-1", &d) == -1);
	CHECK(sock_parse_seconds("nan", &d) == -1);
	CHECK(sock_parse_seconds("1s", &d) == -1);
	CHECK(sock_pow2_at_least(5000, 4096) == 8192);
	CHECK(sock_pow2_at_least(100, 4096) == 4096);
	CHECK(sock_pow2_at_least(4096, 1) == 4096);
}

static void test_vlan(void)
{
	/* dst, src, IPv4 ethertype, 2 payload bytes */
	static const uint8_t in[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
				      0x08, 0x00, 0xaa, 0xbb };
	static const uint8_t want[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
					0x81, 0x00, 0x20, 0x64, /* PCP 1, VID 100 */
					0x08, 0x00, 0xaa, 0xbb };
	static const uint8_t want_ad[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
					   0x88, 0xa8, 0x00, 0x07,
					   0x08, 0x00, 0xaa, 0xbb };
	uint8_t out[32];

	CHECK(sock_vlan_reinsert(out, sizeof(out), in, sizeof(in), 0, 0x2064) ==
	      sizeof(want));
	CHECK(!memcmp(out, want, sizeof(want)));
	CHECK(sock_vlan_reinsert(out, sizeof(out), in, sizeof(in), 0x88a8, 7) ==
	      sizeof(want_ad));
	CHECK(!memcmp(out, want_ad, sizeof(want_ad)));
	CHECK(sock_vlan_reinsert(out, sizeof(in) + 3, in, sizeof(in), 0, 1) == 0);
	CHECK(sock_vlan_reinsert(out, sizeof(out), in, 11, 0, 1) == 0);

	/* in place: frame received 4 bytes into the buffer */
	memset(out, 0xee, sizeof(out));
	memcpy(out + 4, in, sizeof(in));
	CHECK(sock_vlan_reinsert_inplace(out, sizeof(in), 0, 0x2064) == sizeof(want));
	CHECK(!memcmp(out, want, sizeof(want)));
	memcpy(out + 4, in, sizeof(in));
	CHECK(sock_vlan_reinsert_inplace(out, sizeof(in), 0x88a8, 7) == sizeof(want_ad));
	CHECK(!memcmp(out, want_ad, sizeof(want_ad)));
	CHECK(sock_vlan_reinsert_inplace(out, 11, 0, 1) == 0);
}

int main(void)
{
	test_cpu_list();
	test_numbers();
	test_vlan();
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
