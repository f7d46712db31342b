#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""multi_lcore.py - fwd-dpdk with two forwarding lcores, one queue each.

  multi_lcore.py FWD_DPDK CASE_DIR

The golden case's input is dealt alternately onto two RX queues of the
ingress net_pcap port (one rx_pcap per queue); every port has two tx_pcap
files (one per TX queue), so does the net_pcap exception port. Two worker
lcores (EAL --lcores 0@0,1@1,2@0: works on 2 CPUs) each own one queue pair.
Passes when: the counters equal CASE/expected/stats.json, each port's two
files together hold exactly the expected frames (as a multiset: the two
lcores interleave freely), each file keeps its half's input order, and both
lcores forwarded something. Exit 0 pass, 1 fail, 77 when fwd-dpdk is not
built.
"""
import collections
import json
import logging
import os
import subprocess
import sys
import tempfile

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.utils import PcapWriter, rdpcap  # noqa: E402

NQ = 2


def frames(path):
    return [bytes(p) for p in rdpcap(path)] if os.path.getsize(path) > 24 else []


def is_subsequence(sub, seq):
    it = iter(seq)
    return all(any(x == y for y in it) for x in sub)


def ports_of(routes):
    with open(routes, encoding="ascii") as f:
        return [int(w[1]) for w in (line.split() for line in f) if w and w[0] == "port"]


def main():
    fwd, case = sys.argv[1], sys.argv[2]
    if not os.access(fwd, os.X_OK):
        print("multi_lcore: %s not built (DPDK disabled): skip" % fwd)
        return 77
    routes = os.path.join(case, "routes.conf")
    with open(os.path.join(case, "in_port"), encoding="ascii") as f:
        in_port = int(f.read())
    ports = ports_of(routes)
    with tempfile.TemporaryDirectory(prefix="fld-dpdk-mq-") as d:
        inp = frames(os.path.join(case, "in.pcap"))
        for q in range(NQ):
            w = PcapWriter(os.path.join(d, "in%d.pcap" % q), linktype=1, sync=True)
            for fr in inp[q::NQ]:
                w.write(fr)
            w.close()
            PcapWriter(os.path.join(d, "empty%d.pcap" % q), linktype=1).close()
        args = [fwd, "--lcores", "0@0,1@1,2@0", "--no-pci", "--no-huge", "-m", "256",
                "--no-shconf", "--no-telemetry", "--file-prefix", "fld-mq-%d" % os.getpid()]
        rest = ["--", "--routes", routes, "--exception-port", "net_pcap_punt",
                "--exit-when-idle", "200", "--stats-file", os.path.join(d, "stats.json")]
        for n in ports:
            rx = ["in%d" if n == in_port else "empty%d"][0]
            dev = ["net_pcap%d" % n]
            dev += ["rx_pcap=%s" % os.path.join(d, rx % q + ".pcap") for q in range(NQ)]
            dev += ["tx_pcap=%s" % os.path.join(d, "port%d.q%d.pcap" % (n, q)) for q in range(NQ)]
            args += ["--vdev", ",".join(dev)]
            rest += ["--port-map", "%d=net_pcap%d" % (n, n)]
        args += ["--vdev", "net_pcap_punt," + ",".join(
            "tx_pcap=%s" % os.path.join(d, "punt.q%d.pcap" % q) for q in range(NQ))]
        rc = subprocess.run(args + rest, check=False, stdout=subprocess.DEVNULL).returncode
        if rc:
            print("multi_lcore: FAIL: fwd-dpdk exited %d" % rc)
            return 1
        fails = []
        with open(os.path.join(d, "stats.json"), encoding="ascii") as f:
            got = json.load(f)
        with open(os.path.join(case, "expected", "stats.json"), encoding="ascii") as f:
            want = json.load(f)
        if got != want:
            fails.append("counters %s, expected %s" % (got, want))
        # each queue's file must keep its half's order: a subsequence of
        # the expected file (frames of one half keep their relative order)
        used = set()
        for name in ["port%d" % n for n in ports] + ["punt"]:
            exp = frames(os.path.join(case, "expected", name + ".pcap"))
            per_q = [frames(os.path.join(d, "%s.q%d.pcap" % (name, q))) for q in range(NQ)]
            if collections.Counter(exp) != collections.Counter(sum(per_q, [])):
                fails.append("%s: frames differ from expected (%d expected, %s per queue)"
                             % (name, len(exp), [len(x) for x in per_q]))
                continue
            for q, got_q in enumerate(per_q):
                used.update([q] if got_q else [])
                if not is_subsequence(got_q, exp):
                    fails.append("%s queue %d: order differs from the input's" % (name, q))
        if used != set(range(NQ)):
            fails.append("only queues %s produced output" % sorted(used))
        for f in fails:
            print("multi_lcore: FAIL: " + f)
        if not fails:
            print("multi_lcore: %s: %d lcores, counters and frames equal fwd-ref's"
                  % (os.path.basename(case), NQ))
        return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
