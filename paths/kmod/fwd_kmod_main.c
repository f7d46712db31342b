// SPDX-License-Identifier: GPL-2.0-only
/*
 * fwd_kmod_main.c - fwd_kmod.ko: the fwdlab IPv4 forwarder inside the
 * kernel. A netfilter ingress hook (NF_NETDEV_INGRESS) on every port of
 * the namespace's table runs the shared core (paths/common/fwd_core.h):
 *
 *   FORWARD -> rewrite in place, dev_queue_xmit() on the egress port
 *   DROP    -> NF_DROP (netfilter frees the skb)
 *   PUNT    -> NF_ACCEPT: the skb continues up the stack unchanged
 *
 * Why netfilter ingress and not an rx_handler: README.md.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_netdev.h>
#include <linux/skbuff.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "fwd_kmod.h"

static unsigned int fkm_net_id __read_mostly;

struct fkm_net *fkm_net(struct net *net)
{
	return net_generic(net, fkm_net_id);
}

/* Index of the port whose interface is @dev, or -1. */
static int port_of_dev(const struct fkm_table *t, const struct net_device *dev)
{
	int i;

	for (i = 0; i < FKM_MAX_PORTS; i++)
		if (t->port[i].dev == dev)
			return i;
	return -1;
}

/*
 * Verdict for a frame whose 802.1Q/802.1ad tag the stack already moved
 * into skb metadata (skb_vlan_untag() runs before any ingress hook).
 * Rebuild the frame's first bytes as they were on the wire and let the
 * core judge them: with a VLAN ethertype it can only say malformed,
 * not-for-us or not-ipv4, exactly what fwd-ref says for the same frame.
 */
static enum fwd_reason vlan_verdict(const struct sk_buff *skb, const u8 *mac)
{
	u8 hdr[FWD_ETH_HLEN + FWD_IP_MIN_HLEN];
	u32 frame_len = skb->len + ETH_HLEN + VLAN_HLEN, n;
	const u8 *eth = skb_mac_header(skb);
	__be16 tci = htons(skb_vlan_tag_get(skb));
	struct fwd_pkt p;

	n = min_t(u32, frame_len, sizeof(hdr));
	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, eth, 2 * ETH_ALEN);
	memcpy(hdr + 12, &skb->vlan_proto, 2);
	memcpy(hdr + 14, &tci, 2);
	memcpy(hdr + 16, eth + 12, 2); /* the inner ethertype */
	if (skb_copy_bits(skb, 0, hdr + 18, min_t(u32, skb->len, sizeof(hdr) - 18)))
		return FWD_DROP_MALFORMED;
	return fwd_parse(hdr, hdr + n, mac, &p);
}

/* Send a forwarded frame (data at the network header) out of @out. */
static void fkm_xmit(struct sk_buff *skb, struct net_device *out,
		     struct fkm_stats *st)
{
	skb_push(skb, ETH_HLEN); /* data back at the MAC header */
	skb->dev = out;
	skb_forward_csum(skb);
	skb_clear_tstamp(skb);
	if (dev_queue_xmit(skb) != NET_XMIT_SUCCESS)
		st->tx_err++;
}

/*
 * The ingress hook. It runs in softirq context inside rcu_read_lock();
 * skb->data points at the network header (eth_type_trans() pulled
 * ETH_HLEN), the Ethernet header is at skb_mac_header(). The frame as
 * received is therefore ETH_HLEN + skb->len bytes.
 */
static unsigned int fkm_hook(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	struct fkm_net *kn = priv;
	const struct fwd_nexthop *nh = NULL;
	struct fkm_table *t = rcu_dereference(kn->tab);
	struct fkm_stats *st;
	enum fwd_reason r;
	struct fwd_pkt p;
	int port, id;
	u8 *data;

	if (!t)
		return NF_ACCEPT;
	port = port_of_dev(t, skb->dev);
	if (port < 0 || !skb_mac_header_was_set(skb) ||
	    skb->data - skb_mac_header(skb) != ETH_HLEN)
		return NF_ACCEPT; /* not a port, or not an Ethernet frame */
	st = this_cpu_ptr(t->stats);

	if (skb_vlan_tag_present(skb)) {
		r = vlan_verdict(skb, t->port[port].mac);
		goto count;
	}
	/* The core reads the frame as one buffer: make it linear. */
	if (skb_linearize(skb))
		return NF_ACCEPT; /* no memory: leave the frame to the stack */
	st->rx++;
	data = skb_mac_header(skb);
	r = fwd_parse(data, skb->data + skb->len, t->port[port].mac, &p);
	if (r == FWD_FORWARD) {
		id = fkm_lpm_lookup(&t->lpm, ntohl(p.daddr));
		nh = id >= 0 ? &t->nh[id] : NULL;
		r = fwd_decide(&p, nh);
	}
	st->reason[r]++;
	switch (fwd_verdict(r)) {
	case FWD_V_FORWARD:
		/* A clone (e.g. a packet tap) shares the data: unshare it. */
		if (skb_ensure_writable(skb, skb->len)) {
			st->tx_err++;
			return NF_DROP;
		}
		p.eth = (struct fwd_eth *)skb_mac_header(skb);
		p.ip = (struct fwd_ipv4 *)(p.eth + 1);
		fwd_rewrite(&p, nh);
		fkm_xmit(skb, t->port[nh->port].dev, st);
		return NF_STOLEN;
	case FWD_V_DROP:
		return NF_DROP;
	default:
		return NF_ACCEPT;
	}
count:
	st->rx++;
	st->reason[r]++;
	return fwd_verdict(r) == FWD_V_DROP ? NF_DROP : NF_ACCEPT;
}

void fkm_table_free(struct fkm_table *t)
{
	if (!t)
		return;
	fkm_lpm_free(&t->lpm);
	kvfree(t->nh);
	free_percpu(t->stats);
	kfree(t);
}

static struct fkm_attach *find_attach(struct fkm_net *kn,
				      const struct net_device *dev)
{
	int i;

	for (i = 0; i < FKM_MAX_ATTACH; i++)
		if (kn->att[i].dev == dev)
			return &kn->att[i];
	return NULL;
}

/* Hook @dev unless already hooked. Caller holds kn->lock. */
static int attach(struct fkm_net *kn, struct net_device *dev)
{
	struct fkm_attach *a;
	int err;

	if (find_attach(kn, dev))
		return 0;
	a = find_attach(kn, NULL);
	if (WARN_ON_ONCE(!a))
		return -ENOSPC;
	a->ops = (struct nf_hook_ops){
		.hook = fkm_hook,
		.priv = kn,
		.pf = NFPROTO_NETDEV,
		.hooknum = NF_NETDEV_INGRESS,
		.priority = 0,
		.dev = dev,
	};
	err = nf_register_net_hook(kn->net, &a->ops);
	if (err)
		return err;
	netdev_hold(dev, &a->tracker, GFP_KERNEL);
	a->dev = dev;
	return 0;
}

/*
 * Unhook every interface @t (the current table, may be NULL) does not use.
 * nf_unregister_net_hook() does not wait for a CPU that already entered
 * the hook: one more grace period after the last removal, so that no
 * fkm_hook() call is running when this returns (module text, kn).
 */
static void detach_unused(struct fkm_net *kn, const struct fkm_table *t)
{
	bool removed = false;
	int i;

	for (i = 0; i < FKM_MAX_ATTACH; i++) {
		struct fkm_attach *a = &kn->att[i];

		if (!a->dev || (t && port_of_dev(t, a->dev) >= 0))
			continue;
		nf_unregister_net_hook(kn->net, &a->ops);
		netdev_put(a->dev, &a->tracker);
		a->dev = NULL;
		removed = true;
	}
	if (removed)
		synchronize_net();
}

int fkm_swap(struct fkm_net *kn, struct fkm_table *t)
{
	struct fkm_table *old;
	int i, err = 0;

	mutex_lock(&kn->lock);
	for (i = 0; t && i < FKM_MAX_PORTS && !err; i++)
		if (t->port[i].dev)
			err = attach(kn, t->port[i].dev);
	old = rcu_dereference_protected(kn->tab, lockdep_is_held(&kn->lock));
	if (err) {
		detach_unused(kn, old);
		mutex_unlock(&kn->lock);
		fkm_table_free(t);
		return err;
	}
	if (!t && !old)
		err = -ENOENT;
	rcu_assign_pointer(kn->tab, t);
	synchronize_net(); /* no hook sees @old any more */
	detach_unused(kn, t);
	mutex_unlock(&kn->lock);
	fkm_table_free(old);
	return err;
}

int fkm_read_stats(struct fkm_net *kn, struct fkm_stats *sum, u32 *nroutes,
		   u32 *nports)
{
	struct fkm_table *t;
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	mutex_lock(&kn->lock); /* the table cannot be freed meanwhile */
	t = rcu_dereference_protected(kn->tab, lockdep_is_held(&kn->lock));
	if (!t) {
		mutex_unlock(&kn->lock);
		return -ENOENT;
	}
	for_each_possible_cpu(cpu) {
		const struct fkm_stats *s = per_cpu_ptr(t->stats, cpu);

		sum->rx += READ_ONCE(s->rx);
		sum->tx_err += READ_ONCE(s->tx_err);
		for (i = 0; i < FWD_REASON_MAX; i++)
			sum->reason[i] += READ_ONCE(s->reason[i]);
	}
	*nroutes = t->nroutes;
	*nports = t->nports;
	mutex_unlock(&kn->lock);
	return 0;
}

/*
 * A port's interface is going away (deleted, moved to another netns, or
 * replayed by unregister_netdevice_notifier() at module unload): detach
 * the whole table of that namespace so the interface can be freed.
 */
static int fkm_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct fkm_net *kn;
	bool used;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	kn = fkm_net(dev_net(dev));
	mutex_lock(&kn->lock);
	used = find_attach(kn, dev) != NULL;
	mutex_unlock(&kn->lock);
	if (used) {
		pr_info("fwd_kmod: %s is going away: table detached\n", dev->name);
		fkm_swap(kn, NULL);
	}
	return NOTIFY_DONE;
}

static struct notifier_block fkm_netdev_nb = {
	.notifier_call = fkm_netdev_event,
};

static int __net_init fkm_net_init(struct net *net)
{
	struct fkm_net *kn = fkm_net(net);

	mutex_init(&kn->lock);
	RCU_INIT_POINTER(kn->tab, NULL);
	kn->net = net;
	return 0;
}

static void __net_exit fkm_net_exit(struct net *net)
{
	struct fkm_net *kn = fkm_net(net);

	fkm_swap(kn, NULL); /* normally already done by NETDEV_UNREGISTER */
	mutex_destroy(&kn->lock);
}

static struct pernet_operations fkm_net_ops = {
	.init = fkm_net_init,
	.exit = fkm_net_exit,
	.id = &fkm_net_id,
	.size = sizeof(struct fkm_net),
};

static int __init fkm_init(void)
{
	int err;

	err = register_pernet_subsys(&fkm_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&fkm_netdev_nb);
	if (err)
		goto err_pernet;
	err = fkm_nl_init();
	if (err)
		goto err_notifier;
	pr_info("fwd_kmod: loaded (generic netlink family %s)\n", FKM_GENL_NAME);
	return 0;
err_notifier:
	unregister_netdevice_notifier(&fkm_netdev_nb);
err_pernet:
	unregister_pernet_subsys(&fkm_net_ops);
	return err;
}

/*
 * Unload while traffic flows: no new tables (family gone), then the
 * notifier's unregister replays NETDEV_UNREGISTER for every interface,
 * which detaches every table (hooks unregistered, synchronize_net, free);
 * the pernet exit catches anything left.
 */
static void __exit fkm_exit(void)
{
	fkm_nl_exit();
	unregister_netdevice_notifier(&fkm_netdev_nb);
	unregister_pernet_subsys(&fkm_net_ops);
	pr_info("fwd_kmod: unloaded\n");
}

module_init(fkm_init);
module_exit(fkm_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("fwdlab");
MODULE_DESCRIPTION("fwdlab IPv4 L3 forwarder: netfilter ingress hook + shared core");
MODULE_ALIAS_GENL_FAMILY(FKM_GENL_NAME);
