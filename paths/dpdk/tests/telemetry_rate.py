#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""telemetry_rate.py - a DPDK application's TX rate on one port, read
through its telemetry socket (/ethdev/stats, DPDK >= 20.05): the same
measurement for every application a benchmark compares, whatever it prints.

  telemetry_rate.py SOCKET PORT SECONDS [--wait S]

Waits up to S seconds (default 15) for SOCKET
(/var/run/dpdk/<file-prefix>/dpdk_telemetry.v2), reads opackets of PORT,
sleeps SECONDS, reads again; prints "<Mpps> <packets> <seconds>".
Exit 0, 1 when the socket never appears or does not answer.
"""
import argparse
import json
import os
import socket
import sys
import time


def query(path, cmd):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        s.settimeout(5)
        s.connect(path)
        s.recv(4096)  # the greeting: version, pid, max_output_len
        s.send(cmd.encode())
        return json.loads(s.recv(1 << 16).decode())
    finally:
        s.close()


def opackets(path, port):
    return int(query(path, "/ethdev/stats,%d" % port)["/ethdev/stats"]["opackets"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("socket")
    ap.add_argument("port", type=int)
    ap.add_argument("seconds", type=float)
    ap.add_argument("--wait", type=float, default=15.0)
    a = ap.parse_args()
    deadline = time.monotonic() + a.wait
    while not os.path.exists(a.socket):
        if time.monotonic() > deadline:
            print("telemetry_rate: %s did not appear" % a.socket, file=sys.stderr)
            return 1
        time.sleep(0.1)
    try:
        time.sleep(0.5)  # the application's ports start after its socket
        p0, t0 = opackets(a.socket, a.port), time.monotonic()
        time.sleep(a.seconds)
        p1, t1 = opackets(a.socket, a.port), time.monotonic()
    except (OSError, ValueError, KeyError) as e:
        print("telemetry_rate: %s: %s" % (a.socket, e), file=sys.stderr)
        return 1
    print("%.3f %d %.3f" % ((p1 - p0) / (t1 - t0) / 1e6, p1 - p0, t1 - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
