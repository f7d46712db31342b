#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Write the seed corpus of fuzz-core (corpus/core/*.bin): one control byte
(see fuzz_core.c) + a frame, one file per interesting verdict of the fixed
table in fuzz_core.c. Run from this directory: ./make_seeds.py"""
import os
import struct

IN_MAC = bytes.fromhex("020000000001")
PEER = bytes.fromhex("0200000000aa")


def csum(h):
    s = sum(struct.unpack("!%dH" % (len(h) // 2), h))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, ttl=64, opts=b"", size=64, frag=0x4000, tot=None, dmac=IN_MAC):
    ihl = 5 + len(opts) // 4
    payload = bytes(range(size - 14 - ihl * 4)) if size > 14 + ihl * 4 else b""
    tot = 20 + len(opts) + len(payload) if tot is None else tot
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tot, 0x1234, frag, ttl, 17, 0,
                    bytes(map(int, src.split("."))), bytes(map(int, dst.split(".")))) + opts
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return dmac + PEER + b"\x08\x00" + h + payload


seeds = {
    "forward": ipv4("198.18.0.2", "198.18.1.1"),
    "forward-port2": ipv4("198.18.0.2", "198.19.200.1"),
    "forward-ttl2": ipv4("198.18.0.2", "198.18.1.1", ttl=2),
    "forward-padding": ipv4("198.18.0.2", "198.18.1.1", tot=28),
    "forward-fragment": ipv4("198.18.0.2", "198.18.1.1", frag=0x2000),
    "mtu": ipv4("198.18.0.2", "198.19.200.1", size=200),
    "ttl1": ipv4("198.18.0.2", "198.18.1.1", ttl=1),
    "options": ipv4("198.18.0.2", "198.18.1.1", opts=b"\x01\x01\x01\x00"),
    "no-route": ipv4("198.18.0.2", "192.0.2.1"),
    "no-neigh": ipv4("198.18.0.2", "203.0.113.5"),
    "local": ipv4("198.18.0.2", "10.0.1.1"),
    "bcast": ipv4("198.18.0.2", "255.255.255.255"),
    "martian": ipv4("127.0.0.1", "198.18.1.1"),
    "l2-bcast": ipv4("198.18.0.2", "198.18.1.1", dmac=b"\xff" * 6),
    "not-for-us": ipv4("198.18.0.2", "198.18.1.1", dmac=bytes.fromhex("020000000099")),
    "arp": b"\xff" * 6 + PEER + b"\x08\x06" + bytes(28),
    "ipv6": IN_MAC + PEER + b"\x86\xdd" + bytes(50),
    "vlan": IN_MAC + PEER + b"\x81\x00\x00\x01\x08\x00" + ipv4("198.18.0.2", "198.18.1.1")[14:],
    "short": ipv4("198.18.0.2", "198.18.1.1")[:33],
}
os.makedirs("corpus/core", exist_ok=True)
for name, frame in seeds.items():
    with open("corpus/core/%s.bin" % name, "wb") as f:
        f.write(b"\x00" + frame)
    # the same frame with a broken checksum that the fix-up bit repairs
    if name.startswith("forward"):
        broken = bytearray(frame)
        broken[24] ^= 0xFF
        with open("corpus/core/%s-fixup.bin" % name, "wb") as f:
            f.write(b"\x01" + bytes(broken))
