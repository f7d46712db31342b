// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd-xdp-cost - CPU cost of the XDP forwarder per frame, measured by the
 * kernel: BPF_PROG_RUN with repeat (the mean run time it reports excludes
 * the system call), for the LPM-trie and the kernel-FIB lookups, and for
 * the benchmark reference (fwd_xdp_probe: the same lookups and rewrite
 * without the checks and counters).
 *
 *   fwd-xdp-cost --routes R --in-port N --frame F.pcap [--lookup lpm|fib|dir|probe]
 *                [--repeat K] [--rounds M] [--json]
 *
 * The first frame of F.pcap is run K times per round (same buffer: give it
 * TTL 255 so that K <= 250 runs all forward), M rounds; prints the verdict
 * and min / median ns per frame. The redirect itself is not executed
 * (BPF_PROG_RUN without live frames), so this is parse + lookup + rewrite +
 * counter + bpf_redirect_map(), the part the forwarder adds to a frame's
 * path. --lookup fib needs the route file's interfaces and routes in this
 * namespace (it installs them as fwd-xdp does).
 * Exit 0, 1 on errors, 2 usage, 77 when BPF is not permitted.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>
/* linux/bpf.h and pcap/bpf.h both define struct bpf_insn */
#define PCAP_DONT_INCLUDE_PCAP_BPF_H
#include <pcap/pcap.h>

#include "fwd_xdp_fib.h"
#include "fwd_xdp_testrun.h"

static int cmp_u32(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

static int first_frame(const char *path, uint8_t *buf, __u32 cap, __u32 *len)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *pc = pcap_open_offline(path, errbuf);
	int rc = -1;

	if (!pc) {
		fprintf(stderr, "fwd-xdp-cost: %s\n", errbuf);
		return -1;
	}
	if (pcap_next_ex(pc, &h, &d) == 1 && h->caplen <= cap) {
		memcpy(buf, d, h->caplen);
		*len = h->caplen;
		rc = 0;
	} else {
		fprintf(stderr, "fwd-xdp-cost: %s: no usable first frame\n", path);
	}
	pcap_close(pc);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "routes", required_argument, NULL, 'r' },
		{ "in-port", required_argument, NULL, 'p' },
		{ "frame", required_argument, NULL, 'f' },
		{ "lookup", required_argument, NULL, 'l' },
		{ "repeat", required_argument, NULL, 'k' },
		{ "rounds", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ 0 }
	};
	static uint8_t frame[65536], out[65536 + 4096];
	const char *routes = NULL, *fpath = NULL;
	enum fwd_xdp_prog which = FWD_XDP_PROG_LPM;
	int c, in_port = -1, json = 0, rounds = 50, i, rc, fib = 0;
	__u32 repeat = 200, len, *ns;
	struct fwd_xdp_tr tr = { 0 };
	struct fwd_xdp_tr_res res;
	struct fwd_table *t;
	char err[512];

	while ((c = getopt_long(argc, argv, "r:p:f:l:k:m:j", lo, NULL)) != -1) {
		switch (c) {
		case 'r': routes = optarg; break;
		case 'f': fpath = optarg; break;
		case 'p': in_port = atoi(optarg); break;
		case 'l':
			if (!strcmp(optarg, "fib"))
				which = FWD_XDP_PROG_FIB;
			else if (!strcmp(optarg, "probe"))
				which = FWD_XDP_PROG_PROBE;
			else if (!strcmp(optarg, "dir"))
				which = FWD_XDP_PROG_DIR;
			else if (strcmp(optarg, "lpm")) {
				fprintf(stderr, "fwd-xdp-cost: --lookup: expected lpm, fib, dir or probe, got '%s'\n", optarg);
				return 2;
			}
			fib = which == FWD_XDP_PROG_FIB;
			break;
		case 'k': repeat = (__u32)strtoul(optarg, NULL, 10); break;
		case 'm': rounds = atoi(optarg); break;
		case 'j': json = 1; break;
		default:
			fprintf(stderr, "usage: fwd-xdp-cost --routes R --in-port N --frame F.pcap [--lookup lpm|fib|dir|probe] [--repeat K] [--rounds M] [--json]\n");
			return 2;
		}
	}
	if (!routes || !fpath || in_port < 0 || in_port >= FWD_MAX_PORTS ||
	    repeat < 1 || rounds < 1) {
		fprintf(stderr, "fwd-xdp-cost: --routes, --in-port 0..%d, --frame, --repeat >= 1 and --rounds >= 1 needed\n",
			FWD_MAX_PORTS - 1);
		return 2;
	}
	libbpf_set_print(fwd_xdp_libbpf_print);
	t = calloc(1, sizeof(*t));
	ns = calloc((size_t)rounds, sizeof(*ns));
	if (!t || !ns)
		return 1;
	if (fwd_table_load(routes, t, err, sizeof(err)) || !t->ports[in_port].present) {
		fprintf(stderr, "fwd-xdp-cost: %s\n", t->ports[in_port].present ? err : "--in-port is not a port of the route file");
		return 1;
	}
	if (first_frame(fpath, frame, sizeof(frame), &len))
		return 1;
	if (fib && fwd_xdp_fib_install(t, err, sizeof(err))) {
		fprintf(stderr, "fwd-xdp-cost: %s\n", err);
		return 1;
	}
	rc = fwd_xdp_tr_open(&tr, t, in_port, which, -1, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "fwd-xdp-cost: %s\n", err);
		return rc == FWD_XDP_TR_SKIP ? 77 : 1;
	}
	for (i = 0; i < rounds; i++) {
		if (fwd_xdp_tr_run_repeat(&tr, frame, len, repeat, out, sizeof(out),
					  &res, err, sizeof(err))) {
			fprintf(stderr, "fwd-xdp-cost: %s\n", err);
			fwd_xdp_tr_close(&tr);
			return 1;
		}
		ns[i] = res.ns_per_run;
	}
	qsort(ns, (size_t)rounds, sizeof(*ns), cmp_u32);
	if (json)
		printf("{\"lookup\":\"%s\",\"verdict\":\"%s\",\"frame_bytes\":%u,\"repeat\":%u,\"rounds\":%d,\"ns_min\":%u,\"ns_median\":%u}\n",
		       fwd_xdp_prog_name(which), fwd_reason_name(res.reason), len, repeat,
		       rounds, ns[0], ns[rounds / 2]);
	else
		printf("%s: last verdict %s, %u-byte frame: %u ns min, %u ns median per frame (%d rounds x %u runs)\n",
		       fwd_xdp_prog_name(which), fwd_reason_name(res.reason), len, ns[0],
		       ns[rounds / 2], rounds, repeat);
	fwd_xdp_tr_close(&tr);
	free(ns);
	free(t);
	return 0;
}
