"""state.py - the run's state file, so that `fwdlab cleanup` can remove
everything a crashed run left behind.

/run/fwdlab/<prefix>.json records, as they are created: the network
namespaces, the bpffs pin paths (only under /sys/fs/bpf/fwdlab*), a bpffs
mount if the harness made it, the processes it started outside those
namespaces, and commands that undo host-wide changes of plug-ins (rmmod,
hugepages). Cleanup only ever touches what a state file names: it never
deletes an interface or namespace it did not create.
"""
import json
import os
import shutil
import signal
import subprocess
import time

from util import HarnessError, debug, log, pid_alive, run

STATE_DIR = "/run/fwdlab"
BPF_PIN_ROOT = "/sys/fs/bpf"


def state_path(prefix):
    return os.path.join(STATE_DIR, f"{prefix}.json")


class State:
    """What one run prefix created; saved after every change."""

    @classmethod
    def create(cls, prefix):
        """A new state for prefix; HarnessError if one is already recorded
        (a run with that prefix is going on, or crashed: never overwrite
        the record of what it left)."""
        if os.path.exists(state_path(prefix)):
            raise HarnessError(f"prefix {prefix} is in use or a run with it crashed: "
                               f"fwdlab cleanup --prefix {prefix} (or use another --prefix)")
        s = cls(prefix)
        s.save()
        return s

    def __init__(self, prefix):
        self.prefix = prefix
        self.path = state_path(prefix)
        self.data = {"prefix": prefix, "owner_pid": os.getpid(),
                     "created": time.time(), "netns": [], "pins": [],
                     "pids": [], "mounts": [], "undo": []}

    @classmethod
    def load(cls, path):
        with open(path) as f:
            data = json.load(f)
        s = cls(data["prefix"])
        s.path = path
        s.data.update(data)
        return s

    def save(self):
        os.makedirs(STATE_DIR, exist_ok=True)
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.data, f, indent=1)
        os.replace(tmp, self.path)

    def add(self, kind, item):
        """Record item under kind (netns, pins, pids, mounts) and save."""
        if item not in self.data[kind]:
            self.data[kind].append(item)
            self.save()

    def remove(self, kind, item):
        if item in self.data[kind]:
            self.data[kind].remove(item)
            self.save()

    def add_undo(self, argv, why):
        """Record a command that undoes a host-wide change a plug-in made
        (rmmod, hugepages back to their old count, ...). Teardown runs the
        recorded commands last to first, after the namespaces are gone; a
        plug-in that undoes the change itself calls remove_undo()."""
        self.add("undo", {"argv": list(argv), "why": why})

    def remove_undo(self, argv):
        for e in list(self.data["undo"]):
            if e["argv"] == list(argv):
                self.remove("undo", e)

    def add_pid(self, pid, argv):
        """Record a process started outside our namespaces (with its argv
        so that a recycled pid is never killed)."""
        self.add("pids", {"pid": pid, "argv0": os.path.basename(argv[0])})


def _ns_exists(ns):
    return os.path.exists(os.path.join("/run/netns", ns))


def _kill_ns_processes(ns):
    """SIGTERM then SIGKILL every process inside namespace ns (ours)."""
    out = run(["ip", "netns", "pids", ns], check=False)
    pids = [int(p) for p in out.split() if p.isdigit()]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        live = [p for p in pids if pid_alive(p)]
        if not live:
            return
        for p in live:
            try:
                os.kill(p, sig)
            except ProcessLookupError:
                pass
        end = time.monotonic() + 2.0
        while time.monotonic() < end and any(pid_alive(p) for p in live):
            time.sleep(0.05)


def _kill_recorded(entry):
    pid = entry["pid"]
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv0 = f.read().split(b"\0")[0].decode(errors="replace")
    except OSError:
        return
    if os.path.basename(argv0) != entry["argv0"]:
        return  # pid recycled by someone else's process: leave it
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        end = time.monotonic() + 2.0
        while time.monotonic() < end and pid_alive(pid):
            time.sleep(0.05)


def _remove_pin(path):
    real = os.path.realpath(path)
    if not real.startswith(os.path.join(BPF_PIN_ROOT, "fwdlab")):
        log(f"cleanup: refusing to remove {path} (not under {BPF_PIN_ROOT}/fwdlab*)")
        return
    if os.path.isdir(real) and not os.path.islink(real):
        for root, dirs, files in os.walk(real, topdown=False):
            for name in files:
                os.unlink(os.path.join(root, name))
            for name in dirs:
                os.rmdir(os.path.join(root, name))
        os.rmdir(real)
    elif os.path.exists(real):
        os.unlink(real)


def teardown(state):
    """Remove everything state records; errors are reported, not raised,
    so one stuck item never keeps the rest alive. Returns the problem count."""
    problems = 0
    d = state.data
    for entry in list(d["pids"]):
        _kill_recorded(entry)
        state.remove("pids", entry)
    for ns in list(d["netns"]):
        if _ns_exists(ns):
            _kill_ns_processes(ns)
    for pin in list(d["pins"]):
        try:
            _remove_pin(pin)
            state.remove("pins", pin)
        except OSError as e:
            log(f"cleanup: cannot remove pin {pin}: {e}")
            problems += 1
    for ns in list(d["netns"]):
        if _ns_exists(ns):
            try:
                run(["ip", "netns", "del", ns])
            except HarnessError as e:
                log(f"cleanup: {e}")
                problems += 1
                continue
        state.remove("netns", ns)
    for e in reversed(list(d.get("undo", []))):
        try:
            run(e["argv"])
            state.remove("undo", e)
        except HarnessError as err:
            log(f"cleanup: undo '{e['why']}' failed: {err}")
            problems += 1
    for m in list(d["mounts"]):
        # Only a bpffs the harness mounted itself, and only when nobody
        # (including other runs) has pins left in it.
        try:
            busy = os.listdir(m)
        except OSError:
            busy = []
        if busy:
            debug(f"cleanup: leaving {m} mounted (in use: {busy[:3]})")
        else:
            run(["umount", m], check=False)
        state.remove("mounts", m)
    # the run's scratch directory and `topo up`'s route file
    shutil.rmtree(os.path.join(STATE_DIR, f"{state.prefix}.d"), ignore_errors=True)
    try:
        os.unlink(os.path.join(STATE_DIR, f"{state.prefix}-routes.conf"))
    except FileNotFoundError:
        pass
    if problems == 0:
        try:
            os.unlink(state.path)
        except FileNotFoundError:
            pass
    return problems


def all_states():
    """State files of every run that has not been cleaned up."""
    if not os.path.isdir(STATE_DIR):
        return []
    out = []
    for name in sorted(os.listdir(STATE_DIR)):
        if name.endswith(".json"):
            try:
                out.append(State.load(os.path.join(STATE_DIR, name)))
            except (OSError, ValueError, KeyError) as e:
                log(f"cleanup: unreadable state file {name}: {e}")
    return out


def ensure_bpffs(state):
    """Mount bpffs at /sys/fs/bpf if it is not mounted (recorded, so that
    teardown unmounts it again when it is empty)."""
    if subprocess.call(["mountpoint", "-q", BPF_PIN_ROOT]) != 0:
        run(["mount", "-t", "bpf", "bpf", BPF_PIN_ROOT])
        state.add("mounts", BPF_PIN_ROOT)
