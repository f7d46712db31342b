#!/usr/bin/python3
"""test_linux_unit.py GOLDEN_DIR - the linux runner's pure parts, no
privileges: the router set-up written from a route file (linux_router), the
kernel-frame rule (kernel_frames) and that the deviation list is complete
and well-formed (deviations). Exit 0 if every check holds."""
import os
import struct
import sys

HERE = os.path.dirname(os.path.realpath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "socket", "tests"))
import socktopo  # noqa: E402
import deviations  # noqa: E402
import kernel_frames  # noqa: E402
import linux_router  # noqa: E402

BAD = []


def check(cond, what):
    print("%s %s" % ("ok  " if cond else "FAIL", what))
    if not cond:
        BAD.append(what)


def test_router(golden):
    ports, neighs, routes = socktopo.parse_routes(os.path.join(golden, "mtu", "routes.conf"))
    sysctls, lines = linux_router.router_script(ports, neighs, routes)
    sc = dict(sysctls)
    check(sc.get("net.ipv4.ip_forward") == 1, "forwarding on")
    check(all(sc.get("net.ipv4.conf.%s.send_redirects" % k) == 0 for k in ("all", "default", "p0", "p3")),
          "ICMP redirects off: all, default, every port")
    check(all(sc.get("net.ipv4.conf.%s.rp_filter" % k) == 0 for k in ("all", "default", "p1")),
          "rp_filter off")
    check("addr add 198.18.1.1/24 dev p1" in lines, "port address")
    check("route replace 198.18.1.0/24 dev p1 proto kernel scope link src 198.18.1.1 mtu 576" in lines,
          "connected route carries the port's MTU")
    check("neigh replace 198.18.2.2 lladdr 02:0b:00:00:02:02 nud permanent dev p2" in lines,
          "permanent neighbour")
    check("route replace 198.20.0.0/16 via 198.18.2.2 dev p2 mtu 9000" in lines,
          "route via port 2 carries MTU 9000")
    check("route replace 198.23.0.0/16 via 198.18.1.99 dev p1 mtu 576" in lines,
          "route via a next hop without neighbour still installed")
    ports, neighs, routes = socktopo.parse_routes(os.path.join(golden, "local", "routes.conf"))
    _, lines = linux_router.router_script(ports, neighs, routes)
    check("addr add 198.18.4.1/32 dev p4" in lines and not any("dev p4 proto kernel" in l for l in lines),
          "a /32 port: address, no connected route")
    try:
        linux_router.router_script(ports, neighs, [("10.0.0.0/8", "192.0.2.1")])
        check(False, "next hop outside every subnet refused")
    except ValueError as e:
        check("192.0.2.1" in str(e), "next hop outside every subnet refused")


def ip_frame(src, proto=17, etype=0x0800):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28, 0, 0, 64, proto, 0, bytes(src), bytes([198, 19, 0, 1]))
    return b"\x02" * 6 + b"\x04" * 6 + struct.pack("!H", etype) + hdr + b"\x0b\x00" + b"\0" * 6


def test_kernel_frames():
    addrs = {bytes([198, 18, 0, 1]), bytes([198, 18, 1, 1])}
    fwd = ip_frame([198, 18, 0, 2])
    icmp = ip_frame([198, 18, 1, 1], proto=1)
    arp = b"\xff" * 6 + b"\x02" * 6 + b"\x08\x06" + b"\0" * 28
    other = ip_frame([198, 18, 0, 2], etype=0x86DD)
    f, k = kernel_frames.split([fwd, icmp, arp, fwd, other], addrs)
    check(f == [fwd, fwd, other] and k == [icmp, arp], "kernel frames: ARP and router-sourced IPv4 only")
    check(kernel_frames.summary({0: [icmp], 1: [arp, arp]}) == "port0: 1 ICMP time exceeded; port1: 2 ARP",
          "summary line")
    check(not kernel_frames.is_kernel_frame(b"\x01" * 10, addrs), "a runt is not a kernel frame")


def test_deviation_list():
    names = [d[0] for d in deviations.DEVIATIONS]
    check(len(names) == len(set(names)), "deviation names unique")
    check(all(d[1] in ("model", "exclude") for d in deviations.DEVIATIONS), "actions: model or exclude")
    check(all((d[1] == "model") == (d[3] is not None) for d in deviations.DEVIATIONS),
          "model entries have an adjust function, exclude entries none")
    check(all("(" in d[4] and len(d[4]) > 60 for d in deviations.DEVIATIONS),
          "each explains the kernel behaviour and names its source")
    check(len(names) <= 6, "the list stays small (%d entries)" % len(names))


def main(argv):
    if len(argv) != 2:
        print("usage: test_linux_unit.py GOLDEN_DIR", file=sys.stderr)
        return 2
    test_router(argv[1])
    test_kernel_frames()
    test_deviation_list()
    if BAD:
        print("test_linux_unit: %d checks failed" % len(BAD))
    return 1 if BAD else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
