"""cmd_cleanup.py - `fwdlab cleanup [--prefix P]`: tear down what the state
files in /run/fwdlab record (namespaces, processes, pins, mounts)."""
from state import all_states, state_path, State
from util import HarnessError, is_root, log
import os


def add_arguments(p):
    p.add_argument("--prefix", help="only this run prefix (default: every recorded run)")


def main(args):
    if not is_root():
        raise HarnessError("cleanup needs root (network namespaces)")
    if args.prefix:
        path = state_path(args.prefix)
        if not os.path.exists(path):
            log(f"cleanup: no state file for prefix {args.prefix}: nothing to do")
            return 0
        states = [State.load(path)]
    else:
        states = all_states()
    problems = 0
    for s in states:
        owner = s.data.get("owner_pid")
        if owner and owner != os.getpid() and os.path.exists(f"/proc/{owner}") \
                and not args.prefix:
            try:
                with open(f"/proc/{owner}/cmdline", "rb") as f:
                    if b"fwdlab" in f.read():
                        log(f"cleanup: run {s.prefix} is still running (pid {owner}): "
                            f"skipped (use --prefix {s.prefix} to force)")
                        continue
            except OSError:
                pass
        n = s.data
        log(f"cleanup: {s.prefix}: netns {n['netns']} pins {n['pins']} "
            f"pids {[p['pid'] for p in n['pids']]} undo {[u['why'] for u in n.get('undo', [])]}")
        problems += _teardown(s)
    if not states:
        log("cleanup: nothing recorded")
    if not args.prefix:
        problems += _stale_test_namespaces()
    return 1 if problems else 0


# Name prefixes of the namespaces fwdlab's own tests and `fwdlab verify`
# create (each cleans up after itself; these are what a SIGKILL leaves).
TEST_NS = ("flv-", "fls-", "flx-", "flx2-", "fld-", "fltr", "flk-")


def _stale_test_namespaces():
    """Delete leftover test/verify namespaces (never one we did not name)."""
    from util import run
    problems = 0
    try:
        names = sorted(os.listdir("/run/netns"))
    except OSError:
        return 0
    for ns in names:
        if ns.startswith(TEST_NS):
            log(f"cleanup: leftover test namespace {ns}")
            for pid in (run(["ip", "netns", "pids", ns], check=False) or "").split():
                run(["kill", "-9", pid], check=False)
            run(["ip", "netns", "del", ns], check=False)
            if os.path.exists(os.path.join("/run/netns", ns)):
                log(f"cleanup: could not delete namespace {ns}")
                problems += 1
    return problems


def _teardown(s):
    from state import teardown
    return teardown(s)
