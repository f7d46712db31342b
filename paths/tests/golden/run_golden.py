#!/usr/bin/python3
"""run_golden.py - run one datapath on one golden case and compare its output.

  run_golden.py --golden-cmp GOLDEN_CMP --case CASE_DIR [--no-punt-frames] \\
      -- COMMAND [ARG...]

COMMAND runs once with these words replaced in its arguments:
  {routes}  CASE_DIR/routes.conf     {in}      CASE_DIR/in.pcap
  {in_port} the number in CASE_DIR/in_port
  {out}     a fresh empty directory, removed afterwards: COMMAND must write
            port<N>.pcap for every port, punt.pcap and stats.json there
  {case}    CASE_DIR
then `golden-cmp CASE_DIR/expected {out} [--no-punt-frames]` decides.
Exit: golden-cmp's status (0 equal, 1 difference, 2 missing file); 77 if
COMMAND exits 77 (skip: it printed why); 1 if COMMAND fails otherwise.
"""
import argparse
import os
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser(usage=__doc__.split("\n")[2].strip())
    ap.add_argument("--golden-cmp", required=True)
    ap.add_argument("--case", required=True)
    ap.add_argument("--no-punt-frames", action="store_true")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not cmd:
        ap.error("no COMMAND after --")
    case = os.path.abspath(a.case)
    try:
        with open(os.path.join(case, "in_port"), encoding="ascii") as f:
            in_port = f.read().strip()
    except OSError as e:
        print("run_golden: %s" % e, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="golden-out-") as out:
        words = {"{routes}": os.path.join(case, "routes.conf"),
                 "{in}": os.path.join(case, "in.pcap"), "{in_port}": in_port,
                 "{out}": out, "{case}": case}
        argv = [words.get(w, w) for w in cmd]
        print("run_golden: %s" % " ".join(argv), flush=True)
        rc = subprocess.run(argv, check=False).returncode
        if rc == 77:
            return 77
        if rc:
            print("run_golden: %s exited %d" % (os.path.basename(argv[0]), rc))
            return 1
        cmp = [a.golden_cmp, os.path.join(case, "expected"), out]
        if a.no_punt_frames:
            cmp.append("--no-punt-frames")
        return subprocess.run(cmp, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
