// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd_xdp_fib.c - route file -> kernel FIB via iproute2 (fwd_xdp_fib.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "fwd_xdp_fib.h"

static const char *mac_str(const uint8_t *m, char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
	return buf;
}

static int set_forwarding(const char *ifname, char *err, size_t errlen)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/forwarding",
		 ifname);
	f = fopen(path, "w");
	if (!f || fputs("1\n", f) == EOF || fclose(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int fwd_xdp_fib_install(const struct fwd_table *t, char *err, size_t errlen)
{
	char a[16], g[16], m[18];
	int i, has_default = 0, st;
	FILE *ip;

	ip = popen("ip -batch -", "w");
	if (!ip) {
		snprintf(err, errlen, "cannot run ip(8): %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < FWD_MAX_PORTS; i++) {
		const struct fwd_port *p = &t->ports[i];

		if (p->present)
			fprintf(ip, "addr replace %s/%u dev %s\n",
				fwd_format_ipv4(p->addr, a), p->plen, p->name);
	}
	for (i = 0; i < t->nneigh; i++) {
		const struct fwd_neigh *n = &t->neigh[i];

		fprintf(ip, "neigh replace %s lladdr %s dev %s nud permanent\n",
			fwd_format_ipv4(n->ip, a), mac_str(n->mac, m),
			t->ports[n->port].name);
	}
	for (i = 0; i < t->nuser; i++) {
		const struct fwd_user_route *r = &t->user[i];

		if (r->len == 0)
			has_default = 1;
		fprintf(ip, "route replace %s/%u via %s\n",
			fwd_format_ipv4(r->prefix, a), r->len,
			fwd_format_ipv4(r->via, g));
	}
	if (!has_default)
		fprintf(ip, "route replace unreachable default metric 4294967295\n");
	st = pclose(ip);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(err, errlen,
			 "installing the route file into the kernel FIB failed (ip -batch, see above)");
		return -1;
	}
	for (i = 0; i < FWD_MAX_PORTS; i++)
		if (t->ports[i].present && set_forwarding(t->ports[i].name, err, errlen))
			return -1;
	return 0;
}
