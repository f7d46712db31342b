"""cmd_topo.py - `fwdlab topo up|down [--prefix P] [--dir D]`: the testbed
alone (namespaces, veths, routes.conf), for debugging a path by hand."""
import os

from state import State, state_path, teardown
from topology import Topology
from util import HarnessError, is_root, log


def add_arguments(p):
    p.add_argument("action", choices=["up", "down"])
    p.add_argument("--prefix", default="flt", help="run prefix (default flt)")
    p.add_argument("--dir", help="where to write routes.conf (default /run/fwdlab)")


def main(args):
    if not is_root():
        raise HarnessError("topo needs root (network namespaces)")
    topo = Topology(args.prefix)
    if args.action == "down":
        if not os.path.exists(state_path(args.prefix)):
            log(f"topo down: no state for {args.prefix}")
            return 0
        return 1 if teardown(State.load(state_path(args.prefix))) else 0
    state = State.create(args.prefix)
    try:
        topo.up(state)
    except BaseException:
        teardown(state)
        raise
    d = args.dir or "/run/fwdlab"
    os.makedirs(d, exist_ok=True)
    path = topo.write_routes(os.path.join(d, f"{args.prefix}-routes.conf"))
    print(f"namespaces: {' '.join(topo.ns.values())}")
    print(f"routes: {path}")
    print(f"down: fwdlab topo down --prefix {args.prefix}")
    return 0
