"""xdp.py - fwd-xdp (paths/xdp): the XDP program with its own LPM trie and a
DEVMAP redirect, attached in native (driver) mode on the DUT ports."""
from plugins.base import ProcessPath


class Xdp(ProcessPath):
    name = "xdp"
    description = "XDP program, LPM trie + devmap redirect (fwd-xdp, native)"
    order = 20
    default_placement = "inline"
    placements = ("inline", "split")
    binary = "paths/xdp/fwd-xdp"
    lookup = "lpm"

    def extra_args(self, env, plc):
        return ["--mode", "native", "--lookup", self.lookup]


PLUGIN = Xdp()
