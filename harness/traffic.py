"""traffic.py - drives the traffic tools (traffic/README.md, built into
<build>/traffic/): fwd-profile writes the frames, fwd-gen sends them from
the generator's namespace, fwd-sink counts them and measures latency in the
sink's namespace. All three print one JSON object; errors are one line.
"""
import json
import os
import signal
import subprocess
import time

from util import HarnessError, debug, ns_cmd, run, wait_for

TOOLS = ("fwd-profile", "fwd-gen", "fwd-sink")


def tool_path(build_dir, name):
    return os.path.join(build_dir, "traffic", name)


def missing_tools(build_dir):
    """Names of the traffic tools not built in build_dir."""
    return [t for t in TOOLS if not os.access(tool_path(build_dir, t), os.X_OK)]


def _json_out(text, what):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                break
    raise HarnessError(f"{what}: no JSON result in its output: {text.strip()[-200:]!r}")


class Profiles:
    """Profile pcaps, written once per (frame size, destination MAC, flows)."""

    def __init__(self, build_dir, out_dir, src_mac, src_ip, dst_prefix):
        self.exe = tool_path(build_dir, "fwd-profile")
        self.dir = out_dir
        self.src_mac, self.src_ip, self.dst = src_mac, src_ip, dst_prefix
        os.makedirs(out_dir, exist_ok=True)
        self.cache = {}

    def get(self, size, dst_mac, flows=1, profile="udp"):
        key = (size, dst_mac, flows, profile)
        if key not in self.cache:
            tag = dst_mac.replace(":", "")[-4:]
            path = os.path.join(self.dir, f"{profile}-{size}B-{flows}f-{tag}.pcap")
            argv = [self.exe, "--out", path, "--profile", profile,
                    "--flows", str(flows), "--src-mac", self.src_mac,
                    "--dst-mac", dst_mac, "--src", self.src_ip, "--dst", self.dst]
            if profile == "udp":
                argv += ["--size", str(size)]
            run(argv)
            self.cache[key] = path
        return self.cache[key]


def generate(build_dir, ns, dev, pcap, rate, duration, core, engine, burst=0):
    """Send pcap out of dev for duration s at rate pps (0 = flat out).
    Blocks; returns fwd-gen's JSON (sent, tx_pps, duration_s, ...)."""
    argv = ["taskset", "-c", str(core), tool_path(build_dir, "fwd-gen"),
            "--dev", dev, "--pcap", pcap, "--rate", str(int(rate)),
            "--duration", f"{duration:g}", "--cpu", str(core), "--json"]
    if engine:
        argv += ["--engine", engine]
    if burst:
        argv += ["--burst", str(burst)]
    out = run(argv, ns=ns, timeout=duration + 30)
    return _json_out(out, "fwd-gen")


class Sink:
    """fwd-sink running in the background for one trial."""

    def __init__(self, build_dir, ns, dev, core, hist, ready, state, count_only=False):
        self.ready_file = ready
        if os.path.exists(ready):
            os.unlink(ready)
        argv = ["taskset", "-c", str(core), tool_path(build_dir, "fwd-sink"),
                "--dev", dev, "--ready-file", ready, "--json"]
        if count_only:
            # counts only: no sequence or latency work per frame, so the
            # sink is never what limits a rate measurement
            argv += ["--no-seq", "--no-latency"]
        elif hist:
            argv += ["--hist", hist]
        cmd = ns_cmd(ns, argv)
        debug(" ".join(cmd))
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.state = state

    def wait_ready(self, timeout=10.0):
        ok = wait_for(lambda: os.path.exists(self.ready_file) or
                      self.proc.poll() is not None, timeout)
        if not ok or self.proc.poll() is not None:
            err = self.stop(kill=True)
            raise HarnessError(f"fwd-sink did not become ready: {err}")

    def stop(self, kill=False):
        """SIGINT, wait for the JSON result (dict), or the error text if
        kill is set or it fails."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL if kill else signal.SIGINT)
        try:
            out, err = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
            raise HarnessError("fwd-sink did not exit within 10 s of SIGINT")
        if kill:
            return (err or "").strip()[-300:]
        if self.proc.returncode != 0:
            raise HarnessError(f"fwd-sink exited {self.proc.returncode}: "
                               f"{(err or '').strip()[-300:]}")
        return _json_out(out, "fwd-sink")
