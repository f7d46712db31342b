"""xdp_fib.py - fwd-xdp --lookup fib: the same XDP program with the kernel's
FIB (bpf_fib_lookup) as its lookup, to show what the kernel's own table
costs. fwd-xdp installs the route file into the DUT namespace's FIB and sets
forwarding=1 on the ports (bpf_fib_lookup needs it); unprepare() turns it off
again so that a later path in the same block sees the testbed as before."""
from plugins.xdp import Xdp
from plugins.linux import parse_routes
from util import run


class XdpFib(Xdp):
    name = "xdp-fib"
    description = "XDP program, kernel FIB via bpf_fib_lookup + devmap (fwd-xdp --lookup fib)"
    order = 22
    lookup = "fib"

    def unprepare(self, env):
        ns = env.topo.ns["dut"]
        ports, _, routes = parse_routes(env.routes)
        for prefix, _via in routes:
            run(["ip", "route", "del", prefix], ns=ns, check=False)
        for _n, (ifn, _addr) in ports.items():
            run(["sysctl", "-qw", f"net.ipv4.conf.{ifn}.forwarding=0"], ns=ns, check=False)


PLUGIN = XdpFib()
