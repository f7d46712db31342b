/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dpdk_env.h - checks made before rte_eal_init() so that the common
 * environment problems give one clear line instead of EAL's panic trail.
 */
#ifndef DPDK_ENV_H
#define DPDK_ENV_H

#include <stddef.h>

/**
 * dpdk_env_split() - index of the "--" that separates EAL args from
 * fwd-dpdk's own in @argv, or -1 if there is none.
 */
int dpdk_env_split(int argc, char **argv);

/**
 * dpdk_env_check_memory() - with the EAL args @argv[1..n-1]: if hugepages
 * will be used (no --no-huge), check that some are free
 * (/sys/kernel/mm/hugepages/ * /free_hugepages) and that either
 * --in-memory is given or a hugetlbfs is mounted.
 * Returns 0, or -1 with one line in @err.
 */
int dpdk_env_check_memory(int n, char **argv, char *err, size_t errlen);

/**
 * dpdk_env_check_vdevs() - after rte_eal_init(): every "--vdev net_..." of
 * the EAL args @argv[1..n-1] became an ethdev port. The EAL only logs a
 * failed probe (missing interface, no AF_XDP) and carries on, which would
 * shift the default port numbering. Returns 0, or -1 with one line in @err.
 */
int dpdk_env_check_vdevs(int n, char **argv, char *err, size_t errlen);

#endif /* DPDK_ENV_H */
