#!/usr/bin/python3
"""golden_veth.py - one golden case through fwd-socket on a veth topology.

  golden_veth.py --fwd-socket BIN --routes R --in-port N --in IN.pcap
                 --out-dir OUT [--mode ring|naive] [--workers N] [--tx mmsg|ring]
                 [--rx-ring v3|v2] [--busy-poll] [--fanout hash|cpu|lb]
                 [--compare-unordered EXPECTED_DIR]

The command run_golden.py runs for the socket path (paths/tests/golden):
builds the topology (socktopo.py: one veth pair per port of R, DUT ends
named and addressed as R says), starts fwd-socket in the DUT namespace with
--punt-pcap, captures every peer's inbound frames with tcpdump, replays
IN.pcap byte for byte into the ingress port's peer, waits until fwd-socket
has counted every frame, stops it with SIGTERM and writes OUT/port<N>.pcap,
OUT/punt.pcap and OUT/stats.json (its final --json line); golden-cmp then
decides. --compare-unordered compares here instead, each file's frames as a
multiset: with several workers PACKET_FANOUT spreads flows over threads and
only the order within a flow is kept.

An input a veth topology cannot carry faithfully exits 77 (skip) and says
why; it is never reported as passed. Exit 0 done (or equal), 1 difference or
fwd-socket failure, 2 set-up error.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import socktopo  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
VLAN_TPIDS = (0x8100, 0x88a8)


def uncarriable(frames):
    """Why a veth cannot carry this input faithfully, or None."""
    for i, fr in enumerate(frames, 1):
        if len(fr) < 14:
            return ("frame %d is %d bytes, shorter than an Ethernet header: the kernel "
                    "refuses to send it (dev_validate_header), so it never reaches the DUT"
                    % (i, len(fr)))
        etype = int.from_bytes(fr[12:14], "big")
        if etype in VLAN_TPIDS and len(fr) < 20:
            return ("frame %d is a %d-byte VLAN frame: the receiving kernel frees it in "
                    "skb_vlan_untag() before any AF_PACKET socket sees it" % (i, len(fr)))
    return None


class Forwarder:
    """fwd-socket in the DUT namespace; its stdout JSON lines kept."""

    def __init__(self, topo, argv, ready):
        self.lines, self.ready = [], ready
        self.proc = subprocess.Popen(topo.exec_cmd("dut", argv), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.strip())

    def wait_ready(self, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            if os.path.exists(self.ready):
                return
            if self.proc.poll() is not None:
                raise RuntimeError("fwd-socket exited %d: %s" % (
                    self.proc.returncode, self.proc.stderr.read().strip()))
            time.sleep(0.02)
        raise RuntimeError("fwd-socket not ready after %d s" % timeout)

    def rx(self):
        for line in reversed(self.lines):
            if line.startswith("{"):
                return json.loads(line)["rx"]
        return 0

    def wait_rx(self, n, timeout=10):
        end = time.time() + timeout
        while time.time() < end and self.rx() < n:
            time.sleep(0.05)
        return self.rx()

    def stop(self):
        """SIGTERM; return (exit code, final stats dict, stderr)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError("fwd-socket ignored SIGTERM for 10 s")
        self.reader.join(timeout=5)
        err = self.proc.stderr.read()
        final = json.loads(self.lines[-1]) if self.lines else None
        return self.proc.returncode, final, err


def compare(expected, out, ports, unordered=False):
    """The golden-cmp comparison, for cases without the shared tool.
    unordered: compare each file's frames as a multiset (several workers:
    PACKET_FANOUT spreads flows over threads, so only per-flow order holds)."""
    names = ["port%d.pcap" % n for n in sorted(ports)] + ["punt.pcap"]
    for name in names:
        exp = socktopo.read_pcap(os.path.join(expected, name))
        got = socktopo.read_pcap(os.path.join(out, name))
        if unordered:
            exp, got = sorted(exp), sorted(got)
        for i, (a, b) in enumerate(zip(exp, got), 1):
            if a != b:
                print("FAIL %s frame %d differs:\n  expected %s\n  actual   %s"
                      % (name, i, a.hex(), b.hex()))
                return 1
        if len(exp) != len(got):
            print("FAIL %s: %d frames expected, %d captured" % (name, len(exp), len(got)))
            return 1
    with open(os.path.join(expected, "stats.json")) as f:
        exp = json.load(f)
    with open(os.path.join(out, "stats.json")) as f:
        got = json.load(f)
    if exp != got:
        print("FAIL stats.json:\n  expected %s\n  actual   %s"
              % (json.dumps(exp, sort_keys=True), json.dumps(got, sort_keys=True)))
        return 1
    return 0


def run_case(a, out):
    ports, _, _ = socktopo.parse_routes(a.routes)
    in_port, in_pcap = a.in_port, a.in_pcap
    frames = socktopo.read_pcap(in_pcap)
    why = uncarriable(frames)
    if why:
        print("SKIP: %s" % why)
        return 77
    # every frame must fit the sender's and the DUT's device MTU
    mtu = max([1500] + [len(fr) - 14 for fr in frames] + [p.mtu for p in ports.values()])
    ready = os.path.join(out, "ready")
    argv = [a.fwd_socket, "--routes", a.routes, "--mode", a.mode,
            "--workers", str(a.workers), "--fanout", a.fanout, "--tx", a.tx,
            "--rx-ring", a.rx_ring,
            "--stats-interval", "0.05", "--json",
            "--punt-pcap", os.path.join(out, "punt.pcap"), "--ready-file", ready]
    if a.busy_poll:
        argv.append("--busy-poll")
    with socktopo.Topo(ports, in_port, mtu) as topo:
        fwd = Forwarder(topo, argv, ready)
        caps = {}
        try:
            fwd.wait_ready()
            for num in sorted(ports):
                ns, ifn = topo.peer[num]
                caps[num] = socktopo.Capture(ns, ifn, os.path.join(out, "port%d.pcap" % num),
                                             snaplen=mtu + 14 + 4)
            socktopo.run(topo.exec_cmd("gen", ["/usr/bin/python3", os.path.join(HERE, "socktopo.py"),
                                               "replay", topo.peer[in_port][1], in_pcap]))
            seen = fwd.wait_rx(len(frames))
            # every frame a peer's veth received must be in its capture file
            # before tcpdump is stopped (it may lag on a busy machine)
            time.sleep(0.1)
            for num, c in caps.items():
                want = socktopo.rx_packets(*topo.peer[num])
                got = c.wait_for(want)
                if got < want:
                    print("note: port %d's capture holds %d of the %d frames its peer received"
                          % (num, got, want))
            if os.environ.get("FLS_DEBUG"):
                for num in sorted(ports):
                    ns, ifn = topo.peer[num]
                    print(socktopo.run(["ip", "-n", ns, "-s", "link", "show", ifn]).stdout)
                print(socktopo.run(["ip", "-n", topo.ns["dut"], "-s", "link"]).stdout)
        finally:
            for num, c in caps.items():
                c.stop()
                if c.dropped > 0:
                    print("note: tcpdump on port %d's peer: %d frames dropped by kernel"
                          % (num, c.dropped))
            if fwd.proc.poll() is None:
                rc, final, err = fwd.stop()
            else:
                rc, final, err = fwd.proc.returncode, None, fwd.proc.stderr.read()
    if rc != 0 or final is None:
        print("FAIL fwd-socket exit %d, no final stats: %s" % (rc, err.strip()))
        return 1
    with open(os.path.join(out, "stats.json"), "w") as f:
        json.dump(final, f, indent=2)
        f.write("\n")
    if seen < len(frames):
        print("note: fwd-socket counted %d of %d frames sent" % (seen, len(frames)))
    print(err.strip())  # fwd-socket's own counters (socket drops, tx errors)
    if a.compare_unordered:
        return compare(a.compare_unordered, out, ports, unordered=True)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fwd-socket", required=True)
    ap.add_argument("--routes", required=True)
    ap.add_argument("--in-port", type=int, required=True)
    ap.add_argument("--in", dest="in_pcap", required=True)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--mode", default="ring", choices=("ring", "naive"))
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--tx", default="mmsg", choices=("mmsg", "ring"))
    ap.add_argument("--rx-ring", default="v3", choices=("v3", "v2"))
    ap.add_argument("--busy-poll", action="store_true")
    ap.add_argument("--fanout", default="hash", choices=("hash", "cpu", "lb"))
    ap.add_argument("--compare-unordered", metavar="EXPECTED_DIR")
    a = ap.parse_args()
    socktopo.need_root()
    socktopo.term_to_exit()
    os.makedirs(a.out_dir, exist_ok=True)
    try:
        return run_case(a, a.out_dir)
    except (RuntimeError, ValueError, OSError) as e:
        print("ERROR: %s" % e)
        return 2


if __name__ == "__main__":
    sys.exit(main())
