// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd-xdp - load the XDP forwarder, fill its maps from a route file, attach
 * it to every port of the file, print verdict counters until SIGINT/SIGTERM,
 * detach. Run it inside the DUT network namespace: the DEVMAP takes
 * ifindexes of the namespace of the process that fills it.
 *
 *   fwd-xdp --routes FILE [--mode native|generic] [--lookup lpm|dir|fib]
 *           [--multi-buffer auto|on|off] [--probe] [--no-fib-install]
 *           [--stats-interval SEC] [--json] [--ready-file PATH] [--verbose]
 *
 * Attachment uses BPF links (BPF_LINK_CREATE): the kernel detaches the
 * program when the last link fd closes, so even SIGKILL leaves nothing
 * attached. Command-line contract: docs/formats.md, "Forwarder command
 * line" (shared by every fwd-<path>); exit codes in README.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "fwd_xdp_fib.h"
#include "fwd_xdp_maps.h"

enum {
	EXIT_USAGE = 2,
	EXIT_ROUTES = 3,
	EXIT_PRIV = 4,
	EXIT_NOIF = 5,
	EXIT_ATTACH = 6,
	EXIT_LOAD = 7,
	EXIT_FIB = 8,
};

enum { MB_AUTO = -1, MB_OFF = 0, MB_ON = 1 };

struct opts {
	const char *routes, *ready_file;
	int generic, fib, dir, fib_install, json, probe;
	int multi_buffer; /* MB_AUTO, MB_OFF or MB_ON */
	double interval; /* seconds, 0 = only at exit */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: fwd-xdp --routes FILE [--mode native|generic] [--lookup lpm|dir|fib]\n"
		"               [--multi-buffer auto|on|off] [--probe] [--no-fib-install]\n"
		"               [--stats-interval SEC] [--json] [--ready-file PATH] [--verbose]\n"
		"       fwd-xdp --version\n"
		"Attaches the XDP forwarder to every port of FILE (run inside the DUT\n"
		"namespace) until SIGINT/SIGTERM; prints verdict counters every SEC\n"
		"seconds (0 = only at exit) and at exit, as text or JSON lines.\n"
		"--lookup: lpm (default) the kernel's LPM trie map, dir a DIR-16-8-8\n"
		"table in BPF arrays, fib bpf_fib_lookup(): it first installs FILE into\n"
		"the kernel FIB unless --no-fib-install.\n"
		"--multi-buffer: load the program frags-aware (frames longer than one\n"
		"XDP buffer, jumbo MTU); auto (default) does when a port's MTU (route\n"
		"file or interface) is above %d bytes, or when the driver refuses the\n"
		"single-buffer program at its MTU.\n"
		"--probe: attach the benchmark reference instead of the forwarder: LPM\n"
		"lookup, rewrite and redirect only, no RFC 1812 checks, no counters.\n"
		"It is not a conforming router; benchmarks only.\n"
		"--verbose: libbpf's debug log (~130 lines) and the buffer mode chosen.\n",
		FWD_XDP_SINGLE_BUFFER_MTU);
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "routes", required_argument, NULL, 'r' },
		{ "mode", required_argument, NULL, 'm' },
		{ "lookup", required_argument, NULL, 'l' },
		{ "no-fib-install", no_argument, NULL, 'N' },
		{ "multi-buffer", required_argument, NULL, 'B' },
		{ "probe", no_argument, NULL, 'P' },
		{ "stats-interval", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "ready-file", required_argument, NULL, 'R' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	char *end;
	int c;

	o->fib_install = 1;
	o->multi_buffer = MB_AUTO;
	opterr = 0; /* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, ":r:m:l:s:jR:vhB:P", lo, NULL)) != -1) {
		switch (c) {
		case 'r': o->routes = optarg; break;
		case 'R': o->ready_file = optarg; break;
		case 'j': o->json = 1; break;
		case 'v': fwd_xdp_verbose = 1; break;
		case 'N': o->fib_install = 0; break;
		case 'P': o->probe = 1; break;
		case 'B':
			if (!strcmp(optarg, "auto"))
				o->multi_buffer = MB_AUTO;
			else if (!strcmp(optarg, "on"))
				o->multi_buffer = MB_ON;
			else if (!strcmp(optarg, "off"))
				o->multi_buffer = MB_OFF;
			else {
				fprintf(stderr, "fwd-xdp: --multi-buffer: expected auto, on or off, got '%s'\n", optarg);
				return -1;
			}
			break;
		case 'm':
			if (!strcmp(optarg, "generic"))
				o->generic = 1;
			else if (strcmp(optarg, "native")) {
				fprintf(stderr, "fwd-xdp: --mode: expected native or generic, got '%s'\n", optarg);
				return -1;
			}
			break;
		case 'l':
			o->fib = !strcmp(optarg, "fib");
			o->dir = !strcmp(optarg, "dir");
			if (!o->fib && !o->dir && strcmp(optarg, "lpm")) {
				fprintf(stderr, "fwd-xdp: --lookup: expected lpm, dir or fib, got '%s'\n", optarg);
				return -1;
			}
			break;
		case 's':
			errno = 0;
			o->interval = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(o->interval >= 0) ||
			    o->interval > 86400) {
				fprintf(stderr, "fwd-xdp: --stats-interval: expected seconds 0..86400, got '%s'\n", optarg);
				return -1;
			}
			break;
		case 'h': usage(stdout); exit(0);
		case 'V':
			printf("fwd-xdp (fwdlab): libbpf %u.%u\n",
			       libbpf_major_version(), libbpf_minor_version());
			exit(0);
		case ':':
			fprintf(stderr, "fwd-xdp: %s needs a value (see fwd-xdp --help)\n",
				argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "fwd-xdp: unknown option '%s' (see fwd-xdp --help)\n",
				argv[optind - 1]);
			return -1;
		}
	}
	if (!o->routes || optind != argc) {
		usage(stderr);
		return -1;
	}
	if (o->probe && (o->fib || o->dir)) {
		fprintf(stderr, "fwd-xdp: --probe has its own LPM-trie lookup; it does not combine with --lookup %s\n",
			o->fib ? "fib" : "dir");
		return -1;
	}
	return 0;
}

/* CAP_NET_ADMIN plus CAP_BPF or CAP_SYS_ADMIN in the effective set? */
static int have_privileges(void)
{
	unsigned long long eff = 0;
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return geteuid() == 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff >> 12 & 1) && ((eff >> 39 & 1) || (eff >> 21 & 1));
}

static void print_stats(struct fwd_xdp *skel, int json)
{
	struct fwd_stats st;
	char *js;
	int err = fwd_xdp_read_stats(skel, &st);

	if (err) {
		fprintf(stderr, "fwd-xdp: reading counters: %s\n", strerror(-err));
		return;
	}
	if (json) {
		js = fwd_stats_json(&st, 0);
		printf("%s\n", js ? js : "{}");
		free(js);
	} else {
		fwd_stats_print(stdout, &st);
	}
	fflush(stdout);
}

static int write_ready(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f)) {
		fprintf(stderr, "fwd-xdp: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Attach one program per port through a BPF link; one clear line on error. */
static int attach(const struct opts *o, int prog_fd, const char *name,
		  int ifindex, int *link_fd, int quiet_erange)
{
	LIBBPF_OPTS(bpf_link_create_opts, lo,
		    .flags = o->generic ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE);

	*link_fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &lo);
	if (*link_fd >= 0)
		return 0;
	if (errno == ERANGE && quiet_erange)
		return -1; /* the caller retries multi-buffer */
	if (errno == EOPNOTSUPP && !o->generic)
		fprintf(stderr, "fwd-xdp: %s: the driver has no native XDP support; use --mode generic\n", name);
	else if (errno == ERANGE && !o->generic && o->multi_buffer == MB_OFF)
		fprintf(stderr, "fwd-xdp: %s: the driver refuses single-buffer XDP at this MTU (ERANGE; veth: the peer's MTU); use --multi-buffer auto or on, lower the MTU, or --mode generic\n", name);
	else if (errno == ERANGE && !o->generic)
		fprintf(stderr, "fwd-xdp: %s: the driver refuses native XDP at this MTU (ERANGE; veth: the peer's MTU); lower the MTU or use --mode generic\n", name);
	else if (errno == EBUSY || errno == EEXIST)
		fprintf(stderr, "fwd-xdp: %s: another XDP program is attached; remove it first (ip link set dev %s xdp off; if it is held by a BPF link, e.g. another fwd-xdp, stop that process: bpftool net shows which)\n",
			name, name);
	else
		fprintf(stderr, "fwd-xdp: %s: attaching XDP (%s mode): %s\n", name,
			o->generic ? "generic" : "native", strerror(errno));
	return -1;
}

/* Block until a stop signal; print stats every interval meanwhile. */
static void run(const struct opts *o, struct fwd_xdp *skel, sigset_t *stop)
{
	struct timespec ts = {
		.tv_sec = (time_t)o->interval,
		.tv_nsec = (long)((o->interval - (double)(time_t)o->interval) * 1e9),
	};

	for (;;) {
		int s = o->interval > 0 ? sigtimedwait(stop, NULL, &ts)
					: sigwaitinfo(stop, NULL);

		if (s > 0)
			return;
		if (s < 0 && errno == EAGAIN)
			print_stats(skel, o->json);
	}
}

/* The interface's MTU in bytes, or 0 when it cannot be read. */
static int if_mtu(const char *name)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), mtu = 0;

	if (fd < 0)
		return 0;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (!ioctl(fd, SIOCGIFMTU, &ifr))
		mtu = ifr.ifr_mtu;
	close(fd);
	return mtu;
}

/* --multi-buffer auto: does a port's MTU (route file or interface) call
 * for the frags-aware program? */
static int wants_frags(const struct fwd_table *t, const int *ifindex)
{
	int i;

	if (fwd_xdp_table_wants_frags(t))
		return 1;
	for (i = 0; i < FWD_MAX_PORTS; i++)
		if (ifindex[i] && if_mtu(t->ports[i].name) > FWD_XDP_SINGLE_BUFFER_MTU)
			return 1;
	return 0;
}

/* Detach (close the links) and unload. */
static void tear_down(struct fwd_xdp **skel, int *links)
{
	int i;

	for (i = 0; i < FWD_MAX_PORTS; i++) {
		if (links[i] >= 0)
			close(links[i]); /* detaches: the link was the only holder */
		links[i] = -1;
	}
	fwd_xdp__destroy(*skel);
	*skel = NULL;
}

/*
 * Open, load (single- or multi-buffer), fill the maps and attach to every
 * port. Returns 0, -ERANGE when a port refused the program at its MTU
 * (message printed unless @frags is 0 and auto may retry), or an exit
 * code; the caller tears down on error.
 */
static int bring_up(const struct opts *o, const struct fwd_table *t,
		    const int *ifindex, int frags, struct fwd_xdp **skelp,
		    int *links)
{
	enum fwd_xdp_prog which = o->probe ? FWD_XDP_PROG_PROBE
				 : o->fib   ? FWD_XDP_PROG_FIB
				 : o->dir   ? FWD_XDP_PROG_DIR
					    : FWD_XDP_PROG_LPM;
	int quiet_erange = o->multi_buffer == MB_AUTO && !frags;
	struct bpf_program *prog;
	struct fwd_xdp *skel;
	char err[512];
	int i;

	skel = *skelp = fwd_xdp__open();
	if (!skel) {
		fprintf(stderr, "fwd-xdp: opening the BPF object: %s\n", strerror(errno));
		return 1;
	}
	prog = fwd_xdp_select(skel, which, frags);
	if (fwd_xdp_size_maps(skel, t) || fwd_xdp__load(skel)) {
		fprintf(stderr, "fwd-xdp: loading the BPF program failed: %s%s\n", strerror(errno),
			errno == EACCES || errno == EINVAL ? " (verifier log above)" : "");
		return errno == EPERM ? EXIT_PRIV : EXIT_LOAD;
	}
	if (fwd_xdp_fill_routes(skel, t, err, sizeof(err))) {
		fprintf(stderr, "fwd-xdp: %s\n", err);
		return 1;
	}
	for (i = 0; i < FWD_MAX_PORTS; i++) {
		if (!t->ports[i].present)
			continue;
		if (fwd_xdp_set_port(skel, t, i, ifindex[i], ifindex[i], err, sizeof(err))) {
			fprintf(stderr, "fwd-xdp: %s\n", err);
			return EXIT_NOIF;
		}
	}
	for (i = 0; i < FWD_MAX_PORTS; i++) {
		if (!t->ports[i].present)
			continue;
		if (attach(o, bpf_program__fd(prog), t->ports[i].name, ifindex[i],
			   &links[i], quiet_erange))
			return errno == ERANGE ? -ERANGE : EXIT_ATTACH;
	}
	if (fwd_xdp_verbose)
		fprintf(stderr, "fwd-xdp: %s program attached, %s\n",
			o->probe ? "probe (benchmark reference)" : "forwarder",
			frags ? "multi-buffer" : "single-buffer");
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct fwd_table *t = NULL;
	struct fwd_xdp *skel = NULL;
	int ifindex[FWD_MAX_PORTS] = { 0 }, links[FWD_MAX_PORTS];
	char err[512];
	sigset_t stop;
	int i, rc = 1, ready = 0, frags;

	for (i = 0; i < FWD_MAX_PORTS; i++)
		links[i] = -1;
	/* Stop signals are taken synchronously (sigtimedwait), so a signal
	 * during set-up still leads through the clean-up below. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, NULL);

	if (parse_opts(argc, argv, &o))
		return EXIT_USAGE;
	libbpf_set_print(fwd_xdp_libbpf_print);

	t = calloc(1, sizeof(*t));
	if (!t) {
		fprintf(stderr, "fwd-xdp: out of memory\n");
		return 1;
	}
	if (fwd_table_load(o.routes, t, err, sizeof(err))) {
		fprintf(stderr, "fwd-xdp: %s\n", err);
		rc = EXIT_ROUTES;
		goto out;
	}
	for (i = 0; i < FWD_MAX_PORTS; i++) {
		if (!t->ports[i].present)
			continue;
		ifindex[i] = (int)if_nametoindex(t->ports[i].name);
		if (!ifindex[i]) {
			fprintf(stderr, "fwd-xdp: port %d: no interface '%s' in this network namespace\n",
				i, t->ports[i].name);
			rc = EXIT_NOIF;
			goto out;
		}
	}
	if (!have_privileges()) {
		fprintf(stderr, "fwd-xdp: needs root (CAP_NET_ADMIN and CAP_BPF or CAP_SYS_ADMIN) to load and attach XDP\n");
		rc = EXIT_PRIV;
		goto out;
	}
	if (o.fib && o.fib_install && fwd_xdp_fib_install(t, err, sizeof(err))) {
		fprintf(stderr, "fwd-xdp: %s\n", err);
		rc = EXIT_FIB;
		goto out;
	}

	frags = o.multi_buffer == MB_AUTO ? wants_frags(t, ifindex) : o.multi_buffer;
	rc = bring_up(&o, t, ifindex, frags, &skel, links);
	if (rc == -ERANGE && o.multi_buffer == MB_AUTO && !frags) {
		/* a port's peer MTU is above what one buffer holds */
		if (fwd_xdp_verbose)
			fprintf(stderr, "fwd-xdp: single-buffer refused at this MTU, loading multi-buffer\n");
		tear_down(&skel, links);
		frags = 1;
		rc = bring_up(&o, t, ifindex, frags, &skel, links);
	}
	if (rc == -ERANGE) {
		rc = EXIT_ATTACH;
		goto out;
	}
	if (rc)
		goto out;
	rc = 1;
	if (o.ready_file) {
		if (write_ready(o.ready_file))
			goto out;
		ready = 1;
	}
	run(&o, skel, &stop);
	if (!o.json) /* told apart from the interval reports */
		printf("fwd-xdp: counters at exit (since attach):\n");
	print_stats(skel, o.json);
	rc = 0;
out:
	tear_down(&skel, links);
	if (ready)
		unlink(o.ready_file);
	free(t);
	return rc;
}
