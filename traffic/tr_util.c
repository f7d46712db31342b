// SPDX-License-Identifier: BSD-2-Clause
/* tr_util.c - see tr_util.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/if_link.h>
#include <linux/magic.h>

#include "tr_util.h"

int tr_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int tr_parse_double(const char *s, double *out)
{
	double v;
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

uint64_t tr_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int tr_dev_check(const char *dev, int *ifindex, int *mtu, char *err, size_t errlen)
{
	struct ifreq ifr;
	int fd, idx;

	if (!dev || !*dev || strlen(dev) >= IFNAMSIZ) {
		snprintf(err, errlen, "bad interface name '%s'", dev ? dev : "");
		return -1;
	}
	idx = (int)if_nametoindex(dev);
	if (!idx) {
		snprintf(err, errlen, "no interface '%s' in this network namespace", dev);
		return -1;
	}
	*ifindex = idx;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0) {
		snprintf(err, errlen, "%s: cannot read MTU: %s", dev, strerror(errno));
		close(fd);
		return -1;
	}
	*mtu = ifr.ifr_mtu;
	close(fd);
	return 0;
}

int tr_dev_up(const char *dev, char *err, size_t errlen)
{
	struct ifreq ifr;
	int fd, r, tries = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	/* the operational state follows "ip link set up" asynchronously
	 * (linkwatch): give a fresh link up to 1 s to report its carrier */
	while ((r = ioctl(fd, SIOCGIFFLAGS, &ifr)) == 0 && (ifr.ifr_flags & IFF_UP) &&
	       !(ifr.ifr_flags & IFF_RUNNING) && tries++ < 20)
		usleep(50000);
	close(fd);
	if (r < 0) {
		snprintf(err, errlen, "%s: cannot read flags: %s", dev, strerror(errno));
		return -1;
	}
	if (!(ifr.ifr_flags & IFF_UP)) {
		snprintf(err, errlen, "%s is down (ip link set %s up)", dev, dev);
		return -1;
	}
	if (!(ifr.ifr_flags & IFF_RUNNING)) {
		snprintf(err, errlen, "%s has no carrier (is its peer up?)", dev);
		return -1;
	}
	return 0;
}

int64_t tr_dev_counter(const char *dev, const char *name)
{
	struct ifaddrs *ifa, *i;
	int64_t v = -1;

	/* getifaddrs() reads the counters over netlink in this process's
	 * network namespace (sysfs may belong to another one under nsenter) */
	if (getifaddrs(&ifa) < 0)
		return -1;
	for (i = ifa; i; i = i->ifa_next) {
		const struct rtnl_link_stats *st = i->ifa_data;

		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_PACKET || !st ||
		    strcmp(i->ifa_name, dev))
			continue;
		if (!strcmp(name, "tx_dropped"))
			v = st->tx_dropped;
		else if (!strcmp(name, "tx_packets"))
			v = st->tx_packets;
		else if (!strcmp(name, "rx_dropped"))
			v = st->rx_dropped;
		else if (!strcmp(name, "rx_packets"))
			v = st->rx_packets;
		break;
	}
	freeifaddrs(ifa);
	return v;
}

#ifndef CAP_BPF
#define CAP_BPF 39
#endif

int tr_check_caps(char *err, size_t errlen)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	uint64_t eff;

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0) {
		snprintf(err, errlen, "capget: %s", strerror(errno));
		return -1;
	}
	eff = ((uint64_t)data[1].effective << 32) | data[0].effective;
#define HAS(c) (eff & (1ull << (c)))
	if (!HAS(CAP_NET_ADMIN) || !(HAS(CAP_BPF) || HAS(CAP_SYS_ADMIN))) {
		snprintf(err, errlen,
			 "missing privileges: need CAP_NET_ADMIN and CAP_BPF (run as root)");
		return -1;
	}
#undef HAS
	return 0;
}

int tr_ensure_bpffs(char *err, size_t errlen)
{
	struct statfs st;

	if (statfs("/sys/fs/bpf", &st) == 0 && st.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700") < 0) {
		snprintf(err, errlen, "bpffs not mounted on /sys/fs/bpf and mounting it failed: %s",
			 strerror(errno));
		return -1;
	}
	return 1;
}

int tr_pin_cpu(int cpu)
{
	cpu_set_t set;
	int r;

	if (cpu < 0 || cpu >= CPU_SETSIZE) {
		errno = EINVAL;
		return -1;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	r = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	if (r) {
		errno = r;
		return -1;
	}
	return 0;
}
