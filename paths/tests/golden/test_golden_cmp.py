#!/usr/bin/python3
"""test_golden_cmp.py GOLDEN_CMP EXPECTED_DIR - golden-cmp must be able to fail.

Copies EXPECTED_DIR (a case's expected/, with frames on several ports and in
punt.pcap), applies one change at a time (a flipped byte, a missing, extra,
shorter or reordered frame, a changed counter, a missing file, ...) and checks
golden-cmp's exit status and the first words of the line it prints. Also
checks what must stay equal (timestamps, an empty extra port file, punt
changes under --no-punt-frames, stats.json under --no-stats). Exit 0 if every row passes, else 1.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from scapy.utils import RawPcapReader, RawPcapWriter


def frames(path):
    r = RawPcapReader(path)
    try:
        return [bytes(d) for d, _ in r]
    finally:
        r.close()


def write(path, frs, usec0=0):
    w = RawPcapWriter(path, linktype=1, snaplen=65535)
    w.write_header(None)
    for i, f in enumerate(frs):
        w.write_packet(f, sec=1, usec=usec0 + i)
    w.close()


def edit_pcap(fn):
    def apply(d, name):
        p = os.path.join(d, name)
        write(p, fn(frames(p)))
    return apply


def flip(i, off):
    def f(frs):
        b = bytearray(frs[i])
        b[off] ^= 0x01
        frs[i] = bytes(b)
        return frs
    return f


def edit_stats(path_keys, delta):
    def apply(d, _name):
        p = os.path.join(d, "stats.json")
        with open(p, encoding="ascii") as f:
            st = json.load(f)
        o = st
        for k in path_keys[:-1]:
            o = o[k]
        o[path_keys[-1]] += delta
        with open(p, "w", encoding="ascii") as f:
            json.dump(st, f, indent=2)
    return apply


def drop_counter(group, key):
    def apply(d, _name):
        p = os.path.join(d, "stats.json")
        with open(p, encoding="ascii") as f:
            st = json.load(f)
        (st[group] if group else st).pop(key)
        with open(p, "w", encoding="ascii") as f:
            json.dump(st, f)
    return apply


def remove(d, name):
    os.remove(os.path.join(d, name))


def garbage(d, name):
    with open(os.path.join(d, name), "w", encoding="ascii") as f:
        f.write("{ not json")


def port_file(n_frames):
    def apply(d, _name):
        write(os.path.join(d, "port9.pcap"), [b"\x02" * 60] * n_frames)
    return apply


def retime(d, name):
    p = os.path.join(d, name)
    write(p, frames(p), usec0=777777 - len(frames(p)))


# (description, file, change, extra args, expected status, expected output start)
ROWS = [
    ("identical", None, None, [], 0, "ok"),
    ("timestamps differ", "port1.pcap", retime, [], 0, "ok"),
    ("flipped byte", "port1.pcap", edit_pcap(flip(1, 30)), [], 1,
     "port1.pcap: frame 2: byte 30: expected"),
    ("flipped first MAC byte", "port2.pcap", edit_pcap(flip(0, 0)), [], 1,
     "port2.pcap: frame 1: byte 0:"),
    ("flipped last byte of a punted frame", "punt.pcap",
     edit_pcap(lambda f: flip(len(f) - 1, len(f[-1]) - 1)(f)), [], 1, "punt.pcap: frame "),
    ("missing last frame", "port1.pcap", edit_pcap(lambda f: f[:-1]), [], 1,
     "port1.pcap: frame "),
    ("missing first frame", "punt.pcap", edit_pcap(lambda f: f[1:]), [], 1,
     "punt.pcap: frame 1:"),
    ("extra frame", "port2.pcap", edit_pcap(lambda f: f + [f[0]]), [], 1,
     "port2.pcap: frame "),
    ("two frames swapped", "port1.pcap", edit_pcap(lambda f: [f[1], f[0]] + f[2:]), [], 1,
     "port1.pcap: frame 1: byte "),
    ("frame one byte shorter", "port0.pcap", edit_pcap(lambda f: [f[0][:-1]] + f[1:]), [], 1,
     "port0.pcap: frame 1: length: expected"),
    ("frame one byte longer", "port0.pcap", edit_pcap(lambda f: [f[0] + b"\0"] + f[1:]), [], 1,
     "port0.pcap: frame 1: length: expected"),
    ("counter ttl + 1", "stats.json", edit_stats(["punt", "ttl"], 1), [], 1,
     "stats.json: counter punt.ttl: expected"),
    ("counter malformed - 1", "stats.json", edit_stats(["drop", "malformed"], -1), [], 1,
     "stats.json: counter drop.malformed:"),
    ("counter forward + 1", "stats.json", edit_stats(["forward"], 1), [], 1,
     "stats.json: counter forward:"),
    ("counter rx + 1", "stats.json", edit_stats(["rx"], 1), [], 1, "stats.json: counter rx:"),
    ("counter punt.mtu absent", "stats.json", drop_counter("punt", "mtu"), [], 1,
     "stats.json: counter punt.mtu: absent"),
    ("counter rx absent", "stats.json", drop_counter(None, "rx"), [], 1,
     "stats.json: counter rx: absent"),
    ("frames of an undeclared port", None, port_file(2), [], 1, "port9.pcap: 2 unexpected"),
    ("empty file of an undeclared port", None, port_file(0), [], 0, "ok"),
    ("missing port file", "port1.pcap", remove, [], 2, ""),
    ("missing punt.pcap", "punt.pcap", remove, [], 2, ""),
    ("missing punt.pcap, --no-punt-frames", "punt.pcap", remove, ["--no-punt-frames"], 0, "ok"),
    ("changed punt.pcap, --no-punt-frames", "punt.pcap", edit_pcap(lambda f: f[1:]),
     ["--no-punt-frames"], 0, "ok"),
    ("missing stats.json", "stats.json", remove, [], 2, ""),
    ("missing stats.json, --no-stats", "stats.json", remove, ["--no-stats"], 0, "ok"),
    ("changed counter, --no-stats", "stats.json", edit_stats(["forward"], 1),
     ["--no-stats"], 0, "ok"),
    ("unreadable stats.json, --no-stats", "stats.json", garbage, ["--no-stats"], 0, "ok"),
    ("flipped byte, --no-stats", "port1.pcap", edit_pcap(flip(1, 30)), ["--no-stats"], 1,
     "port1.pcap: frame 2: byte 30: expected"),
    ("both flags, punt and stats changed", "punt.pcap", edit_pcap(lambda f: f[1:]),
     ["--no-punt-frames", "--no-stats"], 0, "ok"),
    ("unreadable stats.json", "stats.json", garbage, [], 2, ""),
    ("not a pcap", "port1.pcap", garbage, [], 2, ""),
]


def run(cmp, exp, act, extra):
    p = subprocess.run([cmp, exp, act] + extra, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, check=False)
    return p.returncode, p.stdout.strip(), p.stderr.strip()


def main(argv):
    if len(argv) != 3:
        print("usage: test_golden_cmp.py GOLDEN_CMP EXPECTED_DIR", file=sys.stderr)
        return 2
    cmp, src = argv[1], argv[2]
    for need in ("port0.pcap", "port1.pcap", "port2.pcap", "punt.pcap"):
        if len(frames(os.path.join(src, need))) < 2:
            print("test_golden_cmp: %s/%s needs >= 2 frames" % (src, need))
            return 1
    bad = 0
    with tempfile.TemporaryDirectory(prefix="golden-cmp-test-") as tmp:
        exp = os.path.join(tmp, "expected")
        shutil.copytree(src, exp)
        for desc, name, change, extra, status, start in ROWS:
            act = os.path.join(tmp, "actual")
            shutil.rmtree(act, ignore_errors=True)
            shutil.copytree(src, act)
            if change:
                change(act, name)
            rc, out, err = run(cmp, exp, act, extra)
            ok = rc == status and out.startswith(start) and (rc != 2 or err)
            print("%s %-45s exit %d  %s" % ("ok  " if ok else "FAIL", desc, rc,
                                            out or err))
            bad += not ok
        rc, out, err = run(cmp, exp, os.path.join(tmp, "nonexistent"), [])
        ok = rc == 2 and err
        print("%s %-45s exit %d  %s" % ("ok  " if ok else "FAIL", "missing ACTUAL_DIR", rc, err))
        bad += not ok
        rc, out, err = run(cmp, exp, exp, ["--bogus"])
        ok = rc == 2
        print("%s %-45s exit %d" % ("ok  " if ok else "FAIL", "bad flag", rc))
        bad += not ok
    if bad:
        print("test_golden_cmp: %d of %d rows failed" % (bad, len(ROWS) + 2))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
