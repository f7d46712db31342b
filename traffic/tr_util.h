/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tr_util.h - small helpers shared by fwd-profile, fwd-gen and fwd-sink:
 * strict number parsing, clocks, interface checks, privileges, bpffs.
 * Every function returns 0 / a value on success and -1 on failure with one
 * line written into @err (no printing: main() decides).
 */
#ifndef TR_UTIL_H
#define TR_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define TR_ERRLEN 256

/** tr_parse_u64() - whole string as a decimal u64 in [min, max]; 0 or -1. */
int tr_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/** tr_parse_double() - whole string as a finite double; 0 or -1. */
int tr_parse_double(const char *s, double *out);

/** tr_now_ns() - CLOCK_MONOTONIC in ns (the clock of bpf_ktime_get_ns()). */
uint64_t tr_now_ns(void);

/**
 * tr_dev_check() - the interface exists in this network namespace.
 * @ifindex, @mtu: out (mtu in bytes of L3 payload, from SIOCGIFMTU).
 * Returns 0, or -1 with "no interface 'X' in this network namespace".
 */
int tr_dev_check(const char *dev, int *ifindex, int *mtu, char *err, size_t errlen);

/**
 * tr_dev_up() - the interface is administratively up and has a carrier
 * (IFF_UP and IFF_RUNNING): a generator sending into it would only lose
 * frames otherwise. Returns 0, or -1 with "X is down" / "X has no carrier".
 */
int tr_dev_up(const char *dev, char *err, size_t errlen);

/**
 * tr_dev_counter() - an interface counter of this network namespace
 * (getifaddrs/netlink): NAME is tx_dropped, tx_packets, rx_dropped or
 * rx_packets (32-bit wrapping rtnl_link_stats). Returns it, or -1.
 */
int64_t tr_dev_counter(const char *dev, const char *name);

/**
 * tr_check_caps() - the process has CAP_NET_ADMIN and CAP_BPF (or
 * CAP_SYS_ADMIN, which implies both for BPF). Returns 0 or -1 with a line
 * naming what is missing.
 */
int tr_check_caps(char *err, size_t errlen);

/**
 * tr_ensure_bpffs() - mount bpffs on /sys/fs/bpf if nothing is mounted there.
 * Returns 1 if it mounted it, 0 if already mounted, -1 on failure.
 */
int tr_ensure_bpffs(char *err, size_t errlen);

/** tr_pin_cpu() - pin the calling thread to @cpu; 0 or -1 (errno). */
int tr_pin_cpu(int cpu);

#endif /* TR_UTIL_H */
