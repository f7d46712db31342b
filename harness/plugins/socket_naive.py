"""socket_naive.py - fwd-socket --mode naive: one recvmsg and one send per
frame, the teaching baseline for what batching and shared rings buy
(paths/socket/README.md)."""
from plugins.socket import Socket


class SocketNaive(Socket):
    name = "socket-naive"
    description = "AF_PACKET, one recvmsg + one send per frame (fwd-socket --mode naive)"
    order = 41
    mode = "naive"


PLUGIN = SocketNaive()
