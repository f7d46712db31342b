"""counters.py - veth drop counters (`ethtool -S` plus the netdev
statistics in sysfs), read before and after each trial so that frames the
testbed itself lost are reported apart from the DUT's loss (MACHINE.md:
a redirect into a veth whose peer has no NAPI, or a full 256-entry ring,
drops frames that appear nowhere else).

Link loss between A (sender) and B (receiver) =
    delta(A tx_dropped)          frames veth_xmit / ndo_xdp_xmit could not
                                 queue into B (ring full, no NAPI): includes
                                 ethtool's tx_queue_0_xdp_xmit_errors
  + delta(B rx_queue_0_drops)    frames B's NAPI dropped on its ring.
"""
import ctypes
import fcntl
import os
import socket
import struct

from util import debug, sh


CLONE_NEWNET = 0x40000000
SIOCETHTOOL = 0x8946
ETHTOOL_GDRVINFO, ETHTOOL_GSTRINGS, ETHTOOL_GSTATS = 0x3, 0x1B, 0x1D
ETH_SS_STATS = 1
ETH_GSTRING_LEN = 32
_libc = None


def _setns(fd):
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


def _ethtool(sock, ifname, cmd_buf):
    """SIOCETHTOOL on ifname with cmd_buf (a ctypes buffer) as ifr_data."""
    ifr = struct.pack("16sP", ifname.encode(), ctypes.addressof(cmd_buf)) + bytes(16)
    fcntl.ioctl(sock.fileno(), SIOCETHTOOL, ifr)


def _ethtool_stats(sock, ifname):
    """ethtool -S as {name: value} (driver statistics, ETH_SS_STATS)."""
    drv = ctypes.create_string_buffer(196)
    struct.pack_into("I", drv, 0, ETHTOOL_GDRVINFO)
    _ethtool(sock, ifname, drv)
    n = struct.unpack_from("I", drv, 180)[0]  # struct ethtool_drvinfo.n_stats
    if n == 0:
        return {}
    names = ctypes.create_string_buffer(12 + n * ETH_GSTRING_LEN)
    struct.pack_into("III", names, 0, ETHTOOL_GSTRINGS, ETH_SS_STATS, n)
    _ethtool(sock, ifname, names)
    vals = ctypes.create_string_buffer(8 + n * 8)
    struct.pack_into("II", vals, 0, ETHTOOL_GSTATS, n)
    _ethtool(sock, ifname, vals)
    out = {}
    for k in range(n):
        raw = names.raw[12 + k * ETH_GSTRING_LEN:12 + (k + 1) * ETH_GSTRING_LEN]
        out[raw.split(b"\0", 1)[0].decode()] = struct.unpack_from("Q", vals, 8 + 8 * k)[0]
    return out


def _proc_net_dev():
    """/proc/net/dev of the calling thread's namespace -> {if: sys_* dict}."""
    out = {}
    with open("/proc/thread-self/net/dev") as f:
        for line in f.readlines()[2:]:
            name, rest = line.split(":", 1)
            v = [int(x) for x in rest.split()]
            out[name.strip()] = {"sys_rx_bytes": v[0], "sys_rx_packets": v[1],
                                 "sys_rx_dropped": v[3], "sys_tx_bytes": v[8],
                                 "sys_tx_packets": v[9], "sys_tx_dropped": v[11]}
    return out


def read_inproc(topo, suffixes):
    """As read(), without a single fork: setns(2) into each namespace,
    ethtool ioctls and /proc/thread-self/net/dev, then back."""
    by_ns = {}
    for s in suffixes:
        by_ns.setdefault(topo.ns_of(s), []).append(s)
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    out = {}
    try:
        for ns, group in by_ns.items():
            fd = os.open(f"/run/netns/{ns}", os.O_RDONLY)
            try:
                _setns(fd)
            finally:
                os.close(fd)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                dev = _proc_net_dev()
                for s in group:
                    ifn = topo.ifname(s)
                    c = _ethtool_stats(sock, ifn)
                    c.update(dev.get(ifn, {}))
                    out[s] = c
    finally:
        _setns(home)
        os.close(home)
    return out


def read(topo, suffixes):
    """{suffix: {counter: int}} for the given interfaces (in-process; the
    shell version is the fallback)."""
    try:
        return read_inproc(topo, suffixes)
    except OSError as e:
        debug(f"in-process counters failed ({e}); using ethtool")
        return read_shell(topo, suffixes)


def read_shell(topo, suffixes):
    """{suffix: {counter: int}} for the given interfaces: ethtool -S plus
    the netdev statistics (sys_*), read by one shell for all namespaces
    (nsenter --net keeps this cheap: no /sys remount per namespace)."""
    script = []
    for s in suffixes:
        ns, ifn = topo.ns_of(s), topo.ifname(s)
        enter = f"nsenter --net=/run/netns/{ns}"
        script.append(f"echo '== {s}'; {enter} ethtool -S {ifn}; "
                      f"{enter} ip -s -s -o link show dev {ifn} | "
                      "sed 's/\\\\/\\n/g'")
    text = sh("; ".join(script))
    out = {}
    cur, want = None, None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("== "):
            cur = line[3:]
            out[cur] = {}
            continue
        if cur is None:
            continue
        words = line.split()
        if want and words and all(w.lstrip("-").isdigit() for w in words):
            for k, v in zip(want, words):
                out[cur][k] = int(v)
            want = None
        elif words[:2] == ["RX:", "bytes"]:
            want = ["sys_rx_bytes", "sys_rx_packets", "sys_rx_errors", "sys_rx_dropped"]
        elif words[:2] == ["TX:", "bytes"]:
            want = ["sys_tx_bytes", "sys_tx_packets", "sys_tx_errors", "sys_tx_dropped"]
        elif ":" in line:
            k, v = line.split(":", 1)
            v = v.strip()
            if v.lstrip("-").isdigit():
                out[cur][k.strip()] = int(v)
    return out


def delta(before, after):
    """after - before, per interface and counter."""
    return {s: {k: v - before.get(s, {}).get(k, 0) for k, v in c.items()}
            for s, c in after.items()}


def link_loss(d, sender, receiver):
    """Frames lost on the veth link sender -> receiver during the trial."""
    return (d.get(sender, {}).get("sys_tx_dropped", 0) +
            d.get(receiver, {}).get("rx_queue_0_drops", 0))
