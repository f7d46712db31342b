// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * fwd_xdp.bpf.c - the fwdlab IPv4 forwarder as an XDP program.
 *
 * The shared core (paths/common/fwd_core.h) does parse, decide and rewrite;
 * this file only adds what is XDP's own:
 *   - the ingress port (MAC for the L2 check) from a global array indexed by
 *     ifindex (no map lookup: a direct load from .bss),
 *   - the lookup: BPF_MAP_TYPE_LPM_TRIE (prefix -> next-hop id) + ARRAY of
 *     struct fwd_nexthop (program fwd_xdp_lpm), or the kernel FIB through
 *     bpf_fib_lookup() (program fwd_xdp_fib),
 *   - the verdict: FORWARD = bpf_redirect_map() on a DEVMAP indexed by port
 *     number, DROP = XDP_DROP, PUNT = XDP_PASS with the frame unmodified,
 *   - one per-CPU counter per reason (enum fwd_reason).
 * Per frame: one LPM lookup, one next-hop lookup, one counter lookup, the
 * redirect. A third lookup, fwd_xdp_dir, keeps the table as the DIR-16-8-8
 * multibit trie of fwd-socket (paths/lib/fwd_lpm.h) in .bss and ARRAY maps:
 * what a DPDK-style table costs against the kernel's LPM trie. Both programs are multi-buffer aware (xdp.frags), so frames
 * longer than one page (jumbo MTU) are forwarded too. The loader
 * (fwd_xdp.c) fills the maps from the route file.
 *
 * A third program, fwd_xdp_probe, is a benchmark reference and not a
 * forwarder: the smallest program that does the same lookups and rewrite.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

#include "fwd_core.h"
#include "fwd_xdp.h"

#ifndef AF_INET
#define AF_INET 2
#endif

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* prefix/len (network order) -> next-hop id; sized by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct fwd_xdp_lpm_key);
	__type(value, __u32);
	__uint(max_entries, 1);
} fwd_lpm SEC(".maps");

/* next-hop id -> struct fwd_nexthop; sized by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct fwd_nexthop);
	__uint(max_entries, 1);
} fwd_nexthops SEC(".maps");

/* --lookup dir: DIR-16-8-8 levels 2 and 3 (fwd_xdp.h); sized by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct fwd_xdp_dir_node);
	__uint(max_entries, 1);
} fwd_dir8a SEC(".maps"), fwd_dir8b SEC(".maps");

/* route-file port number -> egress ifindex (DUT namespace). */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, FWD_XDP_MAX_PORTS);
} fwd_tx_ports SEC(".maps");

/* enum fwd_reason -> frames, per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, FWD_XDP_NCOUNTERS);
} fwd_counters SEC(".maps");

/* Ports by ifindex % FWD_XDP_IFX_SLOTS, written by the loader after load. */
struct fwd_xdp_port fwd_xdp_ports[FWD_XDP_IFX_SLOTS];

/* --lookup dir: the DIR-16-8-8 root, written by the loader after load. */
__u16 fwd_xdp_dir16[FWD_XDP_DIR_ROOT];

/* --lookup dir: the next hops (as fwd_nexthops), written by the loader
 * after load: a bounded index into .bss, no map lookup. */
struct fwd_nexthop fwd_xdp_dir_nh[FWD_XDP_MAX_NEXTHOPS];

/*
 * Test hook for the golden runner: when fwd_xdp_record is set before load,
 * the last frame's reason and egress port are left in .bss. The loader
 * leaves it 0, and since .rodata is frozen the verifier removes the stores:
 * no cost on the forwarding path.
 */
const volatile __u8 fwd_xdp_record = 0;

/*
 * Set by the loader before load when the programs are loaded multi-buffer
 * (BPF_F_XDP_HAS_FRAGS, a port's MTU above one buffer): only then can a
 * frame continue past data_end and its length needs bpf_xdp_get_buff_len().
 * Otherwise the kernel hands the program whole frames only and the verifier
 * removes the helper call (a call clobbers five registers: ~2 ns a frame).
 */
const volatile __u8 fwd_xdp_frags = 0;
__u32 fwd_xdp_last_reason = 0;
__u32 fwd_xdp_last_port = 0;

/* The slot of @ifindex; the caller checks slot->ifindex == ifindex (kept
 * as an explicit test at each use: a "? e : NULL" select loses the pointer
 * type for the verifier). */
static __always_inline const struct fwd_xdp_port *slot_of(__u32 ifindex)
{
	return &fwd_xdp_ports[ifindex & (FWD_XDP_IFX_SLOTS - 1)];
}

/* The whole frame's length in bytes. */
static __always_inline __u32 frame_len(struct xdp_md *ctx, void *data,
				       void *data_end)
{
	if (fwd_xdp_frags)
		return (__u32)bpf_xdp_get_buff_len(ctx);
	return (__u32)(data_end - data);
}

/* Count the verdict and turn it into an XDP action. */
static __always_inline int finish(enum fwd_reason r,
				  const struct fwd_nexthop *nh)
{
	__u32 key = r;
	__u64 *cnt = bpf_map_lookup_elem(&fwd_counters, &key);

	if (cnt)
		*cnt += 1;
	if (fwd_xdp_record) {
		fwd_xdp_last_reason = r;
		fwd_xdp_last_port = r == FWD_FORWARD && nh ? nh->port : 0;
	}
	if (r == FWD_FORWARD)
		return bpf_redirect_map(&fwd_tx_ports, nh->port, 0);
	return fwd_verdict(r) == FWD_V_DROP ? XDP_DROP : XDP_PASS;
}

/* The LPM-trie lookup: prefix -> next-hop id -> struct fwd_nexthop. */
static __always_inline const struct fwd_nexthop *lpm_lookup(__be32 daddr)
{
	struct fwd_xdp_lpm_key key = { .prefixlen = 32, .addr = daddr };
	__u32 *id = bpf_map_lookup_elem(&fwd_lpm, &key);

	if (!id)
		return NULL;
	return bpf_map_lookup_elem(&fwd_nexthops, id);
}

/*
 * The DIR-16-8-8 lookup (paths/lib/fwd_lpm.h's algorithm, same tables):
 * one .bss load for a route of /16 or shorter, one array-map element more
 * per level below, then the next hop from .bss. No helper call: the
 * verifier inlines ARRAY lookups.
 */
static __always_inline const struct fwd_nexthop *dir_lookup(__be32 daddr)
{
	__u32 d = fwd_ntohl(daddr), e, k;
	const struct fwd_xdp_dir_node *n;

	e = fwd_xdp_dir16[d >> 16];
	if (e & FWD_XDP_DIR_CHILD) {
		k = e & ~FWD_XDP_DIR_CHILD;
		n = bpf_map_lookup_elem(&fwd_dir8a, &k);
		if (!n)
			return NULL;
		e = n->e[(d >> 8) & 0xff];
		if (e & FWD_XDP_DIR_CHILD) {
			k = e & ~FWD_XDP_DIR_CHILD;
			n = bpf_map_lookup_elem(&fwd_dir8b, &k);
			if (!n)
				return NULL;
			e = n->e[d & 0xff];
		}
	}
	if (!e)
		return NULL;
	k = e - 1;
	if (k >= FWD_XDP_MAX_NEXTHOPS) /* for the verifier; the ids fit */
		return NULL;
	return &fwd_xdp_dir_nh[k];
}

enum lookup_kind { LOOKUP_TRIE, LOOKUP_DIR };

/*
 * One frame through the core with the given lookup (a constant: each
 * program inlines its own). Multi-buffer aware (SEC("xdp.frags")): loaded
 * with BPF_F_XDP_HAS_FRAGS when a port's MTU calls for it, a frame may then
 * continue in fragments past data_end (jumbo MTU: a veth or NIC hands XDP
 * the first buffer + fragments, and veth refuses a program that is not
 * frags-aware once the peer's MTU exceeds one buffer, ~3.5 KB). The core
 * reads only the headers, which must lie in the first buffer; the frame's
 * whole length (RFC 1812 5.2.2 total-length check, egress MTU) is
 * frame_len(). Otherwise (fwd_xdp_frags 0) the program is loaded
 * single-buffer and never calls the helper.
 */
static __always_inline int forward(struct xdp_md *ctx, enum lookup_kind lk)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	const struct fwd_xdp_port *in = slot_of(ctx->ingress_ifindex);
	const struct fwd_nexthop *nh = NULL;
	struct fwd_pkt p;
	enum fwd_reason r;

	if (in->ifindex != ctx->ingress_ifindex)
		return XDP_PASS; /* not one of our ports: not counted */
	r = fwd_parse_len(data, data_end, frame_len(ctx, data, data_end),
			  in->mac, &p);
	if (r == FWD_FORWARD) {
		nh = lk == LOOKUP_DIR ? dir_lookup(p.daddr) : lpm_lookup(p.daddr);
		r = fwd_decide(&p, nh);
		if (r == FWD_FORWARD)
			fwd_rewrite(&p, nh);
	}
	return finish(r, nh);
}

/* The forwarder with the LPM-trie lookup (fwd-xdp --lookup lpm). */
SEC("xdp")
int fwd_xdp_lpm(struct xdp_md *ctx)
{
	return forward(ctx, LOOKUP_TRIE);
}

/* The forwarder with the DIR-16-8-8 lookup (fwd-xdp --lookup dir). */
SEC("xdp")
int fwd_xdp_dir(struct xdp_md *ctx)
{
	return forward(ctx, LOOKUP_DIR);
}

/* One bpf_fib_lookup() for @p; @tot_len: the IP total length the kernel
 * checks against the egress MTU (0: no MTU check). */
static __always_inline int fib_query(struct xdp_md *ctx,
				     const struct fwd_pkt *p,
				     struct bpf_fib_lookup *fib, __u16 tot_len)
{
	__builtin_memset(fib, 0, sizeof(*fib));
	fib->family = AF_INET;
	fib->tos = p->ip->tos;
	fib->l4_protocol = p->ip->protocol;
	fib->tot_len = tot_len;
	fib->ipv4_src = p->ip->saddr;
	fib->ipv4_dst = p->daddr;
	fib->ifindex = ctx->ingress_ifindex;
	return bpf_fib_lookup(ctx, fib, sizeof(*fib), 0);
}

/*
 * The kernel-FIB lookup, mapped onto the core's next-hop kinds:
 *   SUCCESS     -> FORWARD to the port owning the egress ifindex
 *                  (MACs from the FIB/neighbour table)
 *   NO_NEIGH    -> NO_NEIGH (reason no-neigh)
 *   NOT_FWDED   -> LOCAL (local/broadcast route types; the loader installs
 *                  an "unreachable" default so that a missing route is not
 *                  reported as NOT_FWDED)
 *   FRAG_NEEDED -> the kernel checks the MTU before the neighbour, the core
 *                  (fwd_decide) the other way round: ask again without the
 *                  MTU check (tot_len 0) and map that answer, keeping the
 *                  kernel's MTU, so fwd_decide says no-neigh or mtu in the
 *                  core's order. Only frames above the MTU pay this.
 *   others (BLACKHOLE, UNREACHABLE, PROHIBIT, FWD_DISABLED, ...), or an
 *   egress interface that is not a port -> no route.
 * The egress MTU is the smaller of the port's (route file) and the kernel's.
 */
static __always_inline const struct fwd_nexthop *
fib_lookup(struct xdp_md *ctx, const struct fwd_pkt *p, struct fwd_nexthop *nh)
{
	struct bpf_fib_lookup fib;
	const struct fwd_xdp_port *out;
	__u16 mtu = 0xffff;
	int rc, i;

	rc = fib_query(ctx, p, &fib, fwd_ntohs(p->ip->tot_len));
	if (rc == BPF_FIB_LKUP_RET_FRAG_NEEDED) {
		mtu = fib.mtu_result;
		rc = fib_query(ctx, p, &fib, 0);
	}
	switch (rc) {
	case BPF_FIB_LKUP_RET_SUCCESS:
		out = slot_of(fib.ifindex);
		if (out->ifindex != fib.ifindex)
			return NULL;
		nh->kind = FWD_NH_FORWARD;
		nh->port = out->port;
		nh->mtu = out->mtu < mtu ? out->mtu : mtu;
#pragma unroll
		for (i = 0; i < 6; i++) {
			nh->dmac[i] = fib.dmac[i];
			nh->smac[i] = fib.smac[i];
		}
		return nh;
	case BPF_FIB_LKUP_RET_NO_NEIGH:
		nh->kind = FWD_NH_NO_NEIGH;
		return nh;
	case BPF_FIB_LKUP_RET_NOT_FWDED:
		nh->kind = FWD_NH_LOCAL;
		return nh;
	default:
		return NULL;
	}
}

/* Multi-buffer aware, as forward(). */
SEC("xdp")
int fwd_xdp_fib(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	const struct fwd_xdp_port *in = slot_of(ctx->ingress_ifindex);
	const struct fwd_nexthop *nh = NULL;
	struct fwd_nexthop fib_nh = {};
	struct fwd_pkt p;
	enum fwd_reason r;

	if (in->ifindex != ctx->ingress_ifindex)
		return XDP_PASS;
	r = fwd_parse_len(data, data_end, frame_len(ctx, data, data_end),
			  in->mac, &p);
	if (r == FWD_FORWARD) {
		nh = fib_lookup(ctx, &p, &fib_nh);
		r = fwd_decide(&p, nh);
		if (r == FWD_FORWARD)
			fwd_rewrite(&p, nh);
	}
	return finish(r, nh);
}

/*
 * fwd_xdp_probe - benchmark reference, NOT a forwarder (fwd-xdp --probe,
 * harness path xdp-probe): the "XDP, LPM trie + devmap" probe of the
 * machine notes (docs/machine.md). Same maps, same two lookups, same
 * rewrite (TTL - 1, RFC 1624, MACs) and redirect as fwd_xdp_lpm, and
 * nothing else: no RFC 1812 5.2.2 checks (version, IHL, checksum, length),
 * no L2 destination, martian or local checks, no counters. Anything it
 * cannot forward goes to the stack (XDP_PASS). It fails the golden tests
 * by design; the benchmarks run it beside fwd-xdp to show what the checks
 * cost.
 */
SEC("xdp")
int fwd_xdp_probe(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct fwd_pkt p = { .eth = data };
	const struct fwd_nexthop *nh;

	p.ip = (struct fwd_ipv4 *)(p.eth + 1);
	if ((void *)(p.ip + 1) > data_end ||
	    p.eth->type != fwd_htons(FWD_ETH_P_IP))
		return XDP_PASS;
	nh = lpm_lookup(fwd_ld32(&p.ip->daddr));
	if (!nh || nh->kind != FWD_NH_FORWARD || p.ip->ttl <= 1)
		return XDP_PASS;
	fwd_rewrite(&p, nh);
	if (fwd_xdp_record) { /* test hook (fwd-xdp-cost), removed otherwise */
		fwd_xdp_last_reason = FWD_FORWARD;
		fwd_xdp_last_port = nh->port;
	}
	return bpf_redirect_map(&fwd_tx_ports, nh->port, 0);
}
