/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fwd_xdp_testrun.h - run the XDP forwarder on single frames with
 * BPF_PROG_RUN (no network, no attachment), for fwd-xdp-golden and
 * fwd-xdp-unit. The program is loaded with its test hook on (.rodata
 * fwd_xdp_record), so the reason and egress port of each frame are known.
 * Frames enter as if received on "lo" (ifindex 1, present in every network
 * namespace), which stands for the chosen ingress port; every port's DEVMAP
 * entry also points at lo (BPF_PROG_RUN never transmits).
 */
#ifndef FWD_XDP_TESTRUN_H
#define FWD_XDP_TESTRUN_H

#include "fwd_xdp_maps.h"

#define FWD_XDP_TR_SKIP 77 /* exit code: BPF not permitted here */

struct fwd_xdp_tr {
	struct fwd_xdp *skel;
	int prog_fd;
	int ifindex; /* stands for the ingress port */
};

/** Result of one frame. */
struct fwd_xdp_tr_res {
	int action;            /* XDP_* returned by the program */
	enum fwd_reason reason;
	int port;              /* egress port when reason == FWD_FORWARD */
	__u32 out_len;         /* bytes of the frame after the program */
	__u32 ns_per_run;      /* kernel-measured mean run time (repeat > 1) */
};

/**
 * fwd_xdp_tr_open() - load the program with the test hook, fill its maps
 * from @t, make @in_port the ingress port. @which: the program; with
 * FWD_XDP_PROG_FIB the kernel FIB of the current namespace is used, frames
 * enter on @in_port's own interface, and every port whose interface exists
 * here is known by its ifindex (the FIB names egress interfaces).
 * @frags: 1 = load multi-buffer, 0 = single-buffer, -1 = as fwd-xdp picks
 * it from the route file (fwd_xdp_table_wants_frags()).
 * Returns 0; FWD_XDP_TR_SKIP when BPF is not permitted (message in @err);
 * -1 on other errors (message in @err).
 */
int fwd_xdp_tr_open(struct fwd_xdp_tr *tr, const struct fwd_table *t,
		    int in_port, enum fwd_xdp_prog which, int frags, char *err, size_t errlen);

/**
 * fwd_xdp_tr_run() - one BPF_PROG_RUN of @frame (@len bytes). The frame
 * after the program goes to @out (@outcap bytes). A frame longer than one
 * XDP buffer (3520 bytes on 4 KB pages) runs as the kernel builds it for an
 * xdp.frags program: first buffer + page fragments (ctx.data_end = @len is
 * clamped to the first buffer), and @out receives both. Checks that the XDP action
 * matches the recorded reason (REDIRECT = forward, DROP = drop reason, PASS =
 * punt reason). Returns 0, or -1 with a message in @err (-2 when the kernel
 * refused the frame itself, e.g. shorter than an Ethernet header).
 */
int fwd_xdp_tr_run(struct fwd_xdp_tr *tr, const void *frame, __u32 len,
		   void *out, __u32 outcap, struct fwd_xdp_tr_res *res,
		   char *err, size_t errlen);

/**
 * fwd_xdp_tr_run_repeat() - as fwd_xdp_tr_run() with BPF_PROG_RUN's
 * @repeat: the program runs @repeat times on the same buffer (each run sees
 * the previous run's rewrite, e.g. TTL one lower); res->ns_per_run is the
 * kernel's mean time per run in ns; the result is the last run's.
 */
int fwd_xdp_tr_run_repeat(struct fwd_xdp_tr *tr, const void *frame,
			  __u32 len, __u32 repeat, void *out, __u32 outcap,
			  struct fwd_xdp_tr_res *res, char *err, size_t errlen);

/** fwd_xdp_tr_close() - unload; safe on a zeroed struct. */
void fwd_xdp_tr_close(struct fwd_xdp_tr *tr);

#endif /* FWD_XDP_TESTRUN_H */
