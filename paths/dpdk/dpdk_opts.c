// SPDX-License-Identifier: BSD-2-Clause
/*
 * dpdk_opts.c - getopt_long parser for fwd-dpdk's options (after "--").
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_version.h>

#include "dpdk_opts.h"

#ifndef FWD_DPDK_LINK
#define FWD_DPDK_LINK "shared" /* meson sets it (-Ddpdk_link) */
#endif

void dpdk_version(FILE *f)
{
	/* the harness records this line with its results */
	fprintf(f, "fwd-dpdk (fwdlab): %s, linked %s\n", rte_version(),
		FWD_DPDK_LINK);
}

void dpdk_usage(FILE *f)
{
	fprintf(f,
		"usage: fwd-dpdk [EAL args] -- --routes FILE [options]\n"
		"       fwd-dpdk [-- ]--version    DPDK version and linking (static/shared)\n"
		"EAL args: e.g. -l 1 --no-pci --file-prefix NAME (--no-huge -m 256 | --in-memory)\n"
		"          --vdev net_af_xdp0,iface=IF | net_af_packet0,iface=IF | net_pcap0,rx_pcap=..,tx_pcap=..\n"
		"Route file port N uses DPDK port id N unless --port-map says otherwise.\n"
		"  --routes FILE            route file (ports, neighbours, routes)\n"
		"  --port-map N=DEV         route port N is DPDK port DEV (port id or device\n"
		"                           name, e.g. net_af_xdp0); repeatable\n"
		"  --exception-port DEV     send punted frames (unmodified) out of DEV, e.g. a\n"
		"                           net_tap or net_pcap port; default: count and drop\n"
		"  --stats-interval SEC     print counters every SEC seconds (0 = only at exit)\n"
		"  --json                   counters as one JSON object per line\n"
		"  --ready-file PATH        created once the ports forward\n"
		"  --stats-file PATH        write the final counters as stats.json to PATH\n"
		"  --exit-when-idle MS      stop after MS ms without a received frame on any\n"
		"                           port (pcap-driven runs)\n"
		"  --burst N                RX burst size, 1..%d (default 32)\n"
		"  --rxd N, --txd N         descriptors per RX/TX queue (default 1024)\n"
		"  --drain-us US            TX buffer drain period (default 100)\n"
		"  --rx-backoff ROUNDS      after %d empty polls of a port, skip it for ROUNDS\n"
		"                           polling rounds, 0..1000 (default 3; 0 = poll\n"
		"                           every port every round, as DPDK's l3fwd)\n"
		"  --mbufs N                mbuf pool size (default: sized for the ports, >= 16383)\n"
		"  --no-promisc             do not put the ports in promiscuous mode\n"
		"Exit: 0 clean stop, 2 usage, 3 route file, 4 environment (EAL, hugepages,\n"
		"missing device), 5 port configuration, 1 other.\n",
		DPDK_MAX_BURST, DPDK_IDLE_POLLS);
}

static int parse_uint(const char *opt, const char *s, unsigned long lo,
		      unsigned long hi, unsigned int *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || !isdigit((unsigned char)s[0]) || v < lo ||
	    v > hi) {
		fprintf(stderr, "fwd-dpdk: %s: expected %lu..%lu, got '%s'\n", opt,
			lo, hi, s);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

static int parse_port_map(struct dpdk_opts *o, const char *s)
{
	const char *eq = strchr(s, '=');
	unsigned int n;
	char num[8];

	if (!eq || eq == s || (size_t)(eq - s) >= sizeof(num) || !eq[1] ||
	    strlen(eq + 1) >= DPDK_DEV_SPEC_LEN) {
		fprintf(stderr, "fwd-dpdk: --port-map: expected N=DEV, got '%s'\n", s);
		return -1;
	}
	memcpy(num, s, (size_t)(eq - s));
	num[eq - s] = '\0';
	if (parse_uint("--port-map", num, 0, FWD_MAX_PORTS - 1, &n))
		return -1;
	strcpy(o->port_map[n], eq + 1);
	return 0;
}

int dpdk_opts_parse(int argc, char **argv, struct dpdk_opts *o)
{
	enum { O_MAP = 256, O_EXC, O_INT, O_READY, O_SFILE, O_IDLE, O_BURST,
	       O_RXD, O_TXD, O_DRAIN, O_BACKOFF, O_MBUFS, O_NOPROMISC, O_VERSION };
	static const struct option opts[] = {
		{ "routes", required_argument, NULL, 'r' },
		{ "port-map", required_argument, NULL, O_MAP },
		{ "exception-port", required_argument, NULL, O_EXC },
		{ "stats-interval", required_argument, NULL, O_INT },
		{ "json", no_argument, NULL, 'j' },
		{ "ready-file", required_argument, NULL, O_READY },
		{ "stats-file", required_argument, NULL, O_SFILE },
		{ "exit-when-idle", required_argument, NULL, O_IDLE },
		{ "burst", required_argument, NULL, O_BURST },
		{ "rxd", required_argument, NULL, O_RXD },
		{ "txd", required_argument, NULL, O_TXD },
		{ "drain-us", required_argument, NULL, O_DRAIN },
		{ "rx-backoff", required_argument, NULL, O_BACKOFF },
		{ "mbufs", required_argument, NULL, O_MBUFS },
		{ "no-promisc", no_argument, NULL, O_NOPROMISC },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, O_VERSION },
		{ 0 }
	};
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->burst = 32;
	o->rxd = 1024;
	o->txd = 1024;
	o->drain_us = 100;
	o->rx_backoff = 3;
	o->promisc = 1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":r:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'r': o->routes = optarg; break;
		case 'j': o->json = 1; break;
		case 'h': dpdk_usage(stdout); return 1;
		case O_VERSION: dpdk_version(stdout); return 1;
		case O_MAP:
			if (parse_port_map(o, optarg))
				return DPDK_EXIT_USAGE;
			break;
		case O_EXC:
			if (strlen(optarg) >= DPDK_DEV_SPEC_LEN || !optarg[0]) {
				fprintf(stderr, "fwd-dpdk: --exception-port: bad device '%s'\n", optarg);
				return DPDK_EXIT_USAGE;
			}
			strcpy(o->exception, optarg);
			break;
		case O_INT:
			errno = 0;
			o->stats_interval = strtod(optarg, &end);
			if (errno || end == optarg || *end || o->stats_interval < 0 ||
			    o->stats_interval > 86400) {
				fprintf(stderr, "fwd-dpdk: --stats-interval: expected seconds 0..86400, got '%s'\n", optarg);
				return DPDK_EXIT_USAGE;
			}
			break;
		case O_READY: o->ready_file = optarg; break;
		case O_SFILE: o->stats_file = optarg; break;
		case O_IDLE:
			if (parse_uint("--exit-when-idle", optarg, 1, 3600000, &o->exit_idle_ms))
				return DPDK_EXIT_USAGE;
			break;
		case O_BURST:
			if (parse_uint("--burst", optarg, 1, DPDK_MAX_BURST, &o->burst))
				return DPDK_EXIT_USAGE;
			break;
		case O_RXD:
			if (parse_uint("--rxd", optarg, 32, 16384, &o->rxd))
				return DPDK_EXIT_USAGE;
			break;
		case O_TXD:
			if (parse_uint("--txd", optarg, 32, 16384, &o->txd))
				return DPDK_EXIT_USAGE;
			break;
		case O_DRAIN:
			if (parse_uint("--drain-us", optarg, 1, 1000000, &o->drain_us))
				return DPDK_EXIT_USAGE;
			break;
		case O_BACKOFF:
			if (parse_uint("--rx-backoff", optarg, 0, 1000, &o->rx_backoff))
				return DPDK_EXIT_USAGE;
			break;
		case O_MBUFS:
			if (parse_uint("--mbufs", optarg, 1024, 4194304, &o->mbufs))
				return DPDK_EXIT_USAGE;
			break;
		case O_NOPROMISC: o->promisc = 0; break;
		case ':':
			fprintf(stderr, "fwd-dpdk: option '%s' needs a value\n", argv[optind - 1]);
			return DPDK_EXIT_USAGE;
		default:
			fprintf(stderr, "fwd-dpdk: unknown option '%s' (see --help)\n", argv[optind - 1]);
			return DPDK_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "fwd-dpdk: unexpected argument '%s'\n", argv[optind]);
		return DPDK_EXIT_USAGE;
	}
	if (!o->routes) {
		fprintf(stderr, "fwd-dpdk: --routes FILE is required (usage: fwd-dpdk [EAL args] -- --routes FILE [options])\n");
		return DPDK_EXIT_USAGE;
	}
	return 0;
}
