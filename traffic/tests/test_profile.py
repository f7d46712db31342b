#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""test_profile - fwd-profile's pcaps read back with scapy: sizes (RFC 2544,
incl. FCS), flows (destination / source port variation), IMIX 7:4:1, the
route-file destinations, the test payload, and bad arguments.

usage: test_profile.py FWD_PROFILE
"""
import os
import struct
import subprocess
import sys
import tempfile

from scapy.all import IP, UDP, Ether, rdpcap  # noqa: E402

PROG = sys.argv[1]
MAGIC = b"FWLB"
fails = 0


def check(cond, what):
    global fails
    if not cond:
        print("FAIL:", what)
        fails += 1


def profile(tmp, *args):
    out = os.path.join(tmp, "p.pcap")
    r = subprocess.run([PROG, "--out", out, *args], capture_output=True, text=True)
    check(r.returncode == 0, f"fwd-profile {' '.join(args)}: {r.stderr.strip()}")
    return rdpcap(out) if r.returncode == 0 else []


def payload_ok(p):
    raw = bytes(p[UDP].payload)
    return raw[:4] == MAGIC and struct.unpack("!I", raw[4:8])[0] == 0


with tempfile.TemporaryDirectory() as tmp:
    # single flow, every RFC 2544 size
    for size in (64, 128, 256, 512, 1024, 1280, 1518):
        pk = profile(tmp, "--size", str(size))
        check(len(pk) == 1, f"size {size}: one frame")
        for p in pk:
            check(len(p) == size - 4, f"size {size}: {len(p)} bytes in the pcap")
            check(p[IP].src == "198.18.0.1" and p[IP].dst == "198.19.0.1", "addresses")
            check(p[UDP].sport == 0xC020 and p[UDP].dport == 7, "ports")
            check(p[IP].ttl == 64 and p[UDP].chksum == 0, "ttl / udp checksum")
            check(payload_ok(p), "payload magic")
            # scapy recomputes the IP checksum: it must match
            c = p[IP].chksum
            del p[IP].chksum
            check(IP(bytes(p[IP]))[IP].chksum == c, "IP checksum")

    # 100 flows varying the destination in a /24
    pk = profile(tmp, "--flows", "100", "--dst", "198.19.7.0/24", "--src-mac",
                 "02:aa:00:00:00:01", "--dst-mac", "02:bb:00:00:00:02", "--ttl", "9")
    check(len(pk) == 100, "100 flows -> 100 frames")
    check(len({p[IP].dst for p in pk}) == 100, "100 distinct destinations")
    check(all(p[IP].dst.startswith("198.19.7.") for p in pk), "inside the prefix")
    check(all(p[Ether].src == "02:aa:00:00:00:01" and p[Ether].dst == "02:bb:00:00:00:02"
              and p[IP].ttl == 9 for p in pk), "MACs and TTL")

    # source-port variation keeps one destination
    pk = profile(tmp, "--flows", "1000", "--vary", "sport")
    check(len({p[UDP].sport for p in pk}) == 1000, "1000 distinct source ports")
    check(len({p[IP].dst for p in pk}) == 1, "one destination")
    pk = profile(tmp, "--flows", "50", "--vary", "both")
    check(len({(p[IP].dst, p[UDP].sport) for p in pk}) == 50, "both vary")

    # IMIX 7:4:1, every flow sees every size: lcm(4, 12) = 12 frames
    pk = profile(tmp, "--profile", "imix", "--flows", "4")
    sizes = [len(p) + 4 for p in pk]
    check(len(pk) == 12, f"imix, 4 flows: {len(pk)} frames")
    check(sizes.count(64) == 7 and sizes.count(576) == 4 and sizes.count(1500) == 1,
          f"imix sizes {sizes}")
    check(all(payload_ok(p) for p in pk), "imix payload")
    pk = profile(tmp, "--profile", "imix", "--flows", "5")
    check(len(pk) == 60, "imix, 5 flows: lcm = 60 frames")

    # destinations drawn from a route file
    routes = os.path.join(tmp, "routes.conf")
    with open(routes, "w") as f:
        f.write("port 0 name fltr0 mac 02:00:00:00:00:10 addr 198.18.0.254/24\n"
                "port 1 name fltr1 mac 02:00:00:00:00:11 addr 198.18.1.254/24\n"
                "neigh 198.18.1.1 mac 02:00:00:00:00:21 port 1\n"
                "route 198.19.0.0/16 via 198.18.1.1\n"
                "route 198.20.5.0/24 via 198.18.1.1\n"
                "route 198.21.0.7/32 via 198.18.1.1\n")
    pk = profile(tmp, "--routes", routes, "--flows", "6")
    dsts = [p[IP].dst for p in pk]
    check(set(dsts) >= {"198.19.0.1", "198.20.5.1", "198.21.0.7"},
          f"route destinations {dsts}")
    check(len(set(dsts)) == 5, f"6 flows over 3 routes (a /32 repeats): {dsts}")

    # bad input: one line on stderr, non-zero exit, no file
    for bad in (["--size", "63"], ["--size", "1519"], ["--flows", "0"],
                ["--dst", "198.19.0.0/33"], ["--profile", "tcp"], ["--ttl", "256"],
                ["--flows", "300", "--dst", "10.0.0.0/24"], ["--routes", "/nonexistent"],
                ["--src-mac", "zz"], ["--vary", "x"],
                ["--dst", "10.0.0.0/8", "--routes", routes]):
        out = os.path.join(tmp, "bad.pcap")
        r = subprocess.run([PROG, "--out", out, *bad], capture_output=True, text=True)
        lines = [l for l in r.stderr.splitlines() if l.strip()]
        check(r.returncode != 0, f"{bad}: exit 0")
        check(len(lines) == 1, f"{bad}: stderr {r.stderr!r}")
        check(not os.path.exists(out), f"{bad}: wrote a file")
    r = subprocess.run([PROG], capture_output=True, text=True)
    check(r.returncode != 0, "no --out accepted")

print("ok" if not fails else f"{fails} failures")
sys.exit(1 if fails else 0)
