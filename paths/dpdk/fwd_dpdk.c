// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd-dpdk - the fwdlab IPv4 forwarder as a DPDK poll-mode application.
 *
 *   fwd-dpdk [EAL args] -- --routes FILE [options]      (--help for options)
 *
 * main() checks what it can before the EAL (options, route file, memory),
 * initialises the EAL, maps route ports to DPDK ports, builds the mbuf pool
 * and the rte_lpm, starts the ports, runs dpdk_fwd_loop() on every
 * forwarding lcore (the workers, or the main lcore when it is alone) and
 * unwinds on SIGINT/SIGTERM or --exit-when-idle: lcores joined, last
 * counters printed, ports stopped and closed, promiscuous mode restored.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "dpdk_env.h"
#include "dpdk_fwd.h"
#include "dpdk_lpm.h"
#include "dpdk_opts.h"
#include "dpdk_port.h"
#include "dpdk_stats.h"

#define MBUF_CACHE 256
#define TX_BUFFER_FRAMES 32
#define AF_XDP_FILL_MBUFS 2048 /* each AF_XDP queue keeps ~2048 mbufs */

struct app {
	struct dpdk_opts o;
	struct fwd_table *t;
	struct dpdk_port ports[DPDK_NSLOTS]; /* by counter slot */
	char names[DPDK_NSLOTS][RTE_ETH_NAME_MAX_LEN];
	struct rte_mempool *mp;
	struct rte_lpm *lpm;
	struct fwd_nexthop *nh;
	struct dpdk_lcore *lc[RTE_MAX_LCORE];
	unsigned int nlc;
	uint64_t hz, stats_tsc, next_stats, last_tsc;
	double last_cpu;                     /* lcore CPU seconds at last_tsc */
	struct dpdk_counters last;
};

/* CPU seconds used by all forwarding lcores so far (-1: unknown). */
static double lcores_cpu(const struct app *a)
{
	double sum = 0, s;
	unsigned int i;

	for (i = 0; i < a->nlc; i++) {
		s = dpdk_lcore_cpu_seconds(a->lc[i]);
		if (s < 0)
			return -1;
		sum += s;
	}
	return sum;
}

static void on_signal(int sig)
{
	(void)sig;
	dpdk_quit = 1;
}

/* Periodic work of the control thread: interval reports, idle exit. */
static void control(void *arg, uint64_t now)
{
	struct app *a = arg;
	struct dpdk_counters cur;
	unsigned int i, idle = 0;

	if (a->stats_tsc && now >= a->next_stats) {
		double cpu = lcores_cpu(a);

		dpdk_counters_sum(a->lc, a->nlc, 0, &cur);
		dpdk_stats_report(stdout, &cur, &a->last,
				  (double)(now - a->last_tsc) / (double)a->hz,
				  cpu >= 0 && a->last_cpu >= 0 ? cpu - a->last_cpu : -1,
				  a->o.json, a->names);
		a->last = cur;
		a->last_tsc = now;
		a->last_cpu = cpu;
		a->next_stats = now + a->stats_tsc;
	}
	if (a->o.exit_idle_ms) {
		for (i = 0; i < a->nlc; i++)
			idle += __atomic_load_n(&a->lc[i]->idle, __ATOMIC_RELAXED);
		if (idle == a->nlc)
			dpdk_quit = 1;
	}
}

/* Route port N -> DPDK port (explicit --port-map or id N), exception port. */
static int map_ports(struct app *a, char *err, size_t errlen)
{
	unsigned int s, k;
	char id[8];

	for (s = 0; s < DPDK_NSLOTS; s++) {
		const char *spec;

		if (s == DPDK_SLOT_EXC) {
			if (!a->o.exception[0])
				continue;
			spec = a->o.exception;
		} else {
			if (!a->t->ports[s].present)
				continue;
			snprintf(id, sizeof(id), "%u", s);
			spec = a->o.port_map[s][0] ? a->o.port_map[s] : id;
		}
		if (dpdk_port_resolve(spec, &a->ports[s].port_id)) {
			if (s == DPDK_SLOT_EXC)
				snprintf(err, errlen, "--exception-port %s: no such DPDK port", spec);
			else
				snprintf(err, errlen,
					 "route port %u (%s): no DPDK port '%s' (add a --vdev or --port-map %u=DEV)",
					 s, a->t->ports[s].name, spec, s);
			return -1;
		}
		for (k = 0; k < s; k++)
			if (a->ports[k].used && a->ports[k].port_id == a->ports[s].port_id) {
				snprintf(err, errlen, "DPDK port %u is mapped twice (slots %u and %u)",
					 a->ports[s].port_id, k, s);
				return -1;
			}
		a->ports[s].used = 1;
		rte_eth_dev_get_name_by_port(a->ports[s].port_id, a->names[s]);
	}
	return 0;
}

/*
 * Pool: every queue's descriptors and TX buffer, ~2048 more per net_af_xdp
 * queue (its fill ring), the lcores' caches; at least 16383 (2^14 - 1, the
 * mempool's best size).
 */
static unsigned int pool_size(const struct app *a)
{
	unsigned long n = (unsigned long)a->nlc * (MBUF_CACHE + DPDK_MAX_BURST);
	struct rte_eth_dev_info info;
	unsigned int s;

	if (a->o.mbufs)
		return a->o.mbufs;
	for (s = 0; s < DPDK_NSLOTS; s++) {
		if (!a->ports[s].used)
			continue;
		n += (unsigned long)a->nlc * (a->o.rxd + a->o.txd + 2 * TX_BUFFER_FRAMES);
		if (rte_eth_dev_info_get(a->ports[s].port_id, &info) == 0 &&
		    info.driver_name && strstr(info.driver_name, "af_xdp"))
			n += (unsigned long)a->nlc * AF_XDP_FILL_MBUFS;
	}
	return (unsigned int)RTE_MAX(n, 16383ul);
}

static int setup_lcore(struct app *a, unsigned int lcore, uint16_t q,
		       char *err, size_t errlen)
{
	int socket = (int)rte_lcore_to_socket_id(lcore);
	struct dpdk_lcore *lc;
	unsigned int s;

	lc = rte_zmalloc_socket("fwd_lcore", sizeof(*lc), RTE_CACHE_LINE_SIZE, socket);
	if (!lc)
		goto nomem;
	a->lc[a->nlc++] = lc;
	lc->lcore_id = lcore;
	lc->queue = q;
	lc->burst = (uint16_t)a->o.burst;
	lc->rx_backoff = (uint16_t)a->o.rx_backoff;
	lc->lpm = a->lpm;
	lc->nh = a->nh;
	lc->drain_tsc = a->hz * a->o.drain_us / 1000000;
	lc->idle_tsc = a->hz * a->o.exit_idle_ms / 1000;
	for (s = 0; s < DPDK_NSLOTS; s++) {
		if (!a->ports[s].used)
			continue;
		if (s != DPDK_SLOT_EXC) {
			struct dpdk_rxport *rp = &lc->rx[lc->n_rx++];

			rp->port_id = a->ports[s].port_id;
			rp->slot = (uint8_t)s;
			memcpy(rp->mac, a->t->ports[s].mac, 6);
		}
		lc->tx_port_id[s] = a->ports[s].port_id;
		lc->tx[s] = rte_zmalloc_socket("fwd_txbuf",
					       RTE_ETH_TX_BUFFER_SIZE(TX_BUFFER_FRAMES),
					       0, socket);
		if (!lc->tx[s])
			goto nomem;
		rte_eth_tx_buffer_init(lc->tx[s], TX_BUFFER_FRAMES);
		rte_eth_tx_buffer_set_err_callback(lc->tx[s],
						   rte_eth_tx_buffer_count_callback,
						   &lc->local.port_txdrop[s]);
	}
	return 0;
nomem:
	snprintf(err, errlen, "out of EAL memory for lcore %u state", lcore);
	return -1;
}

/* Everything between rte_eal_init() and the launch. Returns an exit code. */
static int setup(struct app *a, char *err, size_t errlen)
{
	unsigned int s, lcore;
	uint16_t mtu = 0;

	if (map_ports(a, err, errlen))
		return DPDK_EXIT_ENV;
	/* Forwarding lcores: the workers, or the main lcore when alone. */
	if (rte_lcore_count() == 1) {
		if (setup_lcore(a, rte_get_main_lcore(), 0, err, errlen))
			return DPDK_EXIT_INTERNAL;
	} else {
		RTE_LCORE_FOREACH_WORKER(lcore)
			if (setup_lcore(a, lcore, (uint16_t)a->nlc, err, errlen))
				return DPDK_EXIT_INTERNAL;
	}
	for (s = 0; s < DPDK_NSLOTS; s++) {
		if (s < FWD_MAX_PORTS && a->t->ports[s].present &&
		    a->t->ports[s].mtu > mtu)
			mtu = a->t->ports[s].mtu;
	}
	a->mp = rte_pktmbuf_pool_create("fwd_mbufs", pool_size(a),
					MBUF_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					(int)rte_socket_id());
	if (!a->mp) {
		snprintf(err, errlen, "mbuf pool of %u: %s (more EAL memory: -m)",
			 pool_size(a), rte_strerror(rte_errno));
		return DPDK_EXIT_ENV;
	}
	a->lpm = dpdk_lpm_build(a->t, (int)rte_socket_id(), err, errlen);
	if (!a->lpm)
		return DPDK_EXIT_ENV;
	for (s = 0; s < a->nlc; s++)
		a->lc[s]->lpm = a->lpm;
	for (s = 0; s < DPDK_NSLOTS; s++) {
		if (!a->ports[s].used)
			continue;
		if (dpdk_port_start(&a->ports[s], (uint16_t)a->nlc, a->mp, mtu,
				    (uint16_t)a->o.rxd, (uint16_t)a->o.txd,
				    a->o.promisc && s != DPDK_SLOT_EXC, err, errlen))
			return DPDK_EXIT_PORT;
	}
	return 0;
}

/* Launch, wait for the stop, join. */
static void run(struct app *a)
{
	unsigned int i;
	FILE *f;

	a->last_tsc = rte_rdtsc();
	a->last_cpu = -1; /* first interval: no per-core figure */
	a->next_stats = a->last_tsc + a->stats_tsc;
	for (i = 0; i < a->nlc; i++)
		if (a->lc[i]->lcore_id != rte_get_main_lcore())
			rte_eal_remote_launch(dpdk_fwd_loop, a->lc[i], a->lc[i]->lcore_id);
	if (a->o.ready_file) {
		f = fopen(a->o.ready_file, "w");
		if (f)
			fclose(f);
		else
			perror("fwd-dpdk: --ready-file");
	}
	if (a->nlc == 1 && a->lc[0]->lcore_id == rte_get_main_lcore()) {
		a->lc[0]->control = control;
		a->lc[0]->control_arg = a;
		dpdk_fwd_loop(a->lc[0]);
	} else {
		while (!dpdk_quit) {
			rte_delay_us_sleep(1000);
			control(a, rte_rdtsc());
		}
	}
	rte_eal_mp_wait_lcore();
}

/* Final report, stats file. Returns 0 or DPDK_EXIT_INTERNAL. */
static int report(struct app *a)
{
	struct dpdk_counters cur;
	uint64_t now = rte_rdtsc();
	int rc = 0;

	dpdk_counters_sum(a->lc, a->nlc, 1, &cur);
	dpdk_stats_report(stdout, &cur, a->o.json ? NULL : &a->last,
			  (double)(now - a->last_tsc) / (double)a->hz, -1,
			  a->o.json, a->names);
	if (a->o.stats_file && fwd_stats_write_json(&cur.st, a->o.stats_file)) {
		perror("fwd-dpdk: --stats-file");
		rc = DPDK_EXIT_INTERNAL;
	}
	return rc;
}

static void teardown(struct app *a)
{
	unsigned int s, i;

	for (s = 0; s < DPDK_NSLOTS; s++)
		dpdk_port_close(&a->ports[s]);
	dpdk_kernel_promisc_restore();
	for (i = 0; i < a->nlc; i++) {
		for (s = 0; s < DPDK_NSLOTS; s++)
			rte_free(a->lc[i]->tx[s]);
		rte_free(a->lc[i]);
	}
	rte_lpm_free(a->lpm);
	rte_mempool_free(a->mp);
	if (a->o.ready_file)
		unlink(a->o.ready_file);
}

/*
 * rte_eal_init() with its informational lines below NOTICE unless a
 * --log-level says otherwise, and its usage dump (stdout) hidden on a bad
 * argument: the one line below says what failed. Returns 0 or -1.
 */
static int dpdk_eal_init(int n, char **argv)
{
	int i, out = -1, help = 0, rc;

	for (i = 1; i < n; i++) {
		help |= !strcmp(argv[i], "-h") || !strcmp(argv[i], "--help");
		if (!strncmp(argv[i], "--log-level", 11))
			break;
	}
	if (i == n)
		rte_log_set_global_level(RTE_LOG_NOTICE);
	fflush(stdout);
	if (!help) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		out = dup(STDOUT_FILENO);
		if (null >= 0 && out >= 0)
			dup2(null, STDOUT_FILENO);
		if (null >= 0)
			close(null);
	}
	rc = rte_eal_init(n, argv);
	fflush(stdout);
	if (out >= 0) {
		dup2(out, STDOUT_FILENO);
		close(out);
	}
	if (rc < 0) {
		fprintf(stderr, "fwd-dpdk: EAL initialisation failed: %s (check the EAL args before '--')\n",
			rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct app app; /* large (route table) and needed by handlers */
	struct app *a = &app;
	struct sigaction sa = { .sa_handler = on_signal };
	char err[512], rundir[PATH_MAX];
	int split, rc;

	split = dpdk_env_split(argc, argv);
	if (split < 0) {
		if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
			dpdk_usage(stdout);
			return 0;
		}
		if (argc == 2 && !strcmp(argv[1], "--version")) {
			dpdk_version(stdout);
			return 0;
		}
		fprintf(stderr, "fwd-dpdk: missing '--' between the EAL args and --routes (see --help)\n");
		return DPDK_EXIT_USAGE;
	}
	argv[split] = argv[0]; /* getopt sees a program name first */
	rc = dpdk_opts_parse(argc - split, argv + split, &a->o);
	argv[split] = "--";
	if (rc)
		return rc == 1 ? 0 : rc;
	a->t = calloc(1, sizeof(*a->t));
	if (!a->t) {
		fprintf(stderr, "fwd-dpdk: out of memory\n");
		return DPDK_EXIT_INTERNAL;
	}
	if (fwd_table_load(a->o.routes, a->t, err, sizeof(err))) {
		fprintf(stderr, "fwd-dpdk: %s\n", err);
		return DPDK_EXIT_ROUTES;
	}
	if (dpdk_env_check_memory(split, argv, err, sizeof(err))) {
		fprintf(stderr, "fwd-dpdk: %s\n", err);
		return DPDK_EXIT_ENV;
	}
	a->nh = calloc((size_t)a->t->nnexthops + 1, sizeof(*a->nh));
	if (!a->nh) {
		fprintf(stderr, "fwd-dpdk: out of memory\n");
		return DPDK_EXIT_INTERNAL;
	}
	memcpy(a->nh, a->t->nexthops, (size_t)a->t->nnexthops * sizeof(*a->nh));

	/* before the EAL: a stop during its (slow) start-up still unwinds */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	dpdk_kernel_promisc_save(split, argv);
	if (dpdk_eal_init(split, argv))
		return DPDK_EXIT_ENV;
	snprintf(rundir, sizeof(rundir), "%s", rte_eal_get_runtime_dir());
	if (dpdk_env_check_vdevs(split, argv, err, sizeof(err))) {
		fprintf(stderr, "fwd-dpdk: %s\n", err);
		rte_eal_cleanup();
		rmdir(rundir);
		return DPDK_EXIT_ENV;
	}
	a->hz = rte_get_tsc_hz();
	a->stats_tsc = (uint64_t)(a->o.stats_interval * (double)a->hz);

	rc = setup(a, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "fwd-dpdk: %s\n", err);
	} else {
		run(a);
		rc = report(a);
	}
	teardown(a);
	rte_eal_cleanup();
	rmdir(rundir); /* only if empty (--no-shconf, --in-memory) */
	free(a->nh);
	free(a->t);
	return rc;
}
