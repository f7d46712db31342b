"""base.py - the plug-in table every path fills in.

A path is: where its traffic enters and leaves (interface suffixes of
topology.py), its default placement, available() (can it run here, and if
not, why), and five steps run by the harness:

  prepare(env, plc)     once before a block of trials in one placement
  start(env, plc)       before each trial; returns a handle (or None)
  ready(env, h)         True once it forwards (raises HarnessError if it died)
  stats(env, h)         its verdict counters now, fwd_stats_json() shaped
  stop(env, h)          after each trial: stop, return the final counters
  unprepare(env)        after the block (undo prepare)
  veth_stats(d)         optional: counters from the veth deltas (linux)

ProcessPath implements all of them for a forwarder binary that follows
docs/formats.md ("Forwarder command line") (fwd-xdp, fwd-dpdk, fwd-socket, fwd-kmodctl):
a new plug-in is a subclass naming its binary, extra arguments and checks.
"""
import json
import os
import signal
import subprocess

from util import HarnessError, debug, is_root, ns_cmd, wait_for


class Env:
    """What plug-ins get: build dir, topology, route file, scratch dir,
    the state file (for pins / processes outside namespaces)."""

    def __init__(self, build_dir, topo, routes, tmp_dir, state):
        self.build_dir = build_dir
        self.topo = topo
        self.routes = routes
        self.tmp_dir = tmp_dir
        self.state = state

    def binary(self, rel):
        return os.path.join(self.build_dir, rel)

    def pin_dir(self):
        """bpffs directory a plug-in may pin into (removed by cleanup);
        the plug-in must call state.ensure_bpffs(env.state) first."""
        p = f"/sys/fs/bpf/fwdlab-{self.topo.prefix}"
        self.state.add("pins", p)
        return p


class Path:
    name = "?"
    description = ""
    order = 50
    reference = False  # a benchmark reference, not a forwarder (xdp-probe)
    default_placement = "inline"
    placements = ("inline", "split", "split-napi0")
    # Interfaces (suffixes, topology.IFACES) the trial uses.
    gen_if, ingress, sink_if = "g0", "d0", "s0"
    # Frames are addressed to this interface's MAC.
    dst_mac_if = "d0"
    # Kernel stack path: placement split-napi0 steers it with RPS.
    rps = False
    # False for the ceiling: there is no device under test.
    has_dut = True

    def available(self, env):
        """(True, "") or (False, "why it cannot run here")."""
        return (True, "") if is_root() else (False, "needs root")

    def prepare(self, env, plc):
        pass

    def start(self, env, plc):
        return None

    def ready(self, env, handle, timeout=15.0):
        return True

    def stats(self, env, handle):
        return {}

    def stop(self, env, handle):
        return {}

    def unprepare(self, env):
        pass

    def pids(self, handle):
        """Processes of the forwarder (their CPU time is the DUT's own)."""
        return []

    def veth_stats(self, d):
        """Forwarder counters derived from the trial's veth counter deltas
        d ({suffix: {counter: delta}}), for paths without counters of their
        own (linux); None otherwise."""
        return None

    def describe(self):
        return {"name": self.name, "description": self.description,
                "reference": self.reference,
                "default_placement": self.default_placement,
                "gen_if": self.gen_if, "ingress": self.ingress,
                "sink_if": self.sink_if, "has_dut": self.has_dut}

    @staticmethod
    def broken(name, reason):
        p = Path()
        p.name = name
        p.available = lambda env: (False, reason)
        return p


def stats_summary(s):
    """fwd_stats JSON -> {fwd_rx, fwd_forward, fwd_drop, fwd_punt}."""
    if not s:
        return {}
    return {"fwd_rx": s.get("rx"), "fwd_forward": s.get("forward"),
            "fwd_drop": sum(s["drop"].values()) if "drop" in s else "",
            "fwd_punt": sum(s["punt"].values()) if "punt" in s else ""}


class _Proc:
    def __init__(self, proc, ready_file):
        self.proc = proc
        self.ready_file = ready_file


class ProcessPath(Path):
    """A forwarder binary run in the DUT namespace, pinned to the
    placement's app core, started and stopped around every trial (so its
    exit counters belong to exactly one trial)."""

    binary = None          # relative to the build dir
    stop_timeout = 15.0

    def extra_args(self, env, plc):
        """Path-specific flags after --routes ... (e.g. --mode native)."""
        return []

    def available(self, env):
        if not is_root():
            return False, "needs root"
        exe = env.binary(self.binary)
        if not os.access(exe, os.X_OK):
            return False, f"{self.binary} not built in {env.build_dir}"
        return True, ""

    def start(self, env, plc):
        ready = os.path.join(env.tmp_dir, f"{self.name}.ready")
        if os.path.exists(ready):
            os.unlink(ready)
        argv = ["taskset", "-c", str(plc.app_core), env.binary(self.binary),
                "--routes", env.routes, "--stats-interval", "0", "--json",
                "--ready-file", ready] + list(self.extra_args(env, plc))
        cmd = ns_cmd(env.topo.ns["dut"], argv)
        debug(" ".join(cmd))
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        return _Proc(p, ready)

    def pids(self, h):
        return [h.proc.pid]

    def ready(self, env, h, timeout=15.0):
        wait_for(lambda: os.path.exists(h.ready_file) or h.proc.poll() is not None,
                 timeout)
        if h.proc.poll() is not None or not os.path.exists(h.ready_file):
            if h.proc.poll() is None:
                h.proc.kill()
            out, err = h.proc.communicate()
            raise HarnessError(f"{self.name}: forwarder not ready (exit "
                               f"{h.proc.returncode}): {err.strip()[-300:]}")
        return True

    def stop(self, env, h):
        if h.proc.poll() is None:
            h.proc.send_signal(signal.SIGINT)
        try:
            out, err = h.proc.communicate(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            h.proc.kill()
            h.proc.communicate()
            raise HarnessError(f"{self.name}: did not stop within {self.stop_timeout} s")
        if h.proc.returncode != 0:
            raise HarnessError(f"{self.name}: exited {h.proc.returncode}: "
                               f"{err.strip()[-300:]}")
        for line in reversed(out.strip().splitlines()):
            if line.startswith("{"):
                try:
                    return json.loads(line)
                except ValueError:
                    break
        raise HarnessError(f"{self.name}: no JSON stats line at exit")
