/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sock_port.h - AF_PACKET socket set-up for one port of one worker
 * (packet(7), Documentation/networking/packet_mmap.rst).
 */
#ifndef SOCK_PORT_H
#define SOCK_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "sock_cfg.h"
#include "sock_worker.h"

/**
 * sock_port_open() - open the sockets of one port for one worker.
 * @wp: filled (fds, mapped rings).
 * @ifindex: the port's interface in this network namespace.
 * @fanout_id: PACKET_FANOUT group of this port, or -1 (single worker).
 * @rx_max: largest frame the RX side must hold, bytes (interface MTU + 18).
 * @tx_max: largest frame the core may forward out of this port, bytes.
 *
 * Ring mode: RX socket with a TPACKET_V3 ring (cfg->block_*), bound to
 * ETH_P_ALL on @ifindex, PACKET_IGNORE_OUTGOING; TX socket bound with
 * protocol 0 (so it receives nothing) with PACKET_QDISC_BYPASS and, with
 * --tx ring, a TPACKET_V2 TX ring. Naive mode: one plain socket for both,
 * PACKET_IGNORE_OUTGOING + PACKET_AUXDATA (+ QDISC_BYPASS).
 * Returns 0, or a negative errno with one line in @err.
 */
int sock_port_open(struct sock_wport *wp, const struct sock_cfg *cfg,
		   int ifindex, int fanout_id, uint32_t rx_max, uint32_t tx_max,
		   char *err, size_t errlen);

/** sock_port_close() - unmap the rings and close the sockets (idempotent). */
void sock_port_close(struct sock_wport *wp);

/**
 * sock_port_rx_drops() - frames the kernel could not queue to this RX socket
 * since the last call (PACKET_STATISTICS tp_drops; reading resets it).
 * Returns the count, 0 on error.
 */
uint64_t sock_port_rx_drops(const struct sock_wport *wp);

#endif /* SOCK_PORT_H */
