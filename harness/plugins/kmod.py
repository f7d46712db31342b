"""kmod.py - the kernel-module datapath (paths/kmod): fwd_kmod.ko's
netfilter ingress hook + stride-8 trie + dev_queue_xmit, its table uploaded
by fwd-kmodctl, which follows docs/formats.md ("Forwarder command line") (so ProcessPath runs
it like every other forwarder: foreground in the DUT namespace, --json
counters at SIGINT, the table removed on exit).

prepare() inserts the
module if it is not loaded yet and unprepare() removes it again; on a kernel
without module support (CONFIG_MODULES unset) or with a module built for
another kernel, available() says why (use the VM mode there)."""
import os
import subprocess

from plugins.base import ProcessPath
from util import run

KO = "paths/kmod/fwd_kmod.ko"


def module_loaded():
    try:
        with open("/proc/modules") as f:
            return any(line.split()[0] == "fwd_kmod" for line in f)
    except OSError:
        return False


class Kmod(ProcessPath):
    name = "kmod"
    description = "kernel module: netfilter ingress hook, own LPM trie, dev_queue_xmit (fwd_kmod.ko)"
    order = 30
    default_placement = "inline"
    binary = "paths/kmod/fwd-kmodctl"

    def available(self, env):
        ok, why = super().available(env)
        if not ok:
            return ok, why
        if not os.path.exists("/proc/modules"):
            return False, ("this kernel cannot load modules (CONFIG_MODULES unset): "
                           "the default run tests it in the QEMU guest instead (or: fwdlab run --vm)")
        if module_loaded():
            return True, ""
        ko = env.binary(KO)
        if not os.path.exists(ko):
            return False, f"{KO} not built (kernel headers missing? meson -Dkmod=enabled)"
        p = subprocess.run(["modinfo", "-F", "vermagic", ko], capture_output=True, text=True)
        built_for = (p.stdout.split() or ["?"])[0]
        if built_for != os.uname().release:
            return False, (f"{KO} is built for kernel {built_for}, this is "
                           f"{os.uname().release} (meson -Dkdir=/lib/modules/$(uname -r)/build)")
        return True, ""

    def prepare(self, env, plc):
        self._inserted = False
        if not module_loaded():
            # Fails with the kernel's reason, e.g. "Key was rejected by
            # service" under Secure Boot (sign the module: paths/kmod/README.md).
            run(["insmod", env.binary(KO)])
            self._inserted = True

    def unprepare(self, env):
        if getattr(self, "_inserted", False):
            run(["rmmod", "fwd_kmod"], check=False)
            self._inserted = False


PLUGIN = Kmod()
