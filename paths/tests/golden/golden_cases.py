"""The golden cases: each is a router (ports, neighbours, routes), an ingress
port and a list of frames, every frame written next to the verdict its author
expects. gen_golden.py checks each declared verdict against golden_model's
Python version of the forwarding table and derives the egress port and MACs
from the router definition; nothing here runs the C core.

Addresses come from the RFC 2544 benchmarking range 198.18.0.0/15 where the
case allows it. To add a case: write a function returning a Case, append it
to CASES, run the regeneration (README.md).
"""
import random

from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Dot1Q

from golden_frames import (BCAST_MAC, OTHER_MAC, PORT0_MAC, SENDER_MAC, arp,
                           bad_checksum, ipv4, ipv6, patch,
                           raw_ethertype, set_ip, vlan, with_checksum,
                           with_options)
from golden_model import Port, Router, mac

PORT1_MAC = "02:00:00:00:01:10"
PORT2_MAC = "02:00:00:00:02:10"
N1_MAC = "02:0b:00:00:01:02"   # 198.18.1.2, neighbour on port 1
N1B_MAC = "02:0b:00:00:01:03"  # 198.18.1.3
N2_MAC = "02:0b:00:00:02:02"   # 198.18.2.2, neighbour on port 2
N0B_MAC = "02:0a:00:00:00:03"  # 198.18.0.3, a second neighbour on port 0

# IPv4 options (RFC 791 3.1): NOP, EOL, Record Route with room for 1..9 hops
OPT_NOP4 = b"\x01\x01\x01\x00"


def opt_rr(hops):
    """Record Route with room for `hops` addresses, padded with EOL."""
    return bytes([7, 3 + 4 * hops, 4]) + b"\0" * (4 * hops) + b"\0"


class Case:
    """name: directory name; about: one line for README and expect.json."""

    def __init__(self, name, about, router, in_port=0):
        self.name, self.about, self.router, self.in_port = name, about, router, in_port
        self.frames = []  # (bytes, expected reason, note, port, neighbour MAC)

    def add(self, frame, expect, note, port=None, nh=None):
        """Declare one input frame and its expected verdict reason; for
        "forward" optionally the egress port and next-hop MAC expected."""
        self.frames.append((frame, expect, note, port, nh and mac(nh)))
        return self


def ports3(mtu1=None, mtu2=None):
    return [Port(0, "p0", PORT0_MAC, "198.18.0.1/24"),
            Port(1, "p1", PORT1_MAC, "198.18.1.1/24", mtu1),
            Port(2, "p2", PORT2_MAC, "198.18.2.1/24", mtu2)]


NEIGHS = [("198.18.0.2", SENDER_MAC, 0), ("198.18.1.2", N1_MAC, 1),
          ("198.18.2.2", N2_MAC, 2)]
BENCH_ROUTE = ("198.19.0.0/16", "198.18.1.2")


def std_router(routes=(BENCH_ROUTE,), neighs=NEIGHS, comment="", **kw):
    return Router(ports3(**kw), neighs, routes, comment)


# --------------------------------------------------------------- forwarding

def case_forward():
    c = Case("forward", "plain forwarding: UDP/TCP/ICMP/other protocols, "
             "frame sizes 60..1514, TOS and DF kept, TTL 255/64/3",
             std_router())
    for i, (size, l4) in enumerate([(60, "udp"), (64, "udp"), (98, "icmp"),
                                    (128, "tcp"), (256, "raw"), (512, "udp"),
                                    (1024, "tcp"), (1280, "udp"), (1514, "udp")]):
        c.add(ipv4(size=size, l4=l4, seed=i, ident=i), "forward",
              "%s %d B via route 198.19/16" % (l4, size), port=1, nh=N1_MAC)
    c.add(ipv4(dst="198.18.2.2", tos=0xb8, seed=20), "forward",
          "TOS 0xb8 to a connected neighbour", port=2, nh=N2_MAC)
    c.add(ipv4(dst="198.18.1.2", flags="DF", ttl=255, seed=21), "forward",
          "DF, TTL 255 to a connected neighbour", port=1, nh=N1_MAC)
    c.add(ipv4(dst="198.19.255.255", ttl=3, l4="tcp", seed=22), "forward",
          "TTL 3, last address of the route", port=1, nh=N1_MAC)
    c.add(ipv4(src="203.0.113.7", dst="198.19.0.0", seed=23), "forward",
          "foreign source, first address of the route", port=1, nh=N1_MAC)
    return c


def case_lpm():
    r = std_router(
        routes=[("198.19.0.0/16", "198.18.1.2"), ("198.19.5.0/24", "198.18.2.2"),
                ("198.19.5.128/25", "198.18.1.3"), ("198.19.5.200/32", "198.18.2.2"),
                ("198.20.0.0/15", "198.18.2.2"), ("198.18.1.77/32", "198.18.2.2"),
                ("198.18.1.3/32", "198.18.2.2")],
        neighs=NEIGHS + [("198.18.1.3", N1B_MAC, 1)],
        comment="nested routes /15 /16 /24 /25 /32; /32 routes inside a "
                "connected subnet, one of them over a neighbour's own address")
    c = Case("lpm", "longest prefix wins: nested /16 /24 /25 /32 routes and "
             "their boundaries, routes inside a connected subnet (also over a "
             "neighbour's address), no route outside them", r)
    for i, (dst, port, nh, why) in enumerate([
            ("198.19.0.1", 1, N1_MAC, "/16"),
            ("198.19.4.255", 1, N1_MAC, "/16 just below the /24"),
            ("198.19.5.0", 2, N2_MAC, "/24 first address"),
            ("198.19.5.127", 2, N2_MAC, "/24 just below the /25"),
            ("198.19.5.128", 1, N1B_MAC, "/25 first address"),
            ("198.19.5.199", 1, N1B_MAC, "/25 just below the /32"),
            ("198.19.5.200", 2, N2_MAC, "/32 inside the /25"),
            ("198.19.5.201", 1, N1B_MAC, "/25 just above the /32"),
            ("198.19.5.255", 1, N1B_MAC, "/25 last address"),
            ("198.19.6.0", 1, N1_MAC, "/16 just above the /24"),
            ("198.19.255.255", 1, N1_MAC, "/16 last address"),
            ("198.20.0.0", 2, N2_MAC, "/15 first address"),
            ("198.21.255.255", 2, N2_MAC, "/15 last address"),
            ("198.18.1.77", 2, N2_MAC, "/32 route inside port 1's subnet"),
            ("198.18.1.3", 2, N2_MAC, "/32 route beats the neighbour's own /32"),
            ("198.18.1.2", 1, N1_MAC, "connected neighbour")]):
        c.add(ipv4(dst=dst, seed=i), "forward", why, port=port, nh=nh)
    c.add(ipv4(dst="198.18.1.78", seed=30), "no-neigh",
          "connected subnet, no neighbour")
    c.add(ipv4(dst="198.22.0.0", seed=31), "no-route", "just above the /15")
    c.add(ipv4(dst="198.17.255.255", seed=32), "no-route", "just below 198.18/15")
    return c


def case_default_route():
    r = std_router(routes=[BENCH_ROUTE, ("0.0.0.0/0", "198.18.2.2")],
                   comment="a default route via port 2")
    c = Case("default-route", "0.0.0.0/0 catches every destination no longer "
             "prefix matches; connected subnets and routes still win", r)
    for i, dst in enumerate(["8.8.8.8", "1.0.0.0", "10.0.0.1", "100.64.0.1",
                             "192.168.1.1", "198.20.0.1", "223.255.255.255",
                             "126.255.255.255", "128.0.0.0"]):
        c.add(ipv4(dst=dst, seed=i), "forward", "default route", port=2, nh=N2_MAC)
    c.add(ipv4(dst="198.19.1.1", seed=10), "forward", "route beats default",
          port=1, nh=N1_MAC)
    c.add(ipv4(dst="198.18.1.2", seed=11), "forward",
          "connected neighbour beats default", port=1, nh=N1_MAC)
    c.add(ipv4(dst="198.18.1.9", seed=12), "no-neigh",
          "connected subnet without neighbour beats default")
    return c


def case_no_route():
    c = Case("no-route", "a table without default route: destinations outside "
             "every route and subnet are punted no-route (after ttl and options)",
             std_router())
    for i, dst in enumerate(["198.20.0.1", "8.8.8.8", "1.1.1.1",
                             "223.255.255.255", "198.17.255.255", "198.18.3.1"]):
        c.add(ipv4(dst=dst, seed=i), "no-route", "no route to " + dst)
    c.add(ipv4(dst="198.19.0.1", seed=9), "forward", "control: routed",
          port=1, nh=N1_MAC)
    c.add(ipv4(dst="8.8.8.8", ttl=1, seed=10), "ttl", "no route, TTL 1: ttl first")
    c.add(with_options(ipv4(dst="8.8.8.8", seed=11), OPT_NOP4), "options",
          "no route, options: options first")
    return c


def case_no_neigh():
    r = std_router(routes=[("198.19.0.0/16", "198.18.1.50"),
                           ("198.20.0.0/16", "198.18.2.2")],
                   neighs=[("198.18.0.2", SENDER_MAC, 0), ("198.18.2.2", N2_MAC, 2)],
                   comment="198.19/16 via 198.18.1.50 which has no neigh line; "
                           "port 1 has no neighbour at all")
    c = Case("no-neigh", "next hop without MAC: a route via a gateway with no "
             "neigh line, and connected destinations without neighbour", r)
    c.add(ipv4(dst="198.19.0.1", seed=0), "no-neigh", "route via 198.18.1.50, no neigh")
    c.add(ipv4(dst="198.19.200.7", l4="tcp", seed=1), "no-neigh", "same route, TCP")
    c.add(ipv4(dst="198.18.1.50", seed=2), "no-neigh", "the gateway itself (connected)")
    c.add(ipv4(dst="198.18.1.9", seed=3), "no-neigh", "connected, port 1")
    c.add(ipv4(dst="198.18.2.9", seed=4), "no-neigh", "connected, port 2")
    c.add(ipv4(dst="198.18.0.77", seed=5), "no-neigh", "connected, ingress port")
    c.add(ipv4(dst="198.20.0.1", seed=6), "forward", "control: gateway with neigh",
          port=2, nh=N2_MAC)
    c.add(ipv4(dst="198.19.0.1", ttl=1, seed=7), "ttl", "no neigh, TTL 1: ttl first")
    c.add(with_options(ipv4(dst="198.19.0.1", seed=8), OPT_NOP4), "options",
          "no neigh, options: options first")
    c.add(ipv4(dst="198.19.0.1", size=1514, seed=9), "no-neigh",
          "no neigh, full-size frame")
    return c


def case_hairpin():
    r = std_router(routes=[BENCH_ROUTE, ("198.20.0.0/16", "198.18.0.3")],
                   neighs=NEIGHS + [("198.18.0.3", N0B_MAC, 0)],
                   comment="198.20/16 via a second neighbour on the ingress port")
    c = Case("hairpin", "egress port = ingress port: forwarded back out of "
             "port 0 with port 0's MAC as source", r)
    c.add(ipv4(dst="198.20.0.1", seed=0), "forward", "route via a port-0 gateway",
          port=0, nh=N0B_MAC)
    c.add(ipv4(dst="198.18.0.3", seed=1), "forward", "connected neighbour on port 0",
          port=0, nh=N0B_MAC)
    c.add(ipv4(src="198.18.0.3", dst="198.18.0.2", seed=2), "forward",
          "back to the sender's own address", port=0, nh=SENDER_MAC)
    c.add(ipv4(dst="198.20.9.9", ttl=2, size=1514, seed=3), "forward",
          "TTL 2, full size", port=0, nh=N0B_MAC)
    c.add(ipv4(dst="198.18.0.9", seed=4), "no-neigh", "port 0 subnet, no neighbour")
    c.add(ipv4(dst="198.19.0.1", seed=5), "forward", "control: out of port 1",
          port=1, nh=N1_MAC)
    return c


def case_in_port():
    c = Case("ingress-port-1", "ingress on port 1: the L2 check uses port 1's "
             "MAC; hairpin on port 1", std_router(
                 routes=[("198.19.0.0/16", "198.18.2.2"), ("198.20.0.0/16", "198.18.1.2")]),
             in_port=1)
    c.add(ipv4(dmac=PORT1_MAC, src="198.18.1.2", dst="198.19.0.1", seed=0),
          "forward", "to port 2", port=2, nh=N2_MAC)
    c.add(ipv4(dmac=PORT1_MAC, src="198.18.1.2", dst="198.18.0.2", seed=1),
          "forward", "to port 0's neighbour", port=0, nh=SENDER_MAC)
    c.add(ipv4(dmac=PORT1_MAC, src="198.18.2.2", dst="198.20.0.1", seed=2),
          "forward", "hairpin on port 1", port=1, nh=N1_MAC)
    c.add(ipv4(dmac=PORT0_MAC, dst="198.19.0.1", seed=3), "not-for-us",
          "port 0's MAC is not the ingress port's")
    c.add(ipv4(dmac=PORT1_MAC, dst="198.18.1.1", seed=4), "local",
          "ingress port's own address")
    c.add(ipv4(dmac=PORT1_MAC, dst="198.18.0.1", seed=5), "local",
          "another port's address")
    c.add(arp(2, PORT1_MAC, sender="198.18.1.2", target="198.18.1.1"), "not-ipv4",
          "ARP reply to port 1")
    return c


# ---------------------------------------------------------------------- TTL

def case_ttl():
    r = std_router(routes=[BENCH_ROUTE, ("198.20.0.0/16", "198.18.0.2")])
    c = Case("ttl", "TTL 255/64/3/2 forwarded (minus one), TTL 1 and 0 punted; "
             "local, martian and malformed are checked before TTL", r)
    for i, ttl in enumerate([255, 64, 3, 2]):
        c.add(ipv4(ttl=ttl, seed=i), "forward", "TTL %d" % ttl, port=1, nh=N1_MAC)
    c.add(ipv4(ttl=2, dst="198.20.0.1", seed=4), "forward", "TTL 2 hairpin",
          port=0, nh=SENDER_MAC)
    c.add(ipv4(ttl=2, dst="198.18.2.2", l4="tcp", seed=5), "forward",
          "TTL 2 connected", port=2, nh=N2_MAC)
    for i, ttl in enumerate([1, 0]):
        c.add(ipv4(ttl=ttl, seed=10 + i), "ttl", "TTL %d" % ttl)
        c.add(ipv4(ttl=ttl, dst="198.18.2.2", seed=12 + i), "ttl",
              "TTL %d to a connected neighbour" % ttl)
        c.add(ipv4(ttl=ttl, dst="198.30.0.1", seed=14 + i), "ttl",
              "TTL %d, no route" % ttl)
        c.add(ipv4(ttl=ttl, dst="198.18.0.1", seed=16 + i), "local",
              "TTL %d to the router: local first" % ttl)
        c.add(ipv4(ttl=ttl, src="127.0.0.1", seed=18 + i), "martian",
              "TTL %d, martian source: martian first" % ttl)
        c.add(bad_checksum(ipv4(ttl=ttl, seed=20 + i)), "malformed",
              "TTL %d, bad checksum: malformed first" % ttl)
    c.add(with_options(ipv4(ttl=1, seed=22), OPT_NOP4), "ttl",
          "TTL 1 with options: ttl first")
    return c


# ----------------------------------------------------------------- checksum

def case_checksum_edges():
    c = Case("checksum-edges", "RFC 1624 eqn. 3 incremental update equals a "
             "full recomputation where it crosses 0x0000/0xFFFF: input fields "
             "0x0000, 0xFFFF (the valid -0 form), 0xFEFF (result 0x0000 where "
             "eqn. 2 gives 0xFFFF), 0xFF00.., plus invalid checksums",
             std_router())
    for i, target in enumerate([0x0000, 0xFFFF, 0xFEFF, 0xFF00, 0xFF01, 0xFFFE,
                                0xFFFD, 0xFEFE, 0x00FF, 0x0001, 0x0100, 0x01FF,
                                0x7FFF, 0x8000, 0x80FF, 0xFEFF]):
        l4 = "tcp" if i % 3 == 1 else "udp"
        c.add(with_checksum(ipv4(seed=i, l4=l4), target), "forward",
              "checksum field 0x%04x, TTL 64" % target, port=1, nh=N1_MAC)
    for i, target in enumerate([0x0000, 0xFFFF, 0xFEFF, 0xFFFE]):
        c.add(with_checksum(ipv4(ttl=2, seed=30 + i), target), "forward",
              "checksum field 0x%04x, TTL 2" % target, port=1, nh=N1_MAC)
        c.add(with_checksum(ipv4(ttl=255, seed=40 + i, dst="198.18.2.2"), target),
              "forward", "checksum field 0x%04x, TTL 255" % target, port=2, nh=N2_MAC)
    c.add(with_checksum(ipv4(ttl=1, seed=50), 0xFFFF), "ttl",
          "valid 0xFFFF field, TTL 1: punted unmodified")
    good = ipv4(seed=51)
    c.add(bad_checksum(good, 1), "malformed", "checksum off by +1")
    c.add(bad_checksum(good, -1), "malformed", "checksum off by -1")
    c.add(bad_checksum(good, 0x100), "malformed", "checksum off by 0x100 (TTL already decremented?)")
    c.add(set_ip(good, 10, b"\0\0", fix=False), "malformed", "checksum field zeroed")
    c.add(set_ip(with_checksum(ipv4(seed=52), 0x1234), 10, b"\xff\xff", fix=False),
          "malformed", "0xFFFF where the checksum is 0x1234")
    c.add(set_ip(with_checksum(ipv4(seed=53), 0xFFFF), 8, b"\x3f", fix=False),
          "malformed", "TTL decremented without checksum update")
    return c


# ---------------------------------------------------------------- malformed

def case_malformed():
    c = Case("malformed", "RFC 1812 5.2.2: version != 4, IHL < 5, bad checksum, "
             "total length < IHL*4 or > frame - 14; malformed wins over every "
             "later check", std_router(routes=[BENCH_ROUTE, ("0.0.0.0/0", "198.18.2.2")]))
    good = ipv4(seed=1)
    for v in (0, 5, 6, 15):
        c.add(set_ip(good, 0, bytes([v << 4 | 5])), "malformed", "version %d" % v)
    for ihl in (0, 1, 4):
        c.add(set_ip(good, 0, bytes([0x40 | ihl]), fix=False), "malformed", "IHL %d" % ihl)
    c.add(bad_checksum(good), "malformed", "bad header checksum")
    c.add(set_ip(good, 2, b"\x00\x00"), "malformed", "total length 0")
    c.add(set_ip(good, 2, b"\x00\x13"), "malformed", "total length 19 < 20")
    c.add(set_ip(with_options(good, opt_rr(1)), 2, b"\x00\x14"), "malformed",
          "IHL 7, total length 20 < 28")
    c.add(set_ip(good, 2, b"\x00\x2f"), "malformed", "total length 47 > frame - 14 = 46")
    c.add(set_ip(good, 2, b"\xff\xff"), "malformed", "total length 65535")
    c.add(set_ip(good, 2, b"\x00\x2e"), "forward", "control: total length 46 = frame - 14",
          port=1, nh=N1_MAC)
    c.add(set_ip(ipv4(seed=2, dmac=OTHER_MAC), 0, b"\x65"), "malformed",
          "version 6 and not for us: malformed first")
    c.add(bad_checksum(ipv4(seed=3, dmac=BCAST_MAC)), "malformed",
          "bad checksum to broadcast: malformed first")
    c.add(bad_checksum(ipv4(seed=4, src="0.0.0.0")), "malformed",
          "bad checksum and martian: malformed first")
    c.add(bad_checksum(ipv4(seed=5, dst="198.18.0.1")), "malformed",
          "bad checksum to the router: malformed first")
    c.add(set_ip(ipv4(seed=6, ttl=0), 0, b"\x44", fix=False), "malformed",
          "IHL 4 and TTL 0: malformed first")
    return c


def case_truncated():
    c = Case("truncated", "frames shorter than 14 + 20 bytes (any ethertype) "
             "and IPv4 total length beyond the frame: malformed; a 34-byte "
             "frame is enough", std_router())
    good = ipv4(seed=1, size=60)
    for n in (14, 20, 33):
        c.add(good[:n], "malformed", "IPv4 frame cut to %d bytes" % n)
    c.add(arp(1, BCAST_MAC)[:33], "malformed", "ARP cut to 33 bytes")
    c.add(ipv6(PORT0_MAC)[:33], "malformed", "IPv6 cut to 33 bytes")
    c.add(ipv4(size=34, l4="raw", seed=2), "forward",
          "34 bytes: IPv4 header, no payload", port=1, nh=N1_MAC)
    c.add(ipv4(size=35, l4="raw", seed=3)[:34], "malformed",
          "total length 21 in a 34-byte frame")
    c.add(ipv4(size=1514, seed=4)[:100], "malformed", "1514-byte frame cut to 100")
    c.add(ipv4(size=1514, seed=5)[:1513], "malformed", "1514-byte frame cut to 1513")
    c.add(ipv4(size=1514, seed=6), "forward", "control: 1514 bytes complete",
          port=1, nh=N1_MAC)
    c.add(with_options(ipv4(size=60, seed=7), opt_rr(9))[:60], "malformed",
          "IHL 15 header cut: total length > frame")
    return c


def case_runt():
    c = Case("runt", "frames shorter than the 14-byte Ethernet header (some "
             "datapaths cannot even inject these: kept in their own case)",
             std_router())
    good = ipv4(seed=1)
    for n in (1, 6, 12, 13):
        c.add(good[:n], "malformed", "%d bytes" % n)
    c.add(good, "forward", "control: complete frame", port=1, nh=N1_MAC)
    return c


def case_options():
    r = std_router(routes=[BENCH_ROUTE, ("0.0.0.0/0", "198.18.2.2")])
    c = Case("options", "IHL > 5 is punted (options), after local/ttl/martian; "
             "options with a bad checksum or a short total length are malformed", r)
    for i, (opts, why) in enumerate([(OPT_NOP4, "NOP NOP NOP EOL (IHL 6)"),
                                     (opt_rr(1), "Record Route (IHL 7)"),
                                     (opt_rr(2), "Record Route (IHL 8)"),
                                     (opt_rr(9), "Record Route, IHL 15")]):
        c.add(with_options(ipv4(seed=i), opts), "options", why)
    c.add(with_options(ipv4(seed=5, l4="tcp", size=300), opt_rr(3)), "options",
          "TCP, 300 bytes")
    c.add(with_options(ipv4(seed=6, dst="8.8.8.8"), OPT_NOP4), "options",
          "via the default route")
    c.add(bad_checksum(with_options(ipv4(seed=7), OPT_NOP4)), "malformed",
          "options + bad checksum")
    c.add(bad_checksum(with_options(ipv4(seed=8), opt_rr(9)), 0x100), "malformed",
          "IHL 15 + bad checksum")
    c.add(set_ip(with_options(ipv4(seed=9), opt_rr(9)), 2, b"\x00\x30"),
          "malformed", "IHL 15, total length 48 < 60")
    c.add(with_options(ipv4(seed=10, ttl=1), OPT_NOP4), "ttl", "options + TTL 1")
    c.add(with_options(ipv4(seed=11, dst="198.18.0.1"), OPT_NOP4), "local",
          "options to the router")
    c.add(with_options(ipv4(seed=12, dst="224.0.0.5"), opt_rr(1)), "local",
          "options to 224.0.0.5")
    c.add(with_options(ipv4(seed=13, src="169.254.1.1"), OPT_NOP4), "martian",
          "options + martian source")
    c.add(with_options(ipv4(seed=14, dmac=OTHER_MAC), OPT_NOP4), "not-for-us",
          "options, not for us")
    c.add(with_options(ipv4(seed=15, dmac=BCAST_MAC), OPT_NOP4), "l2-multicast",
          "options to L2 broadcast")
    c.add(ipv4(seed=16), "forward", "control: IHL 5", port=1, nh=N1_MAC)
    return c


def case_padding():
    c = Case("padding", "Ethernet padding past the IP total length is kept as "
             "received, forwarded or punted", std_router())
    c.add(ipv4(size=42, seed=1) + b"\0" * 18, "forward",
          "UDP, total length 28, 18 zero bytes of padding", port=1, nh=N1_MAC)
    c.add(ipv4(size=42, seed=2) + bytes(range(0xA0, 0xB2)), "forward",
          "18 non-zero padding bytes", port=1, nh=N1_MAC)
    c.add(ipv4(size=54, l4="tcp", seed=3) + b"\xaa" * 6, "forward",
          "TCP, total length 40, 6 bytes padding", port=1, nh=N1_MAC)
    c.add(ipv4(size=114, seed=4) + b"\x55" * 186, "forward",
          "total length 100 in a 300-byte frame", port=1, nh=N1_MAC)
    c.add(ipv4(size=34, l4="raw", seed=5) + b"\xff" * 26, "forward",
          "bare IPv4 header + 26 bytes 0xff", port=1, nh=N1_MAC)
    c.add(with_checksum(ipv4(size=42, seed=6), 0xFEFF) + b"\x01" * 18, "forward",
          "padding + checksum edge", port=1, nh=N1_MAC)
    c.add(ipv4(size=42, seed=7, ttl=1) + b"\xee" * 18, "ttl",
          "padded frame punted unmodified")
    c.add(ipv4(size=42, seed=8, dst="198.18.0.1") + b"\xdd" * 18, "local",
          "padded frame for the router")
    c.add(ipv4(size=42, seed=9, src="0.0.0.0") + b"\xcc" * 18, "martian",
          "padded martian dropped")
    return c


def case_fragments():
    c = Case("fragments", "fragments are forwarded like any datagram (L4 never "
             "read): first with MF, middle and last with offsets, DF",
             std_router())
    c.add(ipv4(size=1514, flags="MF", frag=0, ident=0x1111, seed=1), "forward",
          "first fragment (MF, offset 0)", port=1, nh=N1_MAC)
    c.add(ipv4(size=1514, l4="raw", flags="MF", frag=185, ident=0x1111, seed=2),
          "forward", "middle fragment (MF, offset 185*8)", port=1, nh=N1_MAC)
    c.add(ipv4(size=200, l4="raw", frag=370, ident=0x1111, seed=3), "forward",
          "last fragment (offset 370*8, no MF)", port=1, nh=N1_MAC)
    c.add(ipv4(size=60, l4="raw", frag=8191, ident=0x2222, seed=4), "forward",
          "largest offset", port=1, nh=N1_MAC)
    c.add(ipv4(size=60, flags="DF", seed=5), "forward", "DF set", port=1, nh=N1_MAC)
    c.add(ipv4(size=60, l4="raw", flags="MF", frag=1, ttl=1, seed=6), "ttl",
          "fragment with TTL 1")
    c.add(ipv4(size=60, l4="raw", frag=3, dst="198.18.0.1", seed=7), "local",
          "fragment for the router")
    c.add(with_options(ipv4(size=60, l4="raw", flags="MF", frag=5, seed=8),
                       OPT_NOP4), "options", "fragment with options")
    return c


# ---------------------------------------------------------------------- L2

def case_not_ipv4():
    c = Case("not-ipv4", "ARP, IPv6, LLDP and other ethertypes are punted "
             "(not-ipv4) before the L2 multicast check; not-for-us first",
             std_router())
    c.add(arp(1, BCAST_MAC), "not-ipv4", "ARP request, broadcast")
    c.add(arp(2, PORT0_MAC), "not-ipv4", "ARP reply to port 0")
    c.add(arp(2, OTHER_MAC), "not-for-us", "ARP reply to another MAC")
    c.add(ipv6(PORT0_MAC), "not-ipv4", "IPv6 to port 0")
    c.add(ipv6("33:33:00:00:00:01", dst="ff02::1"), "not-ipv4", "IPv6 multicast")
    c.add(ipv6(OTHER_MAC), "not-for-us", "IPv6 to another MAC")
    c.add(raw_ethertype(0x88CC, "01:80:c2:00:00:0e"), "not-ipv4", "LLDP")
    c.add(raw_ethertype(0x0801, PORT0_MAC), "not-ipv4", "ethertype 0x0801")
    c.add(raw_ethertype(0x0008, PORT0_MAC), "not-ipv4", "ethertype 0x0008 (byte-swapped IPv4)")
    c.add(raw_ethertype(0x002e, PORT0_MAC), "not-ipv4", "802.3 length field")
    c.add(patch(ipv4(seed=1), 12, b"\x86\xdd"), "not-ipv4",
          "valid IPv4 header behind the IPv6 ethertype")
    c.add(patch(bad_checksum(ipv4(seed=2)), 12, b"\x88\xb5"), "not-ipv4",
          "broken IPv4 header behind another ethertype is never validated")
    return c


def case_vlan():
    c = Case("vlan", "802.1Q, 802.1ad and QinQ tagged frames are punted "
             "(not-ipv4), even with an IPv4 payload", std_router())
    c.add(vlan(0x8100), "not-ipv4", "802.1Q VID 100, IPv4 inside")
    c.add(vlan(0x8100, vid=0), "not-ipv4", "802.1Q priority tag (VID 0)")
    c.add(vlan(0x88A8), "not-ipv4", "802.1ad S-tag, IPv4 inside")
    c.add(vlan(0x88A8, inner=Dot1Q(vlan=7) / IP(src="198.18.0.2", dst="198.19.0.1")
               / UDP(sport=1, dport=9)), "not-ipv4", "QinQ 802.1ad + 802.1Q")
    c.add(vlan(0x8100, dmac=BCAST_MAC), "not-ipv4", "802.1Q to broadcast")
    c.add(vlan(0x8100, dmac=OTHER_MAC), "not-for-us", "802.1Q to another MAC")
    c.add(vlan(0x88A8, dmac=OTHER_MAC), "not-for-us", "802.1ad to another MAC")
    return c


def case_l2_multicast():
    r = std_router(routes=[BENCH_ROUTE, ("0.0.0.0/0", "198.18.2.2")])
    c = Case("l2-multicast", "valid IPv4 to an L2 broadcast or multicast "
             "destination (I/G bit) is punted before any IP check", r)
    for i, (dmac, dst, why) in enumerate([
            (BCAST_MAC, "198.19.0.1", "broadcast MAC, routable destination"),
            (BCAST_MAC, "255.255.255.255", "broadcast MAC, limited broadcast"),
            ("01:00:5e:00:00:01", "224.0.0.1", "IPv4 multicast MAC and group"),
            ("01:00:5e:7f:ff:fa", "239.255.255.250", "SSDP group"),
            ("33:33:00:00:00:01", "198.19.0.1", "IPv6 multicast MAC"),
            ("03:00:00:00:00:10", "198.19.0.1", "I/G bit only"),
            ("01:00:00:00:00:10", "198.19.0.1", "port 0's MAC with the I/G bit")]):
        c.add(ipv4(dmac=dmac, dst=dst, seed=i), "l2-multicast", why)
    c.add(ipv4(dmac=BCAST_MAC, ttl=1, seed=10), "l2-multicast", "broadcast, TTL 1")
    c.add(ipv4(dmac=BCAST_MAC, src="0.0.0.0", dst="255.255.255.255", seed=11),
          "l2-multicast", "DHCP discover shape (martian source)")
    c.add(bad_checksum(ipv4(dmac=BCAST_MAC, seed=12)), "malformed",
          "broadcast, bad checksum: malformed first")
    return c


def case_not_for_us():
    c = Case("not-for-us", "unicast frames to any MAC but the ingress port's "
             "are dropped (also another port's MAC); checked after malformed",
             std_router())
    for i, (dmac, why) in enumerate([(OTHER_MAC, "unrelated MAC"),
                                     (PORT1_MAC, "port 1's MAC"),
                                     ("02:00:00:00:00:11", "last bit differs"),
                                     ("06:00:00:00:00:10", "first octet differs"),
                                     ("00:00:00:00:00:00", "all zeros")]):
        c.add(ipv4(dmac=dmac, seed=i), "not-for-us", why)
    c.add(ipv4(dmac=OTHER_MAC, ttl=1, seed=10), "not-for-us", "TTL 1")
    c.add(ipv4(dmac=OTHER_MAC, src="127.0.0.1", seed=11), "not-for-us", "martian")
    c.add(ipv4(dmac=OTHER_MAC, dst="198.18.0.1", seed=12), "not-for-us", "to our IP")
    c.add(ipv4(seed=13), "forward", "control: port 0's MAC", port=1, nh=N1_MAC)
    return c


# -------------------------------------------------------------- addresses

def case_martian():
    r = std_router(routes=[BENCH_ROUTE, ("0.0.0.0/0", "198.18.2.2")])
    c = Case("martian", "RFC 1812 5.3.7 sources (0/8, 127/8, 224/4, 240/4, "
             "255.255.255.255, 169.254/16) and destinations (0/8, 127/8, 240/4 "
             "but the limited broadcast, 169.254/16) and their boundaries", r)
    for i, src in enumerate(["0.0.0.0", "0.255.255.255", "127.0.0.1",
                             "127.255.255.255", "224.0.0.1", "239.255.255.255",
                             "240.0.0.0", "255.255.255.254", "255.255.255.255",
                             "169.254.0.0", "169.254.255.255"]):
        c.add(ipv4(src=src, seed=i), "martian", "source " + src)
    for i, dst in enumerate(["0.0.0.0", "0.1.2.3", "127.0.0.1", "127.255.255.255",
                             "240.0.0.0", "255.255.255.254", "169.254.0.0",
                             "169.254.255.255"]):
        c.add(ipv4(dst=dst, seed=20 + i), "martian", "destination " + dst)
    for i, src in enumerate(["1.0.0.0", "126.255.255.255", "128.0.0.0",
                             "223.255.255.255", "169.253.255.255", "169.255.0.0"]):
        c.add(ipv4(src=src, seed=30 + i), "forward", "boundary source " + src,
              port=1, nh=N1_MAC)
    for i, dst in enumerate(["1.0.0.0", "126.255.255.255", "128.0.0.0",
                             "169.253.255.255", "169.255.0.0", "223.255.255.255"]):
        c.add(ipv4(dst=dst, seed=40 + i), "forward", "boundary destination " + dst,
              port=2, nh=N2_MAC)
    c.add(ipv4(dst="255.255.255.255", seed=50), "local",
          "255.255.255.255 is not a martian destination")
    c.add(ipv4(src="127.0.0.1", dst="198.18.0.1", seed=51), "martian",
          "martian source to the router: martian first")
    c.add(ipv4(dst="127.0.0.1", ttl=1, seed=52), "martian", "martian destination, TTL 1")
    return c


def case_local():
    ports = ports3() + [Port(3, "p3", "02:00:00:00:03:10", "198.18.3.0/31"),
                        Port(4, "p4", "02:00:00:00:04:10", "198.18.4.1/32")]
    r = Router(ports, NEIGHS + [("198.18.3.1", "02:0b:00:00:03:01", 3)],
               [BENCH_ROUTE, ("0.0.0.0/0", "198.18.1.2")],
               "port 3 is a /31 (no broadcast address), port 4 a /32")
    c = Case("local", "destinations for the router: port addresses, subnet "
             "broadcasts, 255.255.255.255, 224/4; checked before TTL; a /31 "
             "has no broadcast, a network address is not local", r)
    for i, (dst, why) in enumerate([
            ("198.18.0.1", "ingress port's address"),
            ("198.18.1.1", "another port's address"),
            ("198.18.0.255", "ingress subnet broadcast"),
            ("198.18.2.255", "another subnet's broadcast"),
            ("255.255.255.255", "limited broadcast"),
            ("224.0.0.1", "all-hosts group"), ("224.0.0.5", "OSPF group"),
            ("232.1.1.1", "SSM group"), ("239.255.255.255", "last of 224/4"),
            ("198.18.3.0", "/31 port address"),
            ("198.18.4.1", "/32 port address")]):
        c.add(ipv4(dst=dst, seed=i), "local", why)
    c.add(ipv4(dst="198.18.0.1", ttl=1, seed=20), "local", "TTL 1: local first")
    c.add(ipv4(dst="224.0.0.5", ttl=0, seed=21), "local", "TTL 0: local first")
    c.add(with_options(ipv4(dst="198.18.2.1", seed=22), opt_rr(2)), "local",
          "options: local first")
    c.add(ipv4(dst="198.18.3.1", seed=23), "forward",
          "the other /31 address is a neighbour, not a broadcast", port=3,
          nh="02:0b:00:00:03:01")
    c.add(ipv4(dst="198.18.0.0", seed=24), "no-neigh",
          "subnet network address is not local")
    c.add(ipv4(dst="198.18.4.2", seed=25), "forward",
          "next to the /32: default route", port=1, nh=N1_MAC)
    c.add(ipv4(dst="223.255.255.255", seed=26), "forward", "just below 224/4",
          port=1, nh=N1_MAC)
    return c


def case_mtu():
    ports = [Port(0, "p0", PORT0_MAC, "198.18.0.1/24"),
             Port(1, "p1", PORT1_MAC, "198.18.1.1/24", 576),
             Port(2, "p2", PORT2_MAC, "198.18.2.1/24", 9000),
             Port(3, "p3", "02:00:00:00:03:10", "198.18.3.1/24", 68)]
    r = Router(ports, NEIGHS + [("198.18.3.2", "02:0b:00:00:03:02", 3)],
               [("198.19.0.0/16", "198.18.1.2"), ("198.20.0.0/16", "198.18.2.2"),
                ("198.21.0.0/16", "198.18.3.2"), ("198.22.0.0/16", "198.18.0.2"),
                ("198.23.0.0/16", "198.18.1.99")],
               "egress MTUs: port 1 576, port 2 9000, port 3 68 (minimum), "
               "port 0 default 1500")
    c = Case("mtu", "frames longer than the egress MTU + 14 are punted (mtu), "
             "after ttl, options and no-neigh; the frame length counts, "
             "padding included", r)
    for dst, port, nh, mtu in [("198.19.0.1", 1, N1_MAC, 576),
                               ("198.20.0.1", 2, N2_MAC, 9000),
                               ("198.21.0.1", 3, "02:0b:00:00:03:02", 68),
                               ("198.22.0.1", 0, SENDER_MAC, 1500)]:
        c.add(ipv4(dst=dst, size=mtu + 14, seed=mtu), "forward",
              "MTU %d: frame of MTU + 14 bytes" % mtu, port=port, nh=nh)
        c.add(ipv4(dst=dst, size=mtu + 15, seed=mtu + 1), "mtu",
              "MTU %d: one byte more" % mtu)
    c.add(ipv4(dst="198.19.0.1", size=1514, seed=1), "mtu", "1514 bytes to MTU 576")
    c.add(ipv4(dst="198.21.0.1", size=54, l4="tcp", seed=2) + b"\0" * 29, "mtu",
          "MTU 68: 40-byte datagram + 29 bytes padding = 83-byte frame")
    c.add(ipv4(dst="198.21.0.1", size=54, l4="tcp", seed=3) + b"\0" * 28, "forward",
          "MTU 68: same with 28 bytes padding = 82-byte frame", port=3,
          nh="02:0b:00:00:03:02")
    c.add(ipv4(dst="198.19.0.1", size=1514, ttl=1, seed=4), "ttl", "too big, TTL 1: ttl first")
    c.add(with_options(ipv4(dst="198.19.0.1", size=1000, seed=5), OPT_NOP4), "options",
          "too big, options: options first")
    c.add(ipv4(dst="198.23.0.1", size=1514, seed=6), "no-neigh",
          "too big, no neighbour: no-neigh first")
    c.add(ipv4(dst="198.18.1.1", size=1514, seed=7), "local", "too big, local: local first")
    return c


# --------------------------------------------------------------------- mix

def case_mix():
    r = Router(ports3(mtu2=1000), NEIGHS,
               [("198.19.0.0/16", "198.18.1.2"), ("198.20.0.0/16", "198.18.2.2"),
                ("198.21.0.0/16", "198.18.0.2"), ("198.22.0.0/16", "198.18.1.77")],
               "mix: port 2 MTU 1000, no default route")
    c = Case("mix", "300 frames of every verdict in a seeded random order: "
             "per-port and punt ordering, counters", r)
    rng = random.Random(2544)

    def sz():
        return rng.choice([60, 60, 64, 96, 128, 200, 256, 400])

    def fwd(i):
        dst, port, nh = rng.choice([("198.19.%d.%d", 1, N1_MAC),
                                    ("198.20.%d.%d", 2, N2_MAC),
                                    ("198.21.%d.%d", 0, SENDER_MAC)])
        dst = dst % (rng.randrange(256), rng.randrange(256))
        f = ipv4(dst=dst, size=sz(), l4=rng.choice(["udp", "tcp", "icmp"]),
                 ttl=rng.choice([2, 3, 64, 128, 255]), seed=i, ident=i)
        if rng.random() < 0.2:
            f = with_checksum(f, rng.choice([0x0000, 0xFFFF, 0xFEFF, 0xFF00]))
        return f, "forward", "forward to port %d" % port, port, nh

    templates = [
        (40, fwd),
        (5, lambda i: (ipv4(ttl=rng.choice([0, 1]), size=sz(), seed=i), "ttl", "TTL <= 1")),
        (5, lambda i: (ipv4(dst=rng.choice(["198.18.0.1", "198.18.1.255",
                                            "224.0.0.5"]), seed=i), "local", "local")),
        (4, lambda i: (ipv4(src=rng.choice(["127.0.0.1", "0.0.0.1", "169.254.3.4"]),
                            seed=i), "martian", "martian source")),
        (4, lambda i: (arp(rng.choice([1, 2]), rng.choice([BCAST_MAC, PORT0_MAC])),
                       "not-ipv4", "ARP")),
        (3, lambda i: (ipv6(PORT0_MAC), "not-ipv4", "IPv6")),
        (3, lambda i: (ipv4(dmac=BCAST_MAC, seed=i), "l2-multicast", "broadcast MAC")),
        (4, lambda i: (bad_checksum(ipv4(size=sz(), seed=i)), "malformed", "bad checksum")),
        (2, lambda i: (ipv4(size=sz(), seed=i)[:rng.randrange(14, 34)], "malformed",
                       "truncated")),
        (3, lambda i: (ipv4(dmac=OTHER_MAC, seed=i), "not-for-us", "not for us")),
        (3, lambda i: (ipv4(dst="198.22.1.1", seed=i), "no-neigh", "no neighbour")),
        (3, lambda i: (ipv4(dst="198.30.1.1", seed=i), "no-route", "no route")),
        (3, lambda i: (with_options(ipv4(seed=i), OPT_NOP4), "options", "options")),
        (3, lambda i: (ipv4(dst="198.20.0.9", size=1100, seed=i), "mtu", "mtu")),
    ]
    weights = [w for w, _ in templates]
    for i in range(300):
        t = rng.choices(templates, weights)[0][1](i)
        c.add(t[0], t[1], t[2], *(t[3:] if len(t) > 3 else ()))
    return c


CASES = [case_forward, case_lpm, case_default_route, case_no_route,
         case_no_neigh, case_hairpin, case_in_port, case_ttl,
         case_checksum_edges, case_malformed, case_truncated, case_runt,
         case_options, case_padding, case_fragments, case_not_ipv4, case_vlan,
         case_l2_multicast, case_not_for_us, case_martian, case_local,
         case_mtu, case_mix]
