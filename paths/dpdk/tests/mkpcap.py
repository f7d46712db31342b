#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""mkpcap.py - frames for fwd-dpdk's own tests and benchmarks (scapy).

  mkpcap.py mixed OUT.pcap ROUTER_MAC     one frame of every verdict, plus
          [--repeat K]                    forwarded frames to every route
  mkpcap.py flows OUT.pcap ROUTER_MAC N   N 60-byte UDP frames (64 B on the
          [--size BYTES] [--dst-net A.B]  wire with FCS) to A.B.x.y, N flows
  mkpcap.py empty OUT.pcap                an Ethernet pcap with no frames

Destinations are in 198.19.0.0/16 (RFC 2544 benchmarking range) unless told.
"""
import argparse
import sys

from scapy.all import ARP, IP, UDP, Ether, Raw, wrpcap
from scapy.utils import PcapWriter

SRC_MAC = "02:00:00:00:00:20"


def udp(dmac, dst, ttl=64, size=60, src="198.18.0.2", **ipkw):
    p = Ether(src=SRC_MAC, dst=dmac) / IP(src=src, dst=dst, ttl=ttl, **ipkw) / UDP(sport=1024, dport=9)
    pad = size - len(p)
    return p / Raw(b"\x00" * pad) if pad > 0 else p


def mixed(mac):
    f = []
    for i in range(40):  # forwarded, spread over both egress routes
        f.append(udp(mac, "198.19.%d.%d" % ((i * 37) % 256, i + 1), size=60 + i))
    f.append(udp(mac, "198.19.5.3"))                 # no-neigh (via unknown MAC)
    f.append(udp(mac, "198.19.1.1", ttl=1))          # ttl
    f.append(udp(mac, "198.19.1.1", ttl=0))          # ttl
    f.append(udp(mac, "198.18.0.1"))                 # local (router port)
    f.append(udp(mac, "198.18.1.255"))               # local (subnet broadcast)
    f.append(udp(mac, "203.0.113.9"))                # no-route
    f.append(udp(mac, "198.19.2.2", options=[b"\x01\x01\x01\x00"][0]))  # options
    f.append(udp(mac, "10.1.2.3", size=1500))       # mtu (egress 1400)
    f.append(udp(mac, "198.19.200.1", size=1400))   # forward, big
    f.append(udp("02:00:00:00:99:99", "198.19.1.1"))  # not-for-us
    f.append(udp("ff:ff:ff:ff:ff:ff", "198.19.1.1"))  # l2-multicast
    f.append(Ether(src=SRC_MAC, dst="ff:ff:ff:ff:ff:ff") / ARP(pdst="198.18.0.1"))  # not-ipv4
    bad = udp(mac, "198.19.1.1")
    bad[IP].chksum = 0x1234
    f.append(bad)                                    # malformed (checksum)
    f.append(udp(mac, "127.0.0.1"))                  # martian
    f.append(Ether(bytes(udp(mac, "198.19.1.1"))[:30]))  # malformed (short)
    for i in range(20):
        f.append(udp(mac, "198.19.%d.9" % (130 + i)))
    return f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["mixed", "flows", "empty"])
    ap.add_argument("out")
    ap.add_argument("mac", nargs="?")
    ap.add_argument("n", nargs="?", type=int, default=1)
    ap.add_argument("--size", type=int, default=60)
    ap.add_argument("--dst-net", default="198.19")
    ap.add_argument("--repeat", type=int, default=1, help="mixed: repeat the set")
    a = ap.parse_args()
    if a.kind == "empty":
        PcapWriter(a.out, linktype=1, sync=True).close()
        return 0
    if not a.mac:
        ap.error("ROUTER_MAC is required")
    if a.kind == "mixed":
        frames = mixed(a.mac) * a.repeat
    else:
        frames = [udp(a.mac, "%s.%d.%d" % (a.dst_net, (i >> 8) & 0x7f, (i & 0xff) or 1),
                      size=a.size) for i in range(a.n)]
    wrpcap(a.out, frames, linktype=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
