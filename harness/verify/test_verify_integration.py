#!/usr/bin/python3
"""test_verify_integration.py BUILD_DIR - `fwdlab verify` for real (root;
exit 77 otherwise): ref and the linux baseline (plus xdp when built) on
four cases that give every cell kind but FAIL:

  forward   pass everywhere
  padding   linux: deviates (padding): the kernel strips Ethernet padding
  vlan      linux: deviates (vlan-priority-tag): VID 0 is received untagged
  runt      skip for linux and xdp (frames shorter than 14 bytes), pass for ref

Checks the matrix (header, rows, cells), the sections under it, the JSON
file, the exit status (0: no FAIL) and that no flv-* namespace is left.
"""
import json
import os
import subprocess
import sys
import tempfile

HARNESS = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
BAD = []


def check(cond, what):
    print("%s %s" % ("ok  " if cond else "FAIL", what))
    if not cond:
        BAD.append(what)


def namespaces():
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return [l.split()[0] for l in out.splitlines() if l.startswith("flv-")]


def main(argv):
    if len(argv) != 2:
        print("usage: test_verify_integration.py BUILD_DIR", file=sys.stderr)
        return 2
    if os.geteuid() != 0:
        print("SKIP: needs root (the linux baseline runs on veths in network namespaces)")
        return 77
    build = os.path.abspath(argv[1])
    xdp = os.path.exists(os.path.join(build, "paths", "xdp", "fwd-xdp-golden"))
    paths = ["ref", "linux"] + (["xdp"] if xdp else [])
    before = namespaces()
    with tempfile.TemporaryDirectory(prefix="verify-it-") as tmp:
        js = os.path.join(tmp, "m.json")
        p = subprocess.run([sys.executable, os.path.join(HARNESS, "fwdlab"), "verify",
                            "--build-dir", build, "--paths", ",".join(paths),
                            "--cases", "forward,padding,vlan,runt", "--json", js],
                           capture_output=True, text=True, timeout=900, check=False)
        print(p.stdout)
        print(p.stderr[-2000:], file=sys.stderr)
        lines = p.stdout.splitlines()
        check(p.returncode == 0, "exit 0 without FAIL (got %d)" % p.returncode)
        check(lines and lines[0].split() == ["case"] + paths, "header: case + %s" % paths)
        rows = {l.split()[0]: l for l in lines[2:6]} if len(lines) >= 6 else {}
        cells = {}
        try:
            with open(js) as f:
                d = json.load(f)
            cells = {c: {q: v["result"] for q, v in d["cells"][c].items()} for c in d["cells"]}
            check(d["exit"] == 0 and d["paths"] == paths, "JSON: exit and paths")
        except (OSError, ValueError, KeyError) as e:
            check(False, "JSON readable: %s" % e)
        check(all(cells.get(c, {}).get("ref") == "pass" for c in ("forward", "padding", "vlan", "runt")),
              "ref passes every case")
        check(cells.get("forward", {}).get("linux") == "pass", "linux forward: pass")
        check(cells.get("padding", {}).get("linux") == "deviates", "linux padding: deviates")
        check(cells.get("vlan", {}).get("linux") == "deviates", "linux vlan: deviates")
        check(cells.get("runt", {}).get("linux") == "skip", "linux runt: skip")
        check("deviates (padding)" in rows.get("padding", ""), "padding row shows deviates (padding)")
        check("deviates (vlan-priority-tag)" in rows.get("vlan", ""), "vlan row names the deviation")
        check(" skip" in rows.get("runt", ""), "runt row shows skip")
        check("  linux/runt: frame 1 is 1 bytes" in p.stdout, "linux runt's skip reason listed")
        check("  linux/padding: padding: 6 frames" in p.stdout, "padding deviation detail listed")
        if xdp:
            check(cells.get("runt", {}).get("xdp") == "skip", "xdp runt: skip, never pass")
            check(cells.get("forward", {}).get("xdp") == "pass", "xdp forward: pass")
        check(not any(c == "FAIL" for r in cells.values() for c in r.values()), "no FAIL cell")
    left = [n for n in namespaces() if n not in before]
    check(not left, "no flv-* namespace left (%s)" % " ".join(left))
    if BAD:
        print("test_verify_integration: %d checks failed" % len(BAD))
    return 1 if BAD else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
