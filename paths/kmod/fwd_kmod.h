/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fwd_kmod.h - state shared by the hook (fwd_kmod_main.c) and the control
 * interface (fwd_kmod_nl.c) of fwd_kmod.ko.
 *
 * One struct fkm_net per network namespace (pernet_operations). It owns
 * the current table (RCU) and the netfilter ingress hooks, one per
 * interface that a table uses ("attachments"). A table swap attaches the
 * new interfaces, publishes the new table, waits for readers
 * (synchronize_net) and only then detaches the interfaces that left and
 * frees the old table, so every frame sees exactly one table.
 */
#ifndef FWD_KMOD_H
#define FWD_KMOD_H

#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>

#include "fwd_core.h"
#include "fwd_kmod_lpm.h"
#include "fwd_kmod_uapi.h"

/** Per-CPU counters of one table (64-bit counters, plain increments). */
struct fkm_stats {
	u64 rx;
	u64 tx_err;
	u64 reason[FWD_REASON_MAX];
};

/** A port of a table: the interface (kept alive by its attachment). */
struct fkm_port {
	struct net_device *dev; /* NULL: port not declared */
	u8 mac[6];
};

/** An immutable table; replaced as a whole, freed after a grace period. */
struct fkm_table {
	struct fkm_port port[FKM_MAX_PORTS];
	struct fwd_nexthop *nh; /* nnh entries */
	u32 nnh;
	u32 nroutes;
	u32 nports;
	struct fkm_lpm lpm;
	struct fkm_stats __percpu *stats;
};

/** An ingress hook on one interface (holds a reference on it). */
struct fkm_attach {
	struct net_device *dev; /* NULL: free slot */
	netdevice_tracker tracker;
	struct nf_hook_ops ops;
};

#define FKM_MAX_ATTACH (2 * FKM_MAX_PORTS) /* old + new during a swap */

struct fkm_net {
	struct mutex lock; /* table swaps, attachments */
	struct fkm_table __rcu *tab;
	struct fkm_attach att[FKM_MAX_ATTACH];
	struct net *net;
};

struct fkm_net *fkm_net(struct net *net);

/** Free a table that no reader can see any more. NULL-safe. */
void fkm_table_free(struct fkm_table *t);

/**
 * fkm_swap() - install @t (may be NULL: detach) in @kn; takes kn->lock.
 * Attaches hooks on @t's interfaces first, frees the old table after a
 * grace period. On error @t is freed and the old table stays.
 * Returns 0 or a negative errno.
 */
int fkm_swap(struct fkm_net *kn, struct fkm_table *t);

/** Sum the per-CPU counters of @kn's table; -ENOENT if none. */
int fkm_read_stats(struct fkm_net *kn, struct fkm_stats *sum, u32 *nroutes,
		   u32 *nports);

int fkm_nl_init(void);
void fkm_nl_exit(void);

#endif /* FWD_KMOD_H */
