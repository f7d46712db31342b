/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sock_env.h - what fwd-socket checks about the network namespace it runs
 * in: the ports' interfaces and the kernel's own IPv4 forwarding.
 */
#ifndef SOCK_ENV_H
#define SOCK_ENV_H

#include <stddef.h>
#include <stdint.h>

/** What the kernel says about one interface. */
struct sock_ifinfo {
	int ifindex;
	uint32_t mtu;     /* bytes of L3 payload */
	uint8_t mac[6];
	int up;           /* IFF_UP */
};

/**
 * sock_env_ifinfo() - look @name up in the caller's network namespace
 * (ioctls on a socket, so it is right under nsenter too, unlike /sys).
 * Returns 0, -ENODEV when there is no such interface, or another negative
 * errno.
 */
int sock_env_ifinfo(const char *name, struct sock_ifinfo *out);

/**
 * sock_env_forwarding() - net.ipv4.conf.@name.forwarding of this network
 * namespace: 1 when the kernel would forward IPv4 arriving on @name, 0 when
 * not, negative errno when unreadable.
 */
int sock_env_forwarding(const char *name);

/**
 * sock_env_set_forwarding() - write net.ipv4.conf.@name.forwarding.
 * Returns 0 or a negative errno.
 */
int sock_env_set_forwarding(const char *name, int on);

#endif /* SOCK_ENV_H */
