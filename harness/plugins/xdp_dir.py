"""xdp_dir.py - fwd-xdp --lookup dir: the same XDP forwarder with the route
table as a DIR-16-8-8 multibit trie (paths/lib/fwd_lpm.h, the fwd-socket
table) in BPF .bss and ARRAY maps instead of the kernel's LPM-trie map:
what the lookup structure costs, everything else equal."""
from plugins.xdp import Xdp


class XdpDir(Xdp):
    name = "xdp-dir"
    description = "XDP program, DIR-16-8-8 table in BPF arrays + devmap (fwd-xdp --lookup dir)"
    order = 21
    lookup = "dir"


PLUGIN = XdpDir()
