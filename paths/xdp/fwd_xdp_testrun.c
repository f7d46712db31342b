// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd_xdp_testrun.c - BPF_PROG_RUN of the XDP forwarder, one frame at a time.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "fwd_xdp_testrun.h"

#define LO_IFINDEX 1

int fwd_xdp_tr_open(struct fwd_xdp_tr *tr, const struct fwd_table *t,
		    int in_port, enum fwd_xdp_prog which, int frags, char *err, size_t errlen)
{
	int fib = which == FWD_XDP_PROG_FIB;
	struct bpf_program *prog;
	int i, e;

	memset(tr, 0, sizeof(*tr));
	tr->ifindex = LO_IFINDEX;
	tr->skel = fwd_xdp__open();
	if (!tr->skel) {
		snprintf(err, errlen, "opening the BPF object: %s", strerror(errno));
		return -1;
	}
	tr->skel->rodata->fwd_xdp_record = 1;
	/* -1: the buffer mode fwd-xdp picks from the route file (no real
	 * ports here, so from the route file alone) */
	if (frags < 0)
		frags = fwd_xdp_table_wants_frags(t);
	prog = fwd_xdp_select(tr->skel, which, frags);
	if (fwd_xdp_size_maps(tr->skel, t) || fwd_xdp__load(tr->skel)) {
		e = errno;
		snprintf(err, errlen, "loading the BPF program: %s", strerror(e));
		return e == EPERM ? FWD_XDP_TR_SKIP : -1;
	}
	tr->prog_fd = bpf_program__fd(prog);
	if (fwd_xdp_fill_routes(tr->skel, t, err, errlen))
		return -1;
	if (fib) {
		tr->ifindex = (int)if_nametoindex(t->ports[in_port].name);
		if (!tr->ifindex) {
			snprintf(err, errlen, "--lookup fib: no interface '%s' here",
				 t->ports[in_port].name);
			return -1;
		}
	}
	for (i = 0; i < FWD_MAX_PORTS; i++) {
		int in = i == in_port ? tr->ifindex : 0;

		if (!t->ports[i].present)
			continue;
		if (fib)
			in = (int)if_nametoindex(t->ports[i].name);
		if (fwd_xdp_set_port(tr->skel, t, i, in, LO_IFINDEX, err, errlen))
			return -1;
	}
	return 0;
}

int fwd_xdp_tr_run(struct fwd_xdp_tr *tr, const void *frame, __u32 len,
		   void *out, __u32 outcap, struct fwd_xdp_tr_res *res,
		   char *err, size_t errlen)
{
	return fwd_xdp_tr_run_repeat(tr, frame, len, 1, out, outcap, res, err,
				     errlen);
}

int fwd_xdp_tr_run_repeat(struct fwd_xdp_tr *tr, const void *frame,
			  __u32 len, __u32 repeat, void *out, __u32 outcap,
			  struct fwd_xdp_tr_res *res, char *err, size_t errlen)
{
	struct xdp_md ctx = {
		.data = 0,
		.data_end = len,
		.ingress_ifindex = (__u32)tr->ifindex,
		.rx_queue_index = 0,
	};
	LIBBPF_OPTS(bpf_test_run_opts, o,
		    .data_in = frame, .data_size_in = len,
		    .data_out = out, .data_size_out = outcap,
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		    .repeat = (int)repeat);
	enum fwd_verdict v;
	int expect;

	tr->skel->bss->fwd_xdp_last_reason = FWD_REASON_MAX;
	if (bpf_prog_test_run_opts(tr->prog_fd, &o)) {
		snprintf(err, errlen, "BPF_PROG_RUN of a %u-byte frame: %s", len,
			 strerror(errno));
		return errno == EINVAL ? -2 : -1;
	}
	res->action = (int)o.retval;
	res->reason = (enum fwd_reason)tr->skel->bss->fwd_xdp_last_reason;
	res->port = (int)tr->skel->bss->fwd_xdp_last_port;
	res->out_len = o.data_size_out;
	res->ns_per_run = o.duration;
	if (res->reason >= FWD_REASON_MAX) {
		snprintf(err, errlen, "the program recorded no verdict (action %d)",
			 res->action);
		return -1;
	}
	v = fwd_verdict(res->reason);
	expect = v == FWD_V_FORWARD ? XDP_REDIRECT :
		 v == FWD_V_DROP ? XDP_DROP : XDP_PASS;
	if (res->action != expect) {
		snprintf(err, errlen, "reason %s but XDP action %d (expected %d)",
			 fwd_reason_name(res->reason), res->action, expect);
		return -1;
	}
	return 0;
}

void fwd_xdp_tr_close(struct fwd_xdp_tr *tr)
{
	fwd_xdp__destroy(tr->skel);
	tr->skel = NULL;
}
