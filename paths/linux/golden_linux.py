#!/usr/bin/python3
"""golden_linux.py - golden cases through the linux baseline (the kernel's
own ip_forward) on a veth topology (README.md here).

  golden_linux.py --routes R --in-port N --in IN.pcap --out-dir OUT
      outputs only, in the shape of the golden contract: OUT/port<N>.pcap =
      the frames the kernel forwarded out of port N (its own ARP/ICMP
      frames removed, kept in OUT/kernel/port<N>.pcap). No punt.pcap, no
      stats.json: compare with golden-cmp --no-punt-frames --no-stats
      (run_golden.py has no --no-stats to pass on; --case does it all).

  golden_linux.py --case CASE_DIR --fwd-ref BIN --golden-cmp BIN [--json FILE]
      the whole check: the kernel's output against CASE_DIR/expected, then,
      if they differ, against the expectation adjusted by the known
      deviations (deviations.py). Prints "LINUX <case> pass|deviates|FAIL|skip
      <detail>" and writes the same as JSON to FILE.

Topology: paths/socket/tests/socktopo.py (namespaces flv-gen/dut/snk-PID,
one veth pair per port, DUT ends named and MAC-addressed as routes.conf
says, peers carry the port's first neighbour's MAC, IPv6 off, MTU large
enough for the case's largest frame); linux_router.py makes the DUT the
kernel router of routes.conf. Every peer is captured (tcpdump, inbound),
IN.pcap is replayed byte for byte into the ingress port's peer, and the
captures are read once every peer's receive counter has stopped moving.

Exit: 0 done (check: pass or deviates), 1 FAIL, 2 set-up error, 77 skip
(not root, no tcpdump, or a frame shorter than an Ethernet header, which a
veth cannot carry: the kernel refuses to send it).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "socket", "tests"))
sys.dont_write_bytecode = True
import socktopo  # noqa: E402
import deviations  # noqa: E402
import kernel_frames  # noqa: E402
import linux_router  # noqa: E402

socktopo.PREFIX = "flv"
SETTLE_S = 0.3       # no capture grew this long: the kernel is done
SETTLE_MAX_S = 10.0


def uncarriable(frames):
    """Why this input cannot go through a veth, or None."""
    for i, fr in enumerate(frames, 1):
        if len(fr) < 14:
            return ("frame %d is %d bytes, shorter than an Ethernet header: the kernel "
                    "refuses to send it on a veth (dev_validate_header)" % (i, len(fr)))
    return None


def settle(topo, caps):
    """Wait until no capture file grows for SETTLE_S (file reads only, no
    process per poll); then return {port: frames its peer received} (the
    veth's own counter, read once)."""
    last, since, end = None, time.time(), time.time() + SETTLE_MAX_S
    while time.time() < end:
        now = {}
        for n, c in caps.items():
            try:
                now[n] = len(socktopo.read_pcap(c.path))
            except (OSError, ValueError):
                now[n] = 0
        if now != last:
            last, since = now, time.time()
        elif time.time() - since >= SETTLE_S:
            break
        time.sleep(0.05)
    return {n: socktopo.rx_packets(*topo.peer[n]) for n in caps}


def run_linux(routes, in_port, in_pcap, out):
    """Replay in_pcap through the kernel router of routes; write
    out/port<N>.pcap (forwarded) and out/kernel/port<N>.pcap. Returns the
    kernel_frames.summary() line of what was removed."""
    ports, neighs, rts = socktopo.parse_routes(routes)
    frames = socktopo.read_pcap(in_pcap)
    mtu = max([1500] + [len(fr) - 14 for fr in frames] + [p.mtu for p in ports.values()])
    raw = os.path.join(out, "capture")
    os.makedirs(raw, exist_ok=True)
    caps = {}
    with socktopo.Topo(ports, in_port, mtu) as topo:
        linux_router.configure(topo, ports, neighs, rts)
        try:
            for num in sorted(ports):
                ns, ifn = topo.peer[num]
                caps[num] = socktopo.Capture(ns, ifn, os.path.join(raw, "port%d.pcap" % num),
                                             snaplen=mtu + 14 + 4)
            socktopo.run(topo.exec_cmd("gen", [
                "/usr/bin/python3", os.path.join(HERE, "..", "socket", "tests", "socktopo.py"),
                "replay", topo.peer[in_port][1], in_pcap]))
            want = settle(topo, caps)
            for num, c in caps.items():
                got = c.wait_for(want[num])
                if got < want[num]:
                    print("note: port %d's capture holds %d of the %d frames its peer received"
                          % (num, got, want[num]))
        finally:
            for c in caps.values():
                c.stop()
    addrs = linux_router.addresses(ports)
    os.makedirs(os.path.join(out, "kernel"), exist_ok=True)
    removed = {}
    for num in sorted(ports):
        fwd, kern = kernel_frames.split(socktopo.read_pcap(os.path.join(raw, "port%d.pcap" % num)),
                                        addrs)
        socktopo.write_pcap(os.path.join(out, "port%d.pcap" % num), fwd)
        socktopo.write_pcap(os.path.join(out, "kernel", "port%d.pcap" % num), kern)
        removed[num] = kern
    return kernel_frames.summary(removed)


def golden_cmp(tool, expected, actual):
    """(status, first line) of golden-cmp on forwarded frames only."""
    p = subprocess.run([tool, expected, actual, "--no-punt-frames", "--no-stats"],
                       capture_output=True, text=True, check=False)
    line = (p.stdout.strip() or p.stderr.strip()).splitlines()
    return p.returncode, line[0] if line else "golden-cmp exited %d" % p.returncode


def check_case(a, work):
    """The whole check of one case: (result, detail, notes)."""
    case = os.path.abspath(a.case)
    name = os.path.basename(case)
    routes, in_pcap = os.path.join(case, "routes.conf"), os.path.join(case, "in.pcap")
    with open(os.path.join(case, "in_port")) as f:
        in_port = int(f.read().strip())
    with open(os.path.join(case, "expect.json")) as f:
        reasons = [fr["reason"] for fr in json.load(f)["frames"]]
    frames = socktopo.read_pcap(in_pcap)
    why = uncarriable(frames)
    if why:
        return "skip", why, []
    notes = []
    out = os.path.join(work, "strict")
    os.makedirs(out)
    removed = run_linux(routes, in_port, in_pcap, out)
    if removed:
        notes.append("kernel frames removed: " + removed)
    rc, line = golden_cmp(a.golden_cmp, os.path.join(case, "expected"), out)
    if rc not in (0, 1):
        return "FAIL", "golden-cmp: " + line, notes
    entries = deviations.plan(frames, reasons)
    arc, aline = None, ""
    if rc == 1 and deviations.counts(entries):
        replay, expect = deviations.adjust(frames, entries)
        adj = os.path.join(work, "adjusted")
        os.makedirs(adj)
        socktopo.write_pcap(os.path.join(adj, "in.pcap"), expect)
        socktopo.run([a.fwd_ref, "--routes", routes, "--in-port", str(in_port),
                      "--in", os.path.join(adj, "in.pcap"),
                      "--out-dir", os.path.join(adj, "expected")])
        actual = out
        if len(replay) != len(frames):  # frames left out: a second run without them
            socktopo.write_pcap(os.path.join(adj, "replay.pcap"), replay)
            actual = os.path.join(adj, "actual")
            os.makedirs(actual)
            run_linux(routes, in_port, os.path.join(adj, "replay.pcap"), actual)
        arc, aline = golden_cmp(a.golden_cmp, os.path.join(adj, "expected"), actual)
    captured = [fr for f in os.listdir(out) if f.startswith("port") and f.endswith(".pcap")
                for fr in socktopo.read_pcap(os.path.join(out, f))]
    fwd = deviations.forwarded(frames, entries, captured)
    result, detail = deviations.classify(rc, line, entries, arc, aline, fwd)
    if a.keep and result != "pass":
        dst = os.path.join(a.keep, name)
        subprocess.run(["cp", "-r", work, dst], check=False)
        notes.append("outputs kept in " + dst)
    return result, detail, notes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--routes")
    ap.add_argument("--in-port", type=int)
    ap.add_argument("--in", dest="in_pcap")
    ap.add_argument("--out-dir")
    ap.add_argument("--case", help="check mode: the case directory")
    ap.add_argument("--fwd-ref")
    ap.add_argument("--golden-cmp")
    ap.add_argument("--json", metavar="FILE", help="check mode: write the result here")
    ap.add_argument("--keep", metavar="DIR", help="check mode: copy outputs of a case "
                    "that does not pass into DIR/<case>")
    a = ap.parse_args()
    if a.case:
        if not (a.fwd_ref and a.golden_cmp):
            ap.error("--case needs --fwd-ref and --golden-cmp")
    elif None in (a.routes, a.in_port, a.in_pcap, a.out_dir):
        ap.error("give --routes, --in-port, --in and --out-dir (or --case ...)")
    socktopo.need_root()
    socktopo.term_to_exit()
    try:
        if not a.case:
            os.makedirs(a.out_dir, exist_ok=True)
            frames = socktopo.read_pcap(a.in_pcap)
            why = uncarriable(frames)
            if why:
                print("SKIP: " + why)
                return 77
            removed = run_linux(a.routes, a.in_port, a.in_pcap, a.out_dir)
            if removed:
                print("kernel frames removed: " + removed)
            return 0
        with tempfile.TemporaryDirectory(prefix="flv-golden-") as work:
            result, detail, notes = check_case(a, work)
    except (RuntimeError, ValueError, OSError, KeyError) as e:
        print("golden_linux: %s" % e, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("golden_linux: interrupted", file=sys.stderr)
        return 130
    name = os.path.basename(os.path.abspath(a.case))
    for n in notes:
        print("note: " + n)
    print("LINUX %s %s%s" % (name, result, " " + detail if detail else ""))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"case": name, "result": result, "detail": detail, "notes": notes}, f)
            f.write("\n")
    return {"pass": 0, "deviates": 0, "skip": 77}.get(result, 1)


if __name__ == "__main__":
    sys.exit(main())
