// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd-sink - the traffic sink (README.md):
 *
 *   fwd-sink --dev IF [--capture FILE.pcap [--capture-count N]] [--hist FILE.csv]
 *            [--ready-file PATH] [--timeout SEC] [--expect N] [--no-seq] [--no-latency]
 *
 * Loads sink.bpf.c, attaches it to IF through a BPF link (so the kernel
 * detaches it even if this process is killed), creates --ready-file, and
 * waits. SIGUSR1 prints the counters so far as one JSON line and resets
 * them (one trial); SIGINT/SIGTERM/SIGHUP (or --timeout) detach, print the
 * final JSON object, write the histogram CSV, and exit 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "sink.h"
#include "sink.skel.h"
#include "tr_histstat.h"
#include "tr_util.h"

struct opts {
	const char *dev, *capture, *hist, *ready;
	uint64_t capture_count, expect;
	double timeout;             /* s, 0 = none */
	int seq, latency, generic, verbose, force_lock;
};

/*
 * Whether the sequence tracker needs its spin lock: not when the program
 * runs in native mode on a single RX queue (NAPI serialises it, see
 * sink.bpf.c). Unknown queue count -> lock.
 */
static int need_seq_lock(const struct opts *o)
{
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };
	struct ifreq ifr = { 0 };
	int fd, r;

	if (o->force_lock || o->generic)
		return 1;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", o->dev);
	ifr.ifr_data = (void *)&ch;
	r = ioctl(fd, SIOCETHTOOL, &ifr);
	close(fd);
	if (r < 0)
		return 1;
	return (ch.rx_count > ch.combined_count ? ch.rx_count : ch.combined_count) != 1;
}

static int verbose;

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!verbose || level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: fwd-sink --dev IF [--capture FILE.pcap [--capture-count N]]\n"
		"         [--hist FILE.csv] [--ready-file PATH] [--timeout SEC] [--expect N]\n"
		"         [--no-seq] [--no-latency] [--seq-lock] [--xdp-mode native|generic]\n"
		"         [--json] [--verbose]\n"
		"Counts frames arriving on IF with an XDP program, checks their sequence\n"
		"numbers and records the one-way latency of each in a histogram. Runs until\n"
		"SIGINT/SIGTERM (or --timeout), then prints a JSON summary on stdout.\n"
		"SIGUSR1: print the summary so far and reset the counters.\n");
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "dev", required_argument, 0, 'd' },
		{ "capture", required_argument, 0, 'c' },
		{ "capture-count", required_argument, 0, 'C' },
		{ "hist", required_argument, 0, 'H' },
		{ "ready-file", required_argument, 0, 'r' },
		{ "timeout", required_argument, 0, 't' },
		{ "expect", required_argument, 0, 'e' },
		{ "no-seq", no_argument, 0, 'S' },
		{ "no-latency", no_argument, 0, 'L' },
		{ "seq-lock", no_argument, 0, 'K' },
		{ "xdp-mode", required_argument, 0, 'm' },
		{ "json", no_argument, 0, 'j' },
		{ "verbose", no_argument, 0, 'v' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *what = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "d:vh", lo, NULL)) != -1) {
		switch (c) {
		case 'd': o->dev = optarg; break;
		case 'c': o->capture = optarg; break;
		case 'C':
			if (tr_parse_u64(optarg, 1, 100000000, &o->capture_count) < 0)
				what = "--capture-count (1..1e8 frames)";
			break;
		case 'H': o->hist = optarg; break;
		case 'r': o->ready = optarg; break;
		case 't':
			if (tr_parse_double(optarg, &o->timeout) < 0 || o->timeout <= 0 ||
			    o->timeout > 1e6)
				what = "--timeout (seconds, > 0)";
			break;
		case 'e':
			if (tr_parse_u64(optarg, 0, UINT64_MAX, &o->expect) < 0)
				what = "--expect (frames)";
			break;
		case 'S': o->seq = 0; break;
		case 'L': o->latency = 0; break;
		case 'K': o->force_lock = 1; break;
		case 'm':
			if (!strcmp(optarg, "native"))
				o->generic = 0;
			else if (!strcmp(optarg, "generic"))
				o->generic = 1;
			else
				what = "--xdp-mode (native or generic)";
			break;
		case 'j': break;  /* the summary is always JSON */
		case 'v': o->verbose = 1; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
		if (what) {
			fprintf(stderr, "fwd-sink: bad %s: '%s'\n", what, optarg);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "fwd-sink: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (!o->dev) {
		fprintf(stderr, "fwd-sink: --dev IF is required\n");
		return -1;
	}
	if (o->capture_count && !o->capture) {
		fprintf(stderr, "fwd-sink: --capture-count needs --capture FILE\n");
		return -1;
	}
	if (o->capture && !o->capture_count)
		o->capture_count = 1000;
	return 0;
}

static void print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10));

	if (s)
		printf("%s\n", s);
	fflush(stdout);
	free(s);
}

static int write_hist(const char *path, const struct sink_snap *s)
{
	FILE *f = fopen(path, "we");
	int r;

	if (!f) {
		fprintf(stderr, "fwd-sink: %s: %s\n", path, strerror(errno));
		return -1;
	}
	r = tr_hist_write_csv(f, s->hist);
	if (fclose(f) || r) {
		fprintf(stderr, "fwd-sink: %s: write failed\n", path);
		return -1;
	}
	return 0;
}

/* Report (and, for SIGUSR1, reset). Returns 0 or -1. */
static int report(struct sink_bpf *skel, const struct opts *o, int final)
{
	struct sink_snap *s = malloc(sizeof(*s));
	char err[TR_ERRLEN];
	json_t *j;
	int rc = 0;

	if (!s || sink_read(skel, s, err, sizeof(err)) < 0) {
		fprintf(stderr, "fwd-sink: %s\n", s ? err : "out of memory");
		free(s);
		return -1;
	}
	if (!final && sink_reset(skel, err, sizeof(err)) < 0) {
		fprintf(stderr, "fwd-sink: %s\n", err);
		rc = -1;
	}
	j = sink_json(s, o->seq, o->latency, final ? o->expect : 0);
	print_json(j);
	json_decref(j);
	if (final && o->hist && write_hist(o->hist, s) < 0)
		rc = -1;
	free(s);
	return rc;
}

/* Wait for a signal; SIGUSR1 reports and resets. Returns on stop. */
static int wait_loop(struct sink_bpf *skel, const struct opts *o, const sigset_t *set)
{
	uint64_t end = o->timeout > 0 ? tr_now_ns() + (uint64_t)(o->timeout * 1e9) : 0;

	for (;;) {
		struct timespec ts = { 1, 0 };
		int s;

		if (end) {
			uint64_t now = tr_now_ns();

			if (now >= end)
				return 0;
			if (end - now < 1000000000ull)
				ts = (struct timespec){ 0, (long)(end - now) };
		}
		s = sigtimedwait(set, NULL, &ts);
		if (s == SIGUSR1) {
			if (report(skel, o, 0) < 0)
				return -1;
		} else if (s > 0) {
			return 0;
		}
	}
}

int main(int argc, char **argv)
{
	struct opts o = { .seq = 1, .latency = 1 };
	LIBBPF_OPTS(bpf_link_create_opts, lopts);
	struct sink_cap *cap = NULL;
	struct sink_bpf *skel = NULL;
	char err[TR_ERRLEN];
	int ifindex, mtu, link_fd = -1, ready = 0, rc = 1, r;
	sigset_t set;

	if (parse_args(argc, argv, &o) < 0)
		return 2;
	/* a background job of a non-interactive shell inherits SIGINT as
	 * ignored, which would discard it even while blocked: these signals
	 * are how a harness stops us, so take them back */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	verbose = o.verbose;
	libbpf_set_print(print_fn);

	if (tr_dev_check(o.dev, &ifindex, &mtu, err, sizeof(err)) < 0 ||
	    tr_check_caps(err, sizeof(err)) < 0) {
		fprintf(stderr, "fwd-sink: %s\n", err);
		return 1;
	}
	/* nothing is pinned, but a missing bpffs is mounted as the testbed
	 * expects it (MACHINE.md); failing to mount is only a warning */
	if (tr_ensure_bpffs(err, sizeof(err)) < 0 && o.verbose)
		fprintf(stderr, "fwd-sink: warning: %s\n", err);

	skel = sink_bpf__open();
	if (!skel) {
		fprintf(stderr, "fwd-sink: cannot open the BPF object: %s\n", strerror(errno));
		goto out;
	}
	skel->rodata->do_seq = (uint32_t)o.seq;
	skel->rodata->do_latency = (uint32_t)o.latency;
	skel->rodata->seq_lock = (uint32_t)need_seq_lock(&o);
	if (o.verbose)
		fprintf(stderr, "fwd-sink: sequence tracker %s\n",
			skel->rodata->seq_lock ? "under a spin lock" : "lockless (one RX queue, native)");
	r = sink_bpf__load(skel);
	if (r) {
		fprintf(stderr, "fwd-sink: cannot load the BPF program: %s\n", strerror(-r));
		goto out;
	}
	if (sink_reset(skel, err, sizeof(err)) < 0) {
		fprintf(stderr, "fwd-sink: %s\n", err);
		goto out;
	}
	if (o.capture) {
		cap = sink_cap_open(o.dev, o.capture, o.capture_count, err, sizeof(err));
		if (!cap || sink_cap_start(cap, err, sizeof(err)) < 0) {
			fprintf(stderr, "fwd-sink: %s\n", err);
			goto out;
		}
		skel->bss->capture_left = (int64_t)o.capture_count;
	}
	/* native explicitly: never a silent fallback to generic mode, whose
	 * runs are not serialised by one NAPI poll (need_seq_lock()) */
	lopts.flags = o.generic ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
	link_fd = bpf_link_create(bpf_program__fd(skel->progs.tr_sink), ifindex, BPF_XDP, &lopts);
	if (link_fd < 0) {
		fprintf(stderr, "fwd-sink: cannot attach XDP to %s: %s%s\n", o.dev, strerror(errno),
			errno == EBUSY || errno == EEXIST ? " (another XDP program is attached)" :
			!o.generic && errno == EOPNOTSUPP ? " (no native XDP here: try --xdp-mode generic)" : "");
		goto out;
	}
	if (o.ready) {
		int fd = open(o.ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (fd < 0) {
			fprintf(stderr, "fwd-sink: %s: %s\n", o.ready, strerror(errno));
			goto out;
		}
		close(fd);
		ready = 1;
	}
	if (wait_loop(skel, &o, &set) < 0)
		goto out;
	close(link_fd);  /* detach before the final read: the counts are final */
	link_fd = -1;
	rc = report(skel, &o, 1) < 0 ? 1 : 0;
out:
	if (link_fd >= 0)
		close(link_fd);
	sink_cap_close(cap);
	if (ready)
		unlink(o.ready);
	sink_bpf__destroy(skel);
	return rc;
}
