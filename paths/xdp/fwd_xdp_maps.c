// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd_xdp_maps.c - route table -> XDP maps, per-CPU counters -> fwd_stats.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "fwd_xdp_maps.h"

_Static_assert(FWD_XDP_MAX_PORTS == FWD_MAX_PORTS,
	       "DEVMAP size (fwd_xdp.h) must match the route file's port limit");
_Static_assert(FWD_MAX_PORTS <= FWD_XDP_IFX_SLOTS,
	       "every port needs its own ingress slot");

int fwd_xdp_verbose;

int fwd_xdp_libbpf_print(enum libbpf_print_level level, const char *fmt,
			 va_list ap)
{
	if (level > LIBBPF_WARN && !fwd_xdp_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int fwd_xdp_size_maps(struct fwd_xdp *skel, const struct fwd_table *t)
{
	int err;

	err = bpf_map__set_max_entries(skel->maps.fwd_lpm,
				       t->nroutes > 0 ? t->nroutes : 1);
	if (err)
		return err;
	return bpf_map__set_max_entries(skel->maps.fwd_nexthops,
					t->nnexthops > 0 ? t->nnexthops : 1);
}

int fwd_xdp_fill_routes(struct fwd_xdp *skel, const struct fwd_table *t,
			char *err, size_t errlen)
{
	int lpm = bpf_map__fd(skel->maps.fwd_lpm);
	int nhs = bpf_map__fd(skel->maps.fwd_nexthops);
	__u32 i, nh;

	for (i = 0; i < (__u32)t->nnexthops; i++) {
		if (bpf_map_update_elem(nhs, &i, &t->nexthops[i], BPF_ANY)) {
			snprintf(err, errlen, "next-hop map update %u: %s", i,
				 strerror(errno));
			return -errno;
		}
	}
	for (i = 0; i < (__u32)t->nroutes; i++) {
		struct fwd_xdp_lpm_key key = {
			.prefixlen = t->routes[i].len,
			.addr = fwd_htonl(t->routes[i].prefix),
		};

		nh = t->routes[i].nh;
		if (bpf_map_update_elem(lpm, &key, &nh, BPF_NOEXIST)) {
			snprintf(err, errlen, "LPM map update %u: %s", i,
				 strerror(errno));
			return -errno;
		}
	}
	return 0;
}

int fwd_xdp_set_port(struct fwd_xdp *skel, const struct fwd_table *t,
		     int port, int in_ifindex, int tx_ifindex, char *err,
		     size_t errlen)
{
	const struct fwd_port *p = &t->ports[port];
	__u32 key = (__u32)port, val = (__u32)tx_ifindex;

	if (in_ifindex > 0) {
		struct fwd_xdp_port *e =
			&skel->bss->fwd_xdp_ports[in_ifindex & (FWD_XDP_IFX_SLOTS - 1)];

		if (e->ifindex && e->ifindex != (__u32)in_ifindex) {
			snprintf(err, errlen,
				 "ifindex %d of port %d shares slot %d with ifindex %u of port %u (recreate the interface)",
				 in_ifindex, port, in_ifindex & (FWD_XDP_IFX_SLOTS - 1),
				 e->ifindex, e->port);
			return -EEXIST;
		}
		e->port = (__u8)port;
		memcpy(e->mac, p->mac, 6);
		e->mtu = p->mtu;
		/* last: the program matches on ifindex */
		__atomic_store_n(&e->ifindex, (__u32)in_ifindex, __ATOMIC_RELEASE);
	}
	if (tx_ifindex > 0) {
		if (bpf_map_update_elem(bpf_map__fd(skel->maps.fwd_tx_ports),
					&key, &val, BPF_ANY)) {
			snprintf(err, errlen, "DEVMAP update port %d -> ifindex %d: %s",
				 port, tx_ifindex, strerror(errno));
			return -errno;
		}
	}
	return 0;
}

int fwd_xdp_read_stats(struct fwd_xdp *skel, struct fwd_stats *st)
{
	int fd = bpf_map__fd(skel->maps.fwd_counters);
	int ncpu = libbpf_num_possible_cpus();
	__u64 *v;
	__u32 r;
	int c;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	memset(st, 0, sizeof(*st));
	for (r = 0; r < FWD_REASON_MAX; r++) {
		if (bpf_map_lookup_elem(fd, &r, v)) {
			int e = -errno;

			free(v);
			return e;
		}
		for (c = 0; c < ncpu; c++)
			st->reason[r] += v[c];
		st->rx += st->reason[r];
	}
	free(v);
	return 0;
}
