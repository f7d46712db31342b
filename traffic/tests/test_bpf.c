// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_bpf - the traffic BPF programs run with BPF_PROG_RUN on crafted
 * frames (table-driven, like the kernel's prog_tests), no interface needed:
 *
 *  sink: sequence tracking (gaps, late frames, duplicates, 32-bit wrap),
 *        bad magic, latency recording (and tx_ns in the future), capture
 *        budget (XDP_PASS for the first N, then XDP_DROP), the counting-only
 *        variant (--no-seq --no-latency) and its null JSON fields;
 *  gen:  templates (every header rewritten, frames resized frame by frame),
 *        sequence numbers and timestamps, foreign frames passed untouched.
 *
 * Needs CAP_BPF (root): exits 77 otherwise.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "gen.skel.h"
#include "sink.h"
#include "sink.skel.h"
#include "tr_bpf.h"
#include "tr_frame.h"
#include "tr_hist.h"
#include "tr_payload.h"
#include "tr_util.h"

#include "test_util.h" /* paths/tests/unit: CHECK(), test_done() */

static const struct tr_frame_spec spec = {
	.dmac = { 2, 0, 0, 0, 0, 2 }, .smac = { 2, 0, 0, 0, 0, 1 },
	.saddr = 0xc6120001, .daddr = 0xc6130001, .sport = 0xc020, .dport = 7,
	.ttl = 64, .size = 64,
};

/* Run @prog once on @frame; returns the XDP verdict (-1 on error). */
static int run(int prog, void *frame, uint32_t len, void *out, uint32_t *out_len)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = len,
		    .data_out = out, .data_size_out = out_len ? *out_len : 0, .repeat = 1);

	if (bpf_prog_test_run_opts(prog, &o) < 0) {
		fprintf(stderr, "BPF_PROG_RUN: %s\n", strerror(errno));
		return -1;
	}
	if (out_len)
		*out_len = o.data_size_out;
	return (int)o.retval;
}

static int sink_frame(struct sink_bpf *skel, uint32_t seq, uint64_t tx_ns)
{
	uint8_t f[128];
	int len = tr_frame_build(&spec, f, sizeof(f));

	tr_payload_stamp(f, 42, seq, tx_ns);
	return run(bpf_program__fd(skel->progs.tr_sink), f, (uint32_t)len, NULL, NULL);
}

static void test_sink_seq(struct sink_bpf *skel)
{
	static const uint32_t seqs[] = { 0, 1, 2, 5, 3, 3, 4, 4, 9, 6 };
	struct sink_snap s;
	char err[TR_ERRLEN];
	size_t i;

	sink_reset(skel, err, sizeof(err));
	for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
		CHECK(sink_frame(skel, seqs[i], tr_now_ns()) == XDP_DROP, "verdict");
	CHECK(sink_read(skel, &s, err, sizeof(err)) == 0, "read: %s", err);
	/* 0 1 2 | 5: 3,4 missing | 3 late | 3 dup | 4 late | 4 dup |
	 * 9: 6,7,8 missing | 6 late  => missing 7,8; 3 late; 2 dups */
	CHECK(s.cnt.rx == 10 && s.seen == 10, "rx %" PRIu64 " seen %" PRIu64, (uint64_t)s.cnt.rx, s.seen);
	CHECK(s.next == 10, "next %" PRIu64, s.next);
	CHECK(s.missing == 2, "missing %" PRIu64 ", want 2", s.missing);
	CHECK(s.reordered == 3, "reordered %" PRIu64 ", want 3", s.reordered);
	CHECK(s.duplicate == 2, "duplicate %" PRIu64 ", want 2", s.duplicate);
	CHECK(s.stale == 0 && s.cnt.bad_magic == 0, "stale / bad magic");

	/* a late frame beyond the 65536-number window: stale */
	sink_reset(skel, err, sizeof(err));
	CHECK(sink_frame(skel, 0, tr_now_ns()) == XDP_DROP, "verdict");
	CHECK(sink_frame(skel, 70000, tr_now_ns()) == XDP_DROP, "verdict");
	CHECK(sink_frame(skel, 1, tr_now_ns()) == XDP_DROP, "verdict");
	sink_read(skel, &s, err, sizeof(err));
	CHECK(s.missing == 69998 && s.reordered == 1 && s.stale == 1 && s.duplicate == 0,
	      "window: missing %" PRIu64 " reordered %" PRIu64 " stale %" PRIu64,
	      s.missing, s.reordered, s.stale);

	/* 32-bit wrap: the first number sets the base, then it continues */
	sink_reset(skel, err, sizeof(err));
	sink_frame(skel, 0xfffffffe, tr_now_ns());
	sink_frame(skel, 0xffffffff, tr_now_ns());
	sink_frame(skel, 0, tr_now_ns());
	sink_frame(skel, 2, tr_now_ns());
	sink_frame(skel, 1, tr_now_ns());
	sink_read(skel, &s, err, sizeof(err));
	CHECK(s.next == 0x100000003ull, "wrap: next %#" PRIx64, s.next);
	CHECK(s.missing == 0xfffffffeull, "wrap: missing %#" PRIx64 " (numbers before the first)",
	      s.missing);
	CHECK(s.reordered == 1 && s.duplicate == 0, "wrap: reordered %" PRIu64, s.reordered);
}

static void test_sink_other(struct sink_bpf *skel)
{
	uint8_t f[128];
	struct sink_snap s;
	char err[TR_ERRLEN];
	uint64_t now;
	int len, i;

	/* latency: tx 5 us ago -> recorded in [5 us, 5 us + 10 ms) */
	sink_reset(skel, err, sizeof(err));
	now = tr_now_ns();
	sink_frame(skel, 0, now - 5000);
	sink_frame(skel, 1, now + 1000000000ull);  /* from the future */
	sink_read(skel, &s, err, sizeof(err));
	CHECK(s.cnt.lat_n == 1 && s.cnt.lat_neg == 1, "lat_n %" PRIu64 " lat_neg %" PRIu64,
	      (uint64_t)s.cnt.lat_n, (uint64_t)s.cnt.lat_neg);
	CHECK(s.cnt.lat_min >= 5000 && s.cnt.lat_max < 10005000 && s.cnt.lat_min == s.cnt.lat_max,
	      "latency %" PRIu64, (uint64_t)s.cnt.lat_min);
	CHECK(s.hist[tr_hist_bucket(s.cnt.lat_min)] == 1, "histogram bucket");

	/* bad magic: ARP-like frame, UDP with another payload */
	sink_reset(skel, err, sizeof(err));
	len = tr_frame_build(&spec, f, sizeof(f));
	f[42] = 'X';
	CHECK(run(bpf_program__fd(skel->progs.tr_sink), f, (uint32_t)len, NULL, NULL) == XDP_DROP,
	      "verdict");
	f[12] = 0x08; f[13] = 0x06;
	run(bpf_program__fd(skel->progs.tr_sink), f, (uint32_t)len, NULL, NULL);
	sink_read(skel, &s, err, sizeof(err));
	CHECK(s.cnt.rx == 2 && s.cnt.bad_magic == 2 && s.seen == 0 && s.cnt.lat_n == 0,
	      "bad magic: rx %" PRIu64 " bad %" PRIu64, (uint64_t)s.cnt.rx, (uint64_t)s.cnt.bad_magic);
	CHECK(s.cnt.bytes == 2u * (uint64_t)len, "bytes");

	/* capture budget: 2 passes, then drops */
	sink_reset(skel, err, sizeof(err));
	skel->bss->capture_left = 2;
	for (i = 0; i < 4; i++)
		CHECK(sink_frame(skel, (uint32_t)i, tr_now_ns()) == (i < 2 ? XDP_PASS : XDP_DROP),
		      "capture frame %d", i);
	sink_read(skel, &s, err, sizeof(err));
	CHECK(s.cnt.passed == 2, "passed %" PRIu64, (uint64_t)s.cnt.passed);
	skel->bss->capture_left = 0;
}

/* --no-seq --no-latency: counts only, and the summary says null */
static void test_sink_counting(void)
{
	struct sink_bpf *skel = sink_bpf__open();
	struct sink_snap s;
	char err[TR_ERRLEN];
	json_t *j;
	int i;

	if (!skel) {
		CHECK(0, "counting sink: open");
		return;
	}
	skel->rodata->do_seq = 0;
	skel->rodata->do_latency = 0;
	if (sink_bpf__load(skel)) {
		CHECK(0, "counting sink: load");
		sink_bpf__destroy(skel);
		return;
	}
	sink_reset(skel, err, sizeof(err));
	for (i = 0; i < 5; i++)
		CHECK(sink_frame(skel, (uint32_t)(7 - i), tr_now_ns() - 1000) == XDP_DROP, "verdict");
	sink_read(skel, &s, err, sizeof(err));
	CHECK(s.cnt.rx == 5 && s.seen == 0 && s.cnt.lat_n == 0 && s.cnt.bad_magic == 0,
	      "counting: rx %" PRIu64 " seen %" PRIu64, (uint64_t)s.cnt.rx, s.seen);
	j = sink_json(&s, 0, 0, 0);
	CHECK(json_is_null(json_object_get(j, "lost")) &&
	      json_is_null(json_object_get(json_object_get(j, "lat_ns"), "p50")) &&
	      json_integer_value(json_object_get(j, "rx")) == 5, "counting: JSON nulls");
	json_decref(j);
	sink_bpf__destroy(skel);
}

static void test_gen(void)
{
	struct tr_frame_spec a = spec, b = spec;
	uint8_t fa[1600], fb[1600], in[8 + 1600], out[8 + 1600];
	struct gen_bpf *g = gen_bpf__open();
	struct tr_tmpl t;
	int la, lb, prog, r, i;
	uint32_t k, olen;
	uint64_t t0;

	if (!g) {
		CHECK(0, "gen: open");
		return;
	}
	g->rodata->nframes = 2;
	g->rodata->ts_every = 1;
	bpf_map__set_max_entries(g->maps.tmpls, 2);
	if (gen_bpf__load(g)) {
		CHECK(0, "gen: load");
		gen_bpf__destroy(g);
		return;
	}
	prog = bpf_program__fd(g->progs.tr_gen_stamp);
	a.size = 64;
	b.size = 1000;
	b.daddr = 0xc6130002;
	b.ttl = 7;
	la = tr_frame_build(&a, fa, sizeof(fa));
	lb = tr_frame_build(&b, fb, sizeof(fb));
	for (k = 0; k < 2; k++) {
		memset(&t, 0, sizeof(t));
		t.len = (uint16_t)(k ? lb : la);
		t.pl_off = 42;
		t.head_len = 58;
		memcpy(t.head, k ? fb : fa, 58);
		bpf_map_update_elem(bpf_map__fd(g->maps.tmpls), &k, &t, BPF_ANY);
	}
	/* data_in: metadata + the largest frame, headers scrambled (as a
	 * forwarder would have left a recycled page) */
	*(uint32_t *)in = TR_GEN_META;
	memset(in + 4, 0, 4);
	memcpy(in + 8, fb, (size_t)lb);
	memset(in + 8, 0xaa, 42);
	t0 = tr_now_ns();
	for (i = 0; i < 4; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in, .data_size_in = 8 + (uint32_t)lb,
			    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);
		struct xdp_md ctx = { .data = 8, .data_end = 8 + (uint32_t)lb };
		const uint8_t *want = (i % 2) ? fb : fa;
		int wlen = (i % 2) ? lb : la;
		uint32_t seq;
		uint64_t ts;

		o.ctx_in = &ctx;
		o.ctx_size_in = sizeof(ctx);
		r = bpf_prog_test_run_opts(prog, &o);
		CHECK(r == 0 && o.retval == XDP_TX, "gen run %d: %d retval %u", i, r, o.retval);
		olen = o.data_size_out - 8;  /* data_out starts at the metadata */
		CHECK(olen == (uint32_t)wlen, "gen run %d: length %u, want %d", i, olen, wlen);
		CHECK(memcmp(out + 8, want, 42) == 0, "gen run %d: headers not rewritten", i);
		memcpy(&seq, out + 8 + 46, 4);
		memcpy(&ts, out + 8 + 50, 8);
		CHECK(memcmp(out + 8 + 42, "FWLB", 4) == 0, "gen run %d: magic", i);
		CHECK(fwd_ntohl(seq) == (uint32_t)i, "gen run %d: seq %u", i, fwd_ntohl(seq));
		CHECK(tr_ntohll(ts) >= t0 && tr_ntohll(ts) <= tr_now_ns(), "gen run %d: tx_ns", i);
	}
	CHECK(g->bss->seq == 4, "gen: seq counter %" PRIu64, (uint64_t)g->bss->seq);
	/* a frame without the metadata is real traffic: XDP_PASS, untouched */
	olen = sizeof(out);
	r = run(prog, fa, (uint32_t)la, out, &olen);
	CHECK(r == XDP_PASS && olen == (uint32_t)la && memcmp(out, fa, (size_t)la) == 0,
	      "gen: foreign frame %d", r);
	CHECK(g->bss->seq == 4, "gen: foreign frame counted");
	gen_bpf__destroy(g);
}

int main(void)
{
	struct sink_bpf *skel;
	char err[TR_ERRLEN];

	if (tr_check_caps(err, sizeof(err)) < 0) {
		printf("SKIP: %s\n", err);
		return 77;
	}
	skel = sink_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "cannot load the sink: %s\n", strerror(errno));
		return 1;
	}
	test_sink_seq(skel);
	test_sink_other(skel);
	sink_bpf__destroy(skel);
	test_sink_counting();
	test_gen();
	return test_done("traffic-bpf");
}
