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

/** Route-file limits the maps are sized for (must match fwd_routes.h). */
#define FWD_XDP_MAX_PORTS 16

/**
 * struct fwd_xdp_port - one ingress/egress port as the program sees it.
 * @ifindex: interface index in the DUT network namespace (0 = empty slot).
 * @port:    route-file port number (DEVMAP index).
 * @mac:     the port's own MAC (L2 destination check on ingress).
 * @mtu:     IP MTU in bytes, host order (used by --lookup fib only).
 */
struct fwd_xdp_port {
	__u32 ifindex;
	__u8 port;
	__u8 mac[6];
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
