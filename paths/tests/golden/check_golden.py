#!/usr/bin/python3
"""check_golden.py CASE_DIR... - the independent check of the golden corpus.

For each case it reads in.pcap, expect.json and expected/ (written by fwd-ref)
and asserts, with scapy and its own arithmetic and never the C code, that:
 - every frame expected to be forwarded is the next frame of the right
   expected/port<N>.pcap, equal to the input with TTL - 1, a header checksum
   equal to a full RFC 1071 recomputation (and never 0xFFFF), the next hop's
   MAC as destination, the egress port's MAC as source, every other byte
   (padding included) unchanged;
 - every punted frame is the next frame of expected/punt.pcap, unmodified;
 - dropped frames appear nowhere, and no output file holds extra frames;
 - stats.json has every reason of FWD_REASONS in its group and the counts
   expect.json implies.
Exit 0 if every case passes, 1 with one line per failing case otherwise, 2 on
bad usage.
"""
import json
import os
import sys

from scapy.utils import RawPcapReader, checksum

from fwd_reasons import load_reasons

IP_OFF = 14


class CheckError(Exception):
    pass


def read_frames(path):
    """All frames of a pcap as bytes (Ethernet link type required)."""
    if not os.path.exists(path):
        raise CheckError("%s: missing" % path)
    frames = []
    r = RawPcapReader(path)
    try:
        if r.linktype != 1:
            raise CheckError("%s: link type %d, expected 1 (Ethernet)" % (path, r.linktype))
        for data, meta in r:
            if meta.caplen != meta.wirelen:
                raise CheckError("%s: frame %d cut by the snaplen" % (path, len(frames) + 1))
            frames.append(bytes(data))
    finally:
        r.close()
    return frames


def conf_macs(path):
    """From a routes.conf: {port: its MAC} and {port: set of neighbour MACs}."""
    ports, neighs = {}, {}
    with open(path, encoding="ascii") as f:
        for line in f:
            w = line.split("#")[0].split()
            if w[:1] == ["port"]:
                ports[int(w[1])] = w[w.index("mac") + 1]
            elif w[:1] == ["neigh"]:
                neighs.setdefault(int(w[5]), set()).add(w[3])
    return ports, neighs


def mac_bytes(s):
    return bytes(int(x, 16) for x in s.split(":"))


def first_diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return "byte %d: expected 0x%02x, got 0x%02x" % (i, x, y)
    return "length: expected %d, got %d" % (len(a), len(b))


def forwarded(inp, e):
    """The frame as a correct forwarder must emit it (RFC 1812 5.3.1)."""
    if len(inp) < IP_OFF + 20 or inp[IP_OFF] != 0x45:
        raise CheckError("expected forward of a frame without a plain IPv4 header")
    if inp[IP_OFF + 8] < 2:
        raise CheckError("expected forward of a frame with TTL %d" % inp[IP_OFF + 8])
    out = bytearray(inp)
    out[0:6] = mac_bytes(e["dmac"])
    out[6:12] = mac_bytes(e["smac"])
    out[IP_OFF + 8] -= 1
    out[IP_OFF + 10:IP_OFF + 12] = b"\0\0"
    ck = checksum(bytes(out[IP_OFF:IP_OFF + 20]))   # full recomputation
    if ck == 0xFFFF:
        raise CheckError("full recomputation gave 0xFFFF (all-zero header?)")
    out[IP_OFF + 10:IP_OFF + 12] = ck.to_bytes(2, "big")
    return bytes(out)


def check_frames(expect, inputs, outputs):
    """Walk the input frames in order, consuming the output queues."""
    pos = {name: 0 for name in outputs}
    for i, (inp, e) in enumerate(zip(inputs, expect["frames"])):
        what = "frame %d (%s: %s)" % (i + 1, e["reason"], e["note"])
        reason = e["reason"]
        if reason == "forward":
            name, want = "port%d.pcap" % e["port"], forwarded(inp, e)
        elif KINDS[reason] == "punt":
            name, want = "punt.pcap", inp
        else:
            continue
        if name not in outputs:
            raise CheckError("%s: expected/%s does not exist" % (what, name))
        q, k = outputs[name], pos[name]
        if k >= len(q):
            raise CheckError("%s: missing from expected/%s (it has %d frames)"
                             % (what, name, len(q)))
        if q[k] != want:
            raise CheckError("%s: expected/%s frame %d: %s"
                             % (what, name, k + 1, first_diff(want, q[k])))
        pos[name] = k + 1
    for name, q in sorted(outputs.items()):
        if pos[name] != len(q):
            raise CheckError("expected/%s: %d extra frames after frame %d"
                             % (name, len(q) - pos[name], pos[name]))


def check_stats(path, expect):
    counts = {r: 0 for r in KINDS}
    for e in expect["frames"]:
        counts[e["reason"]] += 1
    with open(path, encoding="ascii") as f:
        st = json.load(f)
    want = {"rx": len(expect["frames"]), "forward": counts["forward"],
            "drop": {r: n for r, n in counts.items() if KINDS[r] == "drop"},
            "punt": {r: n for r, n in counts.items() if KINDS[r] == "punt"}}
    if set(st) != set(want):
        raise CheckError("%s: keys %s, expected %s" % (path, sorted(st), sorted(want)))
    for k in ("rx", "forward"):
        if st[k] != want[k]:
            raise CheckError("%s: %s = %s, expected %d" % (path, k, st[k], want[k]))
    for g in ("drop", "punt"):
        if set(st[g]) != set(want[g]):
            raise CheckError("%s: %s reasons %s, expected %s"
                             % (path, g, sorted(st[g]), sorted(want[g])))
        for r, n in want[g].items():
            if st[g][r] != n:
                raise CheckError("%s: %s.%s = %s, expected %d" % (path, g, r, st[g][r], n))


def check_case(d):
    """Raise CheckError on the first disagreement in case directory d."""
    with open(os.path.join(d, "expect.json"), encoding="utf-8") as f:
        expect = json.load(f)
    with open(os.path.join(d, "in_port"), encoding="ascii") as f:
        in_port = int(f.read())
    if in_port != expect["in_port"]:
        raise CheckError("in_port %d but expect.json says %d" % (in_port, expect["in_port"]))
    inputs = read_frames(os.path.join(d, "in.pcap"))
    if len(inputs) != len(expect["frames"]):
        raise CheckError("in.pcap has %d frames, expect.json %d"
                         % (len(inputs), len(expect["frames"])))
    for e in expect["frames"]:
        if e["reason"] not in KINDS:
            raise CheckError("expect.json: unknown reason %r" % e["reason"])
    port_mac, neigh_macs = conf_macs(os.path.join(d, "routes.conf"))
    ports = sorted(port_mac)
    if in_port not in ports:
        raise CheckError("in_port %d is not a port of routes.conf" % in_port)
    for i, e in enumerate(expect["frames"]):
        if e["reason"] == "forward" and (
                e["smac"] != port_mac.get(e["port"]) or
                e["dmac"] not in neigh_macs.get(e["port"], ())):
            raise CheckError("expect.json frame %d: port %d, smac %s, dmac %s do not "
                             "match routes.conf" % (i + 1, e["port"], e["smac"], e["dmac"]))
    out = os.path.join(d, "expected")
    present = sorted(f for f in os.listdir(out) if f.endswith(".pcap"))
    names = sorted(["port%d.pcap" % p for p in ports] + ["punt.pcap"])
    if present != names:
        raise CheckError("expected/ holds %s, the contract wants %s" % (present, names))
    outputs = {n: read_frames(os.path.join(out, n)) for n in names}
    check_stats(os.path.join(out, "stats.json"), expect)  # the summary first
    check_frames(expect, inputs, outputs)


KINDS = load_reasons()


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip().split("\n")[0], file=sys.stderr)
        return 2
    failed = 0
    for d in argv[1:]:
        name = os.path.basename(os.path.normpath(d))
        try:
            check_case(d)
            print("ok   %s" % name)
        except (CheckError, OSError, ValueError, KeyError) as e:
            print("FAIL %s: %s" % (name, e))
            failed += 1
    if failed:
        print("check_golden: %d of %d cases failed" % (failed, len(argv) - 1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
