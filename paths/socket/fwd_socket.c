// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd-socket - the IPv4 forwarder as a userspace AF_PACKET application.
 *
 *   fwd-socket --routes FILE [--mode ring|naive] [--workers N] [--cpu LIST]
 *              [--busy-poll] [--stats-interval SEC] [--json] [--ready-file P]
 *
 * Runs in the foreground inside the DUT network namespace until SIGINT or
 * SIGTERM. Every frame is a copy: AF_PACKET is a tap, the kernel stack still
 * receives the original (README.md, "PUNT and DROP"), so the kernel's own
 * IPv4 forwarding must be off on every port or a frame would leave twice.
 * main() parses, checks the environment, opens the sockets, starts the
 * workers and prints the counters; the datapath is sock_ring.c and
 * sock_naive.c.
 */
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fwd_routes.h"
#include "fwd_stats.h"
#include "sock_cfg.h"
#include "sock_env.h"
#include "sock_port.h"
#include "sock_punt.h"
#include "sock_util.h"
#include "sock_worker.h"

#define NAME "fwd-socket"

struct app {
	struct sock_cfg cfg;
	struct fwd_table *t;
	struct fwd_lpm lpm;            /* built from t */
	struct sock_worker *w;        /* cfg.workers entries */
	int nstarted;                 /* threads running */
	struct sock_punt *punt;
	int restore_fwd[FWD_MAX_PORTS]; /* 1: set forwarding back to 1 at exit */
	struct sock_ifinfo ifi[FWD_MAX_PORTS];
	volatile int stop;
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: " NAME " --routes FILE [--mode ring|naive] [--workers N] [--cpu LIST]\n"
"       [--busy-poll] [--rx-ring v3|v2] [--tx mmsg|ring] [--fanout hash|cpu|lb]\n"
"       [--block-size BYTES] [--block-nr N] [--block-tov MS] [--tx-frames N]\n"
"       [--no-qdisc-bypass] [--disable-ip-forward] [--punt-pcap FILE]\n"
"       [--stats-interval SEC] [--json] [--ready-file PATH]\n"
"Forwards IPv4 between the route file's ports with AF_PACKET sockets until\n"
"SIGINT/SIGTERM. Kernel forwarding must be off on every port (or pass\n"
"--disable-ip-forward to turn it off and back on at exit). See README.md.\n");
}

static int bad(const char *opt, const char *val, const char *want)
{
	fprintf(stderr, NAME ": %s: expected %s, got '%s'\n", opt, want, val);
	return SOCK_EXIT_USAGE;
}

static int parse_args(int argc, char **argv, struct sock_cfg *c)
{
	static const struct option opts[] = {
		{ "routes", required_argument, NULL, 'r' },
		{ "mode", required_argument, NULL, 'm' },
		{ "workers", required_argument, NULL, 'w' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "busy-poll", no_argument, NULL, 'b' },
		{ "tx", required_argument, NULL, 'x' },
		{ "rx-ring", required_argument, NULL, 'X' },
		{ "fanout", required_argument, NULL, 'f' },
		{ "block-size", required_argument, NULL, 'B' },
		{ "block-nr", required_argument, NULL, 'N' },
		{ "block-tov", required_argument, NULL, 'T' },
		{ "tx-frames", required_argument, NULL, 'F' },
		{ "no-qdisc-bypass", no_argument, NULL, 'Q' },
		{ "disable-ip-forward", no_argument, NULL, 'D' },
		{ "punt-pcap", required_argument, NULL, 'P' },
		{ "stats-interval", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "ready-file", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	uint32_t v;
	int o;

	opterr = 0; /* one line of our own instead of getopt's + the usage */
	while ((o = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (o) {
		case 'r': c->routes = optarg; break;
		case 'm':
			if (!strcmp(optarg, "ring"))
				c->mode = SOCK_MODE_RING;
			else if (!strcmp(optarg, "naive"))
				c->mode = SOCK_MODE_NAIVE;
			else
				return bad("--mode", optarg, "ring or naive");
			break;
		case 'w':
			if (sock_parse_u32(optarg, 1, SOCK_MAX_WORKERS, &v))
				return bad("--workers", optarg, "1..64");
			c->workers = (int)v;
			break;
		case 'c':
			c->ncpus = sock_parse_cpu_list(optarg, c->cpus, SOCK_MAX_WORKERS);
			if (c->ncpus < 1)
				return bad("--cpu", optarg, "a CPU list like 1 or 0,2-3");
			break;
		case 'b': c->busy_poll = 1; break;
		case 'x':
			if (!strcmp(optarg, "mmsg"))
				c->tx = SOCK_TX_MMSG;
			else if (!strcmp(optarg, "ring"))
				c->tx = SOCK_TX_RING;
			else
				return bad("--tx", optarg, "mmsg or ring");
			break;
		case 'X':
			if (!strcmp(optarg, "v3"))
				c->rx_ring = SOCK_RX_V3;
			else if (!strcmp(optarg, "v2"))
				c->rx_ring = SOCK_RX_V2;
			else
				return bad("--rx-ring", optarg, "v3 or v2");
			break;
		case 'f':
			if (!strcmp(optarg, "hash"))
				c->fanout_mode = PACKET_FANOUT_HASH;
			else if (!strcmp(optarg, "cpu"))
				c->fanout_mode = PACKET_FANOUT_CPU;
			else if (!strcmp(optarg, "lb"))
				c->fanout_mode = PACKET_FANOUT_LB;
			else
				return bad("--fanout", optarg, "hash, cpu or lb");
			break;
		case 'B':
			if (sock_parse_u32(optarg, 4096, 1u << 26, &c->block_size) ||
			    (c->block_size & (c->block_size - 1)))
				return bad("--block-size", optarg, "a power of two 4096..64M");
			break;
		case 'N':
			if (sock_parse_u32(optarg, 2, 4096, &c->block_nr))
				return bad("--block-nr", optarg, "2..4096");
			break;
		case 'T':
			if (sock_parse_u32(optarg, 1, 1000, &c->block_tov_ms))
				return bad("--block-tov", optarg, "1..1000 ms");
			break;
		case 'F':
			if (sock_parse_u32(optarg, 16, 65536, &c->tx_frames))
				return bad("--tx-frames", optarg, "16..65536");
			break;
		case 'Q': c->qdisc_bypass = 0; break;
		case 'D': c->disable_ip_forward = 1; break;
		case 'P': c->punt_pcap = optarg; break;
		case 's':
			if (sock_parse_seconds(optarg, &c->stats_interval))
				return bad("--stats-interval", optarg, "seconds >= 0");
			break;
		case 'j': c->json = 1; break;
		case 'R': c->ready_file = optarg; break;
		case 'h': usage(stdout); exit(0);
		case ':':
			fprintf(stderr, NAME ": %s needs a value (see --help)\n",
				argv[optind - 1]);
			return SOCK_EXIT_USAGE;
		default:
			fprintf(stderr, NAME ": unknown option '%s' (see --help)\n",
				argv[optind - 1]);
			return SOCK_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, NAME ": unexpected argument '%s'\n", argv[optind]);
		return SOCK_EXIT_USAGE;
	}
	if (!c->routes) {
		fprintf(stderr, NAME ": --routes FILE is required\n");
		return SOCK_EXIT_USAGE;
	}
	if ((uint64_t)c->block_size * c->block_nr > SOCK_MAX_RING) {
		fprintf(stderr, NAME ": --block-size x --block-nr = %llu MiB per socket,"
			" at most %u MiB\n",
			(unsigned long long)((uint64_t)c->block_size * c->block_nr >> 20),
			SOCK_MAX_RING >> 20);
		return SOCK_EXIT_USAGE;
	}
	return 0;
}

/* Interfaces exist, privileges suffice, kernel forwarding is off. */
static int check_env(struct app *a)
{
	const struct fwd_table *t = a->t;
	int k, fd, rc;

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		fprintf(stderr, NAME ": AF_PACKET socket: %s (needs CAP_NET_RAW: run as root)\n",
			strerror(errno));
		return errno == EPERM || errno == EACCES ? SOCK_EXIT_PRIV : SOCK_EXIT_SOCKET;
	}
	close(fd);
	for (k = 0; k < FWD_MAX_PORTS; k++) {
		const struct fwd_port *p = &t->ports[k];

		if (!p->present)
			continue;
		rc = sock_env_ifinfo(p->name, &a->ifi[k]);
		if (rc) {
			fprintf(stderr, NAME ": port %d: interface %s: %s\n", k, p->name,
				rc == -ENODEV ? "not found in this network namespace"
					      : strerror(-rc));
			return SOCK_EXIT_NOIF;
		}
		if (memcmp(a->ifi[k].mac, p->mac, 6))
			fprintf(stderr, NAME ": warning: %s's MAC differs from port %d's in %s:"
				" the kernel will see its frames as PACKET_OTHERHOST\n",
				p->name, k, a->cfg.routes);
		if (!a->ifi[k].up)
			fprintf(stderr, NAME ": warning: %s is down\n", p->name);
		if (a->ifi[k].mtu < p->mtu)
			fprintf(stderr, NAME ": warning: %s's MTU %u is below port %d's mtu %u:"
				" larger forwarded frames will be refused by the device\n",
				p->name, a->ifi[k].mtu, k, p->mtu);
		rc = sock_env_forwarding(p->name);
		if (rc < 0) {
			fprintf(stderr, NAME ": net.ipv4.conf.%s.forwarding: %s\n", p->name,
				strerror(-rc));
			return SOCK_EXIT_IPFWD;
		}
		if (rc == 0)
			continue;
		if (!a->cfg.disable_ip_forward) {
			fprintf(stderr, NAME ": kernel IPv4 forwarding is on for %s: the kernel would"
				" forward a second copy of every frame (sysctl -w net.ipv4.conf.%s."
				"forwarding=0, or pass --disable-ip-forward)\n", p->name, p->name);
			return SOCK_EXIT_IPFWD;
		}
		rc = sock_env_set_forwarding(p->name, 0);
		if (rc) {
			fprintf(stderr, NAME ": turning net.ipv4.conf.%s.forwarding off: %s\n",
				p->name, strerror(-rc));
			return rc == -EACCES || rc == -EPERM ? SOCK_EXIT_PRIV : SOCK_EXIT_IPFWD;
		}
		a->restore_fwd[k] = 1;
		fprintf(stderr, NAME ": warning: turned kernel forwarding off on %s"
			" (back on at exit)\n", p->name);
	}
	return 0;
}

static void restore_env(struct app *a)
{
	int k;

	for (k = 0; k < FWD_MAX_PORTS; k++)
		if (a->restore_fwd[k] && sock_env_set_forwarding(a->t->ports[k].name, 1))
			fprintf(stderr, NAME ": could not turn forwarding back on for %s\n",
				a->t->ports[k].name);
}

/* Largest frame the core may forward: egress MTU + Ethernet header. */
static uint32_t tx_max_frame(const struct fwd_table *t)
{
	uint32_t m = 0;
	int k;

	for (k = 0; k < FWD_MAX_PORTS; k++)
		if (t->ports[k].present && t->ports[k].mtu + 14u > m)
			m = t->ports[k].mtu + 14u;
	return m;
}

static int open_workers(struct app *a)
{
	uint32_t txmax = tx_max_frame(a->t);
	char err[256];
	int i, k, rc;

	a->w = calloc((size_t)a->cfg.workers, sizeof(*a->w));
	if (!a->w)
		return SOCK_EXIT_INTERNAL;
	for (i = 0; i < a->cfg.workers; i++) {
		struct sock_worker *w = &a->w[i];

		w->id = i;
		w->cpu = a->cfg.ncpus ? a->cfg.cpus[i % a->cfg.ncpus] : -1;
		w->cfg = &a->cfg;
		w->t = a->t;
		w->lpm = &a->lpm;
		w->punt = a->punt;
		w->stop = &a->stop;
		w->scratch_len = 65536 + 4;
		w->scratch = malloc(w->scratch_len);
		if (!w->scratch)
			return SOCK_EXIT_INTERNAL;
		for (k = 0; k < FWD_MAX_PORTS; k++) {
			/* one fanout group per port, unique to this process */
			int fanout = a->cfg.workers > 1 ?
					     (int)((getpid() * FWD_MAX_PORTS + k) & 0xffff) : -1;
			uint32_t rxmax = a->ifi[k].mtu + 14 + 4;

			if (!a->t->ports[k].present)
				continue;
			rc = sock_port_open(&w->port[k], &a->cfg, a->ifi[k].ifindex, fanout,
					    rxmax > txmax ? rxmax : txmax, txmax, err,
					    sizeof(err));
			if (rc) {
				fprintf(stderr, NAME ": port %d (%s), worker %d: %s\n", k,
					a->t->ports[k].name, i, err);
				return rc == -EPERM ? SOCK_EXIT_PRIV : SOCK_EXIT_SOCKET;
			}
		}
	}
	return 0;
}

static int start_workers(struct app *a)
{
	int i, rc;

	for (i = 0; i < a->cfg.workers; i++) {
		struct sock_worker *w = &a->w[i];
		pthread_attr_t attr;

		pthread_attr_init(&attr);
		if (w->cpu >= 0) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(w->cpu, &set);
			pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		}
		rc = pthread_create(&w->th, &attr,
				    a->cfg.mode == SOCK_MODE_NAIVE ? sock_naive_run
								   : sock_ring_run, w);
		pthread_attr_destroy(&attr);
		if (rc) {
			fprintf(stderr, NAME ": worker %d on CPU %d: %s\n", i, w->cpu,
				strerror(rc));
			return SOCK_EXIT_INTERNAL;
		}
		a->nstarted++;
	}
	return 0;
}

static void sum_stats(const struct app *a, struct fwd_stats *s)
{
	int i, r;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < a->cfg.workers; i++) {
		s->rx += __atomic_load_n(&a->w[i].stats.rx, __ATOMIC_RELAXED);
		for (r = 0; r < FWD_REASON_MAX; r++)
			s->reason[r] += __atomic_load_n(&a->w[i].stats.reason[r],
							__ATOMIC_RELAXED);
	}
}

static void print_stats(const struct app *a)
{
	struct fwd_stats s;

	sum_stats(a, &s);
	if (a->cfg.json) {
		char *js = fwd_stats_json(&s, 0);

		printf("%s\n", js ? js : "{}");
		free(js);
	} else {
		fwd_stats_print(stdout, &s);
	}
	fflush(stdout);
}

/* What only this path counts; on stderr so stdout stays one format. */
static void print_xstats(const struct app *a)
{
	struct sock_xstats x = { 0 };
	uint64_t drops = 0;
	int i, k;

	for (i = 0; i < a->cfg.workers; i++) {
		x.tx_err += a->w[i].xs.tx_err;
		x.tx_full += a->w[i].xs.tx_full;
		x.truncated += a->w[i].xs.truncated;
		for (k = 0; k < FWD_MAX_PORTS; k++)
			drops += sock_port_rx_drops(&a->w[i].port[k]);
	}
	fprintf(stderr, NAME ": socket rx drops %llu, tx errors %llu, tx ring full %llu,"
		" truncated %llu; rx per worker:", (unsigned long long)drops,
		(unsigned long long)x.tx_err, (unsigned long long)x.tx_full,
		(unsigned long long)x.truncated);
	for (i = 0; i < a->cfg.workers; i++)
		fprintf(stderr, " %llu", (unsigned long long)a->w[i].stats.rx);
	fputc('\n', stderr);
}

static int write_ready(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f)) {
		fprintf(stderr, NAME ": --ready-file %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A worker that stopped because a port's device vanished: say which. */
static int worker_failed(const struct app *a)
{
	int i, e;

	for (i = 0; i < a->nstarted; i++) {
		e = __atomic_load_n(&a->w[i].fatal_err, __ATOMIC_ACQUIRE);
		if (e) {
			int k = a->w[i].fatal_port;

			fprintf(stderr, NAME ": port %d (%s): %s: the interface went away\n",
				k, a->t->ports[k].name, strerror(e));
			return 1;
		}
	}
	return 0;
}

/* Wait for SIGINT/SIGTERM (blocked in every thread), printing the counters
 * every interval and watching the workers. Returns 0, or an exit code. */
static int wait_for_stop(struct app *a, const sigset_t *sigs)
{
	const struct timespec tick = { .tv_sec = 0, .tv_nsec = 100000000 };
	double iv = a->cfg.stats_interval, next;

	if (iv > 0 && iv < 0.01)
		iv = 0.01; /* at most 100 lines a second */
	next = now_s() + iv;
	for (;;) {
		struct timespec ts = tick;
		double left = next - now_s();
		int sig;

		if (iv > 0 && left < 0.1)
			ts.tv_nsec = left > 0 ? (long)(left * 1e9) : 0;
		sig = sigtimedwait(sigs, NULL, &ts);
		if (sig == SIGINT || sig == SIGTERM)
			return 0;
		if (worker_failed(a))
			return SOCK_EXIT_NOIF;
		if (iv > 0 && now_s() >= next) {
			print_stats(a);
			next += iv;
		}
	}
}

static void cleanup(struct app *a)
{
	int i, k;

	a->stop = 1;
	for (i = 0; i < a->nstarted; i++)
		pthread_join(a->w[i].th, NULL);
	if (a->w) {
		for (i = 0; i < a->cfg.workers; i++) {
			for (k = 0; k < FWD_MAX_PORTS; k++)
				sock_port_close(&a->w[i].port[k]);
			free(a->w[i].scratch);
		}
	}
	if (sock_punt_close(a->punt))
		fprintf(stderr, NAME ": --punt-pcap: write error\n");
	if (a->t)
		restore_env(a);
	if (a->cfg.ready_file)
		unlink(a->cfg.ready_file);
	free(a->w);
	fwd_lpm_free(&a->lpm);
	free(a->t);
}

int main(int argc, char **argv)
{
	static struct app a = {
		.cfg = {
			.mode = SOCK_MODE_RING, .tx = SOCK_TX_MMSG, .workers = 1,
			.fanout_mode = PACKET_FANOUT_HASH, .block_size = 1 << 16,
			.block_nr = 64, .block_tov_ms = 1, .tx_frames = 1024,
			.qdisc_bypass = 1,
		},
	};
	char err[512];
	sigset_t sigs;
	int rc;

	/* Signals arrive only through sigtimedwait() in main: block them
	 * before any thread exists so every worker inherits the mask. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	rc = parse_args(argc, argv, &a.cfg);
	if (rc)
		return rc;
	a.t = calloc(1, sizeof(*a.t));
	if (!a.t) {
		fprintf(stderr, NAME ": out of memory\n");
		return SOCK_EXIT_INTERNAL;
	}
	if (fwd_table_load(a.cfg.routes, a.t, err, sizeof(err))) {
		fprintf(stderr, NAME ": %s\n", err);
		free(a.t);
		return SOCK_EXIT_ROUTES;
	}
	rc = fwd_lpm_build(&a.lpm, a.t);
	if (rc) {
		fprintf(stderr, NAME ": building the LPM: %s\n", strerror(-rc));
		free(a.t);
		return SOCK_EXIT_INTERNAL;
	}
	rc = check_env(&a);
	if (rc)
		goto out;
	if (a.cfg.punt_pcap) {
		a.punt = sock_punt_open(a.cfg.punt_pcap, err, sizeof(err));
		if (!a.punt) {
			fprintf(stderr, NAME ": --punt-pcap %s: %s\n", a.cfg.punt_pcap, err);
			rc = SOCK_EXIT_USAGE;
			goto out;
		}
	}
	rc = open_workers(&a);
	if (rc)
		goto out;
	rc = start_workers(&a);
	if (rc)
		goto out;
	if (a.cfg.ready_file && write_ready(a.cfg.ready_file)) {
		rc = SOCK_EXIT_USAGE;
		goto out;
	}
	rc = wait_for_stop(&a, &sigs);
	a.stop = 1;
	for (int i = 0; i < a.nstarted; i++)
		pthread_join(a.w[i].th, NULL);
	a.nstarted = 0;
	print_stats(&a);
	print_xstats(&a);
out:
	cleanup(&a);
	return rc;
}
