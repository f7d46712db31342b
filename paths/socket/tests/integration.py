#!/usr/bin/python3
"""integration.py - fwd-socket against bad input, missing privileges, kernel
forwarding left on, signals, and real traffic with several workers.

  integration.py --fwd-socket BIN --fwd-ref BIN

Root only (exit 77 otherwise). Every check prints one line "ok ..." or
"FAIL ..."; exit 1 if any failed. Namespaces: fls-<role>-<pid>, always
removed.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import socktopo  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
failures = []


def check(cond, what, detail=""):
    print("%s %s%s" % ("ok  " if cond else "FAIL", what, (": " + detail) if detail and not cond else ""))
    if not cond:
        failures.append(what)


def one_line_error(r):
    """Non-zero exit and exactly one non-empty line on stderr."""
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    return len(lines) == 1, r.stderr.strip()


def run_fwd(topo, argv, timeout=10):
    cmd = topo.exec_cmd("dut", argv) if topo else argv
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def bad_input(a, tmp, topo, routes):
    r = run_fwd(topo, [a.fwd_socket])
    check(r.returncode == 2, "no --routes -> exit 2", "exit %d" % r.returncode)
    r = run_fwd(topo, [a.fwd_socket, "--routes", routes, "--mode", "fast"])
    check(r.returncode == 2 and one_line_error(r)[0], "bad --mode -> exit 2, one line",
          "exit %d: %s" % (r.returncode, r.stderr))
    r = run_fwd(topo, [a.fwd_socket, "--routes", routes, "--bogus"])
    check(r.returncode == 2 and one_line_error(r)[0], "unknown flag -> exit 2, one line",
          "exit %d: %s" % (r.returncode, r.stderr))
    r = run_fwd(topo, [a.fwd_socket, "--routes", routes, "--cpu", "1-0"])
    check(r.returncode == 2, "bad --cpu -> exit 2", "exit %d" % r.returncode)
    bad = os.path.join(tmp, "bad.conf")
    with open(bad, "w") as f:
        f.write("port 0 name p0 mac 02:00:00:00:00:10 addr 198.18.0.1/24\nroute 10.0.0.0/8 via\n")
    r = run_fwd(topo, [a.fwd_socket, "--routes", bad])
    ok, err = one_line_error(r)
    check(r.returncode == 3 and ok and "bad.conf:2" in err, "bad route file -> exit 3, file:line",
          "exit %d: %s" % (r.returncode, err))
    r = run_fwd(topo, [a.fwd_socket, "--routes", os.path.join(tmp, "missing.conf")])
    check(r.returncode == 3, "missing route file -> exit 3", "exit %d" % r.returncode)
    # a route file naming an interface this namespace does not have
    noif = os.path.join(tmp, "noif.conf")
    with open(routes) as f:
        text = f.read().replace("name p2 ", "name fls-nosuch ")
    with open(noif, "w") as f:
        f.write(text)
    r = run_fwd(topo, [a.fwd_socket, "--routes", noif])
    ok, err = one_line_error(r)
    check(r.returncode == 5 and ok and "fls-nosuch" in err, "missing interface -> exit 5",
          "exit %d: %s" % (r.returncode, err))
    # not root: no CAP_NET_RAW
    if shutil.which("setpriv"):
        r = run_fwd(topo, ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                           "--inh-caps=-all", "--bounding-set=-all", a.fwd_socket,
                           "--routes", routes])
        ok, err = one_line_error(r)
        check(r.returncode == 4 and ok and "CAP_NET_RAW" in err, "not root -> exit 4",
              "exit %d: %s" % (r.returncode, err))
    else:
        print("skip not-root check: setpriv missing")


def forwarding_on(a, topo, routes):
    dut = topo.ns["dut"]
    topo.sysctl(dut, "net.ipv4.conf.p1.forwarding", 1)
    r = run_fwd(topo, [a.fwd_socket, "--routes", routes])
    ok, err = one_line_error(r)
    check(r.returncode == 6 and ok and "p1" in err, "forwarding on -> exit 6",
          "exit %d: %s" % (r.returncode, err))
    # --disable-ip-forward: turns it off while running, back on at exit
    p = subprocess.Popen(topo.exec_cmd("dut", [a.fwd_socket, "--routes", routes,
                                               "--disable-ip-forward", "--json"]),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    during = socktopo.run(topo.exec_cmd("dut", ["sysctl", "-n", "net.ipv4.conf.p1.forwarding"])).stdout.strip()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=10)
    after = socktopo.run(topo.exec_cmd("dut", ["sysctl", "-n", "net.ipv4.conf.p1.forwarding"])).stdout.strip()
    check(p.returncode == 0 and during == "0" and after == "1",
          "--disable-ip-forward: off while running, restored at exit",
          "exit %d, during %s, after %s: %s" % (p.returncode, during, after, err))
    topo.sysctl(dut, "net.ipv4.conf.p1.forwarding", 0)


def signals(a, tmp, topo, routes):
    for sig in (signal.SIGTERM, signal.SIGINT):
        ready = os.path.join(tmp, "ready")
        p = subprocess.Popen(topo.exec_cmd("dut", [a.fwd_socket, "--routes", routes, "--json",
                                                   "--workers", "2", "--ready-file", ready]),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        end = time.time() + 10
        while not os.path.exists(ready) and time.time() < end and p.poll() is None:
            time.sleep(0.02)
        created = os.path.exists(ready)
        p.send_signal(sig)
        try:
            out, err = p.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
        lines = out.strip().splitlines()
        try:
            final = json.loads(lines[-1])
        except (IndexError, ValueError):
            final = None
        check(created and p.returncode == 0 and final is not None and "punt" in final
              and not os.path.exists(ready),
              "%s -> exit 0, final JSON stats, ready file created then removed"
              % signal.Signals(sig).name,
              "exit %s, stdout %r, stderr %r" % (p.returncode, out, err))


def kernel_semantics(a, tmp, topo, routes):
    """With the route file's addresses on the DUT ports (a real router), check
    what README.md says the kernel does beside fwd-socket: a forwarded frame
    leaves exactly once, a punted ping to the router is answered by the
    kernel, a TTL-1 transit datagram gets no ICMP Time Exceeded (forwarding
    is off), nothing else comes back."""
    from scapy.layers.inet import IP, UDP, ICMP
    from scapy.layers.l2 import Ether
    dut = topo.ns["dut"]
    socktopo.run(["ip", "-n", dut, "addr", "add", "198.18.0.1/24", "dev", "p0"])
    socktopo.run(["ip", "-n", dut, "addr", "add", "198.18.1.1/24", "dev", "p1"])
    socktopo.run(["ip", "-n", dut, "neigh", "replace", "198.18.0.2", "lladdr",
                  "02:0a:00:00:00:02", "dev", "p0", "nud", "permanent"])
    src, p0 = "02:0a:00:00:00:02", "02:00:00:00:00:10"
    frames = [bytes(Ether(src=src, dst=p0) / IP(src="198.18.0.2", dst="198.19.1.1") / UDP()),
              bytes(Ether(src=src, dst=p0) / IP(src="198.18.0.2", dst="198.18.0.1") /
                    ICMP(id=7, seq=1)),
              bytes(Ether(src=src, dst=p0) / IP(src="198.18.0.2", dst="198.19.1.2", ttl=1) / UDP())]
    pcap = os.path.join(tmp, "sem.pcap")
    socktopo.write_pcap(pcap, frames)

    def snmp():
        lines = socktopo.run(topo.exec_cmd("dut", ["cat", "/proc/net/snmp"])).stdout.splitlines()
        vals = {}
        for head, val in zip(lines[0::2], lines[1::2]):
            proto = head.split(":")[0]
            for k, v in zip(head.split()[1:], val.split()[1:]):
                vals[proto + "." + k] = int(v)
        return vals
    before = snmp()
    ready = os.path.join(tmp, "sem.ready")
    p = subprocess.Popen(topo.exec_cmd("dut", [a.fwd_socket, "--routes", routes, "--json",
                                               "--ready-file", ready]),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    caps = {}
    try:
        end = time.time() + 10
        while not os.path.exists(ready) and time.time() < end and p.poll() is None:
            time.sleep(0.02)
        for num in (0, 1, 2):
            ns, ifn = topo.peer[num]
            caps[num] = socktopo.Capture(ns, ifn, os.path.join(tmp, "sem%d.pcap" % num))
        socktopo.run(topo.exec_cmd("gen", ["/usr/bin/python3", os.path.join(HERE, "socktopo.py"),
                                           "replay", topo.peer[0][1], pcap]))
        time.sleep(1.0)
    finally:
        for c in caps.values():
            c.stop()
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=10)
        for a_ in ("198.18.0.1/24 dev p0", "198.18.1.1/24 dev p1"):
            socktopo.run(["ip", "-n", dut, "addr", "del"] + a_.split(), check=False)
    after = snmp()
    delta = {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
    check(delta.get("Ip.InAddrErrors") == 2 and delta.get("Icmp.OutMsgs") == 1,
          "the kernel dropped both transit originals (Ip.InAddrErrors +2) and sent only the echo reply",
          "snmp deltas %s" % delta)
    back = [Ether(f) for f in socktopo.read_pcap(os.path.join(tmp, "sem0.pcap"))]
    out1 = socktopo.read_pcap(os.path.join(tmp, "sem1.pcap"))
    replies = [f for f in back if f.haslayer(ICMP) and f[ICMP].type == 0 and f[ICMP].id == 7]
    exceeded = [f for f in back if f.haslayer(ICMP) and f[ICMP].type == 11]
    check(len(out1) == 1 and Ether(out1[0])[IP].dst == "198.19.1.1" and Ether(out1[0])[IP].ttl == 63,
          "forwarded frame leaves exactly once (kernel forwarding off)",
          "port 1 got %d frames" % len(out1))
    check(len(replies) == 1, "punted ping to the router's address answered by the kernel",
          "back on port 0: %s" % [f.summary() for f in back])
    check(not exceeded and len(back) == 1,
          "TTL 1 transit: no ICMP Time Exceeded (documented), nothing else sent back",
          "back on port 0: %s" % [f.summary() for f in back])


def link_events(a, tmp, topo, routes):
    """A port's link going down and up is survived; a port's interface
    deleted while running ends fwd-socket with exit 5 naming it. Last check
    on this topology: it deletes p2."""
    dut = topo.ns["dut"]
    for extra in ([], ["--mode", "naive", "--busy-poll"]):
        p = subprocess.Popen(topo.exec_cmd("dut", [a.fwd_socket, "--routes", routes, "--json"] + extra),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.5)
        socktopo.run(["ip", "-n", dut, "link", "set", "p2", "down"])
        time.sleep(0.3)
        socktopo.run(["ip", "-n", dut, "link", "set", "p2", "up"])
        time.sleep(0.3)
        alive = p.poll() is None
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=10)
        check(alive and p.returncode == 0, "link down/up %s: keeps running, clean exit" % " ".join(extra),
              "exit %s: %s" % (p.returncode, err))
    p = subprocess.Popen(topo.exec_cmd("dut", [a.fwd_socket, "--routes", routes, "--json"]),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    socktopo.run(["ip", "-n", dut, "link", "del", "p2"])
    try:
        out, err = p.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    check(p.returncode == 5 and "p2" in err.splitlines()[0] and out.strip().startswith("{"),
          "interface deleted while running -> exit 5 naming it, final stats",
          "exit %s: %r %r" % (p.returncode, out, err))


def traffic(a, tmp):
    """Several workers (PACKET_FANOUT), both TX methods, both modes, vs fwd-ref."""
    case = os.path.join(tmp, "case")
    subprocess.run(["/usr/bin/python3", os.path.join(HERE, "mkcase.py"), "--fwd-ref", a.fwd_ref,
                    "--out", case, "--frames", "3000"], check=True)
    for extra in (["--workers", "2"], ["--workers", "2", "--tx", "ring"],
                  ["--workers", "3", "--mode", "naive"], ["--tx", "ring"],
                  ["--rx-ring", "v2"], ["--workers", "2", "--rx-ring", "v2", "--tx", "ring"],
                  ["--busy-poll"], ["--mode", "naive", "--busy-poll"],
                  ["--workers", "2", "--fanout", "lb"],
                  ["--fanout", "cpu", "--workers", "2"]):  # one sending CPU: no spread asserted
        out = os.path.join(tmp, "out-" + "-".join(x.strip("-") for x in extra))
        r = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "golden_veth.py"),
                            "--fwd-socket", a.fwd_socket,
                            "--routes", os.path.join(case, "routes.conf"), "--in-port", "0",
                            "--in", os.path.join(case, "in.pcap"), "--out-dir", out,
                            "--compare-unordered", os.path.join(case, "expected")] + extra,
                           capture_output=True, text=True, timeout=120)
        per_worker = [ln for ln in r.stderr.splitlines() + r.stdout.splitlines()
                      if "rx per worker" in ln]
        counts = [int(x) for x in per_worker[0].split(":")[-1].split()] if per_worker else []
        spread = len(counts) == int(extra[extra.index("--workers") + 1]) if "--workers" in extra else True
        if extra[0] == "--workers":
            spread = spread and all(c > 0 for c in counts)
        check(r.returncode == 0 and spread, "3000 frames, %s: outputs and counters = fwd-ref's%s"
              % (" ".join(extra), ", every worker got frames" if extra[0] == "--workers" else ""),
              "exit %d, per worker %s: %s %s" % (r.returncode, counts, r.stdout, r.stderr))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fwd-socket", required=True)
    ap.add_argument("--fwd-ref", required=True)
    a = ap.parse_args()
    socktopo.need_root()
    socktopo.term_to_exit()
    tmp = tempfile.mkdtemp(prefix="fls-int-")
    os.chmod(tmp, 0o755)  # the not-root check reads the route file
    try:
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "mkcase.py"), "--fwd-ref",
                        a.fwd_ref, "--out", os.path.join(tmp, "small")], check=True)
        routes = os.path.join(tmp, "small", "routes.conf")
        os.chmod(routes, 0o644)
        ports, _, _ = socktopo.parse_routes(routes)
        with socktopo.Topo(ports, 0) as topo:
            bad_input(a, tmp, topo, routes)
            forwarding_on(a, topo, routes)
            signals(a, tmp, topo, routes)
            kernel_semantics(a, tmp, topo, routes)
            link_events(a, tmp, topo, routes)
        traffic(a, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
