#!/usr/bin/python3
"""mkjumbo.py OUT.pcap DUT_MAC SRC_MAC - the integration test's jumbo input:
frames received on port 0 (DUT_MAC) larger than one XDP buffer (~3.5 KB on
4 KB pages), so that the multi-buffer (xdp.frags) program sees a first
buffer plus fragments. The route file gives both ports MTU 9000. Twice:
forwards of 64, 1514, 3600, 5000 and 9014 bytes (198.19/16 via the sink),
a 9014-byte hairpin back out port 0, 9015 bytes (mtu), a 9014-byte TTL 1,
for the router itself (local), a bad header checksum (malformed), a
5000-byte frame whose IP total length is 1000 (padding in the fragments:
forwarded as received) and a 4000-byte frame claiming 5000 (malformed).
All with DF set, so that the kernel (forwarding on in fib mode) never
fragments a punted frame onto the sink."""
import logging
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import Ether, IP, UDP, Raw, wrpcap  # noqa: E402

out, dut_mac, src_mac = sys.argv[1:4]


def udp(dst, size, ttl=64, sport=1000, bad_csum=False, ip_len=None):
    """A frame of exactly @size bytes; @ip_len: IPv4 total length when it
    differs from the frame's (padding after it, or claimed past the end)."""
    body = (ip_len if ip_len and ip_len < size - 14 else size - 14) - 28
    ip = IP(src="198.18.0.2", dst=dst, ttl=ttl, flags="DF", id=sport)
    if ip_len and ip_len > size - 14:
        ip.len = ip_len
    if bad_csum:
        ip.chksum = 0x1234
    hdr = Ether(dst=dut_mac, src=src_mac) / ip / UDP(sport=sport, dport=9, chksum=0)
    f = bytes(hdr / Raw(bytes(i & 0xff for i in range(max(body, 0)))))
    return Ether(f + b"\0" * (size - len(f)))


frames = []
for r in range(2):
    s = 1000 * r
    frames += [udp("198.19.0.1", n, sport=2000 + s + n % 1000)
               for n in (60, 1514, 3600, 5000, 9014)]
    frames += [udp("198.18.0.2", 9014, sport=3000 + s),
               udp("198.19.0.2", 9015, sport=4000 + s),
               udp("198.19.0.3", 9014, ttl=1, sport=5000 + s),
               udp("198.18.1.1", 9014, sport=6000 + s),
               udp("198.19.0.4", 9014, bad_csum=True, sport=7000 + s),
               udp("198.19.0.5", 5000, ip_len=1000, sport=8000 + s),
               udp("198.19.0.6", 4000, ip_len=5000, sport=9000 + s)]
wrpcap(out, frames)
