// SPDX-License-Identifier: BSD-2-Clause
/*
 * dpdk_env.c - pre-EAL checks: argv split, hugepage availability.
 */
#include <dirent.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include "dpdk_env.h"

int dpdk_env_split(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--"))
			return i;
	return -1;
}

static int has_arg(int n, char **argv, const char *opt)
{
	size_t len = strlen(opt);
	int i;

	for (i = 1; i < n; i++)
		if (!strncmp(argv[i], opt, len) &&
		    (argv[i][len] == '\0' || argv[i][len] == '='))
			return 1;
	return 0;
}

/* Free huge pages of every size, or -1 if the kernel has no hugetlb. */
static long free_hugepages(void)
{
	DIR *d = opendir("/sys/kernel/mm/hugepages");
	struct dirent *e;
	long total = 0, v;
	char path[512];
	FILE *f;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "hugepages-", 10))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/%s/free_hugepages",
			 e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%ld", &v) == 1 && v > 0)
			total += v;
		fclose(f);
	}
	closedir(d);
	return total;
}

static int hugetlbfs_mounted(void)
{
	FILE *f = setmntent("/proc/mounts", "r");
	struct mntent *m;
	int found = 0;

	if (!f)
		return 0;
	while (!found && (m = getmntent(f)))
		found = !strcmp(m->mnt_type, "hugetlbfs");
	endmntent(f);
	return found;
}

int dpdk_env_check_memory(int n, char **argv, char *err, size_t errlen)
{
	if (has_arg(n, argv, "--no-huge"))
		return 0;
	if (free_hugepages() <= 0) {
		snprintf(err, errlen,
			 "no free hugepages: reserve some (echo 256 > /proc/sys/vm/nr_hugepages) or pass --no-huge -m 256 to the EAL");
		return -1;
	}
	if (!has_arg(n, argv, "--in-memory") && !hugetlbfs_mounted()) {
		snprintf(err, errlen,
			 "hugepages are reserved but no hugetlbfs is mounted: pass --in-memory to the EAL");
		return -1;
	}
	return 0;
}

int dpdk_env_check_vdevs(int n, char **argv, char *err, size_t errlen)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	uint16_t id;
	const char *v;
	size_t len;
	int i;

	for (i = 1; i < n; i++) {
		if (!strcmp(argv[i], "--vdev") && i + 1 < n)
			v = argv[++i];
		else if (!strncmp(argv[i], "--vdev=", 7))
			v = argv[i] + 7;
		else
			continue;
		len = strcspn(v, ",");
		if (strncmp(v, "net_", 4) || len >= sizeof(name))
			continue;
		memcpy(name, v, len);
		name[len] = '\0';
		if (rte_eth_dev_get_port_by_name(name, &id)) {
			snprintf(err, errlen, "--vdev %s did not become a port (missing interface? see the EAL lines above)",
				 name);
			return -1;
		}
	}
	return 0;
}
