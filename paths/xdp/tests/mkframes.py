#!/usr/bin/python3
"""mkframes.py OUT.pcap DUT_MAC SRC_MAC - the integration test's input:
310 UDP frames received on port 0 (DUT_MAC), a mix of verdicts:
200 forward (198.19/16 via the sink), 20 hairpin back out port 0,
20 TTL 1, 20 no route, 20 no neighbour, 10 bad header checksum,
10 unicast to another MAC, 10 for the router itself."""
import logging
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import Ether, IP, UDP, Raw, wrpcap  # noqa: E402

out, dut_mac, src_mac = sys.argv[1:4]


def udp(dst, ttl=64, sport=1000, mac=dut_mac, bad_csum=False):
    ip = IP(src="198.18.0.2", dst=dst, ttl=ttl, id=sport & 0xffff)
    if bad_csum:
        ip.chksum = 0x1234
    f = Ether(dst=mac, src=src_mac) / ip / UDP(sport=sport, dport=9, chksum=0)
    return f / Raw(b"\0" * (60 - len(f))) if len(f) < 60 else f


frames = []
for i in range(200):
    frames.append(udp(f"198.19.{i // 50}.{i % 50 + 1}", sport=2000 + i))
    if i % 10 == 0:
        k = i // 10
        frames += [udp("198.18.0.2", sport=3000 + k),
                   udp("198.19.7.7", ttl=1, sport=4000 + k),
                   udp(f"8.8.{k}.8", sport=5000 + k),
                   udp(f"203.0.113.{k + 1}", sport=6000 + k)]
        if k % 2 == 0:
            frames += [udp("198.19.1.1", bad_csum=True, sport=7000 + k),
                       udp("198.19.1.2", mac="02:46:4c:00:10:99", sport=8000 + k),
                       udp("198.18.1.1", sport=9000 + k)]
wrpcap(out, frames)
