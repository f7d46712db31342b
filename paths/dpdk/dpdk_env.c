// SPDX-License-Identifier: BSD-2-Clause
/*
 * dpdk_env.c - pre-EAL checks: argv split, hugepage availability.
 */
#include <dirent.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>

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
