"""counters.py - veth drop counters (`ethtool -S` plus the netdev
statistics in sysfs), read before and after each trial so that frames the
testbed itself lost are reported apart from the DUT's loss (MACHINE.md:
a redirect into a veth whose peer has no NAPI, or a full 256-entry ring,
drops frames that appear nowhere else).

Link loss between A (sender) and B (receiver) =
    delta(A tx_dropped)          frames veth_xmit / ndo_xdp_xmit could not
                                 queue into B (ring full, no NAPI): includes
                                 ethtool's tx_queue_0_xdp_xmit_errors
  + delta(B rx_queue_0_drops)    frames B's NAPI dropped on its ring.
"""
from util import sh


def read(topo, suffixes):
    """{suffix: {counter: int}} for the given interfaces, one `ip netns
    exec` per namespace."""
    by_ns = {}
    for s in suffixes:
        by_ns.setdefault(topo.ns_of(s), []).append(s)
    out = {}
    for ns, group in by_ns.items():
        script = []
        for s in group:
            ifn = topo.ifname(s)
            script.append(f"echo '== {s}'; ethtool -S {ifn}; "
                          f"for f in rx_packets tx_packets rx_dropped tx_dropped; do "
                          f"echo \"sys_$f: $(cat /sys/class/net/{ifn}/statistics/$f)\"; done")
        text = sh("; ".join(script), ns=ns)
        cur = None
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("== "):
                cur = line[3:]
                out[cur] = {}
            elif cur and ":" in line:
                k, v = line.split(":", 1)
                v = v.strip()
                if v.lstrip("-").isdigit():
                    out[cur][k.strip()] = int(v)
    return out


def delta(before, after):
    """after - before, per interface and counter."""
    return {s: {k: v - before.get(s, {}).get(k, 0) for k, v in c.items()}
            for s, c in after.items()}


def link_loss(d, sender, receiver):
    """Frames lost on the veth link sender -> receiver during the trial."""
    return (d.get(sender, {}).get("sys_tx_dropped", 0) +
            d.get(receiver, {}).get("rx_queue_0_drops", 0))
