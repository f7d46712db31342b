"""cmd_plot.py - `fwdlab plot DIR`: (re)draw the plots and report.md of a
results directory."""
import os

import plot
import report
from util import HarnessError, log


def add_arguments(p):
    p.add_argument("dir", help="results directory (with results.csv and run.json)")


def main(args):
    if not os.path.isdir(args.dir):
        raise HarnessError(f"{args.dir}: not a directory")
    images = plot.make(args.dir)
    md = report.write(args.dir)
    log(f"{len(images)} images in {os.path.join(args.dir, 'plots')}, report {md}")
    return 0
