"""synth.py - a synthetic results directory (made-up numbers, for testing
the writers and the plots only; never mixed with measurements)."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), ".."))

import results  # noqa: E402


def row(path, placement, size, method, step, offered, rx_pps, trial=1, busy=""):
    tx_pps = max(rx_pps, offered or rx_pps)
    base = 2000 if path == "ceiling" else 9000
    r = dict.fromkeys(results.ALL_COLUMNS, "")
    r.update({"path": path, "placement": placement, "frame_size": size,
              "offered_pps": offered, "tx_pps": tx_pps, "rx_pps": rx_pps,
              "loss": round((tx_pps - rx_pps) / tx_pps, 6), "lat_p50_ns": base,
              "lat_p90_ns": base * 2, "lat_p99_ns": base * 4, "lat_p999_ns": base * 8,
              "lat_max_ns": base * 20, "dut_cpu_busy": busy, "trial": trial,
              "method": method, "step": step, "duration_s": 1.0, "tx": int(tx_pps),
              "rx": int(rx_pps), "dut_loss": 0.0, "gen_veth_drops": 0,
              "snk_veth_drops": 0, "generator_limited": 0})
    return r


def make(out_dir):
    """Write results.csv, run.json, summary.csv and hist/ into out_dir."""
    os.makedirs(os.path.join(out_dir, "hist"), exist_ok=True)
    rows, searches = [], []
    for path, cap in (("ceiling", 9e6), ("linux", 1.2e6)):
        for trial in (1, 2, 3):
            for size in (64, 512, 1518):
                rate = cap * (1 + 0.01 * trial) * (64 / size) ** 0.3
                rows.append(row(path, "inline", size, "maxrate", "max", 0, rate, trial))
                searches.append({"path": path, "placement": "inline", "frame_size": size,
                                 "trial": trial, "throughput_pps": rate * 0.9,
                                 "generator_limited": path == "linux" and size == 1518,
                                 "steps": []})
        for load in ("100", "10000", "50%", "90%"):
            off = float(load) if not load.endswith("%") else cap * float(load[:-1]) / 100
            r = row(path, "inline", 64, "latency", load, off, off)
            if path == "linux" and load == "90%":
                r["generator_limited"] = 1  # marked on latency_vs_load
            h = f"hist/{path}-{load.replace('%', 'pct')}.csv"
            with open(os.path.join(out_dir, h), "w") as f:
                f.write("lo_ns,hi_ns,count\n")
                for i, c in enumerate((1, 5, 40, 30, 10, 3, 1)):
                    lo = (1000 if path == "ceiling" else 5000) * (2 ** i)
                    f.write(f"{lo},{2 * lo - 1},{c}\n")
            r["hist"] = h
            rows.append(r)
        for pct in (10, 50, 100):
            off = cap * pct / 100
            r = row(path, "split", 64, "cpu", f"{pct}%", off, off, busy=min(1.0, pct / 80))
            r["dut_own_busy"] = min(1.0, pct / 90)
            rows.append(r)
    results.write_csv(os.path.join(out_dir, "results.csv"), rows, results.ALL_COLUMNS)
    run = results.new_run("synthetic", ["fwdlab", "test"], {"name": "synthetic"},
                          {}, {"kernel": "test"}, {}, "test ceiling", [], [])
    run["searches"] = searches
    run["status"] = "ok"
    results.write_json(os.path.join(out_dir, "run.json"), run)
    return rows
