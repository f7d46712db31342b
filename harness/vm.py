"""vm.py - VM mode: the harness inside a QEMU TCG guest that boots Debian's
stock kernel with this host's root shared read-only over 9p
(paths/kmod/vm/run-in-vm), so every path, kmod included, runs on one
guest kernel. Under TCG the numbers are functional only: results say so.
"""
import os
import subprocess

from util import log

HERE = os.path.dirname(os.path.realpath(__file__))
REPO = os.path.dirname(HERE)
RUN_IN_VM = os.path.join(REPO, "paths", "kmod", "vm", "run-in-vm")
LABEL = "emulated (TCG): functional, not a performance result"


def inside():
    """The guest's description ("qemu-tcg <kver>") when running inside the
    VM, else None (run-in-vm sets FWDLAB_VM)."""
    return os.environ.get("FWDLAB_VM") or None


def run(fwdlab_args, build_dir, out_dir, timeout=1800):
    """Run `fwdlab run <fwdlab_args> --out out_dir` inside the guest; out_dir
    (created here) is shared writable. Returns fwdlab's exit status inside
    the guest; 77 when a VM prerequisite is missing (the reason is printed
    by run-in-vm), 124 on timeout."""
    os.makedirs(out_dir, exist_ok=True)
    argv = [RUN_IN_VM, "--cache", os.path.join(build_dir, "paths", "kmod", "vmcache"),
            "--rw", out_dir, "--mem", "2048", "--timeout", str(timeout),
            "--log", os.path.join(out_dir, "console.log"), "--cwd", REPO, "--",
            os.path.join(HERE, "fwdlab"), "run"] + list(fwdlab_args) + [
            "--build-dir", build_dir, "--out", out_dir, "--no-vm"]
    log(f"vm: booting the guest for: fwdlab run {' '.join(fwdlab_args)} ({LABEL})")
    return subprocess.run(argv).returncode
