"""xdp_probe.py - fwd-xdp --probe: the benchmark reference, not a forwarder.
The same maps, LPM-trie and next-hop lookups, rewrite and DEVMAP redirect as
the xdp path, without the RFC 1812 checks and the counters (the "XDP, LPM
trie + devmap" probe of docs/machine.md). Run beside xdp it shows what the
forwarder's checks cost; it fails the golden tests by design and
`fwdlab verify` does not run it. It has no verdict counters: its fwd_*
columns in results.csv are empty; plots and reports label it
"(reference)"."""
from plugins.xdp import Xdp


class XdpProbe(Xdp):
    name = "xdp-probe"
    description = ("benchmark reference, not a forwarder: XDP LPM trie + devmap, "
                   "no RFC 1812 checks, no counters (fwd-xdp --probe)")
    order = 23
    reference = True

    def extra_args(self, env, plc):
        return ["--mode", "native", "--probe"]

    def stop(self, env, h):
        super().stop(env, h)
        return {}  # no counters: the fwd_* columns stay empty, not 0


PLUGIN = XdpProbe()
