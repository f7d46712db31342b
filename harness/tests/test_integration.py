#!/usr/bin/python3
"""Integration test (root): `fwdlab run --suite quick --paths linux,ceiling`
into a temp dir; the CSV rows must be sane and the plots non-empty; then
nothing of the run's prefix may be left (namespaces, state file). Also:
`fwdlab cleanup` removes what a crashed run left behind.

usage: test_integration.py BUILD_DIR. Exit 77 (skip) without root, without
BPF, or when fwd-gen / fwd-sink are not built."""
import csv
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.realpath(__file__))
FWDLAB = os.path.join(HERE, "..", "fwdlab")


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(77)


def fail(why):
    print(f"FAIL: {why}")
    sys.exit(1)


def netns():
    return subprocess.run(["ip", "netns", "list"], stdout=subprocess.PIPE,
                          text=True).stdout


def check_rows(rows):
    if not rows:
        fail("results.csv has no rows")
    paths = {r["path"] for r in rows}
    if paths != {"linux", "ceiling"}:
        fail(f"paths in results.csv: {paths}")
    for r in rows:
        where = f"{r['path']} {r['method']} {r['step']} {r['frame_size']}B"
        tx, rx = int(r["tx"]), int(r["rx"])
        if not (tx > 0 and rx > 0 and float(r["tx_pps"]) > 0 and float(r["rx_pps"]) > 0):
            fail(f"{where}: tx {tx} rx {rx}: expected traffic")
        if rx > tx:
            fail(f"{where}: rx {rx} > tx {tx}")
        loss = float(r["loss"])
        if not 0.0 <= loss <= 1.0:
            fail(f"{where}: loss {loss} outside [0, 1]")
        counting = r["method"] in ("maxrate", "rfc2544")  # rate_sink = count
        if counting:
            if r["lat_p50_ns"] or r["lost"]:
                fail(f"{where}: the counting sink reported latency or sequence figures")
        else:
            lat = [float(r[k]) for k in ("lat_p50_ns", "lat_p90_ns", "lat_p99_ns",
                                         "lat_p999_ns", "lat_max_ns")]
            if lat != sorted(lat) or lat[0] <= 0:
                fail(f"{where}: latency percentiles not positive and monotonic: {lat}")
        if int(r["frame_size"]) not in (64, 1518):
            fail(f"{where}: unexpected frame size")
        for k in ("gen_veth_drops", "snk_veth_drops") + (() if counting else ("lost",)):
            if not r[k].isdigit():
                fail(f"{where}: {k} {r[k]!r} is not a count")
        if not 0.0 <= float(r["dut_loss"]) <= loss + 1e-9:
            fail(f"{where}: dut_loss {r['dut_loss']} not in [0, loss]")
        if r["placement"] != "inline":
            fail(f"{where}: placement {r['placement']} (quick runs each path's default: inline)")
        if r["path"] == "linux" and r["method"] == "maxrate" and not r["cpu_ns_per_pkt"]:
            fail(f"{where}: no marginal CPU cost against the ceiling")
        if r["generator_limited"] not in ("0", "1"):
            fail(f"{where}: generator_limited {r['generator_limited']!r}")
        if r["hist"] and not os.path.getsize(os.path.join(OUT, r["hist"])):
            fail(f"{where}: empty histogram {r['hist']}")
    methods = {r["method"] for r in rows}
    for m in ("maxrate", "rfc2544", "latency"):
        if m not in methods:
            fail(f"no {m} rows")


def check_cleanup_after_crash(prefix):
    """topo up + a process inside the DUT namespace, as a killed run leaves
    them; fwdlab cleanup --prefix must remove both."""
    r = subprocess.run([FWDLAB, "topo", "up", "--prefix", prefix], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode:
        fail(f"topo up: {r.stderr.strip()}")
    p = subprocess.Popen(["ip", "netns", "exec", f"{prefix}-dut", "sleep", "60"])
    subprocess.run([FWDLAB, "cleanup", "--prefix", prefix], check=False)
    try:
        p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill()
        fail("cleanup left a process running inside the namespace")
    if f"{prefix}-" in netns():
        fail(f"cleanup left namespaces: {netns()}")
    if os.path.exists(f"/run/fwdlab/{prefix}.json"):
        fail("cleanup left the state file")
    try:
        os.unlink(f"/run/fwdlab/{prefix}-routes.conf")
    except FileNotFoundError:
        pass


def check_split(build, prefix):
    """One max-rate trial per path in split placement: threaded NAPI
    kthreads pinned and recorded, DUT busy measured, counters that add up."""
    with tempfile.TemporaryDirectory(prefix="fwdlab-it-") as d:
        out = os.path.join(d, "split")
        r = subprocess.run([FWDLAB, "run", "--suite", "quick", "--paths", "linux,ceiling",
                            "--placement", "split", "--methods", "maxrate",
                            "--frame-sizes", "64", "--out", out, "--build-dir", build,
                            "--prefix", prefix, "--no-plot"],
                           stderr=subprocess.PIPE, text=True, timeout=300)
        sys.stderr.write(r.stderr)
        if r.returncode != 0:
            fail(f"split run exited {r.returncode}")
        with open(os.path.join(out, "results.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        if {x["path"] for x in rows} != {"linux", "ceiling"}:
            fail("split run: paths missing")
        for x in rows:
            where = f"split {x['path']}"
            if x["placement"] != "split" or not x["napi_kthreads"]:
                fail(f"{where}: no pinned napi kthread recorded ({x['napi_kthreads']!r})")
            busy = float(x["dut_cpu_busy"])
            if not 0.0 < busy <= 1.0 or float(x["cpu_ns_per_pkt"]) <= 0:
                fail(f"{where}: DUT busy {busy}, ns/pkt {x['cpu_ns_per_pkt']}")
            tx, rx = int(x["tx"]), int(x["rx"])
            accounted = int(x["gen_veth_drops"]) + int(x["snk_veth_drops"])
            # no DUT: every lost frame is a veth drop, give or take one
            # 256-entry ring still in flight when the sink stopped
            if x["path"] == "ceiling" and not 0 <= (tx - rx) - accounted <= 256:
                fail(f"{where}: tx - rx = {tx - rx} but veth drops = {accounted}")
        with open(os.path.join(out, "run.json")) as f:
            pl = json.load(f)["placements"]
        if not any(p.get("threaded_napi") for p in pl):
            fail("split run: run.json records no threaded NAPI")
    if f"{prefix}-" in netns():
        fail(f"split run left namespaces: {netns()}")


def main():
    global OUT
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    build = sys.argv[1]
    if os.geteuid() != 0:
        skip("needs root (network namespaces, XDP)")
    if not os.path.exists("/sys/fs/bpf") or not os.path.exists("/proc/sys/net/core/bpf_jit_enable"):
        skip("no BPF in this kernel")
    for t in ("fwd-gen", "fwd-sink", "fwd-profile"):
        if not os.access(os.path.join(build, "traffic", t), os.X_OK):
            skip(f"traffic/{t} not built in {build}")
    prefix = f"flh{random.getrandbits(12):03x}"
    with tempfile.TemporaryDirectory(prefix="fwdlab-it-") as d:
        OUT = os.path.join(d, "run")
        r = subprocess.run([FWDLAB, "run", "--suite", "quick", "--paths", "linux,ceiling",
                            "--out", OUT, "--build-dir", build, "--prefix", prefix],
                           stderr=subprocess.PIPE, text=True, timeout=600)
        sys.stderr.write(r.stderr)
        if f"{prefix}-" in netns():
            fail(f"namespaces of {prefix} left behind: {netns()}")
        if os.path.exists(f"/run/fwdlab/{prefix}.json"):
            fail("state file left behind")
        if r.returncode != 0:
            fail(f"fwdlab run exited {r.returncode}")
        with open(os.path.join(OUT, "results.csv"), newline="") as f:
            check_rows(list(csv.DictReader(f)))
        with open(os.path.join(OUT, "run.json")) as f:
            run = json.load(f)
        if run["status"] != "ok":
            fail(f"run.json status {run['status']}: {run.get('errors')}")
        for k in ("environment", "topology", "placements", "suite", "ceiling"):
            if not run.get(k):
                fail(f"run.json: empty {k}")
        for name in ("throughput_vs_size", "latency_vs_load", "latency_cdf"):
            for ext in ("png", "svg"):
                p = os.path.join(OUT, "plots", f"{name}.{ext}")
                if not os.path.exists(p) or os.path.getsize(p) == 0:
                    fail(f"missing or empty {p}")
        # the quick suite has no cpu method: no CPU plot, and none embedded
        if os.path.exists(os.path.join(OUT, "plots", "cpu_vs_load.png")):
            fail("cpu_vs_load.png drawn for a run without CPU trials")
        if not os.path.getsize(os.path.join(OUT, "report.md")):
            fail("empty report.md")
        with open(os.path.join(OUT, "report.md")) as f:
            if "cpu_vs_load.png" in f.read():
                fail("report.md embeds a CPU plot the run has no data for")
        with open(os.path.join(OUT, "summary.csv"), newline="") as f:
            if {r["path"] for r in csv.DictReader(f)} != {"linux", "ceiling"}:
                fail("summary.csv does not cover linux and ceiling")
    check_split(build, f"flh{random.getrandbits(12):03x}")
    check_cleanup_after_crash(f"flh{random.getrandbits(12):03x}")
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
