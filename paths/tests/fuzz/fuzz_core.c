// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz_core - libFuzzer target for the shared core: fwd_parse ->
 * fwd_lpm_ref -> fwd_decide -> fwd_rewrite over arbitrary bytes, with a
 * small fixed route table.
 *
 * Input: byte 0 steers the fuzzer toward deep paths, the rest is the frame.
 *   bit 0: fix up the IPv4 header checksum before the core sees the frame
 *   bit 1: set the L2 destination to the ingress port's MAC
 *   bits 2-3: ingress port (0, 1, 2; 3 = 0)
 *
 * Invariants (abort on violation):
 *  - a DROP or PUNT never modifies the frame;
 *  - fwd_parse() (with its fast path) gives the same reason and packet as
 *    fwd_parse_full(), the checks in order;
 *  - the verdict agrees with checks recomputed here (length, ethertype,
 *    L2 destination, checksum, TTL, options, martians);
 *  - a FORWARD output has TTL - 1, a checksum equal to a full recomputation
 *    (never 0xFFFF), the next hop's MACs, and no other byte changed.
 * The frame is copied into a buffer of exactly its size so ASan sees any
 * read past data_end.
 */
#include "fwd_core.h"
#include "fwd_routes.h"
#include "test_util.h"

static const char table_text[] =
	"port 0 name in0 mac 02:00:00:00:00:01 addr 10.0.0.1/24\n"
	"port 1 name out1 mac 02:00:00:00:00:02 addr 10.0.1.1/24\n"
	"port 2 name out2 mac 02:00:00:00:00:03 addr 10.0.2.1/24 mtu 100\n"
	"neigh 10.0.1.2 mac 02:00:00:00:00:0b port 1\n"
	"neigh 10.0.2.2 mac 02:00:00:00:00:0c port 2\n"
	"route 198.18.0.0/15 via 10.0.1.2\n"
	"route 198.19.128.0/17 via 10.0.2.2\n"
	"route 203.0.113.0/24 via 10.0.1.9\n" /* no neighbour */
	"route 0.0.0.0/1 via 10.0.1.2\n";     /* 128/1 and up: no route */

static struct fwd_table *table;

#define FUZZ_ASSERT(cond, ...)                                               \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "fuzz-core: %s: ", #cond);           \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
			abort();                                             \
		}                                                            \
	} while (0)

static void load_table(void)
{
	char err[256];
	FILE *f = fmemopen((void *)table_text, sizeof(table_text) - 1, "r");

	table = calloc(1, sizeof(*table));
	if (!f || !table || fwd_table_parse(f, "fuzz-table", table, err, sizeof(err))) {
		fprintf(stderr, "fuzz-core: cannot build the table\n");
		abort();
	}
	fclose(f);
}

static int martian(uint32_t a, int dst)
{
	uint8_t o = a >> 24;

	if (o == 0 || o == 127 || (a >> 16) == 0xa9fe)
		return 1;
	return dst ? (o >= 240 && a != 0xffffffff) : o >= 224;
}

static void check(const uint8_t *orig, uint8_t *frame, size_t len, const uint8_t *mac)
{
	const struct fwd_nexthop *nh = NULL;
	unsigned int ihl = len > OFF_VER_IHL ? (orig[OFF_VER_IHL] & 15) : 0;
	struct fwd_pkt p = { 0 };
	enum fwd_reason r;
	size_t i;

	r = fwd_parse(frame, frame + len, mac, &p);
	FUZZ_ASSERT((unsigned int)r < FWD_REASON_MAX, "reason %d", r);
	{ /* the fast path must agree with the full, ordered checks */
		struct fwd_pkt q = { 0 };
		enum fwd_reason rq = fwd_parse_full(frame, frame + len, (__u32)len, mac, &q);

		FUZZ_ASSERT(rq == r, "fast path %d, full checks %d", r, rq);
		FUZZ_ASSERT(r != FWD_FORWARD ||
			    (q.eth == p.eth && q.ip == p.ip && q.frame_len == p.frame_len &&
			     q.daddr == p.daddr && q.ihl == p.ihl), "struct fwd_pkt differs");
	}
	if (len < 34) {
		FUZZ_ASSERT(r == FWD_DROP_MALFORMED, "short frame: %d", r);
	} else if (test_get16(orig + OFF_TYPE) != 0x0800) {
		FUZZ_ASSERT(r == FWD_DROP_NOT_FOR_US || r == FWD_PUNT_NOT_IPV4, "non-IPv4: %d", r);
		FUZZ_ASSERT((r == FWD_DROP_NOT_FOR_US) == (!(orig[0] & 1) && memcmp(orig, mac, 6)),
			    "non-IPv4 L2 check");
	}
	if (r == FWD_FORWARD) {
		uint32_t s = (uint32_t)orig[OFF_SADDR] << 24 | orig[OFF_SADDR + 1] << 16 |
			     orig[OFF_SADDR + 2] << 8 | orig[OFF_SADDR + 3];
		uint32_t d = (uint32_t)orig[OFF_DADDR] << 24 | orig[OFF_DADDR + 1] << 16 |
			     orig[OFF_DADDR + 2] << 8 | orig[OFF_DADDR + 3];

		FUZZ_ASSERT(test_get16(orig + OFF_TYPE) == 0x0800 && !memcmp(orig, mac, 6),
			    "parse accepted a frame not IPv4 or not for us");
		FUZZ_ASSERT(orig[OFF_VER_IHL] >> 4 == 4 && ihl >= 5 && OFF_IP + ihl * 4 <= len &&
			    test_ip_csum_ok(orig + OFF_IP, ihl * 4), "parse accepted a bad header");
		FUZZ_ASSERT(test_get16(orig + OFF_TOTLEN) >= ihl * 4 &&
			    test_get16(orig + OFF_TOTLEN) <= len - 14, "parse accepted a bad total length");
		FUZZ_ASSERT(!martian(s, 0) && !martian(d, 1) && d != 0xffffffff && (d >> 28) != 0xe,
			    "parse accepted a martian or local destination");
		nh = fwd_lpm_ref(table, d);
		r = fwd_decide(&p, nh);
		FUZZ_ASSERT((unsigned int)r < FWD_REASON_MAX, "reason %d", r);
	}
	if (r != FWD_FORWARD) {
		FUZZ_ASSERT(fwd_verdict(r) != FWD_V_FORWARD, "kind of %d", r);
		FUZZ_ASSERT(!memcmp(frame, orig, len), "verdict %d modified the frame", r);
		return;
	}
	FUZZ_ASSERT(nh && nh->kind == FWD_NH_FORWARD && orig[OFF_TTL] >= 2 && ihl == 5 &&
		    len <= (size_t)nh->mtu + 14, "FORWARD of a frame decide should punt");
	fwd_rewrite(&p, nh);
	FUZZ_ASSERT(!memcmp(frame, nh->dmac, 6) && !memcmp(frame + 6, nh->smac, 6), "MACs");
	FUZZ_ASSERT(frame[OFF_TTL] == orig[OFF_TTL] - 1, "TTL");
	FUZZ_ASSERT(test_get16(frame + OFF_CSUM) == test_ip_csum(frame + OFF_IP, 20) &&
		    test_get16(frame + OFF_CSUM) != 0xffff, "checksum 0x%04x, full 0x%04x",
		    test_get16(frame + OFF_CSUM), test_ip_csum(frame + OFF_IP, 20));
	for (i = 12; i < len; i++)
		if (i != OFF_TTL && i != OFF_CSUM && i != OFF_CSUM + 1)
			FUZZ_ASSERT(frame[i] == orig[i], "byte %zu changed", i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t ctl, *frame, *orig;
	const uint8_t *mac;
	size_t len;
	int port;

	if (!table)
		load_table();
	if (size < 1)
		return 0;
	ctl = data[0];
	len = size - 1;
	port = (ctl >> 2) & 3;
	mac = table->ports[port == 3 ? 0 : port].mac;
	orig = malloc(len + 1);
	frame = malloc(len + 1);
	if (!orig || !frame)
		abort();
	memcpy(orig, data + 1, len);
	if ((ctl & 2) && len >= 6)
		memcpy(orig, mac, 6);
	if ((ctl & 1) && len >= 34) {
		unsigned int ihl = orig[OFF_VER_IHL] & 15;

		if (ihl >= 5 && OFF_IP + ihl * 4 <= len)
			test_put16(orig + OFF_CSUM, test_ip_csum(orig + OFF_IP, ihl * 4));
	}
	memcpy(frame, orig, len);
	check(orig, frame, len, mac);
	free(frame);
	free(orig);
	return 0;
}
