/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dpdk_port.h - ports: resolving a device spec to a port id, configuring
 * queues with offloads masked to the device's capabilities, starting, and
 * the clean stop (promiscuous mode restored, close so pcap outputs are
 * complete).
 */
#ifndef DPDK_PORT_H
#define DPDK_PORT_H

#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>

/** One port in use (a route port or the exception port). */
struct dpdk_port {
	int used;
	uint16_t port_id;
	char name[RTE_ETH_NAME_MAX_LEN];
	int configured, started;
	int promisc_before;     /* ethdev promiscuous state before we touched it */
};

/**
 * dpdk_port_resolve() - DPDK port id of @spec: a number (port id) or a
 * device name as given to --vdev / the PCI address. Returns 0 or -1.
 */
int dpdk_port_resolve(const char *spec, uint16_t *port_id);

/**
 * dpdk_port_start() - configure @nq RX and TX queues (queue q belongs to
 * forwarding lcore q), set them up from @mp, start the port and, if
 * @promisc, enable promiscuous mode.
 * @mtu: IP MTU to accept (bytes; clamped to the device's range); frames
 *       larger than the mbuf data room need RX scatter, requested only when
 *       the device offers it.
 * @rxd, @txd: descriptors per queue (adjusted to the device's limits).
 * Returns 0, or -1 with one line in @err.
 */
int dpdk_port_start(struct dpdk_port *p, uint16_t nq, struct rte_mempool *mp,
		    uint16_t mtu, uint16_t rxd, uint16_t txd, int promisc,
		    char *err, size_t errlen);

/**
 * dpdk_port_close() - stop the port, restore its promiscuous state, close
 * it (net_pcap finishes its tx_pcap file here). Safe on a port that never
 * started.
 */
void dpdk_port_close(struct dpdk_port *p);

/**
 * dpdk_kernel_promisc_save() - before rte_eal_init(): remember IFF_PROMISC
 * of every interface named by an "iface=" in a --vdev argument of @argv
 * (net_af_xdp, net_af_packet leave it set on exit).
 */
void dpdk_kernel_promisc_save(int argc, char **argv);

/**
 * dpdk_kernel_promisc_restore() - after the ports are closed: put
 * IFF_PROMISC back to what dpdk_kernel_promisc_save() saw.
 */
void dpdk_kernel_promisc_restore(void);

#endif /* DPDK_PORT_H */
