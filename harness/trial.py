"""trial.py - one trial: one path, one placement, one frame size, one
offered load, one duration. Returns one results.csv row (a dict).

Sequence (RFC 2544 §23-26 adapted to the testbed):
  forwarder start + ready  ->  ramp-up traffic (not counted, sink absent)
  -> sink attached  ->  napi kthreads pinned  ->  counters + /proc/stat
  -> generator runs `duration` s  ->  /proc/stat  ->  settle (traffic
  drains)  ->  sink stopped: its counts  ->  counters  ->  forwarder stop.
"""
import os
import time

import counters
import cpu
import traffic
from util import HarnessError

# A generator that reaches less than this share of the offered load
# cannot test the DUT at that load.
GEN_SHORTFALL = 0.97


def _lat(res, key):
    v = (res.get("lat_ns") or {}).get(key)
    return v if v is not None else ""


def run_trial(rc, path, plc, size, rate, duration, method, step, trial_no,
              ramp=None):
    """rc: the Runner (env, profiles, options). rate: offered pps, 0 =
    flat out. Returns the row dict; raises HarnessError on tool failure."""
    env, topo = rc.env, rc.env.topo
    ramp = rc.opt.ramp if ramp is None else ramp
    pcap = rc.profiles.get(size, topo.mac(path.dst_mac_if), rc.opt.flows)
    gen_ns, gen_dev = topo.ns_of(path.gen_if), topo.ifname(path.gen_if)
    watch = [path.gen_if, path.ingress] + (["d1", "s0"] if path.has_dut else [])
    tag = f"{path.name}-{plc.name}-{size}B-{method}-{step}-t{trial_no}".replace("%", "pct")
    hist = os.path.join(rc.hist_dir, f"{tag}.csv")
    handle = path.start(env, plc)
    sink = None
    done = False
    try:
        path.ready(env, handle)
        if ramp > 0:
            traffic.generate(rc.build_dir, gen_ns, gen_dev, pcap, rate, ramp,
                             plc.gen_core, rc.opt.gen_engine, rc.opt.gen_burst)
        # rate methods: a counting sink (rate_sink = count) so that per-frame
        # latency recording never bounds the rate; latency/cpu: the full sink
        count_only = method in ("maxrate", "rfc2544") and rc.opt.rate_sink == "count"
        sink = traffic.Sink(rc.build_dir, topo.ns_of(path.sink_if),
                            topo.ifname(path.sink_if), plc.sink_core, hist,
                            os.path.join(env.tmp_dir, "sink.ready"), env.state,
                            count_only)
        sink.wait_ready()
        pinned = plc.pin_napi()
        # the DUT core's load without traffic (cpu.traffic_busy())
        cpu_pre = cpu.snapshot()
        time.sleep(0.2)
        c0 = counters.read(topo, watch)
        own = [p for ifn, ps in pinned.items() for p in ps
               if plc.threaded.get(ifn[len(topo.prefix) + 1:]) == plc.dut_core]
        own += path.pids(handle)
        own0, core0 = cpu.task_ticks(own), cpu.core_ticks()
        cpu0 = cpu.snapshot()
        g = traffic.generate(rc.build_dir, gen_ns, gen_dev, pcap, rate, duration,
                             plc.gen_core, rc.opt.gen_engine, rc.opt.gen_burst)
        cpu1 = cpu.snapshot()
        own1, core1 = cpu.task_ticks(own), cpu.core_ticks()
        time.sleep(rc.opt.settle)
        res, sink = sink.stop(), None
        c1 = counters.read(topo, watch)
        done = True
    finally:
        if done:
            fstats = path.stop(env, handle)
        else:
            # Already failing (or interrupted): clean up quietly so the
            # original exception is the one that propagates.
            for stop in ((lambda: sink.stop(kill=True)) if sink else None,
                         lambda: path.stop(env, handle)):
                try:
                    if stop:
                        stop()
                except HarnessError:
                    pass
    d = counters.delta(c0, c1)
    tx, rx = int(g.get("sent", 0)), int(res.get("rx", 0)) - int(res.get("bad_magic", 0))
    dur = float(g.get("duration_s") or duration)
    gen_drops = counters.link_loss(d, path.gen_if, path.ingress)
    snk_drops = counters.link_loss(d, "d1", "s0") if path.has_dut else 0
    loss = (tx - rx) / tx if tx else ""
    dut_loss = max(0, tx - rx - snk_drops) / tx if tx else ""
    busy = ns_pp = own_busy = own_ns = ""
    if plc.dut_core is not None:
        # The snapshots bracket the whole generator process (its start-up
        # and exit too) while rx counts the traffic window: the core's busy
        # time in the traffic window (cpu.traffic_busy()) per frame.
        secs, frac = cpu.traffic_busy(cpu_pre, cpu0, cpu1, plc.dut_core, dur)
        busy = round(frac, 4)
        v = cpu.ns_per_packet(secs, rx)
        ns_pp = round(v, 1) if v is not None else ""
        # Only the DUT's own work: its process, its NAPI kthread, and the
        # interrupt-context time of its core (others' load excluded), as
        # its share of the core's busy time in the snapshot window (read
        # just outside it, so capped at 1).
        ticks = cpu.own_ticks(own1 - own0, core0[plc.dut_core], core1[plc.dut_core])
        wbusy = cpu1[plc.dut_core][0] - cpu0[plc.dut_core][0]
        if wbusy > 0:
            share = min(1.0, ticks / wbusy)
            own_busy = round(frac * share, 4)
            v = cpu.ns_per_packet(secs * share, rx)
            own_ns = round(v, 1) if v is not None else ""
        elif secs == 0:
            own_busy, own_ns = 0.0, (0.0 if rx else "")
    tx_pps = float(g.get("tx_pps") or (tx / dur if dur else 0))
    notes = []
    limited = False
    if rate and tx_pps < GEN_SHORTFALL * rate:
        limited = True
        notes.append(f"generator reached {tx_pps:.0f} of {rate:.0f} pps")
    if not rate and plc.dut_core is not None and path.has_dut and tx and dut_loss < 0.001:
        limited = True
        notes.append("no loss at the generator's maximum: DUT not saturated")
    if snk_drops:
        notes.append(f"{snk_drops} frames lost at the sink's veth (setup, not DUT)")
    from plugins.base import stats_summary
    row = {
        "path": path.name, "placement": plc.name, "frame_size": size,
        "offered_pps": int(rate), "tx_pps": round(tx_pps, 1),
        "rx_pps": round(rx / dur, 1) if dur else "",
        "loss": round(loss, 6) if loss != "" else "",
        "lat_p50_ns": _lat(res, "p50"), "lat_p90_ns": _lat(res, "p90"),
        "lat_p99_ns": _lat(res, "p99"), "lat_p999_ns": _lat(res, "p999"),
        "lat_max_ns": _lat(res, "max"),
        "dut_cpu_busy": busy, "cpu_ns_per_pkt": ns_pp, "trial": trial_no,
        "method": method, "step": step, "duration_s": round(dur, 3),
        "tx": tx, "rx": rx,
        "dut_loss": round(dut_loss, 6) if dut_loss != "" else "",
        "gen_veth_drops": gen_drops, "snk_veth_drops": snk_drops,
        "generator_limited": int(limited),
        "lat_min_ns": _lat(res, "min"), "lat_mean_ns": _lat(res, "mean"),
        "lost": res.get("lost", ""), "reordered": res.get("reordered", ""),
        "duplicate": res.get("duplicate", ""), "bad_magic": res.get("bad_magic", ""),
        "gen_engine": g.get("engine", rc.opt.gen_engine),
        "cpu_method": "busy" if busy != "" else "",
        "dut_own_busy": own_busy, "dut_own_ns_per_pkt": own_ns,
        "hist": os.path.relpath(hist, rc.out_dir) if os.path.exists(hist) else "",
        "napi_kthreads": ";".join(f"{k}:{','.join(map(str, v))}"
                                  for k, v in pinned.items()),
        "note": "; ".join(notes),
    }
    if not fstats:
        fstats = path.veth_stats(d) or {}
    row.update(stats_summary(fstats))
    rc.raw_counters(tag, d, g, res, fstats)
    return row
