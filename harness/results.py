"""results.py - the results directory (docs/formats.md, results/README.md):

  run.json      environment, suite, options, topology, placements applied,
                paths run and skipped (with reasons), summary
  results.csv   one row per trial: COLUMNS, then EXTRA_COLUMNS
  summary.csv   per path / placement / frame size: max rate and RFC 2544
                throughput as mean +- 95 % CI, marginal CPU ns per packet
  hist/*.csv    per-trial latency histograms from fwd-sink (lo_ns,hi_ns,count)
  counters.jsonl  raw per-trial deltas of every veth counter + tool outputs
"""
import csv
import json
import os
import platform
import subprocess
import time

import cpu
import methods

# The exact column list, then ours.
COLUMNS = ["path", "placement", "frame_size", "offered_pps", "tx_pps", "rx_pps",
           "loss", "lat_p50_ns", "lat_p90_ns", "lat_p99_ns", "lat_p999_ns",
           "lat_max_ns", "dut_cpu_busy", "cpu_ns_per_pkt", "trial"]
EXTRA_COLUMNS = ["method", "step", "duration_s", "tx", "rx", "dut_loss",
                 "gen_veth_drops", "snk_veth_drops", "generator_limited",
                 "lat_min_ns", "lat_mean_ns", "lost", "reordered", "duplicate",
                 "bad_magic", "fwd_rx", "fwd_forward", "fwd_drop", "fwd_punt",
                 "gen_engine", "cpu_method", "hist", "napi_kthreads", "note",
                 "dut_own_busy", "dut_own_ns_per_pkt"]
ALL_COLUMNS = COLUMNS + EXTRA_COLUMNS

SUMMARY_COLUMNS = ["path", "placement", "frame_size", "maxrate_pps", "maxrate_ci_pps",
                   "maxrate_n", "throughput_pps", "throughput_ci_pps", "throughput_n",
                   "cpu_ns_per_pkt", "cpu_method", "cpu_own_ns_per_pkt", "generator_limited",
                   "maxrate_generator_limited", "throughput_generator_limited",
                   "throughput_searches", "throughput_none_down_to_pps"]

RUN_JSON_KEYS = ("run_id", "status", "started", "finished", "command", "suite",
                 "options", "environment", "background_busy", "cpu_probe", "topology", "ceiling",
                 "placements", "paths", "skipped", "searches", "summary", "errors",
                 "warnings")


def new_run(run_id, command, suite, options, environment, topology, ceiling,
            paths, skipped):
    """The run.json skeleton (every key of RUN_JSON_KEYS), status running."""
    run = dict.fromkeys(RUN_JSON_KEYS)
    run.update({"run_id": run_id, "status": "running", "started": now_iso(),
                "command": command, "suite": suite, "options": options,
                "environment": environment, "background_busy": {}, "cpu_probe": {},
                "topology": topology, "ceiling": ceiling, "placements": [],
                "paths": paths, "skipped": skipped, "searches": [], "summary": [],
                "errors": [], "warnings": []})
    return run


class CsvLog:
    """results.csv written row by row (flushed: a crash keeps what ran)."""

    def __init__(self, path):
        self.path = path
        self.f = open(path, "w", newline="")
        self.w = csv.DictWriter(self.f, fieldnames=ALL_COLUMNS, extrasaction="ignore")
        self.w.writeheader()
        self.f.flush()
        self.rows = []

    def add(self, row):
        self.rows.append(row)
        self.w.writerow(row)
        self.f.flush()

    def rewrite(self):
        """Rewrite every row (after post-processing filled columns in)."""
        self.f.close()
        write_csv(self.path, self.rows, ALL_COLUMNS)
        self.f = open(self.path, "a", newline="")
        self.w = csv.DictWriter(self.f, fieldnames=ALL_COLUMNS, extrasaction="ignore")

    def close(self):
        self.f.close()


def write_csv(path, rows, columns):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)


def read_csv(path):
    """Rows as dicts of strings (missing file -> [])."""
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def num(v):
    """CSV cell -> float, or None when empty / not a number."""
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _first_line(argv):
    try:
        out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, timeout=10).stdout.strip()
        return out.splitlines()[0] if out else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def environment(repo):
    """Kernel, CPU, versions and git commit, for run.json."""
    commit = _first_line(["git", "-C", repo, "rev-parse", "HEAD"])
    dirty = _first_line(["git", "-C", repo, "status", "--porcelain", "--untracked-files=no"])
    return {
        "hostname": platform.node(),
        "kernel": platform.release(),
        "kernel_version": platform.version(),
        "cpu_model": cpu.model(),
        "cores": os.cpu_count(),
        "dpdk": _first_line(["pkg-config", "--modversion", "libdpdk"]),
        "libbpf": _first_line(["pkg-config", "--modversion", "libbpf"]),
        "libxdp": _first_line(["pkg-config", "--modversion", "libxdp"]),
        "clang": _first_line(["clang", "--version"]),
        "gcc": _first_line(["gcc", "--version"]),
        "iproute2": _first_line(["ip", "-V"]),
        "python": platform.python_version(),
        "git_commit": commit,
        "git_dirty": bool(dirty),
    }


def write_json(path, data):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=2, sort_keys=False, default=str)
        f.write("\n")
    os.replace(tmp, path)


def now_iso():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _r(v):
    return "" if v is None else round(v, 1)


def summarize(rows, searches):
    """SUMMARY_COLUMNS rows per (path, placement, frame size): max rate
    (rx pps of maxrate trials) and RFC 2544 throughput (one per search) as
    mean and 95 % CI half-width, mean CPU ns per packet of the maxrate
    trials, and whether anything in the group was generator-limited.

    A search in which every step lost frames found no zero-loss rate: it
    is not a throughput of 0. The mean is over the searches that found
    one (throughput_n of throughput_searches); throughput_none_down_to_pps
    is the lowest load tried by a search that found none."""
    keys = []
    for r in rows:
        k = (r["path"], r["placement"], str(r["frame_size"]))
        if k not in keys:
            keys.append(k)
    for s in searches:
        k = (s["path"], s["placement"], str(s["frame_size"]))
        if k not in keys:
            keys.append(k)
    out = []
    for path, pl, size in keys:
        mr = [r for r in rows if (r["path"], r["placement"], str(r["frame_size"])) ==
              (path, pl, size) and r["method"] == "maxrate"]
        srch = [s for s in searches if (s["path"], s["placement"], str(s["frame_size"])) ==
                (path, pl, size)]
        if not mr and not srch:
            continue
        m, ci, n = methods.mean_ci([r["rx_pps"] for r in mr])
        found = methods.found_zero_loss(srch)
        tm, tci, tn = methods.mean_ci([s["throughput_pps"] for s in found])
        none_lo = [min(st[0] for st in s["steps"]) for s in srch
                   if s not in found and s.get("steps")]
        cm, _, _ = methods.mean_ci([r["cpu_ns_per_pkt"] for r in mr])
        om, _, _ = methods.mean_ci([r.get("dut_own_ns_per_pkt") for r in mr])
        out.append({
            "path": path, "placement": pl, "frame_size": size,
            "maxrate_pps": _r(m), "maxrate_ci_pps": _r(ci), "maxrate_n": n,
            "throughput_pps": _r(tm), "throughput_ci_pps": _r(tci), "throughput_n": tn,
            "cpu_ns_per_pkt": _r(cm),
            "cpu_method": next((r["cpu_method"] for r in mr if r["cpu_method"]), ""),
            "cpu_own_ns_per_pkt": _r(om),
            "generator_limited": int(any(str(r["generator_limited"]) == "1" for r in mr) or
                                     any(s.get("generator_limited") for s in srch)),
            "maxrate_generator_limited": int(any(str(r["generator_limited"]) == "1"
                                                 for r in mr)),
            "throughput_generator_limited": int(any(s.get("generator_limited")
                                                    for s in srch)),
            "throughput_searches": len(srch),
            "throughput_none_down_to_pps": _r(min(none_lo)) if none_lo else "",
        })
    return out
