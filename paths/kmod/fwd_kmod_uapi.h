/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * fwd_kmod_uapi.h - the generic netlink interface between fwd_kmod.ko and
 * fwd-kmodctl (README.md, "Control interface").
 *
 * Family FKM_GENL_NAME, version FKM_GENL_VERSION, network-namespace aware:
 * every command acts on the table of the namespace the netlink socket was
 * created in, and interface indexes are that namespace's.
 *
 *  FKM_CMD_SET_TABLE (CAP_NET_ADMIN in the netns' user namespace)
 *      FKM_A_PORT      nested, one per port: FKM_PA_ID (u32, 0..15),
 *                      FKM_PA_IFINDEX (u32), FKM_PA_MAC (6 bytes)
 *      FKM_A_NEXTHOPS  binary, exactly one: struct fwd_nexthop[] (fwd_core.h)
 *      FKM_A_ROUTES    binary, one or more chunks: struct fkm_route[]
 *                      (a netlink attribute holds < 64 KiB, a big table
 *                      needs several chunks; they are concatenated)
 *    The module checks every length and value, builds a new table and
 *    swaps it in with RCU; the old table keeps forwarding until the swap.
 *    The new table starts with zeroed counters.
 *  FKM_CMD_CLEAR (CAP_NET_ADMIN): detach and free the table (frames on the
 *    ports then go to the stack untouched). -ENOENT if none.
 *  FKM_CMD_GET_STATS: reply FKM_A_STATS_RX, FKM_A_STATS_TX_ERR (u64),
 *    FKM_A_STATS_REASONS (nested: attribute type reason+1 -> u64 count, for
 *    every enum fwd_reason), FKM_A_NROUTES, FKM_A_NPORTS (u32).
 *    -ENOENT when no table is loaded.
 */
#ifndef FWD_KMOD_UAPI_H
#define FWD_KMOD_UAPI_H

#include <linux/types.h>

#define FKM_GENL_NAME "fwd_kmod"
#define FKM_GENL_VERSION 1

/* Limits; equal to fwd_routes.h's (fwd-kmodctl checks at compile time). */
#define FKM_MAX_PORTS 16
#define FKM_MAX_NEXTHOPS (1024 + 2 * 16 + 1)
#define FKM_MAX_ROUTES (16384 + 1024 + 3 * 16)

enum fkm_cmd {
	FKM_CMD_UNSPEC,
	FKM_CMD_SET_TABLE,
	FKM_CMD_CLEAR,
	FKM_CMD_GET_STATS,
	__FKM_CMD_MAX,
};

enum fkm_attr {
	FKM_A_UNSPEC,
	FKM_A_PORT,          /* nested fkm_port_attr */
	FKM_A_NEXTHOPS,      /* struct fwd_nexthop[] */
	FKM_A_ROUTES,        /* struct fkm_route[], repeatable */
	FKM_A_STATS_RX,      /* u64 */
	FKM_A_STATS_TX_ERR,  /* u64: forwarded but not queued (no memory) */
	FKM_A_STATS_REASONS, /* nested, type = enum fwd_reason + 1, u64 */
	FKM_A_NROUTES,       /* u32 */
	FKM_A_NPORTS,        /* u32 */
	FKM_A_PAD,
	__FKM_A_MAX,
};
#define FKM_A_MAX (__FKM_A_MAX - 1)

enum fkm_port_attr {
	FKM_PA_UNSPEC,
	FKM_PA_ID,      /* u32: port number of the route file */
	FKM_PA_IFINDEX, /* u32: interface in the caller's netns */
	FKM_PA_MAC,     /* 6 bytes: the port's own MAC (L2 destination check) */
	__FKM_PA_MAX,
};
#define FKM_PA_MAX (__FKM_PA_MAX - 1)

/**
 * struct fkm_route - one LPM entry on the wire (8 bytes, host byte order).
 * @prefix: IPv4 prefix, host bits zero.
 * @len:    prefix length 0..32.
 * @nh:     index into the FKM_A_NEXTHOPS array.
 */
struct fkm_route {
	__u32 prefix;
	__u8 len;
	__u8 pad; /* must be 0 */
	__u16 nh;
};

#endif /* FWD_KMOD_UAPI_H */
