/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kmodctl_nl.h - fwd-kmodctl's client side of the fwd_kmod generic netlink
 * family (fwd_kmod_uapi.h), on libmnl. Every call acts on the network
 * namespace the caller runs in.
 */
#ifndef KMODCTL_NL_H
#define KMODCTL_NL_H

#include <stddef.h>

#include "fwd_routes.h"
#include "fwd_stats.h"

struct kmodctl;

/**
 * kmodctl_open() - open a generic netlink socket and resolve the family.
 * Returns NULL with a message in @err (module not loaded, no netlink).
 */
struct kmodctl *kmodctl_open(char *err, size_t errlen);

void kmodctl_close(struct kmodctl *c);

/**
 * kmodctl_set_table() - upload @t; port interfaces must already be
 * resolved into @ifindex[port] (0 for undeclared ports).
 * Returns 0 or a negative errno with the kernel's message in @err.
 */
int kmodctl_set_table(struct kmodctl *c, const struct fwd_table *t,
		      const unsigned int *ifindex, char *err, size_t errlen);

/** kmodctl_clear() - detach the table; -ENOENT if there is none. */
int kmodctl_clear(struct kmodctl *c, char *err, size_t errlen);

/**
 * kmodctl_stats() - read the counters of the current table into @s;
 * @tx_err: frames forwarded but not queued. -ENOENT if no table.
 */
int kmodctl_stats(struct kmodctl *c, struct fwd_stats *s,
		  unsigned long long *tx_err, char *err, size_t errlen);

#endif /* KMODCTL_NL_H */
