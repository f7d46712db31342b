"""runners.py - how `fwdlab verify` runs one path on golden cases.

Nothing here re-implements a path's golden test: each runner calls the
command that path's meson.build registers for its own golden tests,
through paths/tests/golden/run_golden.py (exit 0 equal, 1 difference, 2
missing file, 77 skip), and turns the outcome into a matrix Cell:

  ref      build/paths/ref/fwd-ref                    (paths/tests/golden/meson.build)
  xdp      build/paths/xdp/fwd-xdp-golden CASE OUT     (paths/xdp/tests/meson.build)
  xdp-dir  build/paths/xdp/fwd-xdp-golden CASE OUT dir (same)
  xdp-fib  paths/xdp/tests/golden_fib.sh ... fib       (same)
  dpdk     paths/dpdk/tests/golden_dpdk.sh             (paths/dpdk/meson.build)
  socket   paths/socket/tests/golden_veth.py --mode ring (paths/socket/meson.build)
  kmod     one QEMU boot for all cases: paths/kmod/vm/run-in-vm ... --
           paths/kmod/vm/guest-golden CASE... (what kmod-vm-test runs), its
           "KMOD-CASE <case> PASS|FAIL" lines parsed into cells
  linux    paths/linux/golden_linux.py --case (pass / deviates / FAIL)
"""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

from verify.matrix import Cell

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
GOLDEN_DIR = os.path.join(REPO, "paths", "tests", "golden")
PYTHON = "/usr/bin/python3"  # Debian's, with scapy (root meson.build)
ENV = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")


class Ctx:
    """What every runner needs: the build dir, golden-cmp, a progress
    callback progress(path, case, cell)."""

    def __init__(self, build_dir, progress=None):
        self.build = os.path.abspath(build_dir)
        self.golden_cmp = self.bin("paths/tests/golden/golden-cmp")
        self.fwd_ref = self.bin("paths/ref/fwd-ref")
        self.progress = progress or (lambda path, case, cell: None)

    def bin(self, rel):
        return os.path.join(self.build, rel)


def tail(text, n=1):
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    return " / ".join(lines[-n:]) if lines else ""


def skip_reason(text):
    """The line a skipping runner printed to say why."""
    for line in text.splitlines():
        if re.search(r"\bskip\b", line, re.I):
            return re.sub(r"^.*?\bskip\b[:,]?\s*", "", line.strip(), flags=re.I) or line.strip()
    return tail(text) or "the runner exited 77 without a reason"


def cell_from_run_golden(rc, out):
    """A Cell from run_golden.py's status and output (stdout + stderr)."""
    if rc == 0:
        return Cell("pass")
    if rc == 77:
        return Cell("skip", skip_reason(out))
    if rc == 124:
        return Cell("FAIL", "timed out")
    return Cell("FAIL", tail(out, 2 if "exited" in tail(out) else 1))


def run_group(argv, timeout):
    """Run argv in its own process group; return (status, stdout+stderr).
    status 124 on timeout. On timeout, ^C or SIGTERM (cmd_verify turns it
    into KeyboardInterrupt) the whole group gets SIGTERM, so every runner
    (and its tcpdump, QEMU, ...) removes its namespaces and files, and is
    killed only if it is still there 30 s later."""
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         env=ENV, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        return p.returncode, out
    except subprocess.TimeoutExpired:
        stop_group(p)
        return 124, ""
    except BaseException:
        stop_group(p)
        raise


def stop_group(p):
    """SIGTERM to p's process group, wait up to 30 s for all of it, SIGKILL."""
    def alive():
        try:
            os.killpg(p.pid, 0)
            return True
        except ProcessLookupError:
            return False
    try:
        os.killpg(p.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    end = time.time() + 30
    while time.time() < end:
        if p.poll() is not None and not alive():
            break
        try:
            p.communicate(timeout=0.2)
        except (subprocess.TimeoutExpired, ValueError):
            pass
    if alive():
        os.killpg(p.pid, signal.SIGKILL)
    p.wait()


def need_root():
    return (True, "") if os.geteuid() == 0 else (False, "needs root")


class GoldenPath:
    """A path whose meson golden test is run_golden.py + a command."""
    name = "?"
    timeout = 120
    no_punt_frames = False

    def files(self, ctx):
        """Built files the command needs."""
        return []

    def available(self, ctx):
        for f in self.files(ctx):
            if not os.path.exists(f):
                return False, "%s not built (in %s)" % (os.path.relpath(f, ctx.build), ctx.build)
        return True, ""

    def command(self, ctx):
        raise NotImplementedError

    def run_case(self, ctx, case):
        argv = [PYTHON, os.path.join(GOLDEN_DIR, "run_golden.py"), "--golden-cmp",
                ctx.golden_cmp, "--case", os.path.join(GOLDEN_DIR, case)]
        if self.no_punt_frames:
            argv.append("--no-punt-frames")
        argv += ["--"] + self.command(ctx)
        rc, out = run_group(argv, self.timeout)
        return cell_from_run_golden(rc, out)

    def run(self, ctx, cases):
        cells = {}
        for c in cases:
            cells[c] = self.run_case(ctx, c)
            ctx.progress(self.name, c, cells[c])
        return cells


class Ref(GoldenPath):
    name = "ref"

    def files(self, ctx):
        return [ctx.fwd_ref]

    def command(self, ctx):
        return [ctx.fwd_ref, "--routes", "{routes}", "--in-port", "{in_port}",
                "--in", "{in}", "--out-dir", "{out}"]


class Xdp(GoldenPath):
    name = "xdp"

    def files(self, ctx):
        return [ctx.bin("paths/xdp/fwd-xdp-golden")]

    def command(self, ctx):
        return [ctx.bin("paths/xdp/fwd-xdp-golden"), "{case}", "{out}"]


class XdpDir(Xdp):
    name = "xdp-dir"

    def command(self, ctx):
        return [ctx.bin("paths/xdp/fwd-xdp-golden"), "{case}", "{out}", "dir"]


class XdpFib(Xdp):
    name = "xdp-fib"

    def available(self, ctx):
        ok, why = super().available(ctx)
        return (ok, why) if not ok else need_root()

    def command(self, ctx):
        return [os.path.join(REPO, "paths/xdp/tests/golden_fib.sh"),
                ctx.bin("paths/xdp/fwd-xdp-golden"), "{case}", "{out}"]


class Dpdk(GoldenPath):
    name = "dpdk"

    def files(self, ctx):
        return [ctx.bin("paths/dpdk/fwd-dpdk")]

    def command(self, ctx):
        return [os.path.join(REPO, "paths/dpdk/tests/golden_dpdk.sh"),
                ctx.bin("paths/dpdk/fwd-dpdk"), "{routes}", "{in}", "{in_port}", "{out}"]


class Socket(GoldenPath):
    name = "socket"

    def files(self, ctx):
        return [ctx.bin("paths/socket/fwd-socket")]

    def available(self, ctx):
        ok, why = super().available(ctx)
        return (ok, why) if not ok else need_root()

    def command(self, ctx):
        return [PYTHON, os.path.join(REPO, "paths/socket/tests/golden_veth.py"),
                "--fwd-socket", ctx.bin("paths/socket/fwd-socket"), "--mode", "ring",
                "--routes", "{routes}", "--in-port", "{in_port}", "--in", "{in}",
                "--out-dir", "{out}"]


class Linux(GoldenPath):
    """The kernel baseline: golden_linux.py --case decides pass / deviates /
    FAIL itself (it needs the expectation to apply the known deviations)."""
    name = "linux"

    def files(self, ctx):
        return [ctx.fwd_ref, ctx.golden_cmp]

    def available(self, ctx):
        ok, why = super().available(ctx)
        if not ok:
            return ok, why
        if shutil.which("tcpdump") is None:
            return False, "tcpdump not installed"
        return need_root()

    def run_case(self, ctx, case):
        with tempfile.NamedTemporaryFile(prefix="flv-verify-", suffix=".json") as js:
            argv = [PYTHON, os.path.join(REPO, "paths/linux/golden_linux.py"),
                    "--case", os.path.join(GOLDEN_DIR, case), "--fwd-ref", ctx.fwd_ref,
                    "--golden-cmp", ctx.golden_cmp, "--json", js.name]
            rc, out = run_group(argv, self.timeout)
            if rc == 124:
                return Cell("FAIL", "golden_linux.py timed out after %d s" % self.timeout)
            try:
                with open(js.name) as f:
                    r = json.load(f)
            except (OSError, ValueError):
                if rc == 77:
                    return Cell("skip", skip_reason(out))
                return Cell("FAIL", "golden_linux.py exited %d: %s" % (rc, tail(out, 2)))
        notes = [n for n in r.get("notes", []) if not n.startswith("kernel frames removed")]
        return Cell(r["result"], r["detail"], "; ".join(notes))


class Kmod:
    """fwd_kmod.ko in a QEMU guest (this kernel cannot load modules): one
    boot runs every requested case, like the meson test kmod-vm-golden."""
    name = "kmod"
    timeout = 1500

    def files(self, ctx):
        return [ctx.bin("paths/kmod/" + f) for f in ("fwd_kmod.ko", "fwd-kmodctl", "fkm-pcap")]

    def available(self, ctx):
        for f in self.files(ctx):
            if not os.path.exists(f):
                return False, "%s not built (in %s)" % (os.path.relpath(f, ctx.build), ctx.build)
        if shutil.which("qemu-system-x86_64") is None:
            return False, "qemu-system-x86_64 not installed (no module loading here, only the VM)"
        return True, ""

    def command(self, ctx, cases, log):
        vm = os.path.join(REPO, "paths/kmod/vm")
        guest = [os.path.join(vm, "guest-golden"), "--ko", ctx.bin("paths/kmod/fwd_kmod.ko"),
                 "--kmodctl", ctx.bin("paths/kmod/fwd-kmodctl"),
                 "--fkm-pcap", ctx.bin("paths/kmod/fkm-pcap"), "--fwd-ref", ctx.fwd_ref,
                 "--golden-cmp", ctx.golden_cmp, "--golden-dir", GOLDEN_DIR]
        nlbad = ctx.bin("paths/kmod/fkm-nlbad")
        if os.path.exists(nlbad):
            guest += ["--nlbad", nlbad]
        return [os.path.join(vm, "run-in-vm"), "--cache", ctx.bin("paths/kmod/vmcache"),
                "--log", log, "--timeout", "900", "--append", "ipv6.disable=1",
                "--"] + guest + ["--"] + list(cases)

    def run(self, ctx, cases):
        os.makedirs(ctx.bin("paths/kmod/vmcache"), exist_ok=True)
        log = ctx.bin("paths/kmod/vmcache/verify-console.log")
        rc, out = run_group(self.command(ctx, cases, log), self.timeout)
        cells = parse_kmod(out, rc, cases, log)
        for c in cases:
            ctx.progress(self.name, c, cells[c])
        return cells


def parse_kmod(out, rc, cases, log="the console log"):
    """Cells from guest-golden's output: "KMOD-CASE <case> PASS|FAIL ...",
    "KMOD: <case>: N frame(s) shorter than 14 B cannot be sent ..." (the
    case is then a skip: not every frame went through the module) and
    "KMOD: <case>: punted VLAN-tagged frames ... not compared" (a note).
    A whole-run skip (77) or a missing line are said once per cell; a
    kernel problem in the console (run-in-vm's FAIL) fails every case."""
    if rc == 77:
        why = skip_reason(out)
        return {c: Cell("skip", why) for c in cases}
    res, short, notes = {}, {}, {}
    for line in out.splitlines():
        m = re.match(r"KMOD-CASE (\S+) (PASS|FAIL)\s*(.*)$", line)
        if m:
            res[m.group(1)] = (m.group(2), re.sub(r"\s*\[\d+ ms\]$", "", m.group(3)))
            continue
        m = re.match(r"KMOD: (\S+): (\d+) frame\(s\) shorter than 14 B", line)
        if m:
            short[m.group(1)] = int(m.group(2))
            continue
        m = re.match(r"KMOD: (\S+): (punted VLAN-tagged .*)$", line)
        if m:
            notes[m.group(1)] = m.group(2)
    cells = {}
    for c in cases:
        if c not in res:
            why = "no result from the guest (run-in-vm exit %d%s; %s)" % (
                rc, ", timed out" if rc == 124 else "", log)
            cells[c] = Cell("FAIL", tail(out) if rc not in (0, 1, 124) and tail(out) else why)
        elif res[c][0] == "FAIL":
            cells[c] = Cell("FAIL", res[c][1])
        elif c in short:
            cells[c] = Cell("skip", "%d frame(s) shorter than an Ethernet header cannot be "
                            "sent on a veth (the other frames pass)" % short[c])
        else:
            cells[c] = Cell("pass", note=notes.get(c, ""))
    # run-in-vm fails a run whose console shows BUG:/WARNING:/Call Trace,
    # whatever the guest said: no case can be called a pass then.
    m = re.search(r"run-in-vm: FAIL: kernel problem in the console log:\n(.*)", out)
    if m:
        for c in cases:
            if cells[c].result == "pass":
                cells[c] = Cell("FAIL", "kernel problem in the guest console (%s): %s"
                                % (log, m.group(1).strip()))
    return cells


PATHS = {p.name: p for p in (Ref(), Xdp(), XdpDir(), XdpFib(), Dpdk(), Socket(), Kmod(), Linux())}
