"""socktopo.py - the veth topology fwd-socket's root tests run in (README.md).

For every port N of a route file: a veth pair whose DUT end is the port's
interface name and MAC from the route file, inside the DUT namespace, and
whose peer "peerN" sits in the generator namespace (the ingress port) or the
sink namespace (every other port). Every namespace carries the prefix
fls-<role>-<pid>, is created here and always deleted (Topo is a context
manager; also on SIGTERM, which the callers turn into SystemExit).

So that nothing but the forwarder's output reaches a capture, the kernel is
kept quiet: IPv6 is disabled on every interface (no router solicitation,
neighbour discovery or MLD), no IPv4 address is configured (no ARP, no ICMP
from the DUT kernel, whose forwarding stays off) unless a caller asks for one.

Also a small pcap reader/writer and an AF_PACKET replay helper (run inside
the generator namespace as `python3 socktopo.py replay IF FILE`).
"""
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import time

PREFIX = "fls"


def run(cmd, check=True, **kw):
    """Run a command, fail with its stderr."""
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if check and r.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd), r.stderr.strip()))
    return r


def term_to_exit():
    """SIGTERM (meson's timeout) -> SystemExit, so finally: blocks clean up."""
    def handler(signum, frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, handler)


def need_root():
    """Exit 77 (skip) with the reason when not root."""
    if os.geteuid() != 0:
        print("SKIP: needs root (network namespaces, veth, AF_PACKET)")
        sys.exit(77)
    for tool in ("ip", "tcpdump"):
        if run(["which", tool], check=False).returncode:
            print("SKIP: %s not installed" % tool)
            sys.exit(77)


# --- route file ---------------------------------------------------------

class Port:
    def __init__(self, num, name, mac, addr, mtu):
        self.num, self.name, self.mac, self.addr, self.mtu = num, name, mac, addr, mtu
        self.neigh_macs = []


def parse_routes(path):
    """Ports (dict num -> Port), neighbours [(ip, mac, port)], routes
    [(prefix, via)] of a route file; only what the topology needs, the real
    parser is paths/lib/fwd_routes.c."""
    ports, neighs, routes = {}, [], []
    with open(path) as f:
        for line in f:
            tok = line.split("#", 1)[0].split()
            if not tok:
                continue
            if tok[0] == "port":
                kv = dict(zip(tok[2::2], tok[3::2]))
                ports[int(tok[1])] = Port(int(tok[1]), kv["name"], kv["mac"],
                                          kv["addr"], int(kv.get("mtu", 1500)))
            elif tok[0] == "neigh":
                neighs.append((tok[1], tok[3], int(tok[5])))
            elif tok[0] == "route":
                routes.append((tok[1], tok[3]))
    for ip, mac, p in neighs:
        ports[p].neigh_macs.append(mac)
    return ports, neighs, routes


# --- pcap ---------------------------------------------------------------

def read_pcap(path):
    """Frames (bytes) of a classic pcap file, any byte order, us or ns."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("%s: not a pcap file" % path)
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        raise ValueError("%s: not a pcap file" % path)
    linktype = struct.unpack(end + "I", data[20:24])[0]
    if linktype != 1:
        raise ValueError("%s: linktype %d, expected Ethernet" % (path, linktype))
    frames, off = [], 24
    while off + 16 <= len(data):
        _, _, caplen, wirelen = struct.unpack(end + "IIII", data[off:off + 16])
        off += 16
        if off + caplen > len(data):
            break  # a record still being written
        frames.append(data[off:off + caplen])
        off += caplen
    return frames


def rx_packets(ns, ifname):
    """The interface's receive counter (frames the veth delivered to it)."""
    out = run(["ip", "-n", ns, "-s", "-j", "link", "show", ifname]).stdout
    return json.loads(out)[0]["stats64"]["rx"]["packets"]


def write_pcap(path, frames):
    """Write frames as a little-endian microsecond pcap (Ethernet)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 0, i, len(fr), len(fr)))
            f.write(fr)


def replay(ifname, path, burst=64, pause_ms=1):
    """Send every frame of path out of ifname, byte for byte, in order,
    pausing pause_ms after every burst frames (at most ~64 kpps: a test
    replay, not a load: a busy machine must not turn it into ring overflow)."""
    frames = read_pcap(path)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    s.bind((ifname, 0))
    for i, fr in enumerate(frames, 1):
        s.send(fr)
        if i % burst == 0:
            time.sleep(pause_ms / 1e3)
    s.close()
    return len(frames)


# --- topology -----------------------------------------------------------

class Topo:
    """gen/dut/snk namespaces and one veth pair per port of a route file."""

    def __init__(self, ports, in_port, mtu=1500, tag=None):
        tag = tag or str(os.getpid())
        self.ns = {r: "%s-%s-%s" % (PREFIX, r, tag) for r in ("gen", "dut", "snk")}
        self.ports, self.in_port, self.mtu = ports, in_port, mtu
        self.peer = {}  # port num -> (netns, ifname)

    def __enter__(self):
        try:
            self.up()
        except BaseException:
            self.down()
            raise
        return self

    def __exit__(self, *exc):
        self.down()

    def sysctl(self, ns, key, val):
        run(["ip", "netns", "exec", ns, "sysctl", "-q", "-w", "%s=%s" % (key, val)])

    def up(self):
        for ns in self.ns.values():
            run(["ip", "netns", "add", ns])
            self.sysctl(ns, "net.ipv6.conf.all.disable_ipv6", 1)
            self.sysctl(ns, "net.ipv6.conf.default.disable_ipv6", 1)
            run(["ip", "-n", ns, "link", "set", "lo", "up"])
        self.sysctl(self.ns["dut"], "net.ipv4.ip_forward", 0)
        for num, p in sorted(self.ports.items()):
            role = "gen" if num == self.in_port else "snk"
            peer = "peer%d" % num
            peer_mac = p.neigh_macs[0] if p.neigh_macs else "02:fe:00:00:00:%02x" % num
            run(["ip", "link", "add", p.name, "netns", self.ns["dut"], "address", p.mac,
                 "mtu", str(self.mtu), "type", "veth", "peer", "name", peer,
                 "netns", self.ns[role], "address", peer_mac, "mtu", str(self.mtu)])
            self.peer[num] = (self.ns[role], peer)
            for ns, ifn in ((self.ns["dut"], p.name), (self.ns[role], peer)):
                self.sysctl(ns, "net.ipv6.conf.%s.disable_ipv6" % ifn, 1)
                run(["ip", "-n", ns, "link", "set", ifn, "up"])

    def down(self):
        for ns in self.ns.values():
            run(["ip", "netns", "del", ns], check=False)

    def exec_cmd(self, role, cmd):
        return ["ip", "netns", "exec", self.ns[role]] + cmd


class Capture:
    """tcpdump on one interface, inbound frames only, written to a pcap."""

    def __init__(self, ns, ifname, path, snaplen=65535):
        # --immediate-mode makes libpcap use a TPACKET_V2 ring of one
        # snaplen-sized slot per frame: keep the snaplen near the largest
        # frame and the buffer (-B, KiB) large, or bursts are dropped.
        self.path = path
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", ns, "tcpdump", "-i", ifname, "-Q", "in", "-p",
             "-n", "-s", str(snaplen), "-B", "65536", "-U", "--immediate-mode",
             "-Z", "root", "-w", path],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()  # "listening on ..." once attached
        if "listening on" not in line:
            self.proc.kill()
            raise RuntimeError("tcpdump on %s: %s" % (ifname, line.strip()))

    def wait_for(self, n, timeout=10):
        """Wait until the file holds n frames (tcpdump -U writes each frame
        as it reads it). Returns the number seen."""
        end, got = time.time() + timeout, 0
        while time.time() < end:
            try:
                got = len(read_pcap(self.path))
            except (OSError, ValueError):
                got = 0
            if got >= n:
                break
            time.sleep(0.05)
        return got

    def stop(self):
        """SIGINT, wait, return tcpdump's 'N packets captured' count."""
        self.proc.send_signal(signal.SIGINT)
        err = self.proc.communicate(timeout=10)[1]
        self.captured = self.dropped = -1
        for line in err.splitlines():
            if "packets captured" in line:
                self.captured = int(line.split()[0])
            if "dropped by kernel" in line:
                self.dropped = int(line.split()[0])
        return self.captured


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "replay":
        print(replay(sys.argv[2], sys.argv[3]))
    else:
        print("usage: socktopo.py replay IF FILE.pcap", file=sys.stderr)
        sys.exit(2)
