"""cmd_verify.py - `fwdlab verify`: every golden case (paths/tests/golden/CASES)
through every available path, printed as a matrix (rows = cases, columns =
paths; cells pass / FAIL / skip, and deviates for the linux baseline), then
why things were skipped, the known deviations, and the first difference of
every failure. Exit 1 on any FAIL, 0 otherwise.

  fwdlab verify [--paths ref,xdp,xdp-dir,xdp-fib,dpdk,socket,kmod,linux]
                [--cases a,b] [--build-dir build] [--json FILE]

The runners are each path's own golden runners (verify/runners.py); a path
that cannot run here is a column of skip with its reason stated once.
"""
import os
import signal
import sys

from util import HarnessError
from verify.matrix import Matrix
from verify.runners import GOLDEN_DIR, PATHS, REPO, Ctx


def add_arguments(p):
    p.add_argument("--paths", default=",".join(PATHS),
                   help="comma-separated columns, in order (default: %(default)s)")
    p.add_argument("--cases", default=None,
                   help="comma-separated golden cases (default: all of CASES)")
    p.add_argument("--build-dir", default=os.path.join(REPO, "build"),
                   help="meson build dir with the paths' binaries (default: %(default)s)")
    p.add_argument("--json", metavar="FILE", help="also write the matrix as JSON")


def all_cases():
    with open(os.path.join(GOLDEN_DIR, "CASES")) as f:
        return [l.strip() for l in f if l.strip()]


def pick(arg, known, what):
    """Names of a comma list, each checked against known (order kept)."""
    names = [n.strip() for n in arg.split(",") if n.strip()]
    if what == "path" and "xdp-probe" in names:
        raise HarnessError("xdp-probe is a benchmark reference, not a forwarder: it skips the "
                           "RFC 1812 checks by design, so it is not verified")
    bad = [n for n in names if n not in known]
    if bad:
        raise HarnessError("unknown %s %s (known: %s)" % (what, ", ".join(bad), ", ".join(known)))
    if not names:
        raise HarnessError("no %s given" % what)
    return list(dict.fromkeys(names))


def linux_deviations():
    """{name: kernel behaviour} of paths/linux/deviations.py (the one list)."""
    sys.path.insert(0, os.path.join(REPO, "paths", "linux"))
    try:
        import deviations
    except ImportError:
        return {}
    finally:
        sys.path.pop(0)
    return {d[0]: d[4] for d in deviations.DEVIATIONS}


def progress(path, case, cell):
    print("verify: %-8s %-16s %s" % (path, case, cell.text()), file=sys.stderr, flush=True)


def sigterm(signum, frame):
    raise KeyboardInterrupt  # runners.run_group stops the running runner's group


def main(args):
    signal.signal(signal.SIGTERM, sigterm)
    cases = all_cases()
    if args.cases:
        cases = pick(args.cases, cases, "case")
    paths = pick(args.paths, list(PATHS), "path")
    if not os.path.isdir(args.build_dir):
        raise HarnessError("build dir %s not found (meson setup %s && ninja -C %s)"
                           % (args.build_dir, args.build_dir, args.build_dir))
    ctx = Ctx(args.build_dir, progress)
    if not os.path.exists(ctx.golden_cmp):
        raise HarnessError("%s not built: every path is compared with it" % ctx.golden_cmp)
    m = Matrix(cases, paths)
    for name in paths:
        runner = PATHS[name]
        ok, why = runner.available(ctx)
        if not ok:
            m.skip_column(name, why)
            print("verify: %-8s skipped: %s" % (name, why), file=sys.stderr, flush=True)
            continue
        if name == "kmod":
            print("verify: kmod     one QEMU (TCG) boot for %d case(s): minutes, no output "
                  "until it ends" % len(cases), file=sys.stderr, flush=True)
        for case, cell in runner.run(ctx, cases).items():
            m.set(case, name, cell)
    explain = linux_deviations()
    sys.stdout.write(m.render(explain))
    if args.json:
        with open(args.json, "w") as f:
            f.write(m.as_json({"build_dir": ctx.build, "linux_deviations": explain}))
    return m.exit_code()
