#!/usr/bin/python3
"""gen_golden.py - build the golden corpus (README.md in this directory).

  gen_golden.py --fwd-ref BUILD/paths/ref/fwd-ref --out DIR
  gen_golden.py --fwd-ref BUILD/paths/ref/fwd-ref --compare-to DIR

For every case of golden_cases.CASES it writes <case>/routes.conf,
<case>/in.pcap, <case>/in_port and <case>/expect.json (every frame's
expected verdict, and for forwarded frames the egress port and MACs, derived
from the case's own definition by golden_model), then runs fwd-ref to write
<case>/expected/, checks that output with check_golden (independent of the
C code), and writes CASES. Everything is built in a temporary directory
first; --out then replaces the cases in DIR, --compare-to instead reports the
first file that differs from DIR (the corpus must be reproducible: pcap
timestamps are fixed, the mix case uses a seeded generator).
Exit 0 on success, 1 on a difference or a failed check, 2 on bad usage.
"""
import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from scapy.utils import RawPcapWriter

import check_golden
from fwd_reasons import load_reasons
from golden_cases import CASES
from golden_model import classify, mac_str

PCAP_EPOCH = 1700000000   # fixed timestamps: frame i at PCAP_EPOCH s + i us
CASE_FILES = ["routes.conf", "in.pcap", "in_port", "expect.json"]
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class GenError(Exception):
    pass


def write_pcap(path, frames):
    """Ethernet (DLT_EN10MB) pcap, microsecond timestamps, snaplen 65535."""
    w = RawPcapWriter(path, linktype=1, snaplen=65535)
    w.write_header(None)
    for i, fr in enumerate(frames):
        w.write_packet(fr, sec=PCAP_EPOCH, usec=i)
    w.close()


def expectations(case, reasons):
    """One dict per frame: the model's verdict, checked against the author's."""
    out = []
    for i, (fr, want, note, port, nh) in enumerate(case.frames):
        if want not in reasons:
            raise GenError("%s: frame %d (%s): unknown reason %r" % (case.name, i + 1, note, want))
        got, fwd = classify(case.router, case.in_port, fr)
        if got != want:
            raise GenError("%s: frame %d (%s): declared %s, the table says %s"
                           % (case.name, i + 1, note, want, got))
        e = {"reason": got, "note": note}
        if fwd:
            eport, nmac = fwd
            if port is not None and eport.id != port:
                raise GenError("%s: frame %d (%s): declared port %d, the table says %d"
                               % (case.name, i + 1, note, port, eport.id))
            if nh is not None and nmac != nh:
                raise GenError("%s: frame %d (%s): declared next hop %s, the table says %s"
                               % (case.name, i + 1, note, mac_str(nh), mac_str(nmac)))
            e.update(port=eport.id, dmac=mac_str(nmac), smac=mac_str(eport.mac))
        out.append(e)
    return out


def write_expect(path, case, frames):
    """expect.json: a header and one frame per line (readable diffs)."""
    head = {"case": case.name, "about": case.about, "in_port": case.in_port}
    lines = ['{',
             '  "case": %s,' % json.dumps(head["case"]),
             '  "about": %s,' % json.dumps(head["about"]),
             '  "in_port": %d,' % case.in_port,
             '  "frames": [']
    body = ['    ' + json.dumps(f, sort_keys=True) for f in frames]
    lines.append(",\n".join(body))
    lines += ['  ]', '}']
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def gen_case(case, root, fwd_ref, reasons):
    if not NAME_RE.match(case.name):
        raise GenError("bad case name %r" % case.name)
    d = os.path.join(root, case.name)
    os.mkdir(d)
    frames = expectations(case, reasons)
    with open(os.path.join(d, "routes.conf"), "w", encoding="ascii") as f:
        f.write(case.router.conf())
    with open(os.path.join(d, "in_port"), "w", encoding="ascii") as f:
        f.write("%d\n" % case.in_port)
    write_pcap(os.path.join(d, "in.pcap"), [fr[0] for fr in case.frames])
    write_expect(os.path.join(d, "expect.json"), case, frames)
    cmd = [fwd_ref, "--routes", os.path.join(d, "routes.conf"),
           "--in-port", str(case.in_port), "--in", os.path.join(d, "in.pcap"),
           "--out-dir", os.path.join(d, "expected")]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, check=False)
    if p.returncode:
        raise GenError("%s: fwd-ref exited %d: %s" % (case.name, p.returncode, p.stdout.strip()))
    try:
        check_golden.check_case(d)
    except check_golden.CheckError as e:
        raise GenError("fwd-ref disagrees with the case definition: %s" % e) from e


def generate(root, fwd_ref):
    reasons = load_reasons()
    names = []
    for make in CASES:
        case = make()
        if case.name in names:
            raise GenError("duplicate case name %s" % case.name)
        gen_case(case, root, fwd_ref, reasons)
        names.append(case.name)
    with open(os.path.join(root, "CASES"), "w", encoding="ascii") as f:
        f.write("".join(n + "\n" for n in names))
    return names


def read_cases(d):
    path = os.path.join(d, "CASES")
    if not os.path.exists(path):
        return []
    with open(path, encoding="ascii") as f:
        return [line.strip() for line in f if line.strip()]


def tree(d):
    """Relative paths of every file under d, sorted."""
    out = []
    for base, _, files in os.walk(d):
        out += [os.path.relpath(os.path.join(base, f), d) for f in files]
    return sorted(out)


def compare(new, old):
    """First difference between a fresh corpus and the committed one, or None."""
    names = read_cases(new)
    if read_cases(old) != names:
        return "CASES differs (%s vs committed %s)" % (names, read_cases(old))
    for n in names:
        a, b = tree(os.path.join(new, n)), tree(os.path.join(old, n))
        if a != b:
            return "%s/: files %s vs committed %s" % (n, a, b)
        for f in a:
            if not filecmp.cmp(os.path.join(new, n, f), os.path.join(old, n, f),
                               shallow=False):
                return "%s/%s differs from the committed file" % (n, f)
    for entry in sorted(os.listdir(old)):
        if os.path.exists(os.path.join(old, entry, "in.pcap")) and entry not in names:
            return "%s/ is a stale case directory (not in CASES)" % entry
    return None


def install(new, out):
    """Replace the cases of out by those of new (only generated directories)."""
    os.makedirs(out, exist_ok=True)
    for n in set(read_cases(out)) | set(read_cases(new)):
        d = os.path.join(out, n)
        if NAME_RE.match(n) and os.path.isdir(d):
            shutil.rmtree(d)
    for n in read_cases(new):
        shutil.copytree(os.path.join(new, n), os.path.join(out, n))
    shutil.copy(os.path.join(new, "CASES"), os.path.join(out, "CASES"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fwd-ref", required=True, help="the built fwd-ref")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--out", help="write the corpus here (replacing its cases)")
    g.add_argument("--compare-to", help="regenerate and compare with this corpus")
    a = ap.parse_args()
    if not os.access(a.fwd_ref, os.X_OK):
        print("gen_golden: %s: not an executable fwd-ref" % a.fwd_ref, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="golden-") as tmp:
        try:
            names = generate(tmp, os.path.abspath(a.fwd_ref))
        except (GenError, ValueError, AssertionError) as e:
            print("gen_golden: %s" % e, file=sys.stderr)
            return 1
        if a.compare_to:
            diff = compare(tmp, a.compare_to)
            if diff:
                print("golden-regen: %s (regenerate: ninja -C BUILD golden-regen)" % diff)
                return 1
            print("ok: %d cases regenerated identically" % len(names))
            return 0
        install(tmp, a.out)
        print("wrote %d cases to %s" % (len(names), a.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
