"""kernel_frames.py - tell the frames the DUT kernel sends of its own
accord apart from the frames it forwards (README.md here).

A port's capture holds both. The rule, one place, two clauses:

  1. ARP (ethertype 0x0806): the kernel never forwards ARP (it routes, it
     does not bridge), so every ARP frame on an egress port is its own:
     requests for a next hop without a neighbour entry, replies to ARP
     requests for its addresses.
  2. IPv4 whose source address is one of the router's own port addresses:
     what the kernel originates (ICMP time exceeded, destination
     unreachable, fragmentation needed, echo replies, TCP resets from its
     closed ports) always carries a local source address, and a datagram
     with a local source address is never forwarded (ip_route_input_slow()
     rejects it as a martian source, fib_validate_source()).

IPv6 is disabled on every interface of the topology, so there is no
neighbour discovery, router solicitation or MLD to filter. Nothing else is
removed; the removed frames are kept (kernel/port<N>.pcap) and counted.
"""
import struct

ETH_ARP = 0x0806
ETH_IPV4 = 0x0800
ICMP_NAMES = {0: "echo reply", 3: "dest unreachable", 5: "redirect", 11: "time exceeded",
              12: "parameter problem"}


def is_kernel_frame(frame, router_addrs):
    """True if frame (bytes, from the Ethernet header) was sent by the DUT
    kernel itself; router_addrs: the router's IPv4 addresses (4-byte,
    network order)."""
    if len(frame) < 14:
        return False
    etype = struct.unpack("!H", frame[12:14])[0]
    if etype == ETH_ARP:
        return True
    return etype == ETH_IPV4 and len(frame) >= 34 and frame[26:30] in router_addrs


def describe(frame):
    """A short name for a kernel frame: "ARP", "ICMP time exceeded", "TCP"..."""
    etype = struct.unpack("!H", frame[12:14])[0]
    if etype == ETH_ARP:
        return "ARP"
    proto = frame[23]
    if proto == 1:
        ihl = (frame[14] & 0x0F) * 4
        t = frame[14 + ihl] if len(frame) > 14 + ihl else -1
        return "ICMP " + ICMP_NAMES.get(t, "type %d" % t)
    return {6: "TCP", 17: "UDP"}.get(proto, "IP proto %d" % proto)


def split(frames, router_addrs):
    """(forwarded frames, kernel frames), each in capture order."""
    fwd, kern = [], []
    for fr in frames:
        (kern if is_kernel_frame(fr, router_addrs) else fwd).append(fr)
    return fwd, kern


def summary(kernel_by_port):
    """One line: what was removed from which port, e.g.
    "port0: 3 ICMP time exceeded; port1: 2 ARP" ('' when nothing)."""
    parts = []
    for num in sorted(kernel_by_port):
        counts = {}
        for fr in kernel_by_port[num]:
            d = describe(fr)
            counts[d] = counts.get(d, 0) + 1
        if counts:
            parts.append("port%d: %s" % (num, ", ".join("%d %s" % (n, d)
                                                        for d, n in sorted(counts.items()))))
    return "; ".join(parts)
