"""topology.py - the veth testbed: three network namespaces and the route
file every path loads.

    <p>-gen            <p>-dut                    <p>-snk
    <p>-g0  ======  <p>-d0 (port 0) | <p>-d1 (port 1)  ======  <p>-s0
    <p>-gc  ================ ceiling link =================  <p>-sc

Addresses come from the RFC 2544 benchmarking range 198.18.0.0/15
(RFC 2544 App. C, RFC 5735): 198.18.0.0/24 on the generator side,
198.18.1.0/24 on the sink side; traffic goes to 198.19.0.0/16, routed via
the sink's address. MACs are fixed and locally administered (02:46:4c =
"FL"). IPv6 is disabled on every interface (no router solicitations or DAD
frames in the counters). Neighbours are static in all three namespaces.

The ceiling link joins the generator and the sink directly (no forwarder):
see docs/methodology.md, "The ceiling".
"""
import os
import re

from util import HarnessError, run, sh

PREFIX_RE = re.compile(r"^[a-z][a-z0-9]{0,5}$")

# name suffix -> (namespace role, MAC, address/len or None)
IFACES = {
    "g0": ("gen", "02:46:4c:00:00:01", "198.18.0.2/24"),
    "d0": ("dut", "02:46:4c:00:00:02", "198.18.0.1/24"),
    "d1": ("dut", "02:46:4c:00:00:03", "198.18.1.1/24"),
    "s0": ("snk", "02:46:4c:00:00:04", "198.18.1.2/24"),
    "gc": ("gen", "02:46:4c:00:00:05", None),
    "sc": ("snk", "02:46:4c:00:00:06", None),
}
PAIRS = [("g0", "d0"), ("d1", "s0"), ("gc", "sc")]
TRAFFIC_DST = "198.19.0.0/16"
SRC_ADDR = "198.18.0.2"


def check_prefix(prefix):
    """Raise HarnessError unless prefix is a letter then up to 5 of [a-z0-9].

    Six characters keep every interface name ('<prefix>-g0') far below
    IFNAMSIZ and, more tightly, keep the threaded-NAPI kthread names
    ('napi/<prefix>-d0-<id>', cut to 15 characters by the kernel)
    distinguishable per interface.
    """
    if not PREFIX_RE.match(prefix or ""):
        raise HarnessError(f"bad run prefix '{prefix}': need a lower-case letter "
                           "then up to 5 of [a-z0-9]")


class Topology:
    """Names, addresses and lifetime of one run's testbed."""

    def __init__(self, prefix):
        check_prefix(prefix)
        self.prefix = prefix
        self.ns = {r: f"{prefix}-{r}" for r in ("gen", "dut", "snk")}

    def ifname(self, suffix):
        return f"{self.prefix}-{suffix}"

    def ns_of(self, suffix):
        return self.ns[IFACES[suffix][0]]

    def mac(self, suffix):
        return IFACES[suffix][1]

    def addr(self, suffix):
        a = IFACES[suffix][2]
        return a.split("/")[0] if a else None

    def describe(self):
        """The topology as recorded in run.json."""
        return {
            "prefix": self.prefix,
            "namespaces": self.ns,
            "interfaces": {self.ifname(s): {"netns": self.ns_of(s), "mac": m,
                                            "addr": a}
                           for s, (_, m, a) in IFACES.items()},
            "veth_pairs": [[self.ifname(a), self.ifname(b)] for a, b in PAIRS],
            "dut_ports": {"0": self.ifname("d0"), "1": self.ifname("d1")},
            "traffic_dst": TRAFFIC_DST,
            "traffic_src": SRC_ADDR,
            "next_hop": self.addr("s0"),
        }

    def routes_conf(self):
        """The route file (grammar: paths/lib/fwd_routes.h, docs/formats.md)."""
        d0, d1 = IFACES["d0"], IFACES["d1"]
        return "\n".join([
            f"# fwdlab testbed {self.prefix}: gen -> port 0, port 1 -> sink",
            f"port 0 name {self.ifname('d0')} mac {d0[1]} addr {d0[2]}",
            f"port 1 name {self.ifname('d1')} mac {d1[1]} addr {d1[2]}",
            f"neigh {self.addr('g0')} mac {self.mac('g0')} port 0",
            f"neigh {self.addr('s0')} mac {self.mac('s0')} port 1",
            f"route {TRAFFIC_DST} via {self.addr('s0')}",
            ""])

    def write_routes(self, path):
        with open(path, "w") as f:
            f.write(self.routes_conf())
        return path

    def up(self, state):
        """Create namespaces and veths (recorded in state before use)."""
        for role, ns in self.ns.items():
            if os.path.exists(f"/run/netns/{ns}"):
                raise HarnessError(f"namespace {ns} already exists: another run "
                                   f"with prefix {self.prefix}? (fwdlab cleanup "
                                   f"--prefix {self.prefix})")
        for ns in self.ns.values():
            state.add("netns", ns)
            run(["ip", "netns", "add", ns])
            # Before any interface exists so that none gets an IPv6 address.
            sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
               "net.ipv6.conf.default.disable_ipv6=1 && ip link set lo up", ns=ns)
        for a, b in PAIRS:
            run(["ip", "link", "add", self.ifname(a), "netns", self.ns_of(a),
                 "type", "veth", "peer", "name", self.ifname(b),
                 "netns", self.ns_of(b)])
        for s, (role, mac, addr) in IFACES.items():
            ns, ifn = self.ns[role], self.ifname(s)
            cmds = [f"ip link set {ifn} address {mac}"]
            if addr:
                cmds.append(f"ip addr add {addr} dev {ifn}")
            cmds.append(f"ip link set {ifn} up")
            sh(" && ".join(cmds), ns=ns)
        # Static neighbours on both sides of each link: no ARP during trials.
        neigh = [("g0", "d0"), ("d0", "g0"), ("d1", "s0"), ("s0", "d1")]
        for here, there in neigh:
            run(["ip", "neigh", "replace", self.addr(there), "lladdr",
                 self.mac(there), "nud", "permanent", "dev", self.ifname(here)],
                ns=self.ns_of(here))
        # The generator's own stack (if it ever sends) routes via the DUT.
        run(["ip", "route", "add", TRAFFIC_DST, "via", self.addr("d0")],
            ns=self.ns["gen"])
        # NAPI on every veth that receives XDP-redirected frames (MACHINE.md:
        # the peer of a redirect's egress veth needs NAPI or frames vanish).
        for s in ("d0", "s0", "sc"):
            run(["ethtool", "-K", self.ifname(s), "gro", "on"], ns=self.ns_of(s))

    def down(self, state):
        """Delete the namespaces (and with them every veth and XDP program)."""
        from state import teardown
        return teardown(state)
