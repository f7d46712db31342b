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

#include "fwd_lpm.h"
#include "fwd_xdp_maps.h"

_Static_assert(FWD_XDP_MAX_NEXTHOPS == FWD_MAX_NEXTHOPS,
	       "fwd_xdp.h and fwd_routes.h disagree on the next-hop limit");
_Static_assert(FWD_XDP_MAX_PORTS == FWD_MAX_PORTS,
	       "DEVMAP size (fwd_xdp.h) must match the route file's port limit");
_Static_assert(FWD_MAX_PORTS <= FWD_XDP_IFX_SLOTS,
	       "every port needs its own ingress slot");
_Static_assert(FWD_XDP_DIR_ROOT == FWD_LPM_ROOT &&
	       FWD_XDP_DIR_FANOUT == FWD_LPM_FANOUT &&
	       FWD_XDP_DIR_CHILD == FWD_LPM_CHILD,
	       "--lookup dir keeps fwd_lpm.h's tables as they are");

int fwd_xdp_verbose;

int fwd_xdp_libbpf_print(enum libbpf_print_level level, const char *fmt,
			 va_list ap)
{
	if (level > LIBBPF_WARN && !fwd_xdp_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Is the DIR-16-8-8 program the one being loaded? */
static int dir_selected(struct fwd_xdp *skel)
{
	return bpf_program__autoload(skel->progs.fwd_xdp_dir);
}

int fwd_xdp_size_maps(struct fwd_xdp *skel, const struct fwd_table *t)
{
	struct fwd_lpm l = { 0 };
	__u32 n8a = 1, n8b = 1;
	int err;

	if (dir_selected(skel)) {
		err = fwd_lpm_build(&l, t);
		if (err) {
			errno = -err;
			return err;
		}
		n8a = l.n8a > 0 ? l.n8a : 1;
		n8b = l.n8b > 0 ? l.n8b : 1;
		fwd_lpm_free(&l);
	}
	err = bpf_map__set_max_entries(skel->maps.fwd_dir8a, n8a);
	if (!err)
		err = bpf_map__set_max_entries(skel->maps.fwd_dir8b, n8b);
	if (!err)
		err = bpf_map__set_max_entries(skel->maps.fwd_lpm,
					       t->nroutes > 0 ? t->nroutes : 1);
	if (!err)
		err = bpf_map__set_max_entries(skel->maps.fwd_nexthops,
					       t->nnexthops > 0 ? t->nnexthops : 1);
	return err;
}

/* --lookup dir: the DIR-16-8-8 tables into .bss and the two node maps. */
static int fill_dir(struct fwd_xdp *skel, const struct fwd_table *t,
		    char *err, size_t errlen)
{
	struct fwd_lpm l = { 0 };
	int rc = fwd_lpm_build(&l, t), fd;
	__u32 i;

	if (rc) {
		snprintf(err, errlen, "building the DIR-16-8-8 table: %s", strerror(-rc));
		return rc;
	}
	memcpy(skel->bss->fwd_xdp_dir16, l.tbl16, sizeof(skel->bss->fwd_xdp_dir16));
	memcpy(skel->bss->fwd_xdp_dir_nh, t->nexthops,
	       (size_t)t->nnexthops * sizeof(*t->nexthops));
	fd = bpf_map__fd(skel->maps.fwd_dir8a);
	for (i = 0; i < l.n8a && !rc; i++)
		if (bpf_map_update_elem(fd, &i, &l.tbl8a[(size_t)i * FWD_LPM_FANOUT], BPF_ANY))
			rc = -errno;
	fd = bpf_map__fd(skel->maps.fwd_dir8b);
	for (i = 0; i < l.n8b && !rc; i++)
		if (bpf_map_update_elem(fd, &i, &l.tbl8b[(size_t)i * FWD_LPM_FANOUT], BPF_ANY))
			rc = -errno;
	if (rc)
		snprintf(err, errlen, "DIR-16-8-8 node map update: %s", strerror(-rc));
	fwd_lpm_free(&l);
	return rc;
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
	return dir_selected(skel) ? fill_dir(skel, t, err, errlen) : 0;
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

int fwd_xdp_table_wants_frags(const struct fwd_table *t)
{
	int i;

	for (i = 0; i < FWD_MAX_PORTS; i++)
		if (t->ports[i].present &&
		    t->ports[i].mtu > FWD_XDP_SINGLE_BUFFER_MTU)
			return 1;
	return 0;
}

const char *fwd_xdp_prog_name(enum fwd_xdp_prog which)
{
	static const char *const names[] = {
		[FWD_XDP_PROG_LPM] = "lpm", [FWD_XDP_PROG_FIB] = "fib",
		[FWD_XDP_PROG_PROBE] = "probe", [FWD_XDP_PROG_DIR] = "dir",
	};

	return (size_t)which < sizeof(names) / sizeof(names[0]) ? names[which] : "?";
}

struct bpf_program *fwd_xdp_select(struct fwd_xdp *skel,
				   enum fwd_xdp_prog which, int frags)
{
	struct bpf_program *progs[] = {
		[FWD_XDP_PROG_LPM] = skel->progs.fwd_xdp_lpm,
		[FWD_XDP_PROG_FIB] = skel->progs.fwd_xdp_fib,
		[FWD_XDP_PROG_DIR] = skel->progs.fwd_xdp_dir,
		[FWD_XDP_PROG_PROBE] = skel->progs.fwd_xdp_probe,
	};
	size_t i;

	for (i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		__u32 fl = bpf_program__flags(progs[i]);

		bpf_program__set_autoload(progs[i], i == (size_t)which);
		if (frags)
			fl |= BPF_F_XDP_HAS_FRAGS;
		else
			fl &= ~(__u32)BPF_F_XDP_HAS_FRAGS;
		bpf_program__set_flags(progs[i], fl);
	}
	skel->rodata->fwd_xdp_frags = frags != 0;
	return progs[which];
}
