#!/usr/bin/python3
"""test_check_golden.py GOLDEN_DIR - check_golden.py must be able to fail.

Copies the checksum-edges and padding cases, breaks their expected/ output
the ways a wrong forwarder would (RFC 1624 eqn. 2 result 0xFFFF instead of
0x0000, TTL not decremented, source MAC not rewritten, a punted frame
modified, a dropped frame emitted, frames reordered, padding changed, a wrong
counter, a missing counter) and checks that check_golden rejects each, and
accepts the untouched copy. Exit 0 if every row passes, else 1.
"""
import json
import os
import shutil
import sys
import tempfile

from scapy.utils import RawPcapReader, RawPcapWriter

import check_golden


def frames(path):
    r = RawPcapReader(path)
    try:
        return [bytearray(d) for d, _ in r]
    finally:
        r.close()


def write(path, frs):
    w = RawPcapWriter(path, linktype=1, snaplen=65535)
    w.write_header(None)
    for i, f in enumerate(frs):
        w.write_packet(bytes(f), sec=1700000000, usec=i)
    w.close()


def pcap_edit(name, fn):
    def apply(d):
        p = os.path.join(d, "expected", name)
        frs = frames(p)
        write(p, fn(frs, frames(os.path.join(d, "in.pcap"))) or frs)
    return apply


def stats_edit(fn):
    def apply(d):
        p = os.path.join(d, "expected", "stats.json")
        with open(p, encoding="ascii") as f:
            st = json.load(f)
        fn(st)
        with open(p, "w", encoding="ascii") as f:
            json.dump(st, f)
    return apply


def zero_result_as_ffff(frs, _inp):
    """Store a 0x0000 result checksum as 0xFFFF (what eqn. 2 computes)."""
    hit = [f for f in frs if f[24:26] == b"\0\0"]
    assert hit, "no forwarded frame with checksum 0x0000"
    hit[0][24:26] = b"\xff\xff"


def ttl_kept(frs, _inp):
    """TTL not decremented, checksum consistent with that."""
    f = frs[0]
    f[22] += 1
    f[24:26] = b"\0\0"
    s = sum(int.from_bytes(f[14 + k:16 + k], "big") for k in range(0, 20, 2))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    f[24:26] = (~s & 0xFFFF).to_bytes(2, "big")


def smac_kept(frs, inp):
    frs[0][6:12] = inp[0][6:12]


def punt_modified(frs, _inp):
    frs[0][22] -= 1


def dropped_emitted(frs, inp):
    # checksum-edges: the last input frames are malformed (dropped)
    return frs + [inp[-1]]


def reordered(frs, _inp):
    return [frs[1], frs[0]] + frs[2:]


def padding_changed(frs, _inp):
    frs[0][-1] ^= 0xFF


ROWS = [  # (description, case, change or None, check must pass)
    ("untouched checksum-edges", "checksum-edges", None, True),
    ("untouched padding", "padding", None, True),
    ("0x0000 result stored as 0xFFFF", "checksum-edges",
     pcap_edit("port1.pcap", zero_result_as_ffff), False),
    ("TTL not decremented", "checksum-edges", pcap_edit("port1.pcap", ttl_kept), False),
    ("source MAC not rewritten", "checksum-edges", pcap_edit("port1.pcap", smac_kept), False),
    ("punted frame modified", "checksum-edges", pcap_edit("punt.pcap", punt_modified), False),
    ("dropped frame punted", "checksum-edges", pcap_edit("punt.pcap", dropped_emitted), False),
    ("forwarded frames reordered", "checksum-edges", pcap_edit("port1.pcap", reordered), False),
    ("padding changed", "padding", pcap_edit("port1.pcap", padding_changed), False),
    ("counter ttl + 1", "checksum-edges",
     stats_edit(lambda st: st["punt"].__setitem__("ttl", st["punt"]["ttl"] + 1)), False),
    ("counter mtu missing", "checksum-edges",
     stats_edit(lambda st: st["punt"].pop("mtu")), False),
]


def main(argv):
    if len(argv) != 2:
        print("usage: test_check_golden.py GOLDEN_DIR", file=sys.stderr)
        return 2
    bad = 0
    with tempfile.TemporaryDirectory(prefix="check-golden-test-") as tmp:
        for desc, case, change, want_ok in ROWS:
            d = os.path.join(tmp, case)
            shutil.rmtree(d, ignore_errors=True)
            shutil.copytree(os.path.join(argv[1], case), d)
            if change:
                change(d)
            try:
                check_golden.check_case(d)
                ok, msg = want_ok, "accepted"
            except check_golden.CheckError as e:
                ok, msg = not want_ok, "rejected: %s" % e
            print("%s %-32s %s" % ("ok  " if ok else "FAIL", desc, msg))
            bad += not ok
    if bad:
        print("test_check_golden: %d of %d rows failed" % (bad, len(ROWS)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
