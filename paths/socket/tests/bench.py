#!/usr/bin/python3
"""bench.py - fwd-socket ring (V3 and V2 RX) vs naive vs the kernel's ip_forward.

  bench.py --fwd-socket BIN --fwd-gen BIN --fwd-sink BIN --fwd-profile BIN
           [--duration SEC] [--trials N] [--engine xdp|afpacket]
           [--low-rate PPS] [--tx mmsg|ring] [--configs LIST]
           [--socket-args 'FLAGS'] [--json FILE]

One topology (socktopo.py, namespaces fls-*): gen --veth--> DUT --veth--> snk,
routes below. The DUT ports carry their addresses, static neighbours and the
route all the time; only net.ipv4.conf.*.forwarding changes: on for "linux",
off for the fwd-socket runs (the kernel still receives every frame and drops
it as not-for-me: that cost is part of the socket path, README.md).
Placement: generator on CPU 0 (the DUT's veth RX softirq runs there too, on
the sender's CPU), the fwd-socket worker pinned on CPU 1, sink XDP program
on the CPU that transmits into it. Configurations are interleaved per trial.
Two loads per configuration: flat out (64 B UDP, 256 flows) for the
forwarding rate and a low fixed rate for latency.

A cell where the sink received about all the generator sent is flagged
generator-limited: it is a lower bound, not the DUT's capacity. The numbers
are rough on a shared 2-vCPU machine; the harness makes the final figures.
Exit 77 (skip) without root or without traffic/'s tools.
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

ROUTES = """# bench.py: gen -> p0 -> DUT -> p1 -> sink
port 0 name p0 mac 02:00:00:00:00:10 addr 198.18.0.1/24
port 1 name p1 mac 02:00:00:00:01:10 addr 198.18.1.1/24
neigh 198.18.0.2 mac 02:0a:00:00:00:02 port 0
neigh 198.18.1.2 mac 02:0b:00:00:01:02 port 1
route 198.19.0.0/16 via 198.18.1.2
"""


class Bench:
    def __init__(self, a, tmp, topo):
        self.a, self.tmp, self.topo = a, tmp, topo
        self.routes = os.path.join(tmp, "routes.conf")

    def forwarding(self, on):
        for ifn in ("all", "p0", "p1"):
            self.topo.sysctl(self.topo.ns["dut"], "net.ipv4.conf.%s.forwarding" % ifn, int(on))

    def linux_setup(self):
        """The same routes for the kernel: addresses, neighbours, route."""
        dut = self.topo.ns["dut"]
        socktopo.run(["ip", "-n", dut, "addr", "add", "198.18.0.1/24", "dev", "p0"])
        socktopo.run(["ip", "-n", dut, "addr", "add", "198.18.1.1/24", "dev", "p1"])
        socktopo.run(["ip", "-n", dut, "neigh", "replace", "198.18.0.2", "lladdr",
                      "02:0a:00:00:00:02", "dev", "p0", "nud", "permanent"])
        socktopo.run(["ip", "-n", dut, "neigh", "replace", "198.18.1.2", "lladdr",
                      "02:0b:00:00:01:02", "dev", "p1", "nud", "permanent"])
        socktopo.run(["ip", "-n", dut, "route", "add", "198.19.0.0/16", "via", "198.18.1.2"])
        # no ICMP redirects or rp_filter surprises in the baseline
        for ifn in ("all", "p0", "p1"):
            self.topo.sysctl(dut, "net.ipv4.conf.%s.send_redirects" % ifn, 0)
            self.topo.sysctl(dut, "net.ipv4.conf.%s.rp_filter" % ifn, 0)

    def trial(self, config, rate, duration):
        """One measurement; returns a result dict."""
        a, topo = self.a, self.topo
        res = {"config": config, "rate": rate, "duration": duration}
        ready_s = os.path.join(self.tmp, "sink.ready")
        ready_d = os.path.join(self.tmp, "dut.ready")
        for f in (ready_s, ready_d):
            if os.path.exists(f):
                os.unlink(f)
        sink = subprocess.Popen(topo.exec_cmd("snk", [a.fwd_sink, "--dev", "peer1", "--json",
                                                      "--ready-file", ready_s]),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        dut = None
        try:
            wait_file(ready_s, sink, "fwd-sink")
            if config == "linux":
                self.forwarding(True)
            else:
                self.forwarding(False)
                mode = "ring" if config.startswith("ring") else "naive"
                rxv = ["--rx-ring", "v2"] if config == "ringv2" else []
                dut = subprocess.Popen(topo.exec_cmd("dut", [
                    a.fwd_socket, "--routes", self.routes, "--mode", mode, "--cpu", "1",
                    "--tx", a.tx, "--json", "--ready-file", ready_d] + rxv +
                    a.socket_args.split()),
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                wait_file(ready_d, dut, "fwd-socket")
            gen = socktopo.run(topo.exec_cmd("gen", [
                a.fwd_gen, "--dev", "peer0", "--pcap", os.path.join(self.tmp, "prof.pcap"),
                "--engine", a.engine, "--rate", str(rate), "--duration", str(duration),
                "--cpu", "0", "--json"]))
            g = json.loads(gen.stdout.strip().splitlines()[-1])
            time.sleep(0.3)  # frames in flight
            sink.send_signal(signal.SIGINT)
            s = json.loads(sink.communicate(timeout=10)[0].strip().splitlines()[-1])
            res.update(sent=g["sent"], tx_pps=g["tx_pps"], rx=s["rx"],
                       rx_pps=s["rx"] / g["duration_s"] if g["duration_s"] else 0,
                       lat_p50_ns=s["lat_ns"]["p50"], lat_p99_ns=s["lat_ns"]["p99"],
                       lat_max_ns=s["lat_ns"]["max"])
            res["loss"] = 1 - res["rx"] / res["sent"] if res["sent"] else 0
            res["generator_limited"] = res["loss"] < 0.001
            if dut:
                dut.send_signal(signal.SIGTERM)
                out, err = dut.communicate(timeout=10)
                res["dut"] = json.loads(out.strip().splitlines()[-1])
                res["dut_extra"] = err.strip().splitlines()[-1] if err.strip() else ""
                dut = None
        finally:
            for p in (sink, dut):
                if p and p.poll() is None:
                    p.kill()
                    p.communicate()
            self.forwarding(False)
        return res


def wait_file(path, proc, name, timeout=10):
    end = time.time() + timeout
    while not os.path.exists(path):
        if proc.poll() is not None:
            raise RuntimeError("%s exited %d: %s" % (name, proc.returncode,
                                                      proc.stderr.read().strip()))
        if time.time() > end:
            raise RuntimeError("%s not ready after %d s" % (name, timeout))
        time.sleep(0.02)


HEADER = "%-7s %9s %10s %10s %7s %10s %10s  %s" % ("config", "load pps", "tx Mpps", "rx Mpps",
                                                   "loss", "p50 us", "p99 us", "note")


def row(r):
    """One result as a table line."""
    if "error" in r:
        return "%-7s %9s  error: %s" % (r["config"], r["rate"] or "max", r["error"])
    note = "generator-limited (lower bound)" if r["generator_limited"] and not r["rate"] else ""
    return "%-7s %9s %10.3f %10.3f %6.1f%% %10.1f %10.1f  %s" % (
        r["config"], r["rate"] or "max", r["tx_pps"] / 1e6, r["rx_pps"] / 1e6,
        100 * r["loss"], r["lat_p50_ns"] / 1e3, r["lat_p99_ns"] / 1e3, note)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fwd-socket", required=True)
    ap.add_argument("--fwd-gen")
    ap.add_argument("--fwd-sink")
    ap.add_argument("--fwd-profile")
    ap.add_argument("--duration", type=float, default=3)
    ap.add_argument("--trials", type=int, default=1)
    ap.add_argument("--engine", default="xdp", choices=("xdp", "afpacket"))
    ap.add_argument("--low-rate", type=int, default=10000)
    ap.add_argument("--tx", default="mmsg", choices=("mmsg", "ring"))
    ap.add_argument("--configs", default="ring,ringv2,naive,linux",
                    help="ring (TPACKET_V3 RX), ringv2 (TPACKET_V2 RX), naive, linux")
    ap.add_argument("--socket-args", default="",
                    help="more fwd-socket flags, e.g. '--block-size 262144 --block-nr 16'")
    ap.add_argument("--json", help="write the results here")
    a = ap.parse_args()
    socktopo.need_root()
    missing = [n for n in ("fwd_gen", "fwd_sink", "fwd_profile") if not getattr(a, n)]
    if missing:
        print("SKIP: traffic/ tools not built: %s" % ", ".join(n.replace("_", "-") for n in missing))
        return 77
    socktopo.term_to_exit()
    mountpoint = subprocess.run(["mountpoint", "-q", "/sys/fs/bpf"]).returncode == 0
    if not mountpoint:
        socktopo.run(["mount", "-t", "bpf", "bpf", "/sys/fs/bpf"])
    tmp = tempfile.mkdtemp(prefix="fls-bench-")
    results = []
    try:
        b_routes = os.path.join(tmp, "routes.conf")
        with open(b_routes, "w") as f:
            f.write(ROUTES)
        ports, _, _ = socktopo.parse_routes(b_routes)
        socktopo.run([a.fwd_profile, "--out", os.path.join(tmp, "prof.pcap"), "--size", "64",
                      "--flows", "256", "--vary", "sport", "--src", "198.18.0.2",
                      "--src-mac", "02:0a:00:00:00:02", "--dst-mac", "02:00:00:00:00:10",
                      "--dst", "198.19.0.0/16"])
        with socktopo.Topo(ports, 0) as topo:
            # frames the xdp engine transmits reach p0 only if p0 has NAPI
            # (MACHINE.md "XDP on veth"): GRO on gives it NAPI.
            socktopo.run(topo.exec_cmd("dut", ["ethtool", "-K", "p0", "gro", "on"]))
            b = Bench(a, tmp, topo)
            b.linux_setup()
            print("placement: generator CPU 0 (DUT veth RX softirq with it), fwd-socket "
                  "worker CPU 1; engine %s, 64 B, 256 flows, %g s per trial, tx %s"
                  % (a.engine, a.duration, a.tx))
            print(HEADER)
            for t in range(a.trials):
                for rate in (0, a.low_rate):
                    for config in a.configs.split(","):
                        try:
                            r = b.trial(config, rate, a.duration if rate == 0 else 2)
                        except (RuntimeError, ValueError, KeyError, IndexError,
                                subprocess.TimeoutExpired) as e:
                            r = {"config": config, "rate": rate, "error": str(e)}
                        r["trial"] = t
                        results.append(r)
                        print(row(r), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if not mountpoint:
            subprocess.run(["umount", "/sys/fs/bpf"])
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
