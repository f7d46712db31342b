// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd-xdp-golden - the golden contract for the XDP path: every frame of
 * CASE_DIR/in.pcap through the XDP program with BPF_PROG_RUN (one run per
 * frame, received on port CASE_DIR/in_port), outputs as fwd-ref writes them:
 *
 *   fwd-xdp-golden CASE_DIR OUT_DIR [fib|dir]
 *
 * OUT_DIR/port<N>.pcap (forwarded frames as the program rewrote them),
 * OUT_DIR/punt.pcap (punted frames as the program left them: XDP_PASS must
 * not modify), OUT_DIR/stats.json (from the program's own per-CPU counters).
 * Compare with: golden-cmp CASE_DIR/expected OUT_DIR.
 * "fib": through fwd_xdp_fib instead, after installing routes.conf into the
 * kernel FIB of the current namespace, whose interfaces must be the route
 * file's (tests/golden_fib.sh sets that up); frames then enter on in_port's
 * own interface.
 * Exit 0 on success, 77 when BPF is not permitted here or the case holds a
 * frame shorter than an Ethernet header (no XDP program ever sees one), 1 on
 * errors.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <linux/bpf.h>
/* linux/bpf.h and pcap/bpf.h both define struct bpf_insn */
#define PCAP_DONT_INCLUDE_PCAP_BPF_H
#include <pcap/dlt.h>
#include <pcap/pcap.h>

#include "fwd_xdp_fib.h"
#include "fwd_xdp_testrun.h"

#define SNAPLEN 65535

struct outputs {
	pcap_t *dead;
	pcap_dumper_t *port[FWD_MAX_PORTS];
	pcap_dumper_t *punt;
};

static int read_in_port(const char *dir, const struct fwd_table *t)
{
	char path[PATH_MAX];
	FILE *f;
	int p = -1;

	snprintf(path, sizeof(path), "%s/in_port", dir);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "fwd-xdp-golden: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fscanf(f, "%d", &p) != 1 || p < 0 || p >= FWD_MAX_PORTS ||
	    !t->ports[p].present) {
		fprintf(stderr, "fwd-xdp-golden: %s: expected a port number of routes.conf\n", path);
		p = -1;
	}
	fclose(f);
	return p;
}

static int open_outputs(struct outputs *o, const struct fwd_table *t,
			const char *dir)
{
	char path[PATH_MAX];
	int k;

	o->dead = pcap_open_dead(DLT_EN10MB, SNAPLEN);
	if (!o->dead)
		return -1;
	for (k = 0; k <= FWD_MAX_PORTS; k++) {
		pcap_dumper_t **d = k < FWD_MAX_PORTS ? &o->port[k] : &o->punt;

		if (k < FWD_MAX_PORTS && !t->ports[k].present)
			continue;
		if (k < FWD_MAX_PORTS)
			snprintf(path, sizeof(path), "%s/port%d.pcap", dir, k);
		else
			snprintf(path, sizeof(path), "%s/punt.pcap", dir);
		*d = pcap_dump_open(o->dead, path);
		if (!*d) {
			fprintf(stderr, "fwd-xdp-golden: %s\n", pcap_geterr(o->dead));
			return -1;
		}
	}
	return 0;
}

static int close_outputs(struct outputs *o)
{
	int k, rc = 0;

	for (k = 0; k <= FWD_MAX_PORTS; k++) {
		pcap_dumper_t *d = k < FWD_MAX_PORTS ? o->port[k] : o->punt;

		if (!d)
			continue;
		if (pcap_dump_flush(d))
			rc = -1;
		pcap_dump_close(d);
	}
	if (o->dead)
		pcap_close(o->dead);
	return rc;
}

/* Every frame of @in through the program; outputs to @o. */
static int run_frames(struct fwd_xdp_tr *tr, const char *in, struct outputs *o)
{
	static uint8_t out[SNAPLEN + 4096];
	char errbuf[PCAP_ERRBUF_SIZE], err[256];
	struct fwd_xdp_tr_res res;
	struct pcap_pkthdr *h, oh;
	const u_char *data;
	unsigned long idx = 0;
	pcap_t *pc;
	int n, rc = -1;

	pc = pcap_open_offline(in, errbuf);
	if (!pc) {
		fprintf(stderr, "fwd-xdp-golden: %s\n", errbuf);
		return -1;
	}
	if (pcap_datalink(pc) != DLT_EN10MB) {
		fprintf(stderr, "fwd-xdp-golden: %s: not an Ethernet capture\n", in);
		goto out;
	}
	while ((n = pcap_next_ex(pc, &h, &data)) == 1) {
		idx++;
		if (h->caplen != h->len) {
			fprintf(stderr, "fwd-xdp-golden: %s: frame %lu cut by the snaplen\n", in, idx);
			goto out;
		}
		if (h->caplen < 14) {
			/* veth and every NIC driver drop these before XDP;
			 * BPF_PROG_RUN refuses them (EINVAL). */
			fprintf(stderr, "fwd-xdp-golden: %s: frame %lu is %u bytes: the kernel never hands XDP a frame shorter than an Ethernet header; skipped\n",
				in, idx, h->caplen);
			rc = FWD_XDP_TR_SKIP;
			goto out;
		}
		if (fwd_xdp_tr_run(tr, data, h->caplen, out, sizeof(out), &res,
				   err, sizeof(err))) {
			fprintf(stderr, "fwd-xdp-golden: %s: frame %lu: %s\n", in, idx, err);
			goto out;
		}
		oh = *h;
		oh.caplen = oh.len = res.out_len;
		if (res.reason == FWD_FORWARD) {
			if (res.port < 0 || res.port >= FWD_MAX_PORTS || !o->port[res.port]) {
				fprintf(stderr, "fwd-xdp-golden: frame %lu: forwarded to unknown port %d\n",
					idx, res.port);
				goto out;
			}
			pcap_dump((u_char *)o->port[res.port], &oh, out);
		} else if (fwd_verdict(res.reason) == FWD_V_PUNT) {
			pcap_dump((u_char *)o->punt, &oh, out);
		}
	}
	if (n == PCAP_ERROR) {
		fprintf(stderr, "fwd-xdp-golden: %s: %s\n", in, pcap_geterr(pc));
		goto out;
	}
	rc = 0;
out:
	pcap_close(pc);
	return rc;
}

int main(int argc, char **argv)
{
	char path[PATH_MAX], err[512];
	struct fwd_xdp_tr tr = { 0 };
	struct outputs o = { 0 };
	struct fwd_stats st;
	struct fwd_table *t;
	int in_port, rc = 1, e, fib = argc == 4 && !strcmp(argv[3], "fib");
	int dir = argc == 4 && !strcmp(argv[3], "dir");

	if (argc != 3 && !fib && !dir) {
		fprintf(stderr, "usage: fwd-xdp-golden CASE_DIR OUT_DIR [fib|dir]\n");
		return 2;
	}
	libbpf_set_print(fwd_xdp_libbpf_print);
	t = calloc(1, sizeof(*t));
	if (!t)
		return 1;
	snprintf(path, sizeof(path), "%s/routes.conf", argv[1]);
	if (fwd_table_load(path, t, err, sizeof(err))) {
		fprintf(stderr, "fwd-xdp-golden: %s\n", err);
		goto out;
	}
	in_port = read_in_port(argv[1], t);
	if (in_port < 0)
		goto out;
	if (mkdir(argv[2], 0755) && errno != EEXIST) {
		fprintf(stderr, "fwd-xdp-golden: %s: %s\n", argv[2], strerror(errno));
		goto out;
	}
	if (fib && fwd_xdp_fib_install(t, err, sizeof(err))) {
		fprintf(stderr, "fwd-xdp-golden: %s\n", err);
		goto out;
	}
	e = fwd_xdp_tr_open(&tr, t, in_port,
			    fib ? FWD_XDP_PROG_FIB : dir ? FWD_XDP_PROG_DIR : FWD_XDP_PROG_LPM, -1, err,
			    sizeof(err));
	if (e) {
		fprintf(stderr, "fwd-xdp-golden: %s%s\n", err,
			e == FWD_XDP_TR_SKIP ? " (skipped: BPF not permitted)" : "");
		rc = e == FWD_XDP_TR_SKIP ? FWD_XDP_TR_SKIP : 1;
		goto out;
	}
	if (open_outputs(&o, t, argv[2]))
		goto out_close;
	snprintf(path, sizeof(path), "%s/in.pcap", argv[1]);
	e = run_frames(&tr, path, &o);
	if (e) {
		rc = e == FWD_XDP_TR_SKIP ? e : 1;
		goto out_close;
	}
	if (close_outputs(&o)) {
		fprintf(stderr, "fwd-xdp-golden: writing %s failed\n", argv[2]);
		memset(&o, 0, sizeof(o));
		goto out_close;
	}
	memset(&o, 0, sizeof(o));
	if ((e = fwd_xdp_read_stats(tr.skel, &st))) {
		fprintf(stderr, "fwd-xdp-golden: reading counters: %s\n", strerror(-e));
		goto out_close;
	}
	snprintf(path, sizeof(path), "%s/stats.json", argv[2]);
	if (fwd_stats_write_json(&st, path)) {
		fprintf(stderr, "fwd-xdp-golden: %s: %s\n", path, strerror(errno));
		goto out_close;
	}
	rc = 0;
out_close:
	close_outputs(&o);
	fwd_xdp_tr_close(&tr);
out:
	free(t);
	return rc;
}
