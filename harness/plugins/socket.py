"""socket.py - fwd-socket (paths/socket): AF_PACKET with a TPACKET_V3 RX ring
and sendmmsg, its worker pinned to the DUT core. The kernel still receives
every frame, so fwd-socket turns IPv4 forwarding off on its ports while it
runs (--disable-ip-forward) and restores it at exit (paths/socket/README.md).
"""
from plugins.base import ProcessPath


class Socket(ProcessPath):
    name = "socket"
    description = "AF_PACKET TPACKET_V3 RX ring + sendmmsg (fwd-socket)"
    order = 40
    default_placement = "split-napi0"
    binary = "paths/socket/fwd-socket"
    mode = "ring"

    def extra_args(self, env, plc):
        return ["--mode", self.mode, "--cpu", str(plc.app_core), "--disable-ip-forward"]


PLUGIN = Socket()
