// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd-gen - replay a profile pcap out of an interface, cyclically, with a
 * sequence number and a transmit timestamp in every frame (README.md):
 *
 *   fwd-gen --dev IF --pcap P.pcap [--engine xdp|afpacket] [--rate PPS]
 *           [--duration SEC | --count N] [--cpu N] [--burst N] [--raw]
 *
 * main() parses, checks the interface and the profile, and runs the loop:
 * pacing with absolute deadlines (tr_pace.h), the stop condition, and
 * SIGINT/SIGTERM (blocked while sending, so that an interrupted BPF_PROG_RUN
 * never leaves the count of sent frames unknown; checked between bursts).
 * The engines (gen.h) only send. Prints one JSON object on stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>

#include <jansson.h>

#include "gen.h"
#include "tr_pace.h"
#include "tr_payload.h"
#include "tr_pcap.h"
#include "tr_run.h"
#include "tr_util.h"

struct opts {
	const char *dev, *pcap;
	const struct tr_engine *engine;
	double rate, duration;   /* pps (0 = flat out), s (0 = none) */
	uint64_t count;          /* 0 = none */
	int64_t cpu;             /* -1 = not pinned */
	uint64_t burst;          /* 0 = default */
	uint64_t ts_every;       /* 0 = default */
	int raw, verbose;
	const char *dpdk_args;
};

struct result {
	uint64_t sent;
	uint64_t t0, t1;         /* ns */
	double cpu0, cpu1;       /* s of CPU (user + system) used by fwd-gen */
	int interrupted;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: fwd-gen --dev IF --pcap FILE [--engine xdp|afpacket] [--rate PPS]\n"
		"         [--duration SEC | --count N] [--cpu N] [--burst N] [--raw] [--json]\n"
		"         [--ts-every N] [--dpdk-args \"EAL ARGS\"] [--verbose]\n"
		"Replays the frames of FILE cyclically out of IF, writing a sequence number\n"
		"and the transmit time (CLOCK_MONOTONIC ns) into each frame's test payload\n"
		"(not with --raw). --rate 0 (default) sends flat out. Without --duration and\n"
		"--count it runs until SIGINT/SIGTERM. Prints a JSON summary on stdout.\n"
		"Engines: xdp (BPF_PROG_RUN live frames, default), afpacket (sendmmsg),\n"
		"dpdk (port 0 of the EAL; default EAL args: a net_af_packet vdev on IF).\n"
		"xdp reads the clock once per batch of 64 frames (the batch leaves at once);\n"
		"--ts-every 1 reads it for every frame.\n");
}

#if defined(TR_HAVE_XDP) && defined(TR_HAVE_DPDK)
#define ENGINES "xdp, afpacket or dpdk"
#elif defined(TR_HAVE_XDP)
#define ENGINES "xdp or afpacket; dpdk was not built"
#elif defined(TR_HAVE_DPDK)
#define ENGINES "afpacket or dpdk; xdp was not built"
#else
#define ENGINES "afpacket; xdp and dpdk were not built"
#endif

static const struct tr_engine *engine_by_name(const char *s)
{
#ifdef TR_HAVE_XDP
	if (!strcmp(s, "xdp"))
		return &tr_engine_xdp;
#endif
	if (!strcmp(s, "afpacket"))
		return &tr_engine_afpacket;
#ifdef TR_HAVE_DPDK
	if (!strcmp(s, "dpdk"))
		return &tr_engine_dpdk;
#endif
	return NULL;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "dev", required_argument, 0, 'd' },
		{ "pcap", required_argument, 0, 'p' },
		{ "engine", required_argument, 0, 'e' },
		{ "rate", required_argument, 0, 'r' },
		{ "duration", required_argument, 0, 't' },
		{ "count", required_argument, 0, 'n' },
		{ "cpu", required_argument, 0, 'c' },
		{ "burst", required_argument, 0, 'b' },
		{ "raw", no_argument, 0, 'R' },
		{ "ts-every", required_argument, 0, 'T' },
		{ "dpdk-args", required_argument, 0, 'D' },
		{ "json", no_argument, 0, 'j' },
		{ "verbose", no_argument, 0, 'v' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *what = NULL;
	uint64_t u;
	int c;

	while ((c = getopt_long(argc, argv, "d:p:e:r:t:n:c:b:vh", lo, NULL)) != -1) {
		switch (c) {
		case 'd': o->dev = optarg; break;
		case 'p': o->pcap = optarg; break;
		case 'e':
			o->engine = engine_by_name(optarg);
			if (!o->engine)
				what = "--engine (" ENGINES ")";
			break;
		case 'r':
			if (tr_parse_double(optarg, &o->rate) < 0 || tr_rate_check(o->rate) < 0)
				what = "--rate (impossible rate: 0 = flat out, else 0.001 .. 1e8 pps)";
			break;
		case 't':
			if (tr_parse_double(optarg, &o->duration) < 0 || o->duration <= 0 ||
			    o->duration > 1e6)
				what = "--duration (seconds, > 0)";
			break;
		case 'n':
			if (tr_parse_u64(optarg, 1, UINT64_MAX, &o->count) < 0)
				what = "--count (frames, >= 1)";
			break;
		case 'c':
			if (tr_parse_u64(optarg, 0, 4095, &u) < 0)
				what = "--cpu (a CPU number)";
			o->cpu = (int64_t)u;
			break;
		case 'b':
			if (tr_parse_u64(optarg, 1, 65536, &o->burst) < 0)
				what = "--burst (1..65536 frames)";
			break;
		case 'R': o->raw = 1; break;
		case 'D': o->dpdk_args = optarg; break;
		case 'T':
			if (tr_parse_u64(optarg, 1, 65536, &o->ts_every) < 0)
				what = "--ts-every (1..65536 frames)";
			break;
		case 'j': break;  /* the summary is always JSON */
		case 'v': o->verbose = 1; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
		if (what) {
			fprintf(stderr, "fwd-gen: bad %s: '%s'\n", what, optarg);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "fwd-gen: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (!o->dev || !o->pcap) {
		fprintf(stderr, "fwd-gen: --dev IF and --pcap FILE are required\n");
		return -1;
	}
	if (o->count && o->duration) {
		fprintf(stderr, "fwd-gen: give --duration or --count, not both\n");
		return -1;
	}
	return 0;
}

/* Every frame must fit the interface MTU and, unless raw, carry the slot
 * of the test payload. */
static int check_frames(const struct opts *o, const struct tr_frames *f, int mtu)
{
	uint32_t i;

	for (i = 0; i < f->n; i++) {
		if (f->len[i] < TR_ETH_HLEN) {
			fprintf(stderr, "fwd-gen: %s: frame %u is shorter than an Ethernet header\n",
				o->pcap, i);
			return -1;
		}
		if (f->len[i] - TR_ETH_HLEN > (uint32_t)mtu) {
			fprintf(stderr, "fwd-gen: %s: frame %u (%u bytes + FCS) is larger than the MTU of %s (%d)\n",
				o->pcap, i, f->len[i], o->dev, mtu);
			return -1;
		}
		if (!o->raw && f->pl_off[i] < 0) {
			fprintf(stderr, "fwd-gen: %s: frame %u has no room for the test payload "
				"(needs IPv4/UDP and 16 payload bytes); use --raw to send it as is\n",
				o->pcap, i);
			return -1;
		}
	}
	return 0;
}

/* Sleep until @deadline (CLOCK_MONOTONIC ns): clock_nanosleep to shortly
 * before it, then spin, so that wake-up latency does not add jitter. */
static void wait_until(void *ctx, uint64_t deadline)
{
	uint64_t now = tr_now_ns();

	(void)ctx;
	if (deadline > now + TR_PACE_SPIN_NS) {
		uint64_t t = deadline - TR_PACE_SPIN_NS;
		struct timespec ts = { (time_t)(t / 1000000000ull), (long)(t % 1000000000ull) };

		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
	}
	while (tr_now_ns() < deadline)
		;
}

/* CPU time of this process (user + system, which includes the softirq work
 * done inline on our CPU: veth delivery and whatever XDP runs there). */
static double cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* The context of the run's callbacks. */
struct run_ctx {
	const struct tr_engine *e;
	void *st;
	const sigset_t *sigs;
};

static uint64_t now_cb(void *ctx)
{
	(void)ctx;
	return tr_now_ns();
}

/* SIGINT/SIGTERM/SIGHUP are blocked: poll whether one is pending. */
static int stop_cb(void *ctx)
{
	struct run_ctx *c = ctx;
	sigset_t pend;
	int s;

	if (sigpending(&pend) < 0)
		return 0;
	for (s = 1; s < NSIG; s++)
		if (sigismember(c->sigs, s) && sigismember(&pend, s))
			return 1;
	return 0;
}

static int64_t send_cb(void *ctx, uint32_t n)
{
	struct run_ctx *c = ctx;
	char err[TR_ERRLEN];
	int64_t k = c->e->send(c->st, n, err, sizeof(err));

	if (k < 0)
		fprintf(stderr, "fwd-gen: %s: %s\n", c->e->name, err);
	return k;
}

static int run(const struct opts *o, const struct tr_engine *e, void *st,
	       uint32_t burst, const sigset_t *sigs, struct result *r)
{
	struct run_ctx c = { e, st, sigs };
	struct tr_run_params p = {
		.rate = o->rate, .count = o->count, .burst = burst,
		.duration_ns = o->duration > 0 ? (uint64_t)(o->duration * 1e9) : 0,
	};
	struct tr_run_ops ops = { now_cb, wait_until, stop_cb, send_cb, &c };
	struct tr_run_result rr;
	int rc;

	r->cpu0 = cpu_seconds();
	rc = tr_run(&p, &ops, &rr);
	r->cpu1 = cpu_seconds();
	r->sent = rr.sent;
	r->t0 = rr.t0;
	r->t1 = rr.t1;
	r->interrupted = rr.interrupted;
	return rc;
}

static void print_json(const struct opts *o, const struct tr_engine *e,
		       const struct tr_frames *f, uint32_t burst,
		       const struct result *r, int64_t dropped)
{
	double secs = (double)(r->t1 - r->t0) / 1e9;
	json_t *j = json_object();
	char *s;

	json_object_set_new(j, "engine", json_string(e->name));
	json_object_set_new(j, "target_pps", json_real(o->rate));
	json_object_set_new(j, "sent", json_integer((json_int_t)r->sent));
	json_object_set_new(j, "duration_s", json_real(secs));
	json_object_set_new(j, "tx_pps", json_real(secs > 0 ? (double)r->sent / secs : 0));
	json_object_set_new(j, "cpu_s", json_real(r->cpu1 - r->cpu0));
	json_object_set_new(j, "burst", json_integer(burst));
	json_object_set_new(j, "cpu", json_integer(o->cpu));
	json_object_set_new(j, "frames_in_pcap", json_integer(f->n));
	json_object_set_new(j, "raw", json_boolean(o->raw));
	json_object_set_new(j, "dev_tx_dropped", dropped >= 0 ? json_integer(dropped) : json_null());
	json_object_set_new(j, "interrupted", json_boolean(r->interrupted));
	s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10));
	if (s)
		printf("%s\n", s);
	fflush(stdout);
	free(s);
	json_decref(j);
}

int main(int argc, char **argv)
{
	struct opts o = { .cpu = -1 };
	struct tr_frames frames = { 0 };
	struct tr_gen_cfg cfg = { 0 };
	struct result res = { 0 };
	char err[TR_ERRLEN];
	int64_t drop0, drop1;
	void *st = NULL;
	int ifindex, mtu, rc = 1;
	uint32_t burst;
	sigset_t sigs;

	o.engine = engine_by_name("xdp");
	if (!o.engine)
		o.engine = &tr_engine_afpacket;
	if (parse_args(argc, argv, &o) < 0)
		return 2;
	/* SIGINT/SIGTERM/SIGHUP are polled between bursts, never delivered */
	/* a background job of a non-interactive shell inherits SIGINT as
	 * ignored, which would discard it even while blocked: these signals
	 * are how a harness stops us, so take them back */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL);

	if (!strcmp(o.engine->name, "dpdk") && o.dpdk_args) {
		/* the port comes from the EAL arguments (e.g. a PCI NIC with no
		 * kernel interface): --dev is only a label, the PMD checks sizes */
		ifindex = 0;
		mtu = 9000;
	} else if (tr_dev_check(o.dev, &ifindex, &mtu, err, sizeof(err)) < 0 ||
		   tr_dev_up(o.dev, err, sizeof(err)) < 0) {
		fprintf(stderr, "fwd-gen: %s\n", err);
		return 1;
	}
	if (tr_check_caps(err, sizeof(err)) < 0) {
		fprintf(stderr, "fwd-gen: %s\n", err);
		return 1;
	}
	/* nothing is pinned, but the testbed expects bpffs (MACHINE.md) */
	if (tr_ensure_bpffs(err, sizeof(err)) < 0 && o.verbose)
		fprintf(stderr, "fwd-gen: warning: %s\n", err);
	if (tr_frames_load(o.pcap, &frames, err, sizeof(err)) < 0) {
		fprintf(stderr, "fwd-gen: %s\n", err);
		return 1;
	}
	if (check_frames(&o, &frames, mtu) < 0)
		goto out;
	if (o.cpu >= 0 && tr_pin_cpu((int)o.cpu) < 0) {
		fprintf(stderr, "fwd-gen: cannot pin to CPU %lld: %s\n",
			(long long)o.cpu, strerror(errno));
		goto out;
	}
	prctl(PR_SET_TIMERSLACK, 1UL);
	burst = o.burst ? (uint32_t)o.burst : tr_pace_burst(o.rate);
	/* engines size their buffers for the largest n: a catch-up burst */
	cfg = (struct tr_gen_cfg){ .dev = o.dev, .ifindex = ifindex, .frames = &frames,
				   .burst = burst > TR_PACE_CATCHUP ? burst : TR_PACE_CATCHUP,
				   .raw = o.raw, .verbose = o.verbose,
				   .ts_every = (uint32_t)o.ts_every, .cpu = (int)o.cpu,
				   .dpdk_args = o.dpdk_args };
	if (o.engine->open(&cfg, &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "fwd-gen: %s: %s\n", o.engine->name, err);
		o.engine->close(st);
		goto out;
	}
	drop0 = tr_dev_counter(o.dev, "tx_dropped");
	if (run(&o, o.engine, st, burst, &sigs, &res) == 0) {
		drop1 = tr_dev_counter(o.dev, "tx_dropped");
		print_json(&o, o.engine, &frames, burst, &res,
			   drop0 >= 0 && drop1 >= 0 ? drop1 - drop0 : -1);
		rc = 0;
	}
	o.engine->close(st);
out:
	tr_frames_free(&frames);
	return rc;
}
