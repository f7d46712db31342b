// SPDX-License-Identifier: BSD-2-Clause
/*
 * gen_xdp.c - the live-frames engine: BPF_PROG_RUN of gen.bpf.c's XDP
 * program with BPF_F_TEST_XDP_LIVE_FRAMES on the generator's interface
 * (ctx ingress_ifindex), repeat = n. Each repetition is one frame sent by
 * XDP_TX out of that interface (see gen.bpf.c for why every header is
 * rewritten from a template each time, and why the sequence counter is one
 * plain global).
 *
 * For speed the program is also attached to the interface through a BPF
 * link while fwd-gen runs (gen.bpf.c explains why); the kernel removes a
 * link when its last file descriptor closes, so even a killed fwd-gen
 * leaves nothing attached. If the interface already has an XDP program the
 * engine runs without (slower: ~1 ms per call) and says so with --verbose.
 *
 * --raw: tr_gen_raw (no rewrite) run with repeat = 1 per frame, data_in =
 * that frame, so every frame is a fresh copy of the pcap bytes (slow: one
 * page pool per call; meant for golden tests, not for rates).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "gen.h"
#include "gen.skel.h"
#include "tr_bpf.h"
#include "tr_payload.h"

struct gx {
	struct gen_bpf *skel;
	const struct tr_gen_cfg *cfg;
	int prog_fd;
	uint8_t *data_in;        /* metadata + the profile's largest frame */
	uint32_t data_len;       /* bytes of frame (metadata not counted) */
	int link_fd;             /* XDP link on the interface, or -1 */
	uint32_t next;           /* raw: next frame of the profile */
};

static int verbose;

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* failures are reported by the caller in one line; libbpf's own
	 * messages (verifier log...) only with --verbose */
	if (!verbose || level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* One template per frame: length, headers up to the end of the payload. */
static int load_templates(struct gx *g, char *err, size_t errlen)
{
	const struct tr_frames *f = g->cfg->frames;
	int fd = bpf_map__fd(g->skel->maps.tmpls);
	struct tr_tmpl t;
	uint32_t i;

	for (i = 0; i < f->n; i++) {
		int off = f->pl_off[i];

		if (off < 0 || off + TR_PAYLOAD_LEN > TR_TMPL_HEAD) {
			snprintf(err, errlen, "frame %u: test payload not within the first %d bytes",
				 i, TR_TMPL_HEAD);
			return -1;
		}
		memset(&t, 0, sizeof(t));
		t.len = (uint16_t)f->len[i];
		t.pl_off = (uint16_t)off;
		t.head_len = (uint16_t)(off + TR_PAYLOAD_LEN);
		memcpy(t.head, f->data[i], t.head_len);
		*(uint32_t *)(t.head + off) = fwd_htonl(TR_MAGIC);
		if (bpf_map_update_elem(fd, &i, &t, BPF_ANY) < 0) {
			snprintf(err, errlen, "template %u: %s", i, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int gx_open(const struct tr_gen_cfg *cfg, void **stp, char *err, size_t errlen)
{
	const struct tr_frames *f = cfg->frames;
	struct gx *g;
	uint32_t i;
	int r;

	verbose = cfg->verbose;
	libbpf_set_print(print_fn);
	g = calloc(1, sizeof(*g));
	*stp = g;
	if (!g) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	g->cfg = cfg;
	g->link_fd = -1;
	if (!cfg->raw && f->n > TR_GEN_MAX_FRAMES) {
		snprintf(err, errlen, "%u frames in the profile, the live-frames engine takes at most %u",
			 f->n, TR_GEN_MAX_FRAMES);
		return -1;
	}
	g->skel = gen_bpf__open();
	if (!g->skel) {
		snprintf(err, errlen, "cannot open the BPF object: %s", strerror(errno));
		return -1;
	}
	g->skel->rodata->nframes = cfg->raw ? 1 : f->n;
	g->skel->rodata->ts_every = cfg->ts_every ? cfg->ts_every : TR_GEN_BATCH;
	bpf_map__set_max_entries(g->skel->maps.tmpls, cfg->raw ? 1 : f->n);
	bpf_program__set_autoload(cfg->raw ? g->skel->progs.tr_gen_stamp
					   : g->skel->progs.tr_gen_raw, false);
	r = gen_bpf__load(g->skel);
	if (r) {
		snprintf(err, errlen, "cannot load the BPF program: %s", strerror(-r));
		return -1;
	}
	g->prog_fd = bpf_program__fd(cfg->raw ? g->skel->progs.tr_gen_raw
					      : g->skel->progs.tr_gen_stamp);
	if (!cfg->raw && load_templates(g, err, errlen) < 0)
		return -1;
	/* data_in: the largest frame (stamped frames are cut to size by the
	 * program); raw mode sends each frame's own bytes */
	for (i = 0; i < f->n; i++)
		if (f->len[i] == f->max_len)
			break;
	g->data_len = f->len[i];
	g->data_in = calloc(1, TR_GEN_META_LEN + g->data_len);
	if (!g->data_in) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*(uint32_t *)g->data_in = TR_GEN_META;
	memcpy(g->data_in + TR_GEN_META_LEN, f->data[i], g->data_len);
	if (!cfg->raw) {
		g->link_fd = bpf_link_create(g->prog_fd, cfg->ifindex, BPF_XDP, NULL);
		if (g->link_fd < 0)
			fprintf(stderr, "fwd-gen: warning: xdp: cannot attach to %s (%s): "
				"every burst re-patches the XDP dispatcher (~1 ms)\n",
				cfg->dev, strerror(errno));
	}
	return 0;
}

/* One BPF_PROG_RUN; @meta: bytes of XDP metadata at the start of @data. */
static int run_once(struct gx *g, const void *data, uint32_t len, uint32_t meta,
		    uint32_t repeat, char *err, size_t errlen)
{
	struct xdp_md ctx = {
		.data = meta,
		.data_end = len,
		.ingress_ifindex = (uint32_t)g->cfg->ifindex,
	};
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.data_in = data,
		.data_size_in = len,
		.ctx_in = &ctx,
		.ctx_size_in = sizeof(ctx),
		.repeat = repeat,
		.flags = BPF_F_TEST_XDP_LIVE_FRAMES,
		.batch_size = TR_GEN_BATCH,
	);

	g->skel->bss->ts_left = 0;  /* first frame of the call reads the clock */
	if (bpf_prog_test_run_opts(g->prog_fd, &o) < 0) {
		int e = errno;

		snprintf(err, errlen, "BPF_PROG_RUN (live frames) on %s: %s", g->cfg->dev,
			 strerror(e));
		errno = e;
		return -1;
	}
	return 0;
}

static int64_t gx_send(void *stp, uint32_t n, char *err, size_t errlen)
{
	struct gx *g = stp;
	const struct tr_frames *f = g->cfg->frames;
	uint64_t before = g->skel->bss->seq;
	uint32_t i;

	if (!g->cfg->raw) {
		/*
		 * ENOSPC from a live-frames run has been seen when the veth's
		 * peer ring is full (split placement, NAPI on the other core):
		 * transient back-pressure, not an error. Frames the program
		 * already stamped count as sent; else back off and try again,
		 * for at most ~1 s.
		 */
		int tries;

		for (tries = 0;; tries++) {
			if (run_once(g, g->data_in, TR_GEN_META_LEN + g->data_len,
				     TR_GEN_META_LEN, n, err, errlen) == 0)
				break;
			if (errno != ENOSPC || tries >= 10000)
				return -1;
			if (g->skel->bss->seq != before)
				break;
			usleep(100);
		}
	} else {
		for (i = 0; i < n; i++) {
			if (run_once(g, f->data[g->next], f->len[g->next], 0, 1, err, errlen) < 0)
				return -1;
			g->next = g->next + 1 == f->n ? 0 : g->next + 1;
		}
	}
	/* frames the program passed to XDP_TX (XDP_ABORTED ones are not) */
	if (g->skel->bss->seq == before) {
		snprintf(err, errlen, "the generator program sent none of %u frames (XDP_ABORTED)", n);
		return -1;
	}
	return (int64_t)(g->skel->bss->seq - before);
}

static void gx_close(void *stp)
{
	struct gx *g = stp;

	if (!g)
		return;
	if (g->link_fd >= 0)
		close(g->link_fd);
	gen_bpf__destroy(g->skel);
	free(g->data_in);
	free(g);
}

const struct tr_engine tr_engine_xdp = {
	.name = "xdp",
	.open = gx_open,
	.send = gx_send,
	.close = gx_close,
};
