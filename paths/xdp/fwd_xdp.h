/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * fwd_xdp.h - types shared by the XDP program (fwd_xdp.bpf.c) and its
 * userspace loaders (fwd-xdp, fwd-xdp-golden, fwd-xdp-unit). Included before
 * fwd_xdp.skel.h, whose global-data structs name these types.
 */
#ifndef FWD_XDP_H
#define FWD_XDP_H

#include "fwd_core.h"

/*
 * Ingress ports are found by ifindex without a map lookup: a global array
 * (.bss) indexed by ifindex modulo FWD_XDP_IFX_SLOTS; the slot stores the
 * full ifindex, so a frame from an interface that is not a port is never
 * mistaken for one. The loader refuses two ports that share a slot.
 */
#define FWD_XDP_IFX_SLOTS 256 /* power of two */

/*
 * --lookup dir: the route table as the DIR-16-8-8 multibit trie of
 * paths/lib/fwd_lpm.h, in BPF memory: the 65536-entry root in .bss
 * (fwd_xdp_dir16, a direct load), the level-2 and level-3 nodes as ARRAY
 * maps of one 256-entry node per element. Same 16-bit entry encoding:
 * 0 = no route, bit 15 clear = next-hop id + 1, bit 15 set = child node.
 */
#define FWD_XDP_DIR_ROOT 65536
#define FWD_XDP_DIR_FANOUT 256
#define FWD_XDP_DIR_CHILD 0x8000u

/** One level-2 or level-3 node of the DIR-16-8-8 trie. */
struct fwd_xdp_dir_node {
	__u16 e[FWD_XDP_DIR_FANOUT];
};

/** Route-file limits the maps are sized for (must match fwd_routes.h). */
#define FWD_XDP_MAX_PORTS 16
#define FWD_XDP_MAX_NEXTHOPS (1024 + 2 * FWD_XDP_MAX_PORTS + 1)

/**
 * struct fwd_xdp_port - one ingress/egress port as the program sees it.
 * @ifindex: interface index in the DUT network namespace (0 = empty slot).
 * @port:    route-file port number (DEVMAP index).
 * @mac:     the port's own MAC (L2 destination check on ingress).
 * @mtu:     IP MTU in bytes, host order (used by --lookup fib only).
 */
struct fwd_xdp_port {
	__u32 ifindex;
	__u8 mac[6];
	__u8 port;
	__u8 pad;
	__u16 mtu;
	__u16 pad2;
};

/** LPM trie key: prefix length in bits, then the address (network order). */
struct fwd_xdp_lpm_key {
	__u32 prefixlen;
	__be32 addr;
};

/*
 * Counters: a per-CPU array indexed by enum fwd_reason. Every frame the
 * program handles for a port gets exactly one reason, so "rx" is their sum
 * (one counter update per frame instead of two).
 */
#define FWD_XDP_NCOUNTERS FWD_REASON_MAX

#endif /* FWD_XDP_H */
