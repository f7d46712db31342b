"""placement.py - where each piece of the chain runs (MACHINE.md, "CPU
placement on veth"), applied explicitly and recorded in run.json.

  inline       everything on core 0: veth transmit, the DUT's receive
               softirq, any XDP program and the sink run to completion on
               the sender's core; a userspace forwarder also polls on 0.
  split        the DUT's ingress NAPI is threaded and pinned to core 1,
               a userspace forwarder polls on core 1.
  split-napi0  the DUT's ingress NAPI stays inline with the generator on
               core 0; a userspace forwarder polls on core 1 (linux: RPS
               steers the stack's processing of d0's packets to core 1).

The generator and the sink's process are on core 0 in every placement.
The sink's veth NAPI (where its XDP program counts):
  split        threaded, pinned to core 0, so the sink's counting does not
               run on (and is not charged to) the DUT core;
  split-napi0  inline, on the core that transmits into it: the DUT core.
               Threaded on core 0 it shared that core with the generator
               and d0's NAPI, and the forwarder's core paid a cross-core
               wake-up per transmit and a socket counter bouncing between
               the cores (docs/architecture.md, "Placements"): dpdk 0.59-
               0.67 vs 1.65-1.76 Mpps. The sink's receive and
               XDP count (~0.1 us a frame) are in the DUT core's busy time.
"""
import os

from util import HarnessError, log, sh, wait_for

PLACEMENTS = {
    "inline": {"gen_core": 0, "sink_core": 0, "app_core": 0, "dut_core": None,
               "ingress_napi_core": None},
    "split": {"gen_core": 0, "sink_core": 0, "app_core": 1, "dut_core": 1,
              "ingress_napi_core": 1},
    "split-napi0": {"gen_core": 0, "sink_core": 0, "app_core": 1, "dut_core": 1,
                    "ingress_napi_core": None},
}


def check(name):
    if name not in PLACEMENTS:
        raise HarnessError(f"unknown placement '{name}' (inline, split, split-napi0)")
    return name


def ncpus():
    return os.cpu_count() or 1


def napi_threads(ifname):
    """PIDs of the threaded-NAPI kthreads of ifname ('napi/IF-<id>')."""
    want = f"napi/{ifname}-"
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/comm") as f:
                comm = f.read().strip()
        except OSError:
            continue
        if comm.startswith(want[:15]):
            pids.append(int(d))
    return pids


class Placement:
    """One placement applied to one path on the topology.

    ingress: suffix of the veth where the DUT receives (d0, or sc for the
    ceiling); sink: suffix of the sink's veth; rps: steer the kernel
    stack's work on ingress to app_core in split-napi0 (linux).
    """

    def __init__(self, name, topo, ingress, sink, rps=False):
        self.name = check(name)
        self.topo = topo
        self.cfg = dict(PLACEMENTS[name])
        if ingress == sink:
            # No forwarder (the ceiling): no application to place, and in
            # split-napi0 nothing runs on core 1 (the same as inline).
            self.cfg["app_core"] = None
            if name == "split-napi0":
                self.cfg["dut_core"] = None
        self.ingress = ingress
        self.sink = sink
        self.rps = rps
        self.threaded = {}   # suffix -> core
        self.rps_mask = 0
        self.last_pinned = {}
        need = max(v for v in self.cfg.values() if v is not None) + 1
        if self.cfg["app_core"] is None:
            self.cfg["app_core_unused"] = True
        if ncpus() < need:
            raise HarnessError(f"placement {name} needs {need} CPUs, this machine has {ncpus()}")

    @property
    def gen_core(self):
        return self.cfg["gen_core"]

    @property
    def sink_core(self):
        return self.cfg["sink_core"]

    @property
    def app_core(self):
        return self.cfg["app_core"]

    @property
    def dut_core(self):
        return self.cfg["dut_core"]

    def _set_threaded(self, suffix, on):
        t = self.topo
        sh(f"echo {1 if on else 0} > /sys/class/net/{t.ifname(suffix)}/threaded",
           ns=t.ns_of(suffix))

    def _set_rps(self, suffix, mask):
        t = self.topo
        sh(f"echo {mask:x} > /sys/class/net/{t.ifname(suffix)}/queues/rx-0/rps_cpus",
           ns=t.ns_of(suffix))

    def apply(self):
        """Threaded NAPI and RPS settings for this placement (the
        interfaces have NAPI from GRO, see topology.up())."""
        self.threaded = {}
        if self.cfg["ingress_napi_core"] is not None:
            self.threaded[self.ingress] = self.cfg["ingress_napi_core"]
        if self.name == "split" and self.sink != self.ingress:
            self.threaded[self.sink] = self.sink_core
        for s in sorted({self.ingress, self.sink}):
            self._set_threaded(s, s in self.threaded)
        mask = 0
        if self.rps and self.name == "split-napi0":
            mask = 1 << self.app_core
        if self.ingress != "sc":
            self._set_rps(self.ingress, mask)
        self.rps_mask = mask

    def pin_napi(self):
        """Pin the napi/IF-* kthreads (re-created when XDP is attached or
        detached, so called after the sink and the forwarder started).
        Returns {ifname: [pids]}."""
        pinned = {}
        for s, core in self.threaded.items():
            ifn = self.topo.ifname(s)
            pids = wait_for(lambda: napi_threads(ifn), 2.0)
            if not pids:
                raise HarnessError(f"no napi/{ifn}-* kthread after enabling threaded NAPI")
            for p in pids:
                try:
                    os.sched_setaffinity(p, {core})
                except OSError as e:
                    raise HarnessError(f"cannot pin napi kthread {p} of {ifn}: {e}")
            pinned[ifn] = pids
        self.last_pinned = pinned
        return pinned

    def reset(self):
        """Back to the topology's neutral state (nothing threaded, no RPS)."""
        for s in sorted({self.ingress, self.sink}):
            try:
                self._set_threaded(s, False)
            except HarnessError as e:
                log(f"placement reset: {e}")
        if self.ingress != "sc":
            self._set_rps(self.ingress, 0)

    def describe(self, pinned=None):
        """What was applied, for run.json and the CSV."""
        t = self.topo
        return {
            "name": self.name,
            "gen_core": self.gen_core, "sink_core": self.sink_core,
            "app_core": self.app_core, "dut_core": self.dut_core,
            "threaded_napi": {t.ifname(s): c for s, c in self.threaded.items()},
            "sink_napi": (f"threaded, core {self.threaded[self.sink]}"
                          if self.sink in self.threaded else
                          "inline (the transmitter's core)"),
            "rps_cpus": {t.ifname(self.ingress): f"{self.rps_mask:x}"}
            if self.ingress != "sc" else {},
            "napi_kthreads": pinned or {},
        }
