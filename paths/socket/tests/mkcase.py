#!/usr/bin/python3
"""mkcase.py - a small golden-style case for fwd-socket's own veth tests.

  mkcase.py --fwd-ref BIN --out DIR [--frames N]

Writes DIR/routes.conf (3 ports), DIR/in.pcap (a mix that exercises every
verdict the veth topology can carry: forward to two ports, TTL 1, ARP,
another unicast MAC, bad checksum, 802.1Q tag, no route, local, broadcast,
IP options, Ethernet padding), DIR/in_port (0) and DIR/expected/ from
fwd-ref, the oracle. With --frames N the first, forwarded frames repeat
until there are N frames (a bigger input for the multi-worker runs).
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import socktopo  # noqa: E402

from scapy.layers.inet import IP, UDP, ICMP  # noqa: E402
from scapy.layers.l2 import ARP, Dot1Q, Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402

ROUTES = """# fwd-socket self test (mkcase.py)
port 0 name p0 mac 02:00:00:00:00:10 addr 198.18.0.1/24
port 1 name p1 mac 02:00:00:00:01:10 addr 198.18.1.1/24
port 2 name p2 mac 02:00:00:00:02:10 addr 198.18.2.1/24 mtu 1400
neigh 198.18.0.2 mac 02:0a:00:00:00:02 port 0
neigh 198.18.1.2 mac 02:0b:00:00:01:02 port 1
neigh 198.18.2.2 mac 02:0b:00:00:02:02 port 2
route 198.19.0.0/16 via 198.18.1.2
route 198.19.128.0/17 via 198.18.2.2
route 203.0.113.0/24 via 198.18.1.9
"""
P0 = "02:00:00:00:00:10"
SRC = "02:0a:00:00:00:02"


def udp(dst, ttl=64, size=0, **kw):
    return bytes(Ether(src=SRC, dst=P0) / IP(src="198.18.0.2", dst=dst, ttl=ttl, **kw) /
                 UDP(sport=1024, dport=9) / Raw(b"\x5a" * size))


def frames(n):
    fs = [
        udp("198.19.1.1"),                                  # forward port 1
        udp("198.19.200.1"),                                # forward port 2 (longer prefix)
        udp("198.19.1.2", ttl=1),                           # punt ttl
        udp("198.19.1.3", ttl=2),                           # forward, TTL 2 -> 1
        bytes(Ether(src=SRC, dst="ff:ff:ff:ff:ff:ff") /
              ARP(psrc="198.18.0.2", pdst="198.18.0.1")),    # punt not-ipv4
        bytes(Ether(src=SRC, dst="02:00:00:00:99:99") /
              IP(src="198.18.0.2", dst="198.19.1.1") / UDP()),  # drop not-for-us
        bytes(Ether(src=SRC, dst=P0) / IP(src="198.18.0.2", dst="198.19.1.1", chksum=0x1234) /
              UDP()),                                       # drop malformed
        bytes(Ether(src=SRC, dst=P0) / Dot1Q(vlan=100, prio=3) /
              IP(src="198.18.0.2", dst="198.19.1.1") / UDP()),  # punt not-ipv4 (tag)
        udp("192.0.2.1"),                                   # punt no-route
        udp("203.0.113.7"),                                 # punt no-neigh
        udp("198.18.0.1"),                                  # punt local
        udp("198.19.200.9", size=1400),                     # punt mtu (port 2: 1400)
        bytes(Ether(src=SRC, dst="ff:ff:ff:ff:ff:ff") /
              IP(src="198.18.0.2", dst="198.18.0.255") / UDP()),  # punt l2-multicast
        bytes(Ether(src=SRC, dst=P0) / IP(src="198.18.0.2", dst="198.19.1.1",
                                         options=b"\x01\x01\x01\x00") / UDP()),  # punt options
        bytes(Ether(src=SRC, dst=P0) / IP(src="198.18.0.2", dst="198.19.1.1") / ICMP()) +
        b"\0" * 10,                                         # forward, padding kept
        bytes(Ether(src=SRC, dst=P0) / IP(src="127.0.0.1", dst="198.19.1.1") / UDP()),  # martian
        udp("198.19.5.5", size=1000),                       # forward, big
    ]
    i = 0
    while len(fs) < n:
        fs.append(udp("198.19.%d.%d" % ((i >> 8) & 0x7f, i & 0xff)))
        i += 1
    return fs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fwd-ref", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--frames", type=int, default=0)
    a = ap.parse_args()
    os.makedirs(os.path.join(a.out, "expected"), exist_ok=True)
    with open(os.path.join(a.out, "routes.conf"), "w") as f:
        f.write(ROUTES)
    with open(os.path.join(a.out, "in_port"), "w") as f:
        f.write("0\n")
    socktopo.write_pcap(os.path.join(a.out, "in.pcap"), frames(a.frames))
    subprocess.run([a.fwd_ref, "--routes", os.path.join(a.out, "routes.conf"), "--in-port", "0",
                    "--in", os.path.join(a.out, "in.pcap"), "--out-dir",
                    os.path.join(a.out, "expected")], check=True, stdout=subprocess.DEVNULL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
