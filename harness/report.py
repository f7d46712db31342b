"""report.py - report.md for a results directory: what ran where (placement,
environment), the summary tables, and the plots."""
import json
import os

import methods
from results import num, read_csv, summarize

PLOTS = [("throughput_vs_size", "Forwarding rate vs frame size"),
         ("latency_vs_load", "Latency percentiles vs offered load"),
         ("latency_cdf", "Latency CDF at one load"),
         ("cpu_vs_load", "DUT CPU busy vs offered load")]


def _mpps(v, ci=None):
    v = num(v)
    if v is None:
        return "–"
    s = f"{v / 1e6:.3f}"
    c = num(ci)
    return s + (f" ± {c / 1e6:.3f}" if c else "")


def _zero_loss(s):
    """The RFC 2544 cell: the mean over the searches that found a zero-loss
    rate, and how many found none (frames lost at every step tried)."""
    n_all = int(num(s.get("throughput_searches")) or 0)
    n = int(num(s.get("throughput_n")) or 0)
    low = num(s.get("throughput_none_down_to_pps"))
    if n_all and not n:
        return ("none found" + (f" (loss at every step, down to {low / 1e6:.3f})"
                                if low else ""))
    cell = _mpps(s["throughput_pps"], s["throughput_ci_pps"]) if n else "–"
    if n_all > n:
        cell += f" ({n_all - n} of {n_all} searches found none)"
    return cell


def _ns(v):
    v = num(v)
    return "–" if v is None else f"{v:,.0f}"


def write(out_dir):
    """Write out_dir/report.md; returns its path."""
    try:
        with open(os.path.join(out_dir, "run.json")) as f:
            run = json.load(f)
    except (OSError, ValueError):
        run = {}
    rows = read_csv(os.path.join(out_dir, "results.csv"))
    summary = read_csv(os.path.join(out_dir, "summary.csv"))
    if not summary:
        summary = [{k: str(v) for k, v in s.items()}
                   for s in summarize(rows, run.get("searches") or [])]
    env = run.get("environment", {})
    suite = run.get("suite", {})
    L = [f"# fwdlab run {run.get('run_id', os.path.basename(out_dir))}", ""]
    if run.get("emulated"):
        L += [f"> **{run['emulated']}.** Every rate, latency and CPU figure below was "
              "measured inside a QEMU TCG guest: it shows that each path forwards and "
              "counts correctly, never how fast it is.", ""]
    L += [f"- status: **{run.get('status', '?')}**, {run.get('started', '?')} → "
          f"{run.get('finished', '?')}",
          f"- suite: `{suite.get('name', '?')}` ({suite.get('description', '')}); "
          f"as run (command-line overrides included): frame sizes "
          f"{_list(suite.get('frame_sizes'))} B, methods {_list(suite.get('methods'))}, "
          f"trial {suite.get('duration', '?')} s × {suite.get('trials', '?')}, "
          f"generator engine `{suite.get('gen_engine', '?')}`, loss tolerance "
          f"{suite.get('loss_tolerance', 0)}",
          f"- machine: {env.get('cpu_model', '?')}, {env.get('cores', '?')} cores, kernel "
          f"{env.get('kernel', '?')}; commit {str(env.get('git_commit'))[:12]}"
          f"{' (dirty)' if env.get('git_dirty') else ''}",
          f"- versions: DPDK {env.get('dpdk')}, libbpf {env.get('libbpf')}, libxdp "
          f"{env.get('libxdp')}, {env.get('clang')}, {env.get('gcc')}"]
    if any(p.get("name") == "ceiling" for p in run.get("paths") or []):
        L.append(f"- ceiling: {run.get('ceiling', '?')}")
    elif run.get("paths"):
        L.append("- ceiling: not in this run (`--paths` without `ceiling`): no "
                 "no-forwarder reference to read the rates against, and no marginal "
                 "CPU cost inline")
    bg = run.get("background_busy") or {}
    if bg:
        busy = max(bg.values())
        L.append(f"- cores busy before the run (other load): "
                 + ", ".join(f"core {c} {v * 100:.0f} %" for c, v in bg.items())
                 + (" — **a shared/busy machine: rates and CPU figures are rough**"
                    if busy > 0.1 else ""))
    pr = run.get("cpu_probe") or {}
    if pr:
        L.append(f"- CPU probe (Python, to compare runs of this harness, not with C figures): "
                 f"loop {pr.get('loop_ns')} ns/iteration per core, "
                 f"core 0 ↔ 1 round trip {pr.get('pingpong_ns')} ns")
    L.append("")
    paths = run.get("paths") or []
    refs = {p.get("name") for p in paths if p.get("reference")}

    def pname(name):
        return f"{name} (reference)" if name in refs else name
    if paths:
        L += ["## Paths", ""]
        for p in paths:
            ref = " **(reference)**" if p.get("reference") else ""
            extra = "; ".join(f"{k}: {p[k]}" for k in ("build", "memory") if p.get(k))
            L.append(f"- `{p.get('name')}`{ref}: {p.get('description', '')}"
                     + (f" ({extra})" if extra else ""))
        L.append("")
    L += ["## Placement", "",
          "| path | placement | generator core | sink core | sink's NAPI | app core | DUT core | threaded NAPI (iface: core) | RPS |",
          "|---|---|---|---|---|---|---|---|---|"]
    seen = set()
    for key_pl in run.get("placements", []):
        name = key_pl.get("name")
        thr = ", ".join(f"{k}: {v}" for k, v in key_pl.get("threaded_napi", {}).items()) or "none"
        rps = ", ".join(f"{k}: {v}" for k, v in key_pl.get("rps_cpus", {}).items()
                        if v not in ("0", "")) or "off"
        for p in _paths_in(rows, name, seen, key_pl):
            L.append(f"| {p} | {name} | {key_pl.get('gen_core')} | {key_pl.get('sink_core')} "
                     f"| {key_pl.get('sink_napi', '–')} "
                     f"| {_core(key_pl.get('app_core'), 'none')} | {_core(key_pl.get('dut_core'), 'none (no DUT)' if p == 'ceiling' else 'shared (inline)')} "
                     f"| {thr} | {rps} |")
    L.append("")
    if run.get("skipped"):
        L += ["## Paths not run", ""]
        L += [f"- **{s['path']}**: {s['reason']}" for s in run["skipped"]]
        L.append("")
    vr = run.get("vm_run")
    if vr:
        L += ["## Kernel module in the VM", "",
              f"This kernel cannot load modules, so `kmod` ran in a QEMU TCG guest "
              f"booting Debian's stock kernel (suite `{vr['suite']}`, paths "
              f"{', '.join(vr['paths'])}; exit {vr['exit']}): "
              + (f"[{vr['dir']}/report.md]({vr['dir']}/report.md). " if vr["exit"] == 0
                 else f"it did not complete, see `{vr['dir']}/console.log`. ")
              + f"Those figures are {vr['label']}.", ""]
    if run.get("errors"):
        L += ["## Errors", ""]
        L += [f"- **{e['path']}** ({e['method']}, {e['placement']}, {e['frame_size']} B): "
              f"{e['error']}" for e in run["errors"]]
        L.append("")
    if run.get("warnings"):
        L += ["## Retried trials", ""]
        L += [f"- {w['path']} ({w['method']} {w['step']}, {w['placement']}, "
              f"{w['frame_size']} B): {w['error']}" for w in run["warnings"]]
        L.append("")
    L += ["## Summary", "",
          "Rates are frames per second received at the sink (mean ± 95 % CI over trials; "
          "the half-width is t·s/√n, and with n = 2 t is 12.7, so two trials bound little: "
          "differences of a few per cent need interleaved rounds, not these intervals). "
          "CPU ns/packet: DUT core busy time ÷ packets where the DUT has its own core "
          "(`busy`), or 1/rate − 1/ceiling inline (`marginal`); own CPU: only the DUT's process, "
          "NAPI kthread and its core's softirq time (others' load on the core excluded).", "",
          "| path | placement | frame (B) | max rate (Mpps) | RFC 2544 zero-loss (Mpps) | CPU ns/pkt | own CPU ns/pkt | flags |",
          "|---|---|---|---|---|---|---|---|"]
    for s in summary:
        # which figure the generator (or testbed), not the DUT, bounded
        flags = ", ".join(f for f, k in (("max rate generator-limited", "maxrate_generator_limited"),
                                         ("RFC 2544 generator-limited", "throughput_generator_limited"))
                          if s.get(k) == "1")
        if not flags and s.get("generator_limited") == "1":
            flags = "generator-limited"
        cpu = (f"{num(s['cpu_ns_per_pkt']):,.0f} ({s['cpu_method']})"
               if num(s.get("cpu_ns_per_pkt")) is not None else "–")
        L.append(f"| {pname(s['path'])} | {s['placement']} | {s['frame_size']} | "
                 f"{_mpps(s['maxrate_pps'], s['maxrate_ci_pps'])} | "
                 f"{_zero_loss(s)} | {cpu} | "
                 f"{_ns(s.get('cpu_own_ns_per_pkt'))} | {flags} |")
    L.append("")
    lat = [r for r in rows if r["method"] == "latency"]
    if lat:
        L += ["## Latency", "",
              "One-way, generator transmit → sink XDP (CLOCK_MONOTONIC, ns); mean over "
              "the trials at each load (n). `gen-limited`: the generator sent less than "
              "the load asked (the 'sent' column is what it managed).", "",
              "| path | placement | load | sent (pps) | p50 | p90 | p99 | p99.9 | max | loss | n | flags |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        groups = []
        for r in lat:
            k = (r["path"], r["placement"], r["step"])
            if k not in groups:
                groups.append(k)
        for k in groups:
            rs = [r for r in lat if (r["path"], r["placement"], r["step"]) == k]

            def mean(col):
                return methods.mean_ci([r[col] for r in rs])[0]
            flag = "gen-limited" if any(r["generator_limited"] == "1" for r in rs) else ""
            L.append(f"| {pname(k[0])} | {k[1]} | {k[2]} | {(mean('tx_pps') or 0):,.0f} | "
                     f"{_ns(mean('lat_p50_ns'))} | {_ns(mean('lat_p90_ns'))} | "
                     f"{_ns(mean('lat_p99_ns'))} | {_ns(mean('lat_p999_ns'))} | "
                     f"{_ns(max((num(r['lat_max_ns']) or 0) for r in rs))} | "
                     f"{(mean('loss') or 0) * 100:.2f} % | {len(rs)} | {flag} |")
        L.append("")
    setup = [r for r in rows if (num(r["snk_veth_drops"]) or 0) > 0]
    gl = [r for r in rows if r["generator_limited"] == "1"]
    L += ["## Notes", ""]
    L.append(f"- {len(rows)} trials; {len(gl)} flagged generator-limited (the generator, "
             "or the testbed, not the DUT, set the rate: never read those as the DUT's capacity).")
    if setup:
        L.append(f"- {len(setup)} trials lost frames at the sink's veth (setup loss, "
                 "column `snk_veth_drops`, not counted against the DUT in `dut_loss`).")
    L.append("- Per-trial data: `results.csv`; raw counters: `counters.jsonl`; "
             "histograms: `hist/`; method: docs/methodology.md.")
    L.append("")
    L += ["## Plots", ""]
    for name, title in PLOTS:
        if os.path.exists(os.path.join(out_dir, "plots", f"{name}.png")):
            L += [f"### {title}", "", f"![{title}](plots/{name}.png)",
                  f"([SVG](plots/{name}.svg))", ""]
    path = os.path.join(out_dir, "report.md")
    with open(path, "w") as f:
        f.write("\n".join(L))
    return path


def _list(v):
    return ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)


def _core(v, none):
    return none if v is None else v


def _paths_in(rows, placement, seen, desc):
    """Paths that ran in this placement description (first match each)."""
    out = []
    p = desc.get("path")
    if p:
        return [p]
    for r in rows:
        if r["placement"] == placement and (r["path"], placement) not in seen:
            seen.add((r["path"], placement))
            out.append(r["path"])
    return out
