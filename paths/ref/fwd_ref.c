// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd-ref - the reference forwarder: shared core + reference LPM, pcap in,
 * pcap out. The oracle of the golden tests (paths/tests/golden/README.md).
 *
 *   fwd-ref --routes R --in-port N --in IN.pcap --out-dir DIR
 *
 * writes DIR/port<K>.pcap for every port of R, DIR/punt.pcap (punted frames,
 * unmodified) and DIR/stats.json (verdict counters).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pcap/pcap.h>

#include "fwd_core.h"
#include "fwd_routes.h"
#include "fwd_stats.h"

#define SNAPLEN 65535

struct outputs {
	pcap_t *dead;
	pcap_dumper_t *port[FWD_MAX_PORTS];
	pcap_dumper_t *punt;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: fwd-ref --routes FILE --in-port N --in IN.pcap --out-dir DIR [--json]\n"
		"Runs every frame of IN.pcap through the shared forwarding core as if\n"
		"received on port N; writes DIR/port<K>.pcap, DIR/punt.pcap, DIR/stats.json.\n");
}

static int open_outputs(struct outputs *o, const struct fwd_table *t,
			const char *dir)
{
	char path[PATH_MAX];
	int k;

	o->dead = pcap_open_dead(DLT_EN10MB, SNAPLEN);
	if (!o->dead)
		return -1;
	for (k = 0; k < FWD_MAX_PORTS; k++) {
		if (!t->ports[k].present)
			continue;
		snprintf(path, sizeof(path), "%s/port%d.pcap", dir, k);
		o->port[k] = pcap_dump_open(o->dead, path);
		if (!o->port[k]) {
			fprintf(stderr, "fwd-ref: %s\n", pcap_geterr(o->dead));
			return -1;
		}
	}
	snprintf(path, sizeof(path), "%s/punt.pcap", dir);
	o->punt = pcap_dump_open(o->dead, path);
	if (!o->punt) {
		fprintf(stderr, "fwd-ref: %s\n", pcap_geterr(o->dead));
		return -1;
	}
	return 0;
}

static int close_outputs(struct outputs *o)
{
	int k, rc = 0;

	for (k = 0; k < FWD_MAX_PORTS; k++) {
		if (!o->port[k])
			continue;
		if (pcap_dump_flush(o->port[k]))
			rc = -1;
		pcap_dump_close(o->port[k]);
	}
	if (o->punt) {
		if (pcap_dump_flush(o->punt))
			rc = -1;
		pcap_dump_close(o->punt);
	}
	if (o->dead)
		pcap_close(o->dead);
	return rc;
}

/* One frame through parse -> reference LPM -> decide -> rewrite. */
static enum fwd_reason forward_one(const struct fwd_table *t, const uint8_t *in_mac,
				   uint8_t *buf, uint32_t len, int *port)
{
	const struct fwd_nexthop *nh;
	struct fwd_pkt p;
	enum fwd_reason r;

	r = fwd_parse(buf, buf + len, in_mac, &p);
	if (r != FWD_FORWARD)
		return r;
	nh = fwd_lpm_ref(t, fwd_ntohl(p.daddr));
	r = fwd_decide(&p, nh);
	if (r != FWD_FORWARD)
		return r;
	fwd_rewrite(&p, nh);
	*port = nh->port;
	return FWD_FORWARD;
}

static int run(const struct fwd_table *t, int in_port, const char *in,
	       const char *dir, struct fwd_stats *st)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	static uint8_t buf[SNAPLEN];
	struct outputs o = { 0 };
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *pc;
	int rc = -1, n, port;
	unsigned long idx = 0;

	pc = pcap_open_offline(in, errbuf);
	if (!pc) {
		fprintf(stderr, "fwd-ref: %s\n", errbuf);
		return -1;
	}
	if (pcap_datalink(pc) != DLT_EN10MB) {
		fprintf(stderr, "fwd-ref: %s: linktype %s, expected EN10MB (Ethernet)\n",
			in, pcap_datalink_val_to_name(pcap_datalink(pc)) ?: "unknown");
		goto out;
	}
	if (open_outputs(&o, t, dir))
		goto out;
	while ((n = pcap_next_ex(pc, &h, &data)) == 1) {
		enum fwd_reason r;

		idx++;
		if (h->caplen != h->len || h->caplen > SNAPLEN) {
			fprintf(stderr, "fwd-ref: %s: frame %lu cut by the snaplen (%u of %u bytes)\n",
				in, idx, h->caplen, h->len);
			goto out;
		}
		memcpy(buf, data, h->caplen);
		st->rx++;
		r = forward_one(t, t->ports[in_port].mac, buf, h->caplen, &port);
		st->reason[r]++;
		if (r == FWD_FORWARD)
			pcap_dump((u_char *)o.port[port], h, buf);
		else if (fwd_verdict(r) == FWD_V_PUNT)
			pcap_dump((u_char *)o.punt, h, data);
	}
	if (n == PCAP_ERROR) {
		fprintf(stderr, "fwd-ref: %s: %s\n", in, pcap_geterr(pc));
		goto out;
	}
	rc = 0;
out:
	if (close_outputs(&o))
		rc = -1;
	pcap_close(pc);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "routes", required_argument, NULL, 'r' },
		{ "in-port", required_argument, NULL, 'p' },
		{ "in", required_argument, NULL, 'i' },
		{ "out-dir", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *routes = NULL, *in = NULL, *dir = NULL;
	struct fwd_stats st = { 0 };
	char err[512], path[PATH_MAX], *end;
	struct fwd_table *t;
	int c, json = 0;
	long in_port = -1;

	while ((c = getopt_long(argc, argv, "r:p:i:o:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'r': routes = optarg; break;
		case 'i': in = optarg; break;
		case 'o': dir = optarg; break;
		case 'j': json = 1; break;
		case 'p':
			errno = 0;
			in_port = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || in_port < 0 ||
			    in_port >= FWD_MAX_PORTS) {
				fprintf(stderr, "fwd-ref: --in-port: expected 0..%d, got '%s'\n",
					FWD_MAX_PORTS - 1, optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!routes || !in || !dir || in_port < 0 || optind != argc) {
		usage(stderr);
		return 2;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		fprintf(stderr, "fwd-ref: out of memory\n");
		return 1;
	}
	if (fwd_table_load(routes, t, err, sizeof(err))) {
		fprintf(stderr, "fwd-ref: %s\n", err);
		free(t);
		return 3;
	}
	if (!t->ports[in_port].present) {
		fprintf(stderr, "fwd-ref: --in-port %ld is not a port of %s\n", in_port, routes);
		free(t);
		return 2;
	}
	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "fwd-ref: %s: %s\n", dir, strerror(errno));
		free(t);
		return 1;
	}
	if (run(t, (int)in_port, in, dir, &st)) {
		free(t);
		return 4;
	}
	free(t);
	snprintf(path, sizeof(path), "%s/stats.json", dir);
	if (fwd_stats_write_json(&st, path)) {
		fprintf(stderr, "fwd-ref: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (json) {
		char *js = fwd_stats_json(&st, 0);

		printf("%s\n", js ? js : "{}");
		free(js);
	} else {
		fwd_stats_print(stdout, &st);
	}
	return 0;
}
