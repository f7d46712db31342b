// SPDX-License-Identifier: GPL-2.0-only
/*
 * fwd_kmod_nl.c - the generic netlink family "fwd_kmod" (fwd_kmod_uapi.h):
 * upload a table, clear it, read the counters. Nothing from userspace is
 * trusted: the policy bounds every attribute, the handlers check each
 * array length against its element size and the limits, and every port
 * id, interface, next hop and route before anything is swapped in.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "fwd_kmod.h"

static const struct nla_policy fkm_port_policy[FKM_PA_MAX + 1] = {
	[FKM_PA_ID] = NLA_POLICY_MAX(NLA_U32, FKM_MAX_PORTS - 1),
	[FKM_PA_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[FKM_PA_MAC] = NLA_POLICY_EXACT_LEN(ETH_ALEN),
};

static const struct nla_policy fkm_policy[FKM_A_MAX + 1] = {
	[FKM_A_PORT] = NLA_POLICY_NESTED(fkm_port_policy),
	[FKM_A_NEXTHOPS] = { .type = NLA_BINARY,
			     .len = FKM_MAX_NEXTHOPS * sizeof(struct fwd_nexthop) },
	[FKM_A_ROUTES] = { .type = NLA_BINARY, .len = 0xfff8 },
};

static struct genl_family fkm_family;

static bool port_in_use(const struct fkm_table *t, const struct net_device *dev)
{
	int i;

	for (i = 0; i < FKM_MAX_PORTS; i++)
		if (t->port[i].dev == dev)
			return true;
	return false;
}

static int add_port(struct fkm_table *t, struct net *net,
		    const struct nlattr *nest, struct netlink_ext_ack *ext)
{
	struct nlattr *tb[FKM_PA_MAX + 1];
	struct net_device *dev;
	u32 id, ifindex;
	int err;

	err = nla_parse_nested(tb, FKM_PA_MAX, nest, fkm_port_policy, ext);
	if (err)
		return err;
	if (!tb[FKM_PA_ID] || !tb[FKM_PA_IFINDEX] || !tb[FKM_PA_MAC]) {
		NL_SET_ERR_MSG(ext, "port needs id, ifindex and mac");
		return -EINVAL;
	}
	id = nla_get_u32(tb[FKM_PA_ID]);
	ifindex = nla_get_u32(tb[FKM_PA_IFINDEX]);
	if (t->port[id].dev) {
		NL_SET_ERR_MSG(ext, "duplicate port id");
		return -EINVAL;
	}
	dev = __dev_get_by_index(net, ifindex); /* caller holds rtnl */
	if (!dev) {
		NL_SET_ERR_MSG(ext, "no interface with this ifindex in the caller's netns");
		return -ENODEV;
	}
	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG(ext, "port interface is not Ethernet");
		return -EINVAL;
	}
	if (port_in_use(t, dev)) {
		NL_SET_ERR_MSG(ext, "interface used by two ports");
		return -EINVAL;
	}
	t->port[id].dev = dev;
	memcpy(t->port[id].mac, nla_data(tb[FKM_PA_MAC]), ETH_ALEN);
	t->nports++;
	return 0;
}

static int set_nexthops(struct fkm_table *t, const struct nlattr *a,
			struct netlink_ext_ack *ext)
{
	u32 len = nla_len(a), n = len / sizeof(struct fwd_nexthop), i;

	if (t->nh) {
		NL_SET_ERR_MSG(ext, "more than one nexthop array");
		return -EINVAL;
	}
	if (!n || len % sizeof(struct fwd_nexthop) || n > FKM_MAX_NEXTHOPS) {
		NL_SET_ERR_MSG(ext, "nexthop array length");
		return -EINVAL;
	}
	t->nh = kvmalloc_array(n, sizeof(*t->nh), GFP_KERNEL);
	if (!t->nh)
		return -ENOMEM;
	memcpy(t->nh, nla_data(a), len);
	t->nnh = n;
	for (i = 0; i < n; i++) {
		const struct fwd_nexthop *nh = &t->nh[i];

		if (nh->kind > FWD_NH_NO_NEIGH ||
		    (nh->kind != FWD_NH_LOCAL &&
		     (nh->port >= FKM_MAX_PORTS || !t->port[nh->port].dev))) {
			NL_SET_ERR_MSG(ext, "nexthop with a bad kind or an undeclared port");
			return -EINVAL;
		}
	}
	return 0;
}

/* Concatenate the FKM_A_ROUTES chunks into one array. */
static int gather_routes(const struct genl_info *info, struct fkm_route **out,
			 u32 *nout, struct netlink_ext_ack *ext)
{
	const struct nlattr *a;
	struct fkm_route *r;
	u32 n = 0, k = 0;
	int rem;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != FKM_A_ROUTES)
			continue;
		if (nla_len(a) % sizeof(struct fkm_route)) {
			NL_SET_ERR_MSG(ext, "route chunk length");
			return -EINVAL;
		}
		n += nla_len(a) / sizeof(struct fkm_route);
		if (n > FKM_MAX_ROUTES) {
			NL_SET_ERR_MSG(ext, "too many routes");
			return -E2BIG;
		}
	}
	r = kvmalloc_array(max_t(u32, n, 1), sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != FKM_A_ROUTES)
			continue;
		memcpy(r + k, nla_data(a), nla_len(a));
		k += nla_len(a) / sizeof(struct fkm_route);
	}
	*out = r;
	*nout = n;
	return 0;
}

static int fkm_cmd_set(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *ext = info->extack;
	struct net *net = genl_info_net(info);
	struct fkm_route *routes = NULL;
	struct fkm_table *t;
	const struct nlattr *a;
	u32 nroutes;
	int rem, err;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->stats = alloc_percpu(struct fkm_stats);
	if (!t->stats) {
		err = -ENOMEM;
		goto fail;
	}
	/* Ports first (next hops refer to them), under rtnl so that an
	 * interface found here cannot be unregistered before it is hooked. */
	rtnl_lock();
	err = 0;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) == FKM_A_PORT && !err)
			err = add_port(t, net, a, ext);
	}
	if (!err && !t->nports) {
		NL_SET_ERR_MSG(ext, "no port");
		err = -EINVAL;
	}
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) == FKM_A_NEXTHOPS && !err)
			err = set_nexthops(t, a, ext);
	}
	if (!err && !t->nh) {
		NL_SET_ERR_MSG(ext, "no nexthop array");
		err = -EINVAL;
	}
	if (!err)
		err = gather_routes(info, &routes, &nroutes, ext);
	if (!err) {
		err = fkm_lpm_build(&t->lpm, routes, nroutes, t->nnh);
		if (err == -EEXIST)
			NL_SET_ERR_MSG(ext, "duplicate route");
		else if (err == -EINVAL)
			NL_SET_ERR_MSG(ext, "bad route (length, host bits, nexthop id)");
		else if (err)
			NL_SET_ERR_MSG(ext, "cannot build the LPM");
		t->nroutes = nroutes;
	}
	kvfree(routes);
	if (err) {
		rtnl_unlock();
		goto fail;
	}
	err = fkm_swap(fkm_net(net), t); /* frees t on error */
	rtnl_unlock();
	return err == -ENOENT ? 0 : err;
fail:
	fkm_table_free(t);
	return err;
}

static int fkm_cmd_clear(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	rtnl_lock();
	err = fkm_swap(fkm_net(genl_info_net(info)), NULL);
	rtnl_unlock();
	if (err == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no table loaded");
	return err;
}

static int fkm_cmd_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct fkm_stats s;
	struct sk_buff *msg;
	struct nlattr *nest;
	u32 nroutes, nports;
	void *hdr;
	int err, i;

	err = fkm_read_stats(fkm_net(genl_info_net(info)), &s, &nroutes, &nports);
	if (err) {
		NL_SET_ERR_MSG(info->extack, "no table loaded");
		return err;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &fkm_family, 0, FKM_CMD_GET_STATS);
	if (!hdr)
		goto nospace;
	if (nla_put_u64_64bit(msg, FKM_A_STATS_RX, s.rx, FKM_A_PAD) ||
	    nla_put_u64_64bit(msg, FKM_A_STATS_TX_ERR, s.tx_err, FKM_A_PAD) ||
	    nla_put_u32(msg, FKM_A_NROUTES, nroutes) ||
	    nla_put_u32(msg, FKM_A_NPORTS, nports))
		goto nospace;
	nest = nla_nest_start(msg, FKM_A_STATS_REASONS);
	if (!nest)
		goto nospace;
	for (i = 0; i < FWD_REASON_MAX; i++)
		if (nla_put_u64_64bit(msg, i + 1, s.reason[i], FKM_A_PAD))
			goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static const struct genl_small_ops fkm_ops[] = {
	{
		.cmd = FKM_CMD_SET_TABLE,
		.doit = fkm_cmd_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = FKM_CMD_CLEAR,
		.doit = fkm_cmd_clear,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = FKM_CMD_GET_STATS,
		.doit = fkm_cmd_stats,
	},
};

static struct genl_family fkm_family __ro_after_init = {
	.name = FKM_GENL_NAME,
	.version = FKM_GENL_VERSION,
	.maxattr = FKM_A_MAX,
	.policy = fkm_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = fkm_ops,
	.n_small_ops = ARRAY_SIZE(fkm_ops),
};

int fkm_nl_init(void)
{
	return genl_register_family(&fkm_family);
}

void fkm_nl_exit(void)
{
	genl_unregister_family(&fkm_family);
}
