// SPDX-License-Identifier: BSD-2-Clause
/*
 * sock_env.c - interface facts (SIOCGIF* ioctls) and the per-interface
 * IPv4 forwarding switch (/proc/sys/net/ipv4/conf/IF/forwarding, which the
 * kernel reads per ingress device: IN_DEV_FORWARD() in ip_route_input_slow).
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sock_env.h"

int sock_env_ifinfo(const char *name, struct sock_ifinfo *out)
{
	struct ifreq ifr;
	int fd, rc = 0;

	memset(out, 0, sizeof(*out));
	if (strlen(name) >= IFNAMSIZ)
		return -ENODEV;
	out->ifindex = (int)if_nametoindex(name);
	if (!out->ifindex)
		return errno == ENXIO || errno == ENODEV ? -ENODEV : -errno;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0) {
		rc = -errno;
		goto out;
	}
	out->mtu = (uint32_t)ifr.ifr_mtu;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		rc = -errno;
		goto out;
	}
	memcpy(out->mac, ifr.ifr_hwaddr.sa_data, 6);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		rc = -errno;
		goto out;
	}
	out->up = !!(ifr.ifr_flags & IFF_UP);
out:
	close(fd);
	return rc;
}

static int conf_path(char *buf, size_t len, const char *name)
{
	if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	snprintf(buf, len, "/proc/sys/net/ipv4/conf/%s/forwarding", name);
	return 0;
}

int sock_env_forwarding(const char *name)
{
	char path[128], v[8] = { 0 };
	int fd, rc;
	ssize_t n;

	rc = conf_path(path, sizeof(path), name);
	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, v, sizeof(v) - 1);
	rc = n < 0 ? -errno : (v[0] == '1');
	close(fd);
	return rc;
}

int sock_env_set_forwarding(const char *name, int on)
{
	char path[128];
	int fd, rc;

	rc = conf_path(path, sizeof(path), name);
	if (rc)
		return rc;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = write(fd, on ? "1\n" : "0\n", 2) == 2 ? 0 : -errno;
	close(fd);
	return rc;
}
