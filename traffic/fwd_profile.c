// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd-profile - synthesize a traffic profile as a pcap (README.md):
 *
 *   fwd-profile --out P.pcap [--profile udp|imix] [--size BYTES] [--flows N]
 *               [--vary dst|sport|both] [--dst PREFIX | --routes FILE] ...
 *
 * Frame sizes include the 4-byte FCS (RFC 2544 section 9). Every frame
 * carries the 16-byte test payload (tr_payload.h) with seq = tx_ns = 0;
 * fwd-gen stamps them when it sends.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwd_routes.h"
#include "tr_frame.h"
#include "tr_payload.h"
#include "tr_pcap.h"
#include "tr_util.h"

enum vary { VARY_DST, VARY_SPORT, VARY_BOTH };

struct dst_set {
	/* destinations: n prefixes (a single --dst, or the routes of a route
	 * file); flow i goes to host (i / n) of prefix (i % n) */
	uint32_t n;
	uint32_t *prefix;
	uint8_t *len;
};

struct opts {
	const char *out, *routes;
	int imix;
	uint64_t size, flows, ttl, sport, dport;
	enum vary vary;
	struct tr_frame_spec base;
	uint32_t dst_prefix;
	int dst_len;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: fwd-profile --out FILE.pcap [--profile udp|imix] [--size BYTES]\n"
		"         [--flows N] [--vary dst|sport|both] [--dst PREFIX | --routes FILE]\n"
		"         [--src IP] [--src-mac MAC] [--dst-mac MAC] [--ttl N]\n"
		"         [--sport PORT] [--dport PORT]\n"
		"Writes an Ethernet/IPv4/UDP test profile. Sizes are RFC 2544 frame sizes\n"
		"(64..1518, including the 4-byte FCS: a 64 B frame is 60 bytes in the pcap).\n"
		"imix: 7:4:1 of 64/576/1500 B. N flows vary the destination inside PREFIX\n"
		"(default 198.19.0.0/16) or across the routes of a route file, and/or the\n"
		"UDP source port. Every frame carries the 16-byte test payload (magic,\n"
		"seq, tx_ns) right after the UDP header.\n");
}

static int parse_prefix(const char *s, uint32_t *prefix, int *len)
{
	char buf[32], *slash;
	uint64_t l = 32;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = 0;
		if (tr_parse_u64(slash + 1, 0, 32, &l) < 0)
			return -1;
	}
	if (fwd_parse_ipv4(buf, prefix) < 0)
		return -1;
	*len = (int)l;
	*prefix &= l ? ~0u << (32 - l) : 0;
	return 0;
}

static int load_dsts(const struct opts *o, struct dst_set *d)
{
	char err[TR_ERRLEN];
	struct fwd_table *t;
	int i;

	if (!o->routes) {
		d->n = 1;
		d->prefix = malloc(sizeof(*d->prefix));
		d->len = malloc(sizeof(*d->len));
		if (!d->prefix || !d->len)
			return -1;
		d->prefix[0] = o->dst_prefix;
		d->len[0] = (uint8_t)o->dst_len;
		return 0;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return -1;
	if (fwd_table_load(o->routes, t, err, sizeof(err)) < 0) {
		fprintf(stderr, "fwd-profile: %s\n", err);
		free(t);
		return -1;
	}
	if (t->nuser == 0) {
		fprintf(stderr, "fwd-profile: %s has no 'route' lines to draw destinations from\n",
			o->routes);
		free(t);
		return -1;
	}
	d->n = (uint32_t)t->nuser;
	d->prefix = calloc(d->n, sizeof(*d->prefix));
	d->len = calloc(d->n, sizeof(*d->len));
	if (!d->prefix || !d->len) {
		free(t);
		return -1;
	}
	for (i = 0; i < t->nuser; i++) {
		d->prefix[i] = t->user[i].prefix;
		d->len[i] = t->user[i].len;
	}
	free(t);
	return 0;
}

/* Fill in the addresses and ports of flow @i. */
static int flow_spec(const struct opts *o, const struct dst_set *d, uint64_t i,
		     struct tr_frame_spec *s)
{
	uint64_t dst_i = o->vary == VARY_SPORT ? 0 : i;
	uint64_t sport_span = 65536 - o->sport;
	uint32_t p = (uint32_t)(dst_i % d->n);
	uint64_t host = dst_i / d->n;

	*s = o->base;
	if (tr_prefix_host(d->prefix[p], d->len[p],
			   host % tr_prefix_hosts(d->len[p]), &s->daddr) < 0)
		return -1;
	s->sport = (uint16_t)(o->vary == VARY_DST ? o->sport : o->sport + i % sport_span);
	return 0;
}

/* Check that N flows are distinct with the chosen variation. */
static int flows_fit(const struct opts *o, const struct dst_set *d)
{
	uint64_t hosts = 0;
	uint32_t p;

	for (p = 0; p < d->n; p++)
		hosts += tr_prefix_hosts(d->len[p]);
	if (o->vary == VARY_SPORT || o->vary == VARY_BOTH)
		return o->flows <= 65536 - o->sport;
	return o->flows <= hosts;
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static int build(const struct opts *o, const struct dst_set *d, struct tr_frames *f)
{
	uint64_t nframes = o->flows, i;
	uint8_t buf[TR_MAX_FRAME];

	/* IMIX: every flow sees every size: lcm(flows, 12) frames */
	if (o->imix)
		nframes = o->flows / gcd(o->flows, TR_IMIX_CYCLE) * TR_IMIX_CYCLE;
	if (nframes > TR_MAX_FRAMES) {
		fprintf(stderr, "fwd-profile: %llu frames needed, at most %u\n",
			(unsigned long long)nframes, TR_MAX_FRAMES);
		return -1;
	}
	for (i = 0; i < nframes; i++) {
		struct tr_frame_spec s;
		int len;

		if (flow_spec(o, d, i % o->flows, &s) < 0)
			return -1;
		s.size = o->imix ? tr_imix_size(i) : (uint16_t)o->size;
		len = tr_frame_build(&s, buf, sizeof(buf));
		if (len < 0 || tr_frames_add(f, buf, (uint32_t)len) < 0) {
			fprintf(stderr, "fwd-profile: cannot build frame %llu\n",
				(unsigned long long)i);
			return -1;
		}
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "out", required_argument, 0, 'o' },
		{ "profile", required_argument, 0, 'p' },
		{ "size", required_argument, 0, 's' },
		{ "flows", required_argument, 0, 'f' },
		{ "vary", required_argument, 0, 'v' },
		{ "src", required_argument, 0, 'S' },
		{ "dst", required_argument, 0, 'D' },
		{ "routes", required_argument, 0, 'r' },
		{ "src-mac", required_argument, 0, 'm' },
		{ "dst-mac", required_argument, 0, 'M' },
		{ "ttl", required_argument, 0, 't' },
		{ "sport", required_argument, 0, 'P' },
		{ "dport", required_argument, 0, 'Q' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *what = NULL;
	int c, have_dst = 0;

	while ((c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': o->out = optarg; break;
		case 'p':
			if (!strcmp(optarg, "udp"))
				o->imix = 0;
			else if (!strcmp(optarg, "imix"))
				o->imix = 1;
			else
				what = "--profile (udp or imix)";
			break;
		case 's':
			if (tr_parse_u64(optarg, TR_MIN_FRAME > 64 ? TR_MIN_FRAME : 64,
					 TR_MAX_FRAME, &o->size) < 0)
				what = "--size (64..1518 bytes, incl. FCS)";
			break;
		case 'f':
			if (tr_parse_u64(optarg, 1, TR_MAX_FRAMES, &o->flows) < 0)
				what = "--flows (1..1048576)";
			break;
		case 'v':
			if (!strcmp(optarg, "dst"))
				o->vary = VARY_DST;
			else if (!strcmp(optarg, "sport"))
				o->vary = VARY_SPORT;
			else if (!strcmp(optarg, "both"))
				o->vary = VARY_BOTH;
			else
				what = "--vary (dst, sport or both)";
			break;
		case 'S':
			if (fwd_parse_ipv4(optarg, &o->base.saddr) < 0)
				what = "--src (a.b.c.d)";
			break;
		case 'D':
			have_dst = 1;
			if (parse_prefix(optarg, &o->dst_prefix, &o->dst_len) < 0)
				what = "--dst (a.b.c.d/len)";
			break;
		case 'r': o->routes = optarg; break;
		case 'm':
			if (fwd_parse_mac(optarg, o->base.smac) < 0)
				what = "--src-mac (xx:xx:xx:xx:xx:xx)";
			break;
		case 'M':
			if (fwd_parse_mac(optarg, o->base.dmac) < 0)
				what = "--dst-mac (xx:xx:xx:xx:xx:xx)";
			break;
		case 't':
			if (tr_parse_u64(optarg, 0, 255, &o->ttl) < 0)
				what = "--ttl (0..255)";
			break;
		case 'P':
			if (tr_parse_u64(optarg, 0, 65535, &o->sport) < 0)
				what = "--sport (0..65535)";
			break;
		case 'Q':
			if (tr_parse_u64(optarg, 0, 65535, &o->dport) < 0)
				what = "--dport (0..65535)";
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
		if (what) {
			fprintf(stderr, "fwd-profile: bad %s: '%s'\n", what, optarg);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "fwd-profile: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (!o->out) {
		fprintf(stderr, "fwd-profile: --out FILE.pcap is required\n");
		return -1;
	}
	if (have_dst && o->routes) {
		fprintf(stderr, "fwd-profile: give --dst or --routes, not both\n");
		return -1;
	}
	o->base.ttl = (uint8_t)o->ttl;
	o->base.dport = (uint16_t)o->dport;
	return 0;
}

int main(int argc, char **argv)
{
	/* Defaults: RFC 2544 App. C test addresses (198.18.0.0/15) and the UDP
	 * ports of its test frame (C.2.6.4: source 0xC020, destination 7). */
	struct opts o = {
		.size = 64, .flows = 1, .ttl = 64, .sport = 0xc020, .dport = 7,
		.vary = VARY_DST, .dst_prefix = 0xc6130000u, .dst_len = 16,
		.base = {
			.smac = { 0x02, 0, 0, 0, 0, 0x01 },
			.dmac = { 0x02, 0, 0, 0, 0, 0x02 },
			.saddr = 0xc6120001u,  /* 198.18.0.1 */
		},
	};
	struct tr_frames f = { 0 };
	struct dst_set d = { 0 };
	char err[TR_ERRLEN];
	int rc = 1;

	if (parse_args(argc, argv, &o) < 0)
		return 2;
	if (load_dsts(&o, &d) < 0)
		goto out;
	if (!flows_fit(&o, &d)) {
		fprintf(stderr, "fwd-profile: %llu flows do not fit: not enough %s\n",
			(unsigned long long)o.flows,
			o.vary == VARY_DST ? "destination addresses" : "source ports");
		goto out;
	}
	if (build(&o, &d, &f) < 0)
		goto out;
	if (tr_frames_save(&f, o.out, err, sizeof(err)) < 0) {
		fprintf(stderr, "fwd-profile: %s\n", err);
		goto out;
	}
	rc = 0;
out:
	tr_frames_free(&f);
	free(d.prefix);
	free(d.len);
	return rc;
}
