// SPDX-License-Identifier: BSD-2-Clause
/*
 * gen_dpdk.c - the DPDK engine (fwd-gen --engine dpdk): port 0 of the EAL,
 * one TX queue, rte_eth_tx_burst() of up to `burst` mbufs per call. Each
 * frame is copied into a fresh mbuf and stamped (CLOCK_MONOTONIC read
 * before each burst's copy loop, per frame). Frames the PMD does not take
 * are freed and sent again by the next call with the same sequence
 * numbers.
 *
 * EAL arguments: --dpdk-args "..." (e.g. "-a 0000:01:00.0" for a real NIC),
 * default "--no-pci --no-huge -m 256 --vdev net_af_packet0,iface=IF": the veth through the kernel's AF_PACKET PMD
 * (functional, ~0.4 Mpps here; net_af_xdp needs --vdev net_af_xdp0,...
 * and a larger pool). The main lcore is --cpu (or the CPU fwd-gen runs on).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_mbuf.h>

#include "gen.h"
#include "tr_frame.h"
#include "tr_util.h"

#define GD_MAX_ARGS 64
#define GD_POOL 8191
#define GD_TX_DESC 1024

struct gd {
	const struct tr_gen_cfg *cfg;
	struct rte_mempool *mp;
	struct rte_mbuf **tx;
	uint16_t port;
	int eal, started;
	uint64_t seq;
	uint32_t next;
	char *argbuf;
	char prefix[32];         /* --file-prefix fwd-gen chose */
	int own_prefix;
};

/* The first non-empty line written to @f (the EAL's own reason), or "". */
static void first_line(FILE *f, char *buf, size_t len)
{
	char line[200];

	buf[0] = 0;
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0]) {
			snprintf(buf, len, "%s", line);
			return;
		}
	}
}

/* Remove the EAL runtime directory fwd-gen named (files, then the dir). */
static void remove_rundir(const char *prefix)
{
	char dir[64], path[400];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "/var/run/dpdk/%s", prefix);
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	closedir(d);
	rmdir(dir);
}

/*
 * rte_eal_init() with stdout (the EAL prints there) and stderr (its log
 * lines) diverted to a scratch file: on failure the one line fwd-gen prints
 * quotes the EAL's first line (the reason; the rest is usage or echo). The runtime directory gets a unique
 * --file-prefix (removed again at close) unless the user gave one.
 */
static int eal_init(struct gd *g, char *err, size_t errlen)
{
	const struct tr_gen_cfg *c = g->cfg;
	char *argv[GD_MAX_ARGS], lcore[16], why[256], *tok, *save = NULL;
	int argc = 0, out, errfd, rc, cpu = c->cpu >= 0 ? c->cpu : sched_getcpu();
	FILE *log = tmpfile();
	size_t len;

	snprintf(lcore, sizeof(lcore), "%d", cpu < 0 ? 0 : cpu);
	snprintf(g->prefix, sizeof(g->prefix), "fwdgen%d", (int)getpid());
	if (c->dpdk_args) {
		g->argbuf = strdup(c->dpdk_args);
	} else {
		len = strlen(c->dev) + 128;
		g->argbuf = malloc(len);
		if (g->argbuf)
			snprintf(g->argbuf, len,
				 "--no-pci --no-huge -m 256 --vdev net_af_packet0,iface=%s", c->dev);
	}
	if (!g->argbuf || !log) {
		snprintf(err, errlen, "out of memory");
		if (log)
			fclose(log);
		return -1;
	}
	argv[argc++] = "fwd-gen";
	argv[argc++] = "-l";
	argv[argc++] = lcore;
	if (!strstr(g->argbuf, "--file-prefix")) {
		argv[argc++] = "--file-prefix";
		argv[argc++] = g->prefix;
		g->own_prefix = 1;
	}
	for (tok = strtok_r(g->argbuf, " \t", &save); tok && argc < GD_MAX_ARGS - 1;
	     tok = strtok_r(NULL, " \t", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;

	rte_log_set_global_level(RTE_LOG_ERR);
	fflush(stdout);
	fflush(stderr);
	out = dup(STDOUT_FILENO);
	errfd = dup(STDERR_FILENO);
	dup2(fileno(log), STDOUT_FILENO);
	dup2(fileno(log), STDERR_FILENO);
	rc = rte_eal_init(argc, argv);
	if (rc >= 0 && rte_eth_dev_count_avail() == 0)
		rc = -2;
	fflush(stdout);
	fflush(stderr);
	if (out >= 0) {
		dup2(out, STDOUT_FILENO);
		close(out);
	}
	if (errfd >= 0) {
		dup2(errfd, STDERR_FILENO);
		close(errfd);
	}
	first_line(log, why, sizeof(why));
	fclose(log);
	if (rc == -1) {
		snprintf(err, errlen, "EAL initialisation failed: %s (%s)",
			 rte_strerror(rte_errno), why[0] ? why : "check --dpdk-args");
		return -1;
	}
	g->eal = 1;
	if (rc == -2) {
		snprintf(err, errlen, "no DPDK port (%s)", why[0] ? why : "check --dpdk-args");
		return -1;
	}
	return 0;
}

static int port_start(struct gd *g, char *err, size_t errlen)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	int sock, r;

	RTE_ETH_FOREACH_DEV(g->port)
		break;
	sock = rte_eth_dev_socket_id(g->port);
	g->mp = rte_pktmbuf_pool_create("fwdgen", GD_POOL, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					sock < 0 ? (int)SOCKET_ID_ANY : sock);
	if (!g->mp) {
		snprintf(err, errlen, "mbuf pool: %s", rte_strerror(rte_errno));
		return -1;
	}
	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_info_get(g->port, &info) == 0 &&
	    g->cfg->frames->max_len > info.max_rx_pktlen && info.max_rx_pktlen) {
		snprintf(err, errlen, "frames of %u bytes exceed the port's %u", g->cfg->frames->max_len,
			 info.max_rx_pktlen);
		return -1;
	}
	r = rte_eth_dev_configure(g->port, 1, 1, &conf);
	if (!r)
		r = rte_eth_rx_queue_setup(g->port, 0, 256, (unsigned)sock, NULL, g->mp);
	if (!r)
		r = rte_eth_tx_queue_setup(g->port, 0, GD_TX_DESC, (unsigned)sock, NULL);
	if (!r)
		r = rte_eth_dev_start(g->port);
	if (r) {
		snprintf(err, errlen, "port %u: %s", g->port, rte_strerror(-r));
		return -1;
	}
	g->started = 1;
	return 0;
}

static int gd_open(const struct tr_gen_cfg *cfg, void **stp, char *err, size_t errlen)
{
	struct gd *g = calloc(1, sizeof(*g));

	*stp = g;
	if (!g) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	g->cfg = cfg;
	g->tx = calloc(cfg->burst, sizeof(*g->tx));
	if (!g->tx) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (eal_init(g, err, errlen) < 0 || port_start(g, err, errlen) < 0)
		return -1;
	return 0;
}

static int64_t gd_send(void *stp, uint32_t n, char *err, size_t errlen)
{
	struct gd *g = stp;
	const struct tr_frames *f = g->cfg->frames;
	uint32_t i, fi = g->next;
	uint16_t k;

	if (n > g->cfg->burst || rte_pktmbuf_alloc_bulk(g->mp, g->tx, n) != 0) {
		snprintf(err, errlen, "no mbufs for %u frames", n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		uint8_t *d = (uint8_t *)rte_pktmbuf_append(g->tx[i], (uint16_t)f->len[fi]);

		memcpy(d, f->data[fi], f->len[fi]);
		if (!g->cfg->raw)
			tr_payload_stamp(d, f->pl_off[fi], (uint32_t)(g->seq + i), tr_now_ns());
		fi = fi + 1 == f->n ? 0 : fi + 1;
	}
	k = rte_eth_tx_burst(g->port, 0, g->tx, (uint16_t)n);
	if (k < n)
		rte_pktmbuf_free_bulk(g->tx + k, n - k);
	g->seq += k;
	g->next = (uint32_t)((g->next + (uint64_t)k) % f->n);
	return k;
}

static void gd_close(void *stp)
{
	struct gd *g = stp;

	if (!g)
		return;
	if (g->started) {
		/* af_packet/af_xdp PMDs leave IFF_PROMISC set otherwise */
		rte_eth_promiscuous_disable(g->port);
		rte_eth_dev_stop(g->port);
		rte_eth_dev_close(g->port);
	}
	if (g->eal)
		rte_eal_cleanup();
	if (g->own_prefix)
		remove_rundir(g->prefix);
	free(g->tx);
	free(g->argbuf);
	free(g);
}

const struct tr_engine tr_engine_dpdk = {
	.name = "dpdk",
	.open = gd_open,
	.send = gd_send,
	.close = gd_close,
};
