/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fwd_xdp_maps.h - filling the XDP program's maps from a compiled route
 * table (fwd_routes.h) and reading its counters back; shared by fwd-xdp,
 * fwd-xdp-golden and fwd-xdp-unit.
 */
#ifndef FWD_XDP_MAPS_H
#define FWD_XDP_MAPS_H

#include <stddef.h>

#include <bpf/libbpf.h>

#include "fwd_routes.h"
#include "fwd_stats.h"
#include "fwd_xdp.h"
#include "fwd_xdp.skel.h"

/** The programs of fwd_xdp.bpf.c. */
enum fwd_xdp_prog {
	FWD_XDP_PROG_LPM,   /* the forwarder, LPM trie lookup */
	FWD_XDP_PROG_FIB,   /* the forwarder, bpf_fib_lookup() */
	FWD_XDP_PROG_PROBE, /* benchmark reference, not a forwarder */
	FWD_XDP_PROG_DIR,   /* the forwarder, DIR-16-8-8 lookup */
};

/** fwd_xdp_prog_name() - "lpm", "fib", "probe" or "dir" (the CLI's words). */
const char *fwd_xdp_prog_name(enum fwd_xdp_prog which);

/*
 * Largest port MTU (bytes of IP datagram) for which every frame is taken
 * to fit one XDP buffer: veth allows single-buffer XDP up to ~3.5 KB on
 * 4 KB pages, NIC drivers from ~3 KB. Above it the forwarder is loaded
 * multi-buffer (BPF_F_XDP_HAS_FRAGS).
 */
#define FWD_XDP_SINGLE_BUFFER_MTU 3000

/**
 * fwd_xdp_table_wants_frags() - 1 when a port of @t has a route-file MTU
 * above FWD_XDP_SINGLE_BUFFER_MTU, else 0.
 */
int fwd_xdp_table_wants_frags(const struct fwd_table *t);

/**
 * fwd_xdp_select() - between fwd_xdp__open() and fwd_xdp__load(): load
 * only program @which; @frags != 0 loads the forwarder multi-buffer
 * (BPF_F_XDP_HAS_FRAGS, frame length from bpf_xdp_get_buff_len()), 0
 * single-buffer (the frame is [data, data_end): no helper call; the kernel
 * then refuses to attach it where a frame may not fit one buffer, e.g. a
 * veth whose peer's MTU is above ~3.5 KB, with ERANGE). The probe reads
 * only the headers, so it runs either way. Returns the program to attach.
 */
struct bpf_program *fwd_xdp_select(struct fwd_xdp *skel,
				   enum fwd_xdp_prog which, int frags);

/**
 * fwd_xdp_size_maps() - set the LPM trie and next-hop array sizes to the
 * table's, and the DIR-16-8-8 node maps' when that program is selected
 * (call between fwd_xdp_select() and fwd_xdp__load()). Returns 0 or a
 * negative errno.
 */
int fwd_xdp_size_maps(struct fwd_xdp *skel, const struct fwd_table *t);

/**
 * fwd_xdp_fill_routes() - load routes[] into the LPM trie (keys in network
 * byte order) and nexthops[] into the next-hop array (after load); with
 * the DIR-16-8-8 program selected also its tables (paths/lib/fwd_lpm.h).
 * Returns 0 or a negative errno (message in @err).
 */
int fwd_xdp_fill_routes(struct fwd_xdp *skel, const struct fwd_table *t,
			char *err, size_t errlen);

/**
 * fwd_xdp_set_port() - make route-file port @port known to the program:
 * @in_ifindex > 0: frames arriving on that ifindex are this port's
 *                  (ingress slot in .bss; its MAC is checked on ingress),
 * @tx_ifindex > 0: FORWARD to this port redirects to that ifindex (DEVMAP
 *                  entry; an ifindex of the calling thread's namespace).
 * Returns 0, -EEXIST when another port already owns @in_ifindex's slot,
 * or a negative errno from the DEVMAP update (message in @err).
 */
int fwd_xdp_set_port(struct fwd_xdp *skel, const struct fwd_table *t,
		     int port, int in_ifindex, int tx_ifindex, char *err,
		     size_t errlen);

/**
 * fwd_xdp_read_stats() - sum the per-CPU verdict counters into @st
 * (st->rx = the sum over all reasons). Returns 0 or a negative errno.
 */
int fwd_xdp_read_stats(struct fwd_xdp *skel, struct fwd_stats *st);

/**
 * fwd_xdp_libbpf_print() - libbpf print callback: warnings (the verifier
 * log on a rejected program among them) always to stderr, info and debug
 * only when fwd_xdp_verbose is set.
 */
int fwd_xdp_libbpf_print(enum libbpf_print_level level, const char *fmt,
			 va_list ap);
extern int fwd_xdp_verbose;

#endif /* FWD_XDP_MAPS_H */
