"""cmd_run.py - `fwdlab run`: bring the testbed up, run a suite's methods
on every selected path (interleaved: path after path inside each step, so
slow drifts of the host hit all paths alike), write results/<run-id>/,
plot, report, and always tear the testbed down."""
import json
import os
import random
import shutil
import signal
import sys
import time

import blocks
import cpu
import methods
import results
import suite as suitemod
import traffic
import vm
from placement import Placement, check as check_placement
from plugins import load_all
from plugins.base import Env
from state import State, teardown
from topology import SRC_ADDR, TRAFFIC_DST, Topology, check_prefix
from trial import run_trial
from util import HarnessError, is_root, log

HERE = os.path.dirname(os.path.realpath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_SUITE = "xdp-paper"
CEILING_NOTE = ("ceiling = generator -> sink veth directly (no forwarder, no DUT "
                "namespace hop), same generator, sink, frame sizes and placement")


class Interrupted(BaseException):
    pass


def add_arguments(p):
    p.add_argument("--suite", default=DEFAULT_SUITE,
                   help=f"suite name in harness/suites or a file (default {DEFAULT_SUITE})")
    p.add_argument("--paths", help="comma-separated paths (default: the suite's; 'all')")
    p.add_argument("--placement", help="inline, split, split-napi0 or default "
                   "(each path's own); comma list allowed")
    p.add_argument("--out", help="results directory (default results/<run-id>)")
    p.add_argument("--build-dir", default=os.path.join(REPO, "build"),
                   help="meson build dir with the tools (default build/)")
    p.add_argument("--prefix", help="netns / interface name prefix (default fl + 4 hex)")
    p.add_argument("--frame-sizes", help="override the suite's frame sizes (bytes incl. FCS)")
    p.add_argument("--methods", help="override the suite's methods")
    p.add_argument("--duration", type=float, help="seconds per trial")
    p.add_argument("--trials", type=int, help="repetitions")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override any suite key (repeatable)")
    p.add_argument("--no-plot", action="store_true", help="skip plots and report")
    p.add_argument("--vm", action="store_true",
                   help="run the whole command inside a QEMU TCG guest (Debian's stock "
                   "kernel, host root over 9p): functional results, labelled emulated")
    p.add_argument("--no-vm", action="store_true",
                   help="do not run kmod in the VM when this kernel cannot load modules")


class Opt:
    def __init__(self, cfg):
        self.ramp = cfg["ramp"]
        self.settle = cfg["settle"]
        self.flows = cfg["flows"]
        self.gen_engine = cfg["gen_engine"]
        self.gen_burst = cfg["gen_burst"]
        self.rate_sink = cfg["rate_sink"]


class Runner:
    """Shared state of one run (what trial.run_trial needs)."""

    def __init__(self, cfg, env, build_dir, out_dir):
        self.cfg, self.env, self.build_dir, self.out_dir = cfg, env, build_dir, out_dir
        self.opt = Opt(cfg)
        self.hist_dir = os.path.join(out_dir, "hist")
        os.makedirs(self.hist_dir, exist_ok=True)
        topo = env.topo
        self.profiles = traffic.Profiles(build_dir, os.path.join(env.tmp_dir, "profiles"),
                                         topo.mac("g0"), SRC_ADDR, TRAFFIC_DST)
        self.csv = results.CsvLog(os.path.join(out_dir, "results.csv"))
        self.counters_f = open(os.path.join(out_dir, "counters.jsonl"), "w")
        self.done, self.total, self.t0 = 0, 0, time.monotonic()
        self.ref_planned = set()  # (path, placement, size) counted by plan()
        self.searches = []
        self.placements = {}
        self.errors = []
        self.warnings = []

    def raw_counters(self, tag, d, g, res, fstats):
        self.counters_f.write(json.dumps({"trial": tag, "veth_delta": d, "gen": g,
                                          "sink": res, "forwarder": fstats}) + "\n")
        self.counters_f.flush()

    def trial(self, path, plc, size, rate, duration, method, step, rep):
        try:
            row = run_trial(self, path, plc, size, rate, duration, method, step, rep)
        except HarnessError as e:
            # One retry: a transient tool failure must not cost a whole path.
            log(f"{path.name} {plc.name} {size}B {method} {step}: {e}: retrying once")
            self.warnings.append({"path": path.name, "placement": plc.name,
                                  "frame_size": size, "method": method, "step": step,
                                  "error": str(e), "retried": True})
            time.sleep(1.0)  # let the failed attempt's kernel state go
            row = run_trial(self, path, plc, size, rate, duration, method, step, rep)
        self.csv.add(row)
        self.done += 1
        el = time.monotonic() - self.t0
        eta = el / self.done * max(0, self.total - self.done)
        load = "max" if not rate else _rate(rate)
        log(f"trial {self.done}/{self.total} {path.name} {plc.name} {size}B {method} "
            f"{step} @ {load}: rx {_rate(float(row['rx_pps'] or 0))}, loss "
            f"{float(row['loss'] or 0) * 100:.2f}%{' [gen-limited]' if row['generator_limited'] else ''}"
            f" | elapsed {_hms(el)} ETA {_hms(eta)}")
        return row

    # Reference rates measured in this run.
    def maxrate_of(self, path, placement, size):
        v = [float(r["rx_pps"]) for r in self.csv.rows if r["path"] == path
             and r["placement"] == placement and r["frame_size"] == size
             and r["method"] == "maxrate" and r["rx_pps"] != ""]
        return sum(v) / len(v) if v else None

    def gen_max_of(self, path, placement, size):
        v = [float(r["tx_pps"]) for r in self.csv.rows if r["path"] == path
             and r["placement"] == placement and r["frame_size"] == size
             and r["method"] == "maxrate"]
        return max(v) if v else None

    def throughput_of(self, path, placement, size):
        v = [s["throughput_pps"] for s in methods.found_zero_loss(self.searches)
             if s["path"] == path and s["placement"] == placement
             and s["frame_size"] == size]
        return sum(v) / len(v) if v else None

    def search_generator_limited(self, path, placement, size):
        """True when an RFC 2544 search of this point was generator-limited."""
        return any(s["generator_limited"] for s in self.searches if s["path"] == path
                   and s["placement"] == placement and s["frame_size"] == size)


def _rate(pps):
    """pps as a short human string (Mpps / kpps / pps)."""
    if pps >= 1e6:
        return f"{pps / 1e6:.3f} Mpps"
    if pps >= 1e3:
        return f"{pps / 1e3:.1f} kpps"
    return f"{pps:.0f} pps"


def _hms(s):
    s = int(s)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def postprocess(rc):
    """Inline CPU cost (1/rate - 1/ceiling), gen-limited inline rows,
    summary rows."""
    rows = rc.csv.rows
    for r in rows:
        if r["method"] != "maxrate" or r["path"] == "ceiling" or r["placement"] != "inline":
            continue
        ceil = rc.maxrate_of("ceiling", "inline", r["frame_size"])
        rate = float(r["rx_pps"] or 0)
        if ceil and rate:
            from cpu import marginal_ns
            r["cpu_ns_per_pkt"] = round(marginal_ns(rate, ceil), 1)
            r["cpu_method"] = "marginal"
            if rate >= 0.95 * ceil:
                r["generator_limited"] = 1
                r["note"] = "; ".join(x for x in [r["note"], "within 5 % of the ceiling: "
                                                  "the testbed, not the DUT, limits"] if x)
    rc.csv.rewrite()
    summary = results.summarize(rows, rc.searches)
    results.write_csv(os.path.join(rc.out_dir, "summary.csv"), summary,
                      results.SUMMARY_COLUMNS)
    return summary


def _options(args):
    """The suite with the command line applied on top."""
    cfg = suitemod.load(args.suite)
    if args.paths:
        cfg["paths"] = [x.strip() for x in args.paths.split(",") if x.strip()]
    if args.placement:
        cfg["placement"] = [x.strip() for x in args.placement.split(",") if x.strip()]
    if args.frame_sizes:
        cfg["frame_sizes"] = [x.strip() for x in args.frame_sizes.split(",")]
    if args.methods:
        cfg["methods"] = [x.strip() for x in args.methods.split(",")]
    if args.duration:
        cfg["duration"] = args.duration
    if args.trials:
        cfg["trials"] = args.trials
    for s in args.set:
        suitemod.set_override(cfg, s)
    suitemod.validate(cfg, "options")
    for r in cfg["placement"]:
        if r != "default":
            check_placement(r)
    return cfg


def _select(cfg, build_dir):
    """(paths that can run, [{path, reason}] skipped); unknown names are errors."""
    plugins = load_all()
    wanted = list(plugins) if cfg["paths"] in (["all"], []) else cfg["paths"]
    probe_env = Env(build_dir, None, None, None, None)
    paths, skipped = [], []
    for name in wanted:
        if name not in plugins:
            raise HarnessError(f"unknown path '{name}' (known: {', '.join(plugins)})")
        ok, why = plugins[name].available(probe_env)
        if ok:
            paths.append(plugins[name])
        else:
            skipped.append({"path": name, "reason": why})
            log(f"skip {name}: {why}")
    if not paths:
        raise HarnessError("no path can run here")
    return paths, skipped


def _run_blocks(rc, plan, env, topo, cfg):
    """Every block in order: placement applied, path prepared, the method's
    trials, undone. A path that fails is skipped from then on (recorded)."""
    failed = {}
    for method, path, pl, size, rep in plan:
        if path.name in failed:
            continue
        plc = Placement(pl, topo, path.ingress, path.sink_if, path.rps)
        try:
            plc.apply()
            path.prepare(env, plc)
            try:
                if method == "maxrate":
                    blocks.block_maxrate(rc, path, plc, size, rep)
                elif method == "rfc2544":
                    blocks.block_rfc2544(rc, path, plc, size, rep)
                elif method == "latency":
                    blocks.block_loads(rc, path, plc, size, rep, "latency",
                                       cfg["latency.loads"],
                                       cfg["latency.duration"] or cfg["duration"])
                elif method == "cpu":
                    blocks.block_loads(rc, path, plc, size, rep, "cpu", cfg["cpu.loads"],
                                       cfg["cpu.duration"] or cfg["duration"])
            finally:
                path.unprepare(env)
                key = (path.name, pl)
                if key not in rc.placements or plc.last_pinned:
                    rc.placements[key] = dict(plc.describe(plc.last_pinned),
                                              path=path.name)
                plc.reset()
        except HarnessError as e:
            failed[path.name] = str(e)
            rc.errors.append({"path": path.name, "method": method, "placement": pl,
                              "frame_size": size, "error": str(e)})
            log(f"{path.name}: {e} (its remaining trials are skipped)")


def _argv_without_vm(argv):
    """The run's own arguments minus --vm and --out DIR (given anew)."""
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a == "--vm":
            continue
        elif a == "--out":
            skip = True
        elif not a.startswith("--out="):
            out.append(a)
    return out


def _kmod_in_vm(args, skipped, build_dir, out_dir, run, run_json):
    """Where this kernel cannot load modules, the default run still covers
    kmod: a short functional run of kmod and linux inside the VM, into
    out_dir/vm, linked from report.md."""
    if vm.inside() or args.no_vm or args.paths:
        return
    why = next((s["reason"] for s in skipped if s["path"] == "kmod"), "")
    if "cannot load modules" not in why:
        return
    status = vm.run(["--suite", "vm", "--paths", "kmod,linux"], build_dir,
                    os.path.join(out_dir, "vm"), timeout=1200)
    run["vm_run"] = {"dir": "vm", "suite": "vm", "paths": ["kmod", "linux"],
                     "exit": status, "label": vm.LABEL}
    for s in skipped:
        if s["path"] == "kmod":
            s["reason"] += ("; functional run in the VM: vm/report.md" if status == 0
                            else f"; the VM run failed or was skipped (exit {status}): "
                            "see vm/console.log")
    results.write_json(run_json, run)


def main(args):
    if args.vm and not vm.inside():
        if not is_root():
            raise HarnessError("run --vm needs root (QEMU with the host root over 9p)")
        run_id = time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-vm"
        out_dir = os.path.abspath(args.out or os.path.join(REPO, "results", run_id))
        status = vm.run(_argv_without_vm(sys.argv[sys.argv.index("run") + 1:]),
                        os.path.abspath(args.build_dir),
                        out_dir)
        log(f"results: {out_dir} ({vm.LABEL}; exit {status})")
        return status
    cfg = _options(args)
    if not is_root():
        raise HarnessError("run needs root (network namespaces, XDP): try sudo")
    build_dir = os.path.abspath(args.build_dir)
    missing = traffic.missing_tools(build_dir)
    if missing:
        raise HarnessError(f"{', '.join(missing)} not built in {build_dir} "
                           "(run harness/setup, or pass --build-dir)")

    paths, skipped = _select(cfg, build_dir)
    placements_of = blocks.resolve_placements(paths, cfg["placement"])
    if "cpu" in cfg["methods"] and cfg["cpu.placement"] != "auto":
        check_placement(cfg["cpu.placement"])

    rid = f"{random.getrandbits(16):04x}"
    run_id = time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + rid
    prefix = args.prefix or f"fl{rid}"
    check_prefix(prefix)
    out_dir = os.path.abspath(args.out or os.path.join(REPO, "results", run_id))
    topo = Topology(prefix)
    state = State.create(prefix)
    os.makedirs(out_dir, exist_ok=True)
    tmp_dir = f"/run/fwdlab/{prefix}.d"
    os.makedirs(tmp_dir, exist_ok=True)
    routes = topo.write_routes(os.path.join(out_dir, "routes.conf"))
    env = Env(build_dir, topo, routes, tmp_dir, state)
    run = results.new_run(run_id, ["fwdlab"] + sys.argv[1:], cfg,
                          {"prefix": prefix, "build_dir": build_dir, "out": out_dir},
                          results.environment(REPO), topo.describe(), CEILING_NOTE,
                          [p.describe() for p in paths], skipped)
    if vm.inside():
        run["emulated"] = f"{vm.inside()}: {vm.LABEL}"
    run["background_busy"] = cpu.background(1.0)
    run["cpu_probe"] = cpu.probe()
    if max(run["background_busy"].values()) > 0.1:
        log(f"warning: cores busy before the run: {run['background_busy']} "
            "(other load: DUT CPU figures and rates will be off)")
    run_json = os.path.join(out_dir, "run.json")
    results.write_json(run_json, run)

    def on_signal(sig, frame):
        raise Interrupted(signal.Signals(sig).name)
    old = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGHUP)}
    rc = None
    status = "failed"  # until the plan completes
    try:
        topo.up(state)
        rc = Runner(cfg, env, build_dir, out_dir)
        plan, rc.total, rc.ref_planned = blocks.plan(cfg, paths, placements_of)
        log(f"run {run_id}: {len(paths)} paths, {len(plan)} blocks, up to {rc.total} "
            f"trials -> {out_dir}")
        _run_blocks(rc, plan, env, topo, cfg)
        status = "partial" if rc.errors else "ok"
    except (KeyboardInterrupt, Interrupted) as e:
        status = "interrupted"
        log(f"interrupted ({str(e) or 'SIGINT'}): tearing down")
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        sigint = signal.signal(signal.SIGINT, signal.SIG_IGN)  # let teardown finish
        problems = teardown(state)
        signal.signal(signal.SIGINT, sigint)
        shutil.rmtree(tmp_dir, ignore_errors=True)
        if problems:
            log(f"teardown left {problems} problem(s): run fwdlab cleanup --prefix {prefix}")
        if rc is not None:
            run["summary"] = postprocess(rc)
            rc.csv.close()
            rc.counters_f.close()
            run["searches"] = rc.searches
            run["placements"] = list(rc.placements.values())
            run["errors"] = rc.errors
            run["warnings"] = rc.warnings
        # again after the run: plug-ins record what they used (dpdk: EAL
        # memory, build) only when they prepare
        run["paths"] = [p.describe() for p in paths]
        run["status"] = status
        run["finished"] = results.now_iso()
        results.write_json(run_json, run)
    if status in ("ok", "partial"):
        _kmod_in_vm(args, skipped, build_dir, out_dir, run, run_json)
    if not args.no_plot:
        import plot
        import report
        try:
            plot.make(out_dir)
        except HarnessError as e:
            log(f"plot: {e}")
        report.write(out_dir)
    log(f"results: {out_dir} ({status})")
    for s in skipped:
        log(f"skipped {s['path']}: {s['reason']}")
    return 0 if status == "ok" else (130 if status == "interrupted" else 1)
