"""blocks.py - the plan of a run and the methods run per block.

A block is (method, path, placement, frame size, repetition); plan() puts
them in run order, interleaving paths inside each step. Each block runs
one method's trials through the Runner (cmd_run.py) with the placement
already applied and the path prepared.
"""
import methods
from placement import check as check_placement
from trial import GEN_SHORTFALL
from util import log


def block_maxrate(rc, path, plc, size, rep):
    rc.trial(path, plc, size, 0, rc.cfg["duration"], "maxrate", "max", rep)


def _ensure_maxrate(rc, path, plc, size, rep):
    if rc.gen_max_of(path.name, plc.name, size) is None:
        key = (path.name, plc.name, size)
        if key in rc.ref_planned:  # plan() counted it in the total
            rc.ref_planned.discard(key)
        else:  # e.g. the planned max-rate trial failed
            rc.total += 1
        rc.trial(path, plc, size, 0, rc.cfg["duration"], "maxrate", "reference", rep)


def block_rfc2544(rc, path, plc, size, rep):
    cfg = rc.cfg
    _ensure_maxrate(rc, path, plc, size, rep)
    hi = rc.gen_max_of(path.name, plc.name, size)
    dur = cfg["rfc2544.duration"] or cfg["duration"]
    tol = cfg["loss_tolerance"]
    n = [0]

    short = [0]

    def one(rate):
        n[0] += 1
        row = rc.trial(path, plc, size, rate, dur, "rfc2544", f"search{n[0]}", rep)
        achieved = float(row["tx_pps"])
        ok, was_short = methods.judge_step(float(row["dut_loss"] or 0), tol, rate,
                                           achieved, GEN_SHORTFALL)
        short[0] += was_short
        return ok, achieved

    best, steps = methods.binary_search(one, hi, cfg["rfc2544.resolution"],
                                        cfg["rfc2544.max_iterations"])
    rc.total -= cfg["rfc2544.max_iterations"] - len(steps)
    rc.searches.append({"path": path.name, "placement": plc.name, "frame_size": size,
                        "trial": rep, "throughput_pps": best, "start_pps": hi,
                        "loss_tolerance": tol, "steps": steps,
                        "generator_limited": bool(steps and steps[0][1]) or short[0] > 0,
                        "generator_short_steps": short[0]})
    log(f"rfc2544 {path.name} {plc.name} {size}B trial {rep}: "
        + (f"throughput {best / 1e6:.3f} Mpps after {len(steps)} steps"
           if best or not steps else
           f"no zero-loss rate found in {len(steps)} steps (loss at every step, down to "
           f"{min(s[0] for s in steps) / 1e6:.3f} Mpps)")
        + (f" ({short[0]} steps the generator could not offer)" if short[0] else ""))


def _reference(rc, path, plc, size, rep, method):
    """The rate that % loads are shares of: the RFC 2544 throughput found
    in this run for the latency method (when the search found one and the
    generator did not limit it: then it is the generator's paced ceiling,
    not the DUT's), else the max forwarding rate (measured now if this run
    has none)."""
    ref = rc.throughput_of(path.name, plc.name, size) if method == "latency" else None
    if ref and rc.search_generator_limited(path.name, plc.name, size):
        log(f"latency {path.name} {plc.name} {size}B: the RFC 2544 throughput "
            f"was generator-limited; % loads are shares of the max rate instead")
        ref = None
    if not ref:
        _ensure_maxrate(rc, path, plc, size, rep)
        ref = rc.maxrate_of(path.name, plc.name, size)
    return ref


def block_loads(rc, path, plc, size, rep, method, loads, dur):
    ref = None
    if any(str(x).strip().endswith("%") for x in loads):
        ref = _reference(rc, path, plc, size, rep, method)
    for spec in loads:
        rate = methods.resolve_load(spec, ref)
        if rate is None:
            log(f"{method}: no reference rate for {path.name} {plc.name}: load {spec} skipped")
            rc.total -= 1
            continue
        rc.trial(path, plc, size, rate, dur, method, str(spec), rep)


def reference_keys(cfg, blocks):
    """(path, placement, size) of the blocks that need a max-rate reference
    trial (_ensure_maxrate) because no max-rate block measures it first:
    RFC 2544 searches start from it, % loads are shares of it."""
    measured = {(p.name, pl, size) for m, p, pl, size, _ in blocks if m == "maxrate"}
    keys = set()
    for m, p, pl, size, _ in blocks:
        loads = cfg["latency.loads"] if m == "latency" else cfg["cpu.loads"] if m == "cpu" else []
        if (m == "rfc2544" or any(str(x).strip().endswith("%") for x in loads)) \
                and (p.name, pl, size) not in measured:
            keys.add((p.name, pl, size))
    return keys


def plan(cfg, paths, placements_of):
    """Blocks (method, path, placement, size, rep) in run order, the number
    of trials they will take at most (reference max-rate trials included,
    so the progress line's total does not grow) and reference_keys()."""
    blocks, total = [], 0
    sizes = [int(s) for s in cfg["frame_sizes"]]
    all_plc = []
    for p in paths:
        for pl in placements_of[p.name]:
            if pl not in all_plc:
                all_plc.append(pl)
    for m in cfg["methods"]:
        if m in ("maxrate", "rfc2544"):
            per = 1 if m == "maxrate" else cfg["rfc2544.max_iterations"]
            for size in sizes:
                for pl in all_plc:
                    for rep in range(1, cfg["trials"] + 1):
                        for p in paths:
                            if pl in placements_of[p.name]:
                                blocks.append((m, p, pl, size, rep))
                                total += per
        elif m == "latency":
            for pl in all_plc:
                for rep in range(1, cfg["trials"] + 1):
                    for p in paths:
                        if pl in placements_of[p.name]:
                            blocks.append((m, p, pl, cfg["latency.frame_size"], rep))
                            total += len(cfg["latency.loads"])
        elif m == "cpu":
            cpu_pl = cpu_placements(paths, cfg["cpu.placement"])
            for pl in dict.fromkeys(x for v in cpu_pl.values() for x in v):
                for rep in range(1, cfg["trials"] + 1):
                    for p in paths:
                        if pl in cpu_pl[p.name]:
                            blocks.append((m, p, pl, cfg["cpu.frame_size"], rep))
                            total += len(cfg["cpu.loads"])
    refs = reference_keys(cfg, blocks)
    return blocks, total + len(refs), refs


def cpu_placements(paths, spec):
    """{path: [placement]} for the cpu method: the DUT needs a core of its
    own. 'auto' = the path's default if it has one (split, split-napi0),
    else split; the ceiling joins every placement the others use."""
    out = {}
    for p in paths:
        if p.name == "ceiling":
            continue
        if spec != "auto":
            pl = spec
        elif p.default_placement in ("split", "split-napi0"):
            pl = p.default_placement
        else:
            pl = "split"
        out[p.name] = [pl] if pl in p.placements else []
    if any(p.name == "ceiling" for p in paths):
        union = list(dict.fromkeys(x for v in out.values() for x in v))
        out["ceiling"] = union or ([spec] if spec != "auto" else ["split"])
    return out


def resolve_placements(paths, requested):
    """{path name: [placements]}; 'default' -> the path's own default; the
    ceiling runs in every placement any other selected path runs in."""
    out = {}
    for p in paths:
        if p.name == "ceiling":
            continue
        pl = []
        for r in requested:
            x = p.default_placement if r == "default" else check_placement(r)
            if x in p.placements and x not in pl:
                pl.append(x)
        out[p.name] = pl
    if any(p.name == "ceiling" for p in paths):
        union = [x for v in out.values() for x in v]
        if not union:
            union = [("inline" if r == "default" else check_placement(r)) for r in requested]
        out["ceiling"] = list(dict.fromkeys(union))
    return out
