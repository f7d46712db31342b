"""Frame builders for the golden cases: scapy builds the headers, a few
helpers then set the fields scapy would "fix" (a bad checksum, IHL < 5, a
chosen checksum value, Ethernet padding). Every builder returns `bytes`, the
frame as it goes into in.pcap (Ethernet header first, no FCS).
"""
import struct

from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import ARP, Dot1AD, Dot1Q, Ether
from scapy.packet import Raw

from golden_model import ones_sum

SENDER_MAC = "02:0a:00:00:00:02"   # the neighbour that sends on port 0
OTHER_MAC = "02:ee:00:00:00:99"    # a unicast MAC no port owns
BCAST_MAC = "ff:ff:ff:ff:ff:ff"
IP_OFF = 14                        # the IPv4 header follows the Ethernet one


def payload(n, seed=0):
    """n deterministic bytes (a counter pattern that changes with seed)."""
    return bytes((seed * 31 + k * 7 + 1) & 0xFF for k in range(n))


def ipv4(dst="198.19.0.1", src="198.18.0.2", ttl=64, l4="udp", size=60,
         dmac=None, smac=SENDER_MAC, ident=1, flags=0, frag=0, tos=0,
         options=b"", seed=0):
    """A valid Ethernet + IPv4 frame of `size` bytes (IP total length covers
    everything after the Ethernet header: no padding). dmac defaults to
    PORT0_MAC. l4: "udp", "tcp", "icmp" or "raw" (protocol 253, RFC 3692)."""
    l3 = IP(src=src, dst=dst, ttl=ttl, id=ident, flags=flags, frag=frag,
            tos=tos, options=options)
    if l4 == "udp":
        l3 = l3 / UDP(sport=1024 + seed % 1000, dport=9)
    elif l4 == "tcp":
        l3 = l3 / TCP(sport=1024 + seed % 1000, dport=80, seq=seed, flags="A")
    elif l4 == "icmp":
        l3 = l3 / ICMP(type=8, id=seed & 0xFFFF)
    else:
        l3.proto = 253
    frame = Ether(dst=dmac or PORT0_MAC, src=smac, type=0x0800) / l3
    need = size - len(bytes(frame))
    if need < 0:
        raise ValueError("size %d too small for the headers" % size)
    return bytes(frame / Raw(payload(need, seed)))


def patch(frame, off, data):
    """Overwrite bytes at frame offset off."""
    return frame[:off] + data + frame[off + len(data):]


def ihl_of(frame):
    return frame[IP_OFF] & 15


def ip_checksum_field(frame):
    return struct.unpack("!H", frame[IP_OFF + 10:IP_OFF + 12])[0]


def fix_checksum(frame):
    """Recompute the IPv4 header checksum (RFC 791) over IHL words."""
    hl = ihl_of(frame) * 4
    hdr = patch(frame[IP_OFF:IP_OFF + hl], 10, b"\0\0")
    return patch(frame, IP_OFF + 10, struct.pack("!H", ~ones_sum(hdr) & 0xFFFF))


def set_ip(frame, off, data, fix=True):
    """Overwrite bytes at IPv4 header offset off; recompute the checksum."""
    frame = patch(frame, IP_OFF + off, data)
    return fix_checksum(frame) if fix else frame


def with_checksum(frame, target):
    """Choose the IP identification so that the correct header checksum is
    `target` (0x0000..0xFFFE). target 0xFFFF: make the correct checksum
    0x0000 and store its other one's complement form 0xFFFF (-0), which a
    receiver's verification also accepts (RFC 1071, RFC 1624 section 3)."""
    want_sum = ~(0 if target == 0xFFFF else target) & 0xFFFF
    hl = ihl_of(frame) * 4
    hdr = bytearray(frame[IP_OFF:IP_OFF + hl])
    hdr[4:6] = b"\0\0"
    hdr[10:12] = b"\0\0"
    s0 = ones_sum(bytes(hdr))
    ident = want_sum + (~s0 & 0xFFFF)            # want_sum -' s0
    ident = (ident & 0xFFFF) + (ident >> 16)
    frame = set_ip(frame, 4, struct.pack("!H", ident))
    if target == 0xFFFF:
        assert ip_checksum_field(frame) == 0x0000
        frame = set_ip(frame, 10, b"\xff\xff", fix=False)
    assert ip_checksum_field(frame) == target, (hex(target), frame.hex())
    assert ones_sum(frame[IP_OFF:IP_OFF + hl]) == 0xFFFF
    return frame


def bad_checksum(frame, delta=1):
    """Keep everything, make the checksum field wrong by `delta`."""
    c = (ip_checksum_field(frame) + delta) & 0xFFFF
    return set_ip(frame, 10, struct.pack("!H", c), fix=False)


def with_options(frame, opts):
    """Insert IPv4 options (a multiple of 4 bytes) after the 20-byte header,
    updating IHL, total length and checksum."""
    assert len(opts) % 4 == 0 and ihl_of(frame) == 5
    frame = frame[:IP_OFF + 20] + opts + frame[IP_OFF + 20:]
    frame = patch(frame, IP_OFF, bytes([0x40 | (5 + len(opts) // 4)]))
    tot = struct.unpack("!H", frame[IP_OFF + 2:IP_OFF + 4])[0] + len(opts)
    return set_ip(frame, 2, struct.pack("!H", tot))


def vlan(tpid, dmac=None, inner=None, vid=100):
    """An 802.1Q (tpid 0x8100) or 802.1ad (0x88a8) tagged IPv4 frame."""
    tag = Dot1Q(vlan=vid) if tpid == 0x8100 else Dot1AD(vlan=vid)
    frame = Ether(dst=dmac or PORT0_MAC, src=SENDER_MAC, type=tpid) / tag
    inner = inner or IP(src="198.18.0.2", dst="198.19.0.1") / UDP(sport=1, dport=9)
    return pad60(bytes(frame / inner / Raw(payload(18))))


def arp(op, dmac, sender="198.18.0.2", target="198.18.0.1"):
    """ARP request (op 1, usually broadcast) or reply (op 2), padded to 60."""
    frame = Ether(dst=dmac, src=SENDER_MAC) / ARP(
        op=op, hwsrc=SENDER_MAC, psrc=sender,
        hwdst="00:00:00:00:00:00" if op == 1 else PORT0_MAC, pdst=target)
    return pad60(bytes(frame))


def ipv6(dmac, dst="2001:db8::1"):
    """An IPv6 UDP frame (ethertype 0x86dd)."""
    return bytes(Ether(dst=dmac, src=SENDER_MAC) /
                 IPv6(src="2001:db8::2", dst=dst, hlim=64) /
                 UDP(sport=1, dport=9) / Raw(payload(10)))


def raw_ethertype(ethertype, dmac, n=46):
    """Any other ethertype, n bytes of payload."""
    return bytes(Ether(dst=dmac, src=SENDER_MAC, type=ethertype) / Raw(payload(n)))


def pad60(frame):
    """Pad with zeros to the 60-byte Ethernet minimum (without FCS)."""
    return frame + b"\0" * max(0, 60 - len(frame))


# The default topology's port 0 MAC (ingress of most cases).
PORT0_MAC = "02:00:00:00:00:10"
