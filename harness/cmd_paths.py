"""cmd_paths.py - `fwdlab paths [--build-dir D]`: every path plug-in, its
default placement, and whether it can run here (and if not, why)."""
import os

import traffic
from plugins import load_all
from plugins.base import Env

REPO = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def add_arguments(p):
    p.add_argument("--build-dir", default=os.path.join(REPO, "build"))


def main(args):
    env = Env(os.path.abspath(args.build_dir), None, None, None, None)
    missing = traffic.missing_tools(env.build_dir)
    print(f"traffic tools in {env.build_dir}: "
          + (f"MISSING {', '.join(missing)} (run harness/setup): nothing can run"
             if missing else "ok"))
    paths = load_all()
    w = max(len(n) for n in paths) + 1
    for name, p in paths.items():
        ok, why = p.available(env)
        ref = " (reference, not a forwarder)" if getattr(p, "reference", False) else ""
        print(f"{name:{w}} default {p.default_placement or '(as compared path)':22} "
              f"{'available' if ok else 'unavailable: ' + why}{ref}")
    return 0
