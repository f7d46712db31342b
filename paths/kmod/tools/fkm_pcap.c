// SPDX-License-Identifier: BSD-2-Clause
/*
 * fkm-pcap - the two ends of the kernel-module golden test (README.md).
 *
 *   fkm-pcap run --ns-ext NS --ns-dut NS --port N:EXTIF:DUTIF... --in-port N
 *                --in IN.pcap --out-dir DIR [--settle-ms MS] [--cpu N]
 *       One golden case in one process: captures every port's outside end
 *       EXTIF (in netns NS-ext) -> DIR/portN.pcap, the frames the module
 *       punts on the ingress DUTIF (netns NS-dut, after-hook capture, see
 *       fkm_cap.h) -> DIR/punt.pcap, replays IN.pcap into the ingress
 *       port's EXTIF, waits until no frame arrived for MS ms (default 300),
 *       writes DIR/sent.pcap (the frames really sent). Prints
 *       "sent N skipped M".
 *
 *   fkm-pcap replay --if IF --in IN.pcap [--sent SENT.pcap] [--cpu N] [--loop]
 *       (--loop: again and again until SIGINT/SIGTERM.) Transmits every frame of IN.pcap in order through an AF_PACKET
 *       socket, pinned to one CPU so that the receivers keep the order.
 *       Frames shorter than an Ethernet header cannot be sent on an
 *       Ethernet device (dev_validate_header() refuses them): they are
 *       skipped and counted. Prints "sent N skipped M".
 *
 *   fkm-pcap capture --if IF --out OUT.pcap [--ready-file P]
 *                    [--after-hook --protos-from IN.pcap]
 *       Records received frames until SIGINT/SIGTERM (fkm_cap.h).
 *
 *   fkm-pcap vlan-count --in FILE.pcap
 *       Prints how many frames carry an 802.1Q / 802.1ad tag.
 *
 * Exit: 0 ok, 1 I/O, socket or capture-drop error, 2 usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "fkm_cap.h"

#define MAX_PORTS 16

struct port {
	int id;
	char ext[IF_NAMESIZE + 1], dut[IF_NAMESIZE + 1];
};

struct opts {
	const char *ifname, *in, *out, *sent, *ready, *protos_from;
	const char *ns_ext, *ns_dut, *out_dir;
	struct port port[MAX_PORTS];
	int nports, cpu, after_hook, in_port, settle_ms, loop;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: fkm-pcap run --ns-ext NS --ns-dut NS --port N:EXTIF:DUTIF... --in-port N\n"
		"                    --in IN.pcap --out-dir DIR [--settle-ms MS] [--cpu N]\n"
		"       fkm-pcap replay --if IF --in IN.pcap [--sent SENT.pcap] [--cpu N] [--loop]\n"
		"       fkm-pcap capture --if IF --out OUT.pcap [--ready-file P]\n"
		"                        [--after-hook --protos-from IN.pcap]\n"
		"       fkm-pcap vlan-count --in FILE.pcap\n");
	return 2;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static int enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd, rc;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "fkm-pcap: netns %s: %s\n", name, strerror(errno));
		return -1;
	}
	rc = setns(fd, CLONE_NEWNET);
	if (rc)
		fprintf(stderr, "fkm-pcap: setns %s: %s\n", name, strerror(errno));
	close(fd);
	return rc;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		fprintf(stderr, "fkm-pcap: pin to CPU %d: %s (order may suffer)\n",
			cpu, strerror(errno));
}

/* Send every frame of @in on @fd; frames < 14 B are skipped. 0/-1. */
static int replay_fd(int fd, const char *in, const char *sent_path,
		     const char *ifname, unsigned long *sent, unsigned long *skipped)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_dumper_t *dump = NULL;
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *pc;
	int rc = -1, r;

	*sent = *skipped = 0;
	pc = pcap_open_offline(in, errbuf);
	if (!pc) {
		fprintf(stderr, "fkm-pcap: %s\n", errbuf);
		return -1;
	}
	if (sent_path && !(dump = pcap_dump_open(pc, sent_path))) {
		fprintf(stderr, "fkm-pcap: %s\n", pcap_geterr(pc));
		goto out;
	}
	while ((r = pcap_next_ex(pc, &h, &data)) == 1) {
		if (h->caplen != h->len) {
			fprintf(stderr, "fkm-pcap: %s: frame cut by the snaplen\n", in);
			goto out;
		}
		if (h->caplen < ETH_HLEN) {
			(*skipped)++;
			continue;
		}
		if (send(fd, data, h->caplen, 0) != (ssize_t)h->caplen) {
			fprintf(stderr, "fkm-pcap: send %u-byte frame on %s: %s\n",
				h->caplen, ifname, strerror(errno));
			goto out;
		}
		if (dump)
			pcap_dump((u_char *)dump, h, data);
		(*sent)++;
	}
	if (r == PCAP_ERROR) {
		fprintf(stderr, "fkm-pcap: %s: %s\n", in, pcap_geterr(pc));
		goto out;
	}
	rc = 0;
out:
	if (dump) {
		if (pcap_dump_flush(dump))
			rc = -1;
		pcap_dump_close(dump);
	}
	pcap_close(pc);
	return rc;
}

static int cmd_replay(const struct opts *o)
{
	unsigned long sent, skipped, total = 0;
	int fd, rc;

	pin(o->cpu);
	fd = fkm_packet_socket(o->ifname, 0); /* protocol 0: send only */
	if (fd < 0)
		return 1;
	do { /* --loop: again and again until SIGINT/SIGTERM */
		rc = replay_fd(fd, o->in, o->loop ? NULL : o->sent, o->ifname,
			       &sent, &skipped);
		total += sent;
	} while (!rc && o->loop && !stop);
	close(fd);
	if (rc)
		return 1;
	printf("sent %lu skipped %lu\n", total, skipped);
	return 0;
}

static int write_ready(const char *path)
{
	int fd;

	if (!path)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || close(fd)) {
		fprintf(stderr, "fkm-pcap: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int cmd_capture(const struct opts *o)
{
	struct fkm_cap c = { 0 };
	int rc = 1;

	if (o->after_hook ? fkm_cap_open_after_hook(&c, o->ifname, o->protos_from)
			  : fkm_cap_open_all(&c, o->ifname))
		goto out;
	if (write_ready(o->ready))
		goto out;
	while (!stop) {
		poll(NULL, 0, 20);
		if (fkm_cap_drain(&c) < 0)
			goto out;
	}
	if (fkm_cap_drain(&c) < 0)
		goto out;
	rc = fkm_cap_finish(&c, o->out) ? 1 : 0;
out:
	fkm_cap_close(&c);
	return rc;
}

static int cmd_run(const struct opts *o)
{
	struct fkm_cap cap[MAX_PORTS + 1];
	const struct port *in = NULL;
	unsigned long sent, skipped;
	char path[PATH_MAX];
	struct timespec t0, quiet;
	int i, fd = -1, rc = 1, ncap = o->nports + 1;
	long got;

	memset(cap, 0, sizeof(cap));
	for (i = 0; i < o->nports; i++)
		if (o->port[i].id == o->in_port)
			in = &o->port[i];
	if (!in) {
		fprintf(stderr, "fkm-pcap: --in-port %d is not a --port\n", o->in_port);
		return 2;
	}
	pin(o->cpu);
	/* Sockets belong to the netns they are created in. */
	if (enter_netns(o->ns_dut) ||
	    fkm_cap_open_after_hook(&cap[o->nports], in->dut, o->in))
		goto out;
	if (enter_netns(o->ns_ext))
		goto out;
	for (i = 0; i < o->nports; i++)
		if (fkm_cap_open_all(&cap[i], o->port[i].ext))
			goto out;
	fd = fkm_packet_socket(in->ext, 0);
	if (fd < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/sent.pcap", o->out_dir);
	if (replay_fd(fd, o->in, path, in->ext, &sent, &skipped))
		goto out;
	/* Forwarding runs in softirq context right after each send; wait
	 * until the captures have been quiet for settle_ms. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_MONOTONIC, &quiet);
	while (ms_since(&quiet) < o->settle_ms && ms_since(&t0) < 30000) {
		poll(NULL, 0, 20);
		for (i = 0; i < ncap; i++) {
			got = fkm_cap_drain(&cap[i]);
			if (got < 0)
				goto out;
			if (got)
				clock_gettime(CLOCK_MONOTONIC, &quiet);
		}
	}
	for (i = 0; i < o->nports; i++) {
		snprintf(path, sizeof(path), "%s/port%d.pcap", o->out_dir, o->port[i].id);
		if (fkm_cap_finish(&cap[i], path))
			goto out;
	}
	snprintf(path, sizeof(path), "%s/punt.pcap", o->out_dir);
	if (fkm_cap_finish(&cap[o->nports], path))
		goto out;
	printf("sent %lu skipped %lu\n", sent, skipped);
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	for (i = 0; i < ncap; i++)
		fkm_cap_close(&cap[i]);
	return rc;
}

static int vlan_count(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *pc = pcap_open_offline(path, errbuf);
	unsigned long n = 0;
	int r;

	if (!pc) {
		fprintf(stderr, "fkm-pcap: %s\n", errbuf);
		return 1;
	}
	while ((r = pcap_next_ex(pc, &h, &d)) == 1) {
		unsigned short t;

		if (h->caplen < ETH_HLEN)
			continue;
		t = (unsigned short)(d[12] << 8 | d[13]);
		n += t == ETH_P_8021Q || t == ETH_P_8021AD;
	}
	pcap_close(pc);
	if (r == PCAP_ERROR)
		return 1;
	printf("%lu\n", n);
	return 0;
}

/* "N:EXTIF:DUTIF" */
static int parse_port(struct opts *o, const char *s)
{
	struct port *p = &o->port[o->nports];
	char tail;

	if (o->nports == MAX_PORTS ||
	    sscanf(s, "%d:%16[^:]:%16[^:]%c", &p->id, p->ext, p->dut, &tail) != 3 ||
	    p->id < 0 || p->id >= MAX_PORTS) {
		fprintf(stderr, "fkm-pcap: --port: expected N:EXTIF:DUTIF, got '%s'\n", s);
		return -1;
	}
	o->nports++;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "if", required_argument, NULL, 'i' },
		{ "in", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' },
		{ "sent", required_argument, NULL, 's' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "after-hook", no_argument, NULL, 'a' },
		{ "protos-from", required_argument, NULL, 'p' },
		{ "ns-ext", required_argument, NULL, 'E' },
		{ "ns-dut", required_argument, NULL, 'D' },
		{ "port", required_argument, NULL, 'P' },
		{ "in-port", required_argument, NULL, 'I' },
		{ "out-dir", required_argument, NULL, 'O' },
		{ "settle-ms", required_argument, NULL, 'S' },
		{ "loop", no_argument, NULL, 'L' },
		{ 0 }
	};
	struct sigaction sa = { .sa_handler = on_signal };
	struct opts o = { .in_port = -1, .settle_ms = 300 };
	const char *cmd;
	int c;

	if (argc < 2)
		return usage();
	cmd = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'i': o.ifname = optarg; break;
		case 'n': o.in = optarg; break;
		case 'o': o.out = optarg; break;
		case 's': o.sent = optarg; break;
		case 'r': o.ready = optarg; break;
		case 'c': o.cpu = atoi(optarg); break;
		case 'a': o.after_hook = 1; break;
		case 'p': o.protos_from = optarg; break;
		case 'E': o.ns_ext = optarg; break;
		case 'D': o.ns_dut = optarg; break;
		case 'I': o.in_port = atoi(optarg); break;
		case 'O': o.out_dir = optarg; break;
		case 'S': o.settle_ms = atoi(optarg); break;
		case 'L': o.loop = 1; break;
		case 'P':
			if (parse_port(&o, optarg))
				return 2;
			break;
		default: return usage();
		}
	}
	if (optind != argc)
		return usage();
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (!strcmp(cmd, "vlan-count") && o.in)
		return vlan_count(o.in);
	if (!strcmp(cmd, "run") && o.ns_ext && o.ns_dut && o.nports && o.in &&
	    o.out_dir && o.in_port >= 0)
		return cmd_run(&o);
	if (!o.ifname)
		return usage();
	if (!strcmp(cmd, "replay") && o.in)
		return cmd_replay(&o);
	if (!strcmp(cmd, "capture") && o.out && (!o.after_hook || o.protos_from))
		return cmd_capture(&o);
	return usage();
}
