"""linux_router.py - turn the DUT namespace of a veth topology into the
linux baseline: the kernel's own ip_forward with the routes of a route file
(README.md here).

The topology itself (namespaces, one veth pair per port, the DUT ends named
and MAC-addressed as the route file says, IPv6 off) is paths/socket's
socktopo.Topo, reused as is; this module only adds what makes the kernel a
router with exactly the route file's table:

  - forwarding on; rp_filter off (a frame's source need not route back
    through its ingress port); ICMP redirects off (a hairpinned datagram
    would otherwise trigger one: net.ipv4.conf.{all,default,IF}.send_redirects=0);
  - each port's address (the connected subnet route comes with it);
  - each neighbour as a permanent entry (`ip neigh replace ... nud permanent`):
    no ARP for a next hop the route file names;
  - each route (`ip route replace PREFIX via NH`).
Egress MTU: every veth gets the topology's large MTU (so that jumbo frames
reach the DUT whatever their ingress port), and each port's MTU from the
route file becomes the `mtu` metric of every route leaving through it
(connected subnet routes are replaced with the same route plus the metric).
The kernel honours a route's MTU metric when forwarding
(ip_dst_mtu_maybe_forward(): "forwarding = true case should always honour
route mtu"), so the MTU check sees the route file's value.
"""
import ipaddress

import socktopo


def port_net(port):
    """The port's interface (ipaddress.IPv4Interface)."""
    return ipaddress.IPv4Interface(port.addr)


def egress_port(ports, via):
    """The port whose connected subnet holds next hop via (longest prefix),
    or None."""
    ip = ipaddress.IPv4Address(via)
    best = None
    for p in ports.values():
        net = port_net(p).network
        if ip in net and (best is None or net.prefixlen > port_net(best).network.prefixlen):
            best = p
    return best


def router_script(ports, neighs, routes):
    """(sysctl settings [(key, value)], `ip -batch` lines) for the DUT.

    Raises ValueError for a next hop outside every connected subnet (the
    route file parser refuses those too)."""
    sysctls = [("net.ipv4.ip_forward", 1),
               ("net.ipv4.conf.all.rp_filter", 0),
               ("net.ipv4.conf.default.rp_filter", 0),
               ("net.ipv4.conf.all.send_redirects", 0),
               ("net.ipv4.conf.default.send_redirects", 0)]
    lines = []
    for n, p in sorted(ports.items()):
        sysctls += [("net.ipv4.conf.%s.rp_filter" % p.name, 0),
                    ("net.ipv4.conf.%s.send_redirects" % p.name, 0)]
        ifa = port_net(p)
        lines.append("addr add %s dev %s" % (ifa.with_prefixlen, p.name))
        if ifa.network.prefixlen < 32:
            lines.append("route replace %s dev %s proto kernel scope link src %s mtu %d"
                         % (ifa.network, p.name, ifa.ip, p.mtu))
    for ip, mac, num in neighs:
        lines.append("neigh replace %s lladdr %s nud permanent dev %s"
                     % (ip, mac, ports[num].name))
    for prefix, via in routes:
        p = egress_port(ports, via)
        if p is None:
            raise ValueError("route %s via %s: next hop outside every port's subnet"
                             % (prefix, via))
        lines.append("route replace %s via %s dev %s mtu %d" % (prefix, via, p.name, p.mtu))
    return sysctls, lines


def configure(topo, ports, neighs, routes):
    """Make topo's DUT namespace the kernel router of the route file."""
    ns = topo.ns["dut"]
    sysctls, lines = router_script(ports, neighs, routes)
    socktopo.run(topo.exec_cmd("dut", ["sysctl", "-q", "-w"] +
                               ["%s=%s" % kv for kv in sysctls]))
    socktopo.run(["ip", "-n", ns, "-batch", "-"], input="\n".join(lines) + "\n")


def addresses(ports):
    """The router's own IPv4 addresses (bytes, network order)."""
    return {port_net(p).ip.packed for p in ports.values()}
