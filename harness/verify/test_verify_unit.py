#!/usr/bin/python3
"""test_verify_unit.py BUILD_DIR - `fwdlab verify` without privileges:

  - matrix rendering and exit code on canned cells (every result kind,
    column skips stated once, deviation names in the cell, notes, failures'
    first differences);
  - the runners' outcome parsing (run_golden.py statuses, guest-golden's
    KMOD lines) on canned output;
  - the linux deviation classification (paths/linux/deviations.py) on
    crafted frames and canned golden-cmp results;
  - end to end with a broken fwd-ref (a wrapper flipping one byte of its
    output): `fwdlab verify --paths ref` prints FAIL with golden-cmp's first
    difference and exits 1; the real fwd-ref passes and exits 0.
Exit 0 if every check holds, 1 otherwise.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.realpath(__file__))
HARNESS = os.path.dirname(HERE)
REPO = os.path.dirname(HARNESS)
sys.dont_write_bytecode = True
sys.path.insert(0, HARNESS)
sys.path.insert(0, os.path.join(REPO, "paths", "linux"))
from verify.matrix import Cell, Matrix  # noqa: E402
from verify import runners  # noqa: E402
import deviations  # noqa: E402

BAD = []


def check(cond, what):
    print("%s %s" % ("ok  " if cond else "FAIL", what))
    if not cond:
        BAD.append(what)


def test_matrix():
    m = Matrix(["forward", "runt", "options"], ["ref", "xdp", "kmod", "linux"])
    m.set("forward", "ref", Cell("pass"))
    m.set("runt", "ref", Cell("pass"))
    m.set("options", "ref", Cell("pass"))
    m.set("forward", "xdp", Cell("pass"))
    m.set("runt", "xdp", Cell("skip", "frames shorter than 14 bytes never reach XDP"))
    m.set("options", "xdp", Cell("FAIL", "port1.pcap: frame 2: byte 22: expected 0x3f, actual 0x40"))
    m.skip_column("kmod", "qemu-system-x86_64 not installed")
    m.set("forward", "linux", Cell("pass", note="a remark"))
    m.set("runt", "linux", Cell("skip", "frame 1 is 1 bytes"))
    m.set("options", "linux", Cell("deviates", "options: 6 frames, martian: 1 frame"))
    out = m.render()
    lines = out.splitlines()
    check(lines[0].split() == ["case", "ref", "xdp", "kmod", "linux"], "header: case + paths in order")
    row = {l.split()[0]: l for l in lines[2:5]}
    check(row["runt"].split()[1:4] == ["pass", "skip", "skip"], "runt row: pass skip skip")
    check("FAIL" in row["options"].split(), "options row holds FAIL")
    check("deviates (options, martian)" in row["options"], "deviates cell names the deviations")
    check("pass*" in row["forward"], "a cell with a note is marked *")
    check(out.count("qemu-system-x86_64 not installed") == 1, "column skip reason stated once")
    check("kmod/" not in out, "no per-cell lines for a skipped column")
    check("  xdp/runt: frames shorter than 14 bytes never reach XDP" in out, "cell skip reason listed")
    check("  xdp/options: port1.pcap: frame 2: byte 22" in out, "failure's first difference listed")
    check("  linux/options: options: 6 frames, martian: 1 frame" in out, "deviation detail listed")
    check("  linux/forward: a remark" in out, "note listed")
    check("12 cells: 5 pass, 1 FAIL, 5 skip, 1 deviates" in out, "cell counts")
    out2 = m.render({"options": "forwards IP options", "martian": "narrower list", "padding": "x"})
    check("Kernel behaviour behind those deviations:\n  options: forwards IP options\n"
          "  martian: narrower list\n" in out2 and "padding: x" not in out2,
          "explanations of the deviations named, only those")
    check(m.exit_code() == 1, "exit 1 with a FAIL")
    m.set("options", "xdp", Cell("pass"))
    check(m.exit_code() == 0, "exit 0 with skips and deviations but no FAIL")
    d = json.loads(m.as_json({"build_dir": "b"}))
    check(d["cells"]["options"]["linux"]["result"] == "deviates" and d["exit"] == 0
          and d["column_skip"] == {"kmod": "qemu-system-x86_64 not installed"}, "JSON form")
    try:
        Cell("ok")
        check(False, "unknown cell result refused")
    except ValueError:
        check(True, "unknown cell result refused")


def test_runner_parsing():
    c = runners.cell_from_run_golden(0, "run_golden: x\nok\n")
    check(c.result == "pass", "run_golden 0 -> pass")
    c = runners.cell_from_run_golden(1, "run_golden: x\nport1.pcap: frame 3: byte 24: expected 0x00, actual 0xff\n")
    check(c.result == "FAIL" and c.detail.startswith("port1.pcap: frame 3"), "run_golden 1 -> FAIL + diff line")
    c = runners.cell_from_run_golden(77, "run_golden: x\nSKIP: frame 1 is 1 bytes\n")
    check(c.result == "skip" and c.detail == "frame 1 is 1 bytes", "run_golden 77 -> skip + reason")
    c = runners.cell_from_run_golden(77, "golden_dpdk: fwd-dpdk not built (DPDK disabled): skip\n")
    check(c.result == "skip" and "not built" in c.detail, "trailing 'skip' reason kept")
    out = "\n".join([
        "KMOD: insmod /b/fwd_kmod.ko",
        "KMOD-CASE forward PASS (13 frames) [812 ms]",
        "KMOD: runt: 4 frame(s) shorter than 14 B cannot be sent on a veth; expecting fwd-ref's output for the 1 sent",
        "KMOD-CASE runt PASS (1 frames) [300 ms]",
        "KMOD: vlan: punted VLAN-tagged frames lose their tag before any after-hook tap: punt frames not compared (counts are)",
        "KMOD-CASE vlan PASS (7 frames, --no-punt-frames) [400 ms]",
        "KMOD-CASE mtu FAIL port2.pcap: frame 1: missing (expected 2 frames, actual has 1)  [500 ms]",
        "KMOD-CASE rmmod PASS",
        "KMOD-RESULT pass=4 fail=1"])
    cells = runners.parse_kmod(out, 1, ["forward", "runt", "vlan", "mtu", "lpm"])
    check(cells["forward"].result == "pass" and not cells["forward"].note, "kmod PASS -> pass")
    check(cells["runt"].result == "skip" and "4 frame(s)" in cells["runt"].detail,
          "kmod case with unsent runts -> skip, never pass")
    check(cells["vlan"].result == "pass" and "not compared" in cells["vlan"].note, "kmod note kept")
    check(cells["mtu"].result == "FAIL" and cells["mtu"].detail.startswith("port2.pcap: frame 1: missing"),
          "kmod FAIL -> FAIL + diff")
    check(cells["lpm"].result == "FAIL" and "no result" in cells["lpm"].detail, "kmod case without a line -> FAIL")
    cells = runners.parse_kmod("KMOD-CASE forward PASS (13 frames)\nKMOD-CASE lpm FAIL x\n"
                               "run-in-vm: FAIL: kernel problem in the console log:\n"
                               "[ 1.0] WARNING: CPU: 0 PID: 1 at net/core/dev.c:1\n", 1,
                               ["forward", "lpm"])
    check(cells["forward"].result == "FAIL" and "WARNING: CPU" in cells["forward"].detail
          and cells["lpm"].detail == "x", "kmod console WARNING fails the passing cases")
    cells = runners.parse_kmod("run-in-vm: SKIP: no kernel headers\n", 77, ["forward", "lpm"])
    check(all(c.result == "skip" and "no kernel headers" in c.detail for c in cells.values()),
          "kmod run 77 -> every case skip with the reason")


def eth(payload_type, body, dst=b"\x02\x00\x00\x00\x00\x10"):
    return dst + b"\x02\x0a\x00\x00\x00\x02" + struct.pack("!H", payload_type) + body


def ipv4(src, dst, tot=None, ihl=5, df=False, pad=0):
    tot = tot or ihl * 4 + 8
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tot, 1, 0x4000 if df else 0, 64, 17, 0,
                      bytes(src), bytes(dst)) + b"\x01" * (ihl * 4 - 20)
    return hdr + b"\0" * (tot - ihl * 4) + b"\xee" * pad


def test_deviations():
    fwd = eth(0x0800, ipv4([198, 18, 0, 2], [198, 19, 0, 1]))
    padded = eth(0x0800, ipv4([198, 18, 0, 2], [198, 19, 0, 1], pad=18))
    opts = eth(0x0800, ipv4([198, 18, 0, 2], [198, 19, 0, 1], ihl=6))
    big = eth(0x0800, ipv4([198, 18, 0, 2], [198, 19, 0, 1], tot=1600))
    big_df = eth(0x0800, ipv4([198, 18, 0, 2], [198, 19, 0, 1], tot=1600, df=True))
    m_e = eth(0x0800, ipv4([240, 0, 0, 0], [198, 19, 0, 1]))
    m_0 = eth(0x0800, ipv4([0, 0, 0, 1], [198, 19, 0, 1]))
    m_lo = eth(0x0800, ipv4([127, 0, 0, 1], [198, 19, 0, 1]))
    m_z = eth(0x0800, ipv4([198, 18, 0, 2], [0, 0, 0, 0]))
    prio = eth(0x8100, struct.pack("!HH", 0x2000, 0x0800) + ipv4([198, 18, 0, 2], [198, 19, 0, 1]))
    vid = eth(0x8100, struct.pack("!HH", 100, 0x0800) + ipv4([198, 18, 0, 2], [198, 19, 0, 1]))
    frames = [fwd, padded, opts, big, big_df, m_e, m_0, m_lo, m_z, prio, vid, padded]
    reasons = ["forward", "forward", "options", "mtu", "mtu", "martian", "martian", "martian",
               "martian", "not-ipv4", "not-ipv4", "ttl"]
    plan = deviations.plan(frames, reasons)
    names = [e[0] if e else None for e in plan]
    check(names == [None, "padding", "options", "fragments-mtu", None, "martian", "martian",
                    None, None, "vlan-priority-tag", None, None], "plan: %s" % names)
    replay, expect = deviations.adjust(frames, plan)
    check(len(replay) == len(expect) == len(frames) - 4, "excluded frames left out of replay and expectation")
    check(replay[1] == padded and expect[1] == padded[:14 + 28], "padding: replayed as is, expected stripped")
    check(expect[5] == fwd and replay[5] == prio, "priority tag: replayed tagged, expected untagged")
    check(deviations.counts(plan) == {"padding": 1, "options": 1, "fragments-mtu": 1, "martian": 2,
                                      "vlan-priority-tag": 1}, "counts per deviation")
    check(deviations.classify(0, "", plan) == ("pass", ""), "strict equal -> pass")
    r = deviations.classify(1, "port1.pcap: frame 2: length", plan, 0, "")
    check(r[0] == "deviates" and r[1].startswith("padding: 1 frame, options: 1 frame"),
          "differs, equal once adjusted -> deviates (%s)" % r[1])
    # what the kernel forwarded: the options frame (TTL - 1, checksum changed) and
    # a fragment of the big one; not the martians
    fwd_opts = bytearray(opts); fwd_opts[22] -= 1; fwd_opts[24] ^= 0xff
    frag = bytearray(big[:14 + 20 + 8]); frag[16:18] = struct.pack("!H", 28)
    fw = deviations.forwarded(frames, plan, [fwd, bytes(fwd_opts), bytes(frag)])
    check(fw == {"options": 1, "fragments-mtu": 1, "martian": 0}, "forwarded() by datagram key: %s" % fw)
    r = deviations.classify(1, "port1.pcap: frame 2: length", plan, 0, "", fw)
    check(r[0] == "deviates" and "options: 1 frame forwarded by the kernel" in r[1]
          and r[1].endswith("; not needed: martian: no frame forwarded by the kernel (of 2)"),
          "exclude entries the kernel did not need are set apart (%s)" % r[1])
    check(Cell(*r).text() == "deviates (padding, options, fragments-mtu, vlan-priority-tag)",
          "cell names only the needed deviations: %s" % Cell(*r).text())
    r = deviations.classify(1, "port1.pcap: frame 2: byte 22", plan, 1, "port1.pcap: frame 2: byte 22")
    check(r[0] == "FAIL" and "also with the known deviations" in r[1], "differs even adjusted -> FAIL")
    r = deviations.classify(1, "port1.pcap: frame 1: byte 24", [None] * 3)
    check(r == ("FAIL", "port1.pcap: frame 1: byte 24"), "differs, no deviation applies -> FAIL")
    r = deviations.classify(2, "golden-cmp: missing", plan, 0, "")
    check(r[0] == "FAIL", "golden-cmp error -> FAIL, never deviates")
    check(all(len(d[4]) > 40 for d in deviations.DEVIATIONS), "every deviation explains the kernel behaviour")
    try:
        deviations.plan(frames, reasons[:-1])
        check(False, "plan refuses a frame/verdict count mismatch")
    except ValueError:
        check(True, "plan refuses a frame/verdict count mismatch")


def verify(build, extra):
    p = subprocess.run([sys.executable, os.path.join(HARNESS, "fwdlab"), "verify",
                        "--build-dir", build] + extra,
                       capture_output=True, text=True, check=False)
    return p.returncode, p.stdout, p.stderr


def test_end_to_end(build):
    ref = os.path.join(build, "paths", "ref", "fwd-ref")
    gcmp = os.path.join(build, "paths", "tests", "golden", "golden-cmp")
    if not (os.path.exists(ref) and os.path.exists(gcmp)):
        check(False, "fwd-ref and golden-cmp built in %s" % build)
        return
    rc, out, err = verify(build, ["--paths", "ref", "--cases", "forward,lpm"])
    check(rc == 0 and out.split("\n")[2].split() == ["forward", "pass"], "real fwd-ref: pass, exit 0")
    with tempfile.TemporaryDirectory(prefix="verify-unit-") as tmp:
        for d in ("paths/ref", "paths/tests/golden"):
            os.makedirs(os.path.join(tmp, d))
        os.symlink(gcmp, os.path.join(tmp, "paths/tests/golden/golden-cmp"))
        fake = os.path.join(tmp, "paths/ref/fwd-ref")
        with open(fake, "w") as f:  # fwd-ref, then byte 30 of port1.pcap's first frame flipped
            f.write("#!/usr/bin/python3\nimport subprocess, sys\n"
                    "subprocess.run([%r] + sys.argv[1:], check=True)\n"
                    "out = sys.argv[sys.argv.index('--out-dir') + 1] + '/port1.pcap'\n"
                    "b = bytearray(open(out, 'rb').read()); b[24 + 16 + 30] ^= 1\n"
                    "open(out, 'wb').write(b)\n" % ref)
        os.chmod(fake, 0o755)
        js = os.path.join(tmp, "m.json")
        rc, out, err = verify(tmp, ["--paths", "ref,xdp", "--cases", "forward", "--json", js])
        check(rc == 1, "broken fwd-ref: exit 1 (got %d)" % rc)
        check(out.split("\n")[2].split()[:2] == ["forward", "FAIL"], "broken fwd-ref: FAIL cell")
        check("ref/forward: port1.pcap: frame 1: byte 30:" in out, "golden-cmp's first difference printed")
        check("xdp: paths/xdp/fwd-xdp-golden not built" in out, "unbuilt path: column skip with reason")
        with open(js) as f:
            d = json.load(f)
        check(d["cells"]["forward"]["ref"]["result"] == "FAIL" and d["exit"] == 1, "JSON written")
    rc, out, err = verify(build, ["--paths", "ref,nosuch"])
    check(rc != 0 and "unknown path nosuch" in err, "unknown path refused in one line")
    rc, out, err = verify(build, ["--cases", "nosuch"])
    check(rc != 0 and "unknown case nosuch" in err, "unknown case refused in one line")


def main(argv):
    if len(argv) != 2:
        print("usage: test_verify_unit.py BUILD_DIR", file=sys.stderr)
        return 2
    test_matrix()
    test_runner_parsing()
    test_deviations()
    test_end_to_end(os.path.abspath(argv[1]))
    if BAD:
        print("test_verify_unit: %d checks failed" % len(BAD))
    return 1 if BAD else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
