// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd-kmodctl - control tool of the kernel-module datapath (README.md).
 *
 *   fwd-kmodctl --routes FILE [--stats-interval SEC] [--json]
 *               [--ready-file PATH] [--detach]
 *   fwd-kmodctl --stats [--json]
 *   fwd-kmodctl --clear
 *
 * --routes parses the route file, resolves each port's interface in the
 * caller's network namespace and uploads the table to fwd_kmod.ko; then,
 * like every fwdlab forwarder (fwd_cli_contract.md), stays in the
 * foreground printing the verdict counters every SEC seconds and once at
 * SIGINT/SIGTERM, and removes the table on exit (--detach: upload and exit,
 * the table stays). Exit codes: 0 ok, 1 internal, 2 usage, 3 route file,
 * 4 environment (module not loaded, privileges), 5 missing interface,
 * 6 table rejected by the module, 7 table gone while running.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fwd_routes.h"
#include "fwd_stats.h"
#include "kmodctl_nl.h"

enum { EX_OK, EX_INTERNAL, EX_USAGE, EX_ROUTES, EX_ENV, EX_NOIF, EX_REJECT, EX_GONE };

struct opts {
	const char *routes, *ready_file;
	double interval; /* seconds, 0 = only at exit */
	int json, detach, clear, stats;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: fwd-kmodctl --routes FILE [--stats-interval SEC] [--json] [--ready-file PATH] [--detach]\n"
		"       fwd-kmodctl --stats [--json]\n"
		"       fwd-kmodctl --clear\n"
		"Uploads FILE's table to fwd_kmod.ko for the ports' interfaces in this network\n"
		"namespace, prints the verdict counters every SEC s (0: only at exit) and at\n"
		"SIGINT/SIGTERM, then removes the table (--detach: upload and exit).\n");
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "routes", required_argument, NULL, 'r' },
		{ "stats-interval", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "ready-file", required_argument, NULL, 'R' },
		{ "detach", no_argument, NULL, 'd' },
		{ "clear", no_argument, NULL, 'c' },
		{ "stats", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "r:i:jR:dcsh", lo, NULL)) != -1) {
		switch (c) {
		case 'r': o->routes = optarg; break;
		case 'R': o->ready_file = optarg; break;
		case 'j': o->json = 1; break;
		case 'd': o->detach = 1; break;
		case 'c': o->clear = 1; break;
		case 's': o->stats = 1; break;
		case 'i':
			errno = 0;
			o->interval = strtod(optarg, &end);
			if (errno || *end || end == optarg || o->interval < 0 ||
			    o->interval > 86400) {
				fprintf(stderr, "fwd-kmodctl: --stats-interval: expected 0..86400 seconds, got '%s'\n", optarg);
				return -1;
			}
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc || (!!o->routes + o->clear + o->stats) != 1) {
		usage(stderr);
		return -1;
	}
	return 0;
}

static int print_stats(struct kmodctl *c, int json)
{
	unsigned long long tx_err;
	struct fwd_stats s;
	char err[256];
	int rc;

	rc = kmodctl_stats(c, &s, &tx_err, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "fwd-kmodctl: read counters: %s\n", err);
		return rc;
	}
	if (json) {
		char *js = fwd_stats_json(&s, 0);

		if (!js)
			return -ENOMEM;
		printf("%s\n", js);
		free(js);
	} else {
		fwd_stats_print(stdout, &s);
		if (tx_err)
			printf("tx-errors %llu\n", tx_err);
	}
	fflush(stdout);
	return 0;
}

static int write_ready(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || close(fd)) {
		fprintf(stderr, "fwd-kmodctl: --ready-file %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Parse the route file, resolve interfaces, upload. */
static int upload(struct kmodctl *c, const char *routes)
{
	unsigned int ifindex[FWD_MAX_PORTS] = { 0 };
	struct fwd_table *t;
	char err[512];
	int i, rc;

	t = calloc(1, sizeof(*t));
	if (!t) {
		fprintf(stderr, "fwd-kmodctl: out of memory\n");
		return EX_INTERNAL;
	}
	if (fwd_table_load(routes, t, err, sizeof(err))) {
		fprintf(stderr, "fwd-kmodctl: %s\n", err);
		free(t);
		return EX_ROUTES;
	}
	for (i = 0; i < FWD_MAX_PORTS; i++) {
		if (!t->ports[i].present)
			continue;
		ifindex[i] = if_nametoindex(t->ports[i].name);
		if (!ifindex[i]) {
			fprintf(stderr, "fwd-kmodctl: port %d: interface %s: %s\n", i,
				t->ports[i].name, strerror(errno));
			free(t);
			return EX_NOIF;
		}
	}
	rc = kmodctl_set_table(c, t, ifindex, err, sizeof(err));
	free(t);
	if (rc) {
		fprintf(stderr, "fwd-kmodctl: module rejected the table: %s\n", err);
		return rc == -EPERM ? EX_ENV : rc == -ENODEV ? EX_NOIF : EX_REJECT;
	}
	return EX_OK;
}

/* timespec a - b in ns, at least 0 */
static long long ts_left(const struct timespec *a, const struct timespec *b)
{
	long long d = (long long)(a->tv_sec - b->tv_sec) * 1000000000LL +
		      (a->tv_nsec - b->tv_nsec);

	return d > 0 ? d : 0;
}

/*
 * Foreground loop: counters every interval until SIGINT/SIGTERM. The
 * signals are blocked except inside ppoll(), so one arriving at any other
 * moment (even during the upload) is taken at the next wait, never lost.
 */
static int run(struct kmodctl *c, const struct opts *o, const sigset_t *wait_mask)
{
	long long period = (long long)(o->interval * 1e9), left;
	struct timespec next, now, ts;
	char err[256];
	int rc = EX_OK;

	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!stop) {
		if (period <= 0) {
			ppoll(NULL, 0, NULL, wait_mask);
			continue;
		}
		next.tv_sec += (time_t)(period / 1000000000LL);
		next.tv_nsec += (long)(period % 1000000000LL);
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		for (;;) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			left = ts_left(&next, &now);
			if (stop || !left)
				break;
			ts.tv_sec = (time_t)(left / 1000000000LL);
			ts.tv_nsec = (long)(left % 1000000000LL);
			ppoll(NULL, 0, &ts, wait_mask);
		}
		if (stop)
			break;
		if (print_stats(c, o->json))
			return EX_GONE;
	}
	if (print_stats(c, o->json))
		return EX_GONE;
	if (kmodctl_clear(c, err, sizeof(err))) {
		fprintf(stderr, "fwd-kmodctl: remove table: %s\n", err);
		rc = EX_GONE;
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, wait_mask;
	struct kmodctl *c;
	char err[256];
	int rc;

	if (parse_opts(argc, argv, &o))
		return EX_USAGE;
	/* Before the upload: a signal during it must still remove the table
	 * (blocked until run() waits, see there). */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGTERM);
	c = kmodctl_open(err, sizeof(err));
	if (!c) {
		fprintf(stderr, "fwd-kmodctl: %s\n", err);
		return EX_ENV;
	}
	if (o.stats) {
		rc = print_stats(c, o.json) ? EX_GONE : EX_OK;
	} else if (o.clear) {
		rc = kmodctl_clear(c, err, sizeof(err));
		if (rc)
			fprintf(stderr, "fwd-kmodctl: %s\n", err);
		rc = rc == -EPERM ? EX_ENV : rc ? EX_GONE : EX_OK;
	} else {
		rc = upload(c, o.routes);
		if (rc == EX_OK && o.ready_file && write_ready(o.ready_file))
			rc = EX_ENV;
		if (rc == EX_OK && !o.detach)
			rc = run(c, &o, &wait_mask);
		else if (rc == EX_ENV && o.ready_file)
			kmodctl_clear(c, err, sizeof(err));
	}
	kmodctl_close(c);
	return rc;
}
