// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_payload - the frame layout fwd-profile writes and every tool reads:
 * tr_frame_build() for every RFC 2544 size (length = size - FCS, valid
 * IPv4 checksum, lengths, ports, magic at offset 42), tr_payload_find() on
 * good and bad frames (VLAN, IP options, fragments, not UDP, too short),
 * tr_payload_stamp() byte order, the IMIX cycle and prefix host numbering.
 */
#include <stdio.h>
#include <string.h>

#include "tr_frame.h"
#include "tr_payload.h"

#include "test_util.h" /* paths/tests/unit: CHECK(), test_done() */

static const struct tr_frame_spec base = {
	.dmac = { 2, 0, 0, 0, 0, 2 }, .smac = { 2, 0, 0, 0, 0, 1 },
	.saddr = 0xc6120001, .daddr = 0xc6130001, .sport = 0xc020, .dport = 7,
	.ttl = 64, .size = 64,
};

static unsigned get16(const uint8_t *p) { return (unsigned)p[0] << 8 | p[1]; }

static void test_build_payload(void)
{
	static const int sizes[] = { 64, 128, 256, 512, 1024, 1280, 1518 };
	uint8_t buf[2048];
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct tr_frame_spec s = base;
		int len;

		s.size = (uint16_t)sizes[i];
		len = tr_frame_build(&s, buf, sizeof(buf));
		CHECK(len == sizes[i] - 4, "size %d: length %d (FCS not excluded?)", sizes[i], len);
		CHECK(get16(buf + 12) == 0x0800, "ethertype");
		CHECK(memcmp(buf, base.dmac, 6) == 0 && memcmp(buf + 6, base.smac, 6) == 0, "MACs");
		CHECK(buf[14] == 0x45 && buf[22] == 64 && buf[23] == 17, "IPv4 header");
		CHECK(get16(buf + 16) == (unsigned)(len - 14), "IP total length");
		CHECK(tr_ip_csum(buf + 14, 20) == 0, "size %d: IPv4 checksum does not verify", sizes[i]);
		CHECK(get16(buf + 34) == 0xc020 && get16(buf + 36) == 7, "UDP ports");
		CHECK(get16(buf + 38) == (unsigned)(len - 34), "UDP length");
		CHECK(get16(buf + 40) == 0, "UDP checksum 0");
		CHECK(tr_payload_find(buf, buf + len) == 42, "payload at 42");
		CHECK(buf[42] == 0x46 && buf[43] == 0x57 && buf[44] == 0x4c && buf[45] == 0x42,
		      "magic FWLB in network order");
	}
	{
		struct tr_frame_spec s = base;

		s.size = 61;
		CHECK(tr_frame_build(&s, buf, sizeof(buf)) < 0, "61 B accepted");
		s.size = 1519;
		CHECK(tr_frame_build(&s, buf, sizeof(buf)) < 0, "1519 B accepted");
		s.size = 64;
		CHECK(tr_frame_build(&s, buf, 50) < 0, "short buffer accepted");
	}
	/* RFC 1071 example: 0001 f203 f4f5 f6f7 sums to ddf2 -> ~ = 220d */
	{
		static const uint8_t ex[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
		uint16_t c = tr_ip_csum(ex, sizeof(ex));
		const uint8_t *cb = (const uint8_t *)&c;

		CHECK(cb[0] == 0x22 && cb[1] == 0x0d, "RFC 1071 example: %02x%02x", cb[0], cb[1]);
	}
}

static void test_find(void)
{
	uint8_t f[128], g[128];
	int len;

	len = tr_frame_build(&base, f, sizeof(f));
	/* 802.1Q tag: payload moves by 4 */
	memcpy(g, f, 12);
	g[12] = 0x81; g[13] = 0x00; g[14] = 0x00; g[15] = 0x05;
	memcpy(g + 16, f + 12, (size_t)len - 12);
	CHECK(tr_payload_find(g, g + len + 4) == 46, "VLAN payload offset");
	/* IP options (IHL 6): payload moves by 4 */
	memcpy(g, f, 34);
	g[14] = 0x46;
	memset(g + 34, 1, 4);
	memcpy(g + 38, f + 34, (size_t)len - 34);
	CHECK(tr_payload_find(g, g + len + 4) == 46, "IHL 6 payload offset");
	/* not UDP */
	memcpy(g, f, (size_t)len);
	g[23] = 6;
	CHECK(tr_payload_find(g, g + len) == -1, "TCP accepted");
	/* non-first fragment */
	memcpy(g, f, (size_t)len);
	g[21] = 1;
	CHECK(tr_payload_find(g, g + len) == -1, "fragment accepted");
	/* IPv6 ethertype, bad version, short frames */
	memcpy(g, f, (size_t)len);
	g[12] = 0x86; g[13] = 0xdd;
	CHECK(tr_payload_find(g, g + len) == -1, "IPv6 accepted");
	memcpy(g, f, (size_t)len);
	g[14] = 0x65;
	CHECK(tr_payload_find(g, g + len) == -1, "version 6 accepted");
	CHECK(tr_payload_find(f, f + 57) == -1, "payload cut short accepted");
	CHECK(tr_payload_find(f, f + 58) == 42, "58 bytes are enough");
	CHECK(tr_payload_find(f, f + 10) == -1, "10 bytes accepted");
}

static void test_stamp(void)
{
	static const uint8_t want[16] = { 0x46, 0x57, 0x4c, 0x42, 0x12, 0x34, 0x56, 0x78,
					  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };
	uint8_t f[128];
	int len = tr_frame_build(&base, f, sizeof(f));

	memset(f + 42, 0xee, 16);
	tr_payload_stamp(f, 42, 0x12345678, 0x0102030405060708ull);
	CHECK(memcmp(f + 42, want, 16) == 0, "stamp layout");
	CHECK(len == 60 && f[58] == 0 && f[59] == 0, "padding");
	CHECK(sizeof(struct tr_payload) == TR_PAYLOAD_LEN, "struct size");
	CHECK(TR_MIN_FRAME <= 64, "payload does not fit a 64 B frame");
}

static void test_imix_prefix(void)
{
	int n64 = 0, n576 = 0, n1500 = 0, i;
	uint32_t a;

	for (i = 0; i < 1200; i++) {
		uint16_t s = tr_imix_size((uint64_t)i);

		n64 += s == 64;
		n576 += s == 576;
		n1500 += s == 1500;
	}
	CHECK(n64 == 700 && n576 == 400 && n1500 == 100, "IMIX 7:4:1: %d %d %d", n64, n576, n1500);
	CHECK(tr_prefix_hosts(16) == 65534 && tr_prefix_hosts(24) == 254, "hosts");
	CHECK(tr_prefix_hosts(31) == 2 && tr_prefix_hosts(32) == 1, "hosts /31 /32");
	CHECK(tr_prefix_host(0xc6130000, 16, 0, &a) == 0 && a == 0xc6130001, "first host");
	CHECK(tr_prefix_host(0xc6130000, 16, 65533, &a) == 0 && a == 0xc613fffe, "last host");
	CHECK(tr_prefix_host(0xc6130000, 16, 65534, &a) < 0, "past the last host");
	CHECK(tr_prefix_host(0xc6130005, 32, 0, &a) == 0 && a == 0xc6130005, "/32");
}

int main(void)
{
	test_build_payload();
	test_find();
	test_stamp();
	test_imix_prefix();
	return test_done("traffic-payload");
}
