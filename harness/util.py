"""util.py - running commands (optionally inside a network namespace),
small sysfs helpers and the one error type the harness raises.

Every external command goes through run() so that a failure becomes one
clear HarnessError line instead of a traceback.
"""
import os
import shutil
import subprocess
import sys
import time


class HarnessError(Exception):
    """A clear, one-line failure (bad flag, missing tool, command failed)."""


VERBOSE = False


def log(msg):
    """Progress / information line on stderr."""
    print(f"fwdlab: {msg}", file=sys.stderr, flush=True)


def debug(msg):
    if VERBOSE:
        print(f"fwdlab: [debug] {msg}", file=sys.stderr, flush=True)


def ns_cmd(ns, argv):
    """argv run inside network namespace ns (None = current namespace).

    `ip netns exec` also remounts /sys for the namespace, so sysfs paths
    (/sys/class/net/IF/...) refer to the namespace's own interfaces.
    """
    if ns is None:
        return list(argv)
    return ["ip", "netns", "exec", ns] + list(argv)


def run(argv, ns=None, check=True, capture=True, timeout=60, input=None):
    """Run argv (in ns) and return its stdout as str.

    Raises HarnessError with the command's stderr on a non-zero exit when
    check is true; returns stdout anyway otherwise.
    """
    cmd = ns_cmd(ns, argv)
    debug(" ".join(cmd))
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE if capture else None,
                           stderr=subprocess.PIPE if capture else None,
                           text=True, timeout=timeout, input=input)
    except FileNotFoundError:
        raise HarnessError(f"command not found: {cmd[0]}")
    except subprocess.TimeoutExpired:
        raise HarnessError(f"command timed out after {timeout} s: {' '.join(cmd)}")
    if check and p.returncode != 0:
        err = (p.stderr or "").strip().splitlines()
        last = err[-1] if err else f"exit {p.returncode}"
        raise HarnessError(f"{' '.join(cmd)}: {last}")
    return p.stdout or ""


def sh(script, ns=None, check=True, timeout=60):
    """Run a /bin/sh script (in ns); returns stdout."""
    return run(["sh", "-c", script], ns=ns, check=check, timeout=timeout)


def need_tool(name):
    """Raise HarnessError if executable name is not on PATH."""
    if shutil.which(name) is None:
        raise HarnessError(f"{name} not found (run harness/setup)")


def is_root():
    return os.geteuid() == 0


def wait_for(pred, timeout, interval=0.02):
    """Poll pred() until it is true or timeout seconds pass; returns its value."""
    end = time.monotonic() + timeout
    while True:
        v = pred()
        if v or time.monotonic() >= end:
            return v
        time.sleep(interval)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
