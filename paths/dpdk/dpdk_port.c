// SPDX-License-Identifier: BSD-2-Clause
/*
 * dpdk_port.c - port set-up and tear-down with rte_ethdev.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_mbuf.h>

#include "dpdk_port.h"

int dpdk_port_resolve(const char *spec, uint16_t *port_id)
{
	char *end;
	unsigned long v;

	v = strtoul(spec, &end, 10);
	if (end != spec && !*end) {
		if (v >= RTE_MAX_ETHPORTS || !rte_eth_dev_is_valid_port((uint16_t)v))
			return -1;
		*port_id = (uint16_t)v;
		return 0;
	}
	return rte_eth_dev_get_port_by_name(spec, port_id) ? -1 : 0;
}

int dpdk_port_start(struct dpdk_port *p, uint16_t nq, struct rte_mempool *mp,
		    uint16_t mtu, uint16_t rxd, uint16_t txd, int promisc,
		    char *err, size_t errlen)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	struct rte_eth_rxconf rxc;
	struct rte_eth_txconf txc;
	uint32_t frame;
	uint16_t q, pid = p->port_id;
	int socket = rte_eth_dev_socket_id(pid), rc;

	if (socket < 0)
		socket = (int)rte_socket_id();
	rte_eth_dev_get_name_by_port(pid, p->name);
	rc = rte_eth_dev_info_get(pid, &info);
	if (rc) {
		snprintf(err, errlen, "%s: dev_info: %s", p->name, rte_strerror(-rc));
		return -1;
	}
	if (nq > info.max_rx_queues || nq > info.max_tx_queues) {
		snprintf(err, errlen,
			 "%s: has %u RX / %u TX queues, %u forwarding lcores need one each",
			 p->name, info.max_rx_queues, info.max_tx_queues, nq);
		return -1;
	}
	if (mtu > info.max_mtu)
		mtu = info.max_mtu;
	if (mtu < info.min_mtu)
		mtu = info.min_mtu;
	conf.rxmode.mtu = mtu;
	/* Ask only for what the device offers: virtual PMDs report no RX
	 * offloads and refuse to start with any requested. */
	frame = (uint32_t)mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;
	if (frame > (uint32_t)rte_pktmbuf_data_room_size(mp) - RTE_PKTMBUF_HEADROOM)
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER &
					info.rx_offload_capa;
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS & info.tx_offload_capa;

	rc = rte_eth_dev_configure(pid, nq, nq, &conf);
	if (rc) {
		snprintf(err, errlen, "%s: configure %u queues: %s", p->name, nq,
			 rte_strerror(-rc));
		return -1;
	}
	p->configured = 1;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(pid, &rxd, &txd);
	if (rc) {
		snprintf(err, errlen, "%s: descriptors: %s", p->name, rte_strerror(-rc));
		return -1;
	}
	rxc = info.default_rxconf;
	rxc.offloads = conf.rxmode.offloads;
	txc = info.default_txconf;
	txc.offloads = conf.txmode.offloads;
	for (q = 0; q < nq; q++) {
		rc = rte_eth_rx_queue_setup(pid, q, rxd, (unsigned int)socket, &rxc, mp);
		if (rc) {
			snprintf(err, errlen, "%s: RX queue %u: %s", p->name, q,
				 rte_strerror(-rc));
			return -1;
		}
		rc = rte_eth_tx_queue_setup(pid, q, txd, (unsigned int)socket, &txc);
		if (rc) {
			snprintf(err, errlen, "%s: TX queue %u: %s", p->name, q,
				 rte_strerror(-rc));
			return -1;
		}
	}
	p->promisc_before = rte_eth_promiscuous_get(pid);
	rc = rte_eth_dev_start(pid);
	if (rc) {
		snprintf(err, errlen, "%s: start: %s", p->name, rte_strerror(-rc));
		return -1;
	}
	p->started = 1;
	if (promisc && p->promisc_before != 1) {
		rc = rte_eth_promiscuous_enable(pid);
		if (rc && rc != -ENOTSUP)
			fprintf(stderr, "fwd-dpdk: %s: promiscuous mode: %s (continuing)\n",
				p->name, rte_strerror(-rc));
	}
	return 0;
}

void dpdk_port_close(struct dpdk_port *p)
{
	if (!p->used || !p->configured)
		return;
	if (p->started) {
		int rc = rte_eth_dev_stop(p->port_id);

		if (rc)
			fprintf(stderr, "fwd-dpdk: %s: stop: %s\n", p->name,
				rte_strerror(-rc));
		p->started = 0;
	}
	if (p->promisc_before == 0 && rte_eth_promiscuous_get(p->port_id) == 1)
		rte_eth_promiscuous_disable(p->port_id);
	rte_eth_dev_close(p->port_id);
	p->configured = 0;
}

/* Kernel-side IFF_PROMISC of the interfaces behind af_xdp/af_packet vdevs. */
#define MAX_IFACES 32
static struct {
	char name[IF_NAMESIZE];
	int promisc;
} saved[MAX_IFACES];
static int nsaved;

static int if_flags(int fd, const char *name, short *flags)
{
	struct ifreq ifr = { 0 };

	memcpy(ifr.ifr_name, name, strnlen(name, IF_NAMESIZE - 1));
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		return -1;
	*flags = ifr.ifr_flags;
	return 0;
}

void dpdk_kernel_promisc_save(int argc, char **argv)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), i;
	short flags;

	if (fd < 0)
		return;
	for (i = 1; i < argc; i++) {
		const char *v = NULL, *s;
		size_t len;

		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--vdev") && i + 1 < argc)
			v = argv[++i];
		else if (!strncmp(argv[i], "--vdev=", 7))
			v = argv[i] + 7;
		if (!v || !(s = strstr(v, "iface=")) || nsaved == MAX_IFACES)
			continue;
		s += 6;
		len = strcspn(s, ",");
		if (!len || len >= IF_NAMESIZE)
			continue;
		memcpy(saved[nsaved].name, s, len);
		saved[nsaved].name[len] = '\0';
		if (if_flags(fd, saved[nsaved].name, &flags) == 0) {
			saved[nsaved].promisc = !!(flags & IFF_PROMISC);
			nsaved++;
		}
	}
	close(fd);
}

void dpdk_kernel_promisc_restore(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), i;
	struct ifreq ifr;
	short flags;

	if (fd < 0)
		return;
	for (i = 0; i < nsaved; i++) {
		if (if_flags(fd, saved[i].name, &flags) ||
		    !!(flags & IFF_PROMISC) == saved[i].promisc)
			continue;
		memset(&ifr, 0, sizeof(ifr));
		memcpy(ifr.ifr_name, saved[i].name, strnlen(saved[i].name, IF_NAMESIZE - 1));
		ifr.ifr_flags = saved[i].promisc ? (short)(flags | IFF_PROMISC) :
						   (short)(flags & ~IFF_PROMISC);
		if (ioctl(fd, SIOCSIFFLAGS, &ifr))
			fprintf(stderr, "fwd-dpdk: %s: cannot restore promiscuous mode: %s\n",
				saved[i].name, strerror(errno));
	}
	close(fd);
}
