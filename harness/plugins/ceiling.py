"""ceiling.py - no forwarder: the generator sends straight into the sink's
veth over the ceiling link (<p>-gc -> <p>-sc). It is the most this
testbed carries with the same generator, the same sink program and the
same placement (docs/methodology.md, "The ceiling"); every forwarder's
rate is read against it, and inline 1/rate - 1/ceiling is a forwarder's
marginal cost per packet.

In split placement the sink's veth gets the DUT's treatment (threaded
NAPI on core 1) so the same cross-CPU hand-off is in the ceiling; in
split-napi0 there is no application to place and the ceiling equals inline.
"""
from plugins.base import Path


class Ceiling(Path):
    name = "ceiling"
    description = "no forwarder: generator -> sink veth directly (the testbed's maximum)"
    order = 0
    default_placement = None  # runs in the placement of the paths it is compared with
    gen_if, ingress, sink_if, dst_mac_if = "gc", "sc", "sc", "sc"
    has_dut = False


PLUGIN = Ceiling()
