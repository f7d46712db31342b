/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fkm_cap.h - frame capture for fkm-pcap on plain AF_PACKET sockets.
 *
 * A capture is a set of sockets on one interface, merged by the kernel's
 * receive timestamp into one pcap file:
 *  - "all": one ETH_P_ALL socket = every frame the interface receives
 *    (taps run before any ingress hook);
 *  - "after hook": one socket per protocol (never ETH_P_ALL): such sockets
 *    sit in the device's ptype list, which __netif_receive_skb_core()
 *    serves after netfilter ingress and rx_handler, so they see exactly the
 *    frames the hooks let through to the stack (the punts). An 802.1Q/ad
 *    tag is cleared from the skb before that point: tagged frames are seen
 *    untagged there.
 * Frames sent by this host are ignored (PACKET_IGNORE_OUTGOING), VLAN tags
 * held in skb metadata are re-inserted from PACKET_AUXDATA.
 */
#ifndef FKM_CAP_H
#define FKM_CAP_H

#include <stddef.h>
#include <time.h>

#define FKM_SNAPLEN 65535
#define FKM_CAP_MAX_SOCKS 32

struct fkm_frame {
	struct timespec ts; /* kernel receive time (CLOCK_REALTIME) */
	unsigned int len;
	unsigned char *data;
};

struct fkm_cap {
	const char *ifname;
	int fd[FKM_CAP_MAX_SOCKS];
	int nfd;
	struct fkm_frame *fr;
	size_t nfr, cap;
};

/** fkm_cap_open_all() - ETH_P_ALL capture on @ifname (current netns). 0/-1. */
int fkm_cap_open_all(struct fkm_cap *c, const char *ifname);

/**
 * fkm_cap_open_after_hook() - one socket per protocol that the frames of
 * @pcap_path get as skb->protocol (eth_type_trans(), VLAN untagging). 0/-1.
 */
int fkm_cap_open_after_hook(struct fkm_cap *c, const char *ifname,
			    const char *pcap_path);

/** fkm_cap_drain() - read every queued frame. Returns frames read or -1. */
long fkm_cap_drain(struct fkm_cap *c);

/**
 * fkm_cap_finish() - fail (-1, message) if the kernel dropped frames for
 * the capture, else sort by timestamp and write @path. 0/-1.
 */
int fkm_cap_finish(struct fkm_cap *c, const char *path);

/** fkm_cap_close() - close sockets, free frames. */
void fkm_cap_close(struct fkm_cap *c);

/** fkm_packet_socket() - AF_PACKET SOCK_RAW bound to @ifname / @proto. */
int fkm_packet_socket(const char *ifname, unsigned short proto);

#endif /* FKM_CAP_H */
