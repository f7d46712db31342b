"""dpdk.py - fwd-dpdk (paths/dpdk) on the testbed's veths through DPDK
vdevs: net_af_xdp (default) or net_af_packet (FWDLAB_DPDK_VDEV=net_af_packet).

- Placement: split-napi0 by default. The forwarding lcore is the EAL's only
  lcore (-l <app core>), so the main lcore forwards; the ingress veth's NAPI
  (where the AF_XDP PMD's XDP program runs) stays with the generator on
  core 0. A poller that shares its core with that NAPI collapses
  (MACHINE.md: l3fwd 0.13 Mpps vs 1.8 Mpps). The sink's veth NAPI runs
  inline on the lcore's core, where fwd-dpdk's transmit raises it
  (harness/placement.py: threaded on core 0 it cost 2.5-3x).
- fwd-dpdk's defaults otherwise, including --rx-backoff 3 (port 1 never
  receives in a one-way run; paths/dpdk/README.md).
- Memory: hugepages when prepare() can reserve them (256 x 2 MiB more,
  given back by unprepare(), and by `fwdlab cleanup` through an undo
  record), then the EAL gets --in-memory; otherwise --no-huge -m 256.
  Which one was used is in describe()["memory"].
- Build: `fwd-dpdk --version` (DPDK version, static or shared linking) is
  in describe()["build"].
- Ports: every "port N name IF" of the route file becomes
  --vdev <vdev>N,iface=IF and --port-map N=<vdev>N. Punts are counted and
  dropped (no exception port: README "Punt").
"""
import os

from plugins.base import ProcessPath, _Proc
from util import HarnessError, debug, log, ns_cmd, run, wait_for

HUGEPAGES = 256  # 2 MiB pages: rte_lpm (64 MiB) + the mbuf pool + AF_XDP umem
NR = "/proc/sys/vm/nr_hugepages"
FREE = "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages"


def route_ports(path):
    """{port number: interface name} from a route file's port lines."""
    ports = {}
    with open(path) as f:
        for line in f:
            w = line.split("#", 1)[0].split()
            if len(w) >= 4 and w[0] == "port" and "name" in w:
                ports[int(w[1])] = w[w.index("name") + 1]
    return ports


def _read_nr():
    with open(NR) as f:
        return int(f.read())


def _read_free():
    """Free 2 MiB hugepages (0 when the kernel has none configured)."""
    try:
        with open(FREE) as f:
            return int(f.read())
    except OSError:
        return 0


class Dpdk(ProcessPath):
    name = "dpdk"
    description = "DPDK poll-mode app, rte_lpm (fwd-dpdk), net_af_xdp vdevs"
    order = 30
    default_placement = "split-napi0"
    placements = ("split-napi0", "split", "inline")
    binary = "paths/dpdk/fwd-dpdk"

    def __init__(self):
        self.vdev = os.environ.get("FWDLAB_DPDK_VDEV", "net_af_xdp")
        self.memory = None
        self.added = 0
        self.free_base = 0
        self.build = None

    def available(self, env):
        ok, why = super().available(env)
        if not ok:
            return ok, why
        if self.vdev not in ("net_af_xdp", "net_af_packet"):
            return False, f"FWDLAB_DPDK_VDEV={self.vdev}: expected net_af_xdp or net_af_packet"
        return True, ""

    def prepare(self, env, plc):
        """Reserve hugepages for this block of trials if the kernel gives them."""
        if self.build is None:
            out = run([env.binary(self.binary), "--version"], check=False).strip()
            self.build = out.split(": ", 1)[-1] if out.startswith("fwd-dpdk") else "unknown"
        self.added = 0
        try:
            before = _read_nr()
            with open(NR, "w") as f:
                f.write(str(before + HUGEPAGES))
            self.added = max(0, _read_nr() - before)
        except OSError as e:
            log(f"dpdk: cannot reserve hugepages ({e}): using --no-huge")
        if self.added:
            self.undo = ["sh", "-c", f"n=$(cat {NR}); echo $((n > {self.added} ? "
                         f"n - {self.added} : 0)) > {NR}"]
            env.state.add_undo(self.undo, f"dpdk: give back {self.added} hugepages")
        self.memory = ("hugepages --in-memory" if self.added >= HUGEPAGES // 2
                       else "--no-huge -m 256")
        self.free_base = _read_free()
        log(f"dpdk: EAL memory: {self.memory} ({self.added} pages reserved)")

    def unprepare(self, env):
        if self.added:
            try:
                n = _read_nr()
                with open(NR, "w") as f:
                    f.write(str(max(0, n - self.added)))
            except OSError as e:
                log(f"dpdk: cannot give back hugepages: {e}")
            env.state.remove_undo(self.undo)
            self.added = 0

    def _argv(self, env, plc, ready):
        core = plc.app_core if plc.app_core is not None else 0
        mem = (["--in-memory"] if self.memory and self.memory.startswith("hugepages")
               else ["--no-huge", "-m", "256", "--no-shconf"])
        eal = ["-l", str(core), "--no-pci", "--no-telemetry",
               "--file-prefix", f"fwdlab-{env.topo.prefix}"] + mem
        fwd = ["--routes", env.routes, "--stats-interval", "0", "--json",
               "--ready-file", ready]
        for n, ifname in sorted(route_ports(env.routes).items()):
            eal += ["--vdev", f"{self.vdev}{n},iface={ifname}"]
            fwd += ["--port-map", f"{n}={self.vdev}{n}"]
        return [env.binary(self.binary)] + eal + ["--"] + fwd

    def _xdp_gone(self, env):
        """No XDP program left on the DUT's ports: the previous trial's
        AF_XDP PMD detaches its program and the kernel releases its XSK
        sockets after the process exits, asynchronously; an XSK socket
        created on the queue before that fails (EINVAL)."""
        for ifname in route_ports(env.routes).values():
            out = run(["ip", "-o", "link", "show", "dev", ifname],
                      ns=env.topo.ns["dut"], check=False)
            if " xdp" in out:
                return False
        return True

    def start(self, env, plc):
        import subprocess
        import time
        if self.vdev == "net_af_xdp" and not wait_for(lambda: self._xdp_gone(env), 5.0, 0.05):
            log(f"{self.name}: an XDP program is still on a DUT port after 5 s; starting anyway")
        time.sleep(0.2)  # the XSK sockets go after the program (deferred release)
        # The previous trial's UMEM (its mbuf pool, ~19 hugepages) stays
        # pinned, and its pool registered on the DUT queue, until the
        # kernel's deferred release runs, usually <0.1 s after the exit but
        # seconds when the machine is busy; an XSK bound to that queue
        # before then fails ("xsk_configure(): Failed to create xsk
        # socket"). With hugepages that release is visible: wait for it.
        if (self.vdev == "net_af_xdp" and (self.memory or "").startswith("hugepages")
                and not wait_for(lambda: _read_free() >= self.free_base, 10.0, 0.02)):
            log(f"{self.name}: the previous run's hugepages are still pinned after 10 s "
                f"({_read_free()} free, {self.free_base} before it); starting anyway")
        ready = os.path.join(env.tmp_dir, f"{self.name}.ready")
        if os.path.exists(ready):
            os.unlink(ready)
        # the EAL pins the lcore itself (-l); no taskset needed
        cmd = ns_cmd(env.topo.ns["dut"], self._argv(env, plc, ready))
        debug(" ".join(cmd))
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        return _Proc(p, ready)

    def describe(self):
        d = super().describe()
        d.update({"vdev": self.vdev, "memory": self.memory, "build": self.build})
        return d


PLUGIN = Dpdk()
