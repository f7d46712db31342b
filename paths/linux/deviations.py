"""deviations.py - the linux baseline's known deviations from the core, in
one place (README.md here).

The kernel's ip_forward is not our code: for some inputs it does something
else than fwd_core.h, by its own documented design. Each entry names the
input frames it covers (by the core's verdict for the frame, from the
case's expect.json, and the frame's bytes), the kernel behaviour that
explains it (with its source) and how the expectation is adjusted:

  model    the kernel's output equals fwd-ref's output for a changed input
           frame (the change is `adjust`: padding stripped, priority tag
           removed): the frame is still replayed as is and its output
           still compared byte for byte;
  exclude  the kernel's handling is not modelled: the frame is neither
           replayed nor expected (the cell then says how many).

A case is "pass" when the kernel's forwarded frames equal the golden
expectation as is, "deviates (names)" when they differ but equal the
expectation adjusted by the entries below (every other frame still byte
for byte), and FAIL otherwise. Anything not listed here is a FAIL: keep
this list short, and add an entry only with the kernel source that
explains it.
"""
import struct

ETH_IPV4 = 0x0800
VLAN_TPIDS = (0x8100, 0x88A8)


def _ipv4(frame):
    """(IHL bytes, total length, flags+offset, src, dst) of an IPv4 frame
    with a complete fixed header, else None."""
    if len(frame) < 34 or struct.unpack("!H", frame[12:14])[0] != ETH_IPV4:
        return None
    ihl = (frame[14] & 0x0F) * 4
    tot, frag = struct.unpack("!H2xH", frame[16:22])
    return ihl, tot, frag, frame[26:30], frame[30:34]


def _padded(frame, reason):
    ip = _ipv4(frame)
    return (ip is not None and reason in ("forward", "mtu")
            and ip[0] >= 20 and ip[1] >= ip[0] and 14 + ip[1] < len(frame))


def _strip_padding(frame):
    return frame[:14 + _ipv4(frame)[1]]


def _fragmentable(frame, reason):
    ip = _ipv4(frame)
    return ip is not None and reason == "mtu" and not ip[2] & 0x4000


def _in(addr, net, bits):
    n = struct.unpack("!I", addr)[0]
    return n >> (32 - bits) == net >> (32 - bits)


def _kernel_martian(src, dst):
    """The kernel's own martian checks (net/ipv4/route.c,
    ip_route_input_slow(), Linux >= 5.3): source 0.0.0.0, 127/8
    (route_localnet off), 224/4 or 255.255.255.255; destination 0.0.0.0 or
    127/8."""
    zero = b"\0\0\0\0"
    return (src == zero or _in(src, 0x7F000000, 8) or _in(src, 0xE0000000, 4)
            or src == b"\xff\xff\xff\xff" or dst == zero or _in(dst, 0x7F000000, 8))


def _routed_martian(frame, reason):
    """A martian of RFC 1812 5.3.7 (the core's list) that the kernel's
    narrower checks let through."""
    ip = _ipv4(frame)
    return ip is not None and reason == "martian" and not _kernel_martian(ip[3], ip[4])


def _vlan_tags(frame):
    """Bytes of leading 802.1Q/802.1ad tags with VID 0 (priority tags)."""
    off = 12
    while len(frame) >= off + 6 and struct.unpack("!H", frame[off:off + 2])[0] in VLAN_TPIDS \
            and struct.unpack("!H", frame[off + 2:off + 4])[0] & 0x0FFF == 0:
        off += 4
    return off - 12


def _priority_tagged(frame, reason):
    return reason == "not-ipv4" and _vlan_tags(frame) > 0


def _untag(frame):
    return frame[:12] + frame[12 + _vlan_tags(frame):]


# (name, action, applies(frame, core_reason) -> bool, adjust(frame) or None,
#  the kernel behaviour that explains it)
DEVIATIONS = [
    ("padding", "model", _padded, _strip_padding,
     "ip_rcv_core() trims every IPv4 skb to the IP total length "
     "(pskb_trim_rcsum) before routing: Ethernet padding is never forwarded, "
     "and the egress MTU check sees the datagram without it; the core keeps "
     "padding as received and counts it"),
    ("options", "exclude", lambda fr, r: r == "options", None,
     "the kernel forwards datagrams with IP options itself (ip_forward() -> "
     "ip_forward_options(), RFC 1812 5.3.13), rewriting Record Route / "
     "Timestamp options; the core punts every IHL > 5 datagram"),
    ("fragments-mtu", "exclude", _fragmentable, None,
     "a datagram larger than the egress MTU without DF is fragmented by the "
     "kernel (ip_forward() -> ip_output() -> ip_fragment(), RFC 1812 5.2.6); "
     "the core punts it as mtu"),
    ("martian", "exclude", _routed_martian, None,
     "ip_route_input_slow() rejects as martian only sources 0.0.0.0, 127/8, "
     "224/4, 255.255.255.255 and destinations 0.0.0.0, 127/8; since Linux 5.3 "
     "(\"Allow 0.0.0.0/8 as a valid address range\") the rest of 0/8 is routed, "
     "and class E 240/4 and link-local 169.254/16 never were martian to it: "
     "it forwards what RFC 1812 5.3.7 (the core) drops"),
    ("vlan-priority-tag", "model", _priority_tagged, _untag,
     "a frame whose 802.1Q/802.1ad tag has VID 0 (an 802.1p priority tag) is "
     "received as untagged when no VLAN device claims VID 0 "
     "(__netif_receive_skb_core(), check_vlan_id): the kernel forwards its IPv4 "
     "payload, untagged; the core punts every tagged frame (not-ipv4)"),
]


def plan(frames, reasons):
    """For each input frame, the first entry that covers it, or None.
    frames: bytes from the Ethernet header; reasons: the core's verdict
    reason per frame (expect.json). Raises ValueError on a length mismatch."""
    if len(frames) != len(reasons):
        raise ValueError("%d frames but %d verdicts in expect.json" % (len(frames), len(reasons)))
    out = []
    for fr, r in zip(frames, reasons):
        out.append(next((d for d in DEVIATIONS if d[2](fr, r)), None))
    return out


def adjust(frames, entries):
    """(frames to replay, frames fwd-ref's expectation is built from) for a
    plan: excluded frames are left out of both, modelled frames are
    replayed as they are and expected as modelled."""
    replay, expect = [], []
    for fr, d in zip(frames, entries):
        if d is not None and d[1] == "exclude":
            continue
        replay.append(fr)
        expect.append(d[3](fr) if d is not None and d[1] == "model" else fr)
    return replay, expect


def counts(entries):
    """{name: number of frames} of a plan, in DEVIATIONS order."""
    out = {}
    for d in DEVIATIONS:
        n = sum(1 for e in entries if e is d)
        if n:
            out[d[0]] = n
    return out


def explain(name):
    """The kernel behaviour behind a deviation name."""
    return next(d[4] for d in DEVIATIONS if d[0] == name)


def _key(frame):
    """What identifies a datagram across forwarding, fragmentation and
    option rewriting: (source, destination, IP ID, protocol), or None."""
    ip = _ipv4(frame[:12] + frame[12 + _vlan_tags(frame):]) if len(frame) >= 14 else None
    if ip is None:
        return None
    off = 14 + _vlan_tags(frame)
    return frame[off + 12:off + 20], frame[off + 4:off + 6], frame[off + 9]


def forwarded(frames, entries, captured):
    """{name: number of the frames an exclude entry covers that the kernel
    did forward} (found in captured, the forwarded frames of every port, by
    _key); a covered frame the kernel did not forward either needed no
    deviation."""
    seen = {_key(fr) for fr in captured} - {None}
    out = {}
    for fr, d in zip(frames, entries):
        if d is not None and d[1] == "exclude":
            out[d[0]] = out.get(d[0], 0) + (_key(fr) in seen)
    return out


def _frames(n):
    return "%d frame%s" % (n, "" if n == 1 else "s")


def classify(strict_rc, strict_line, entries, adjusted_rc=None, adjusted_line="", fwd=None):
    """The linux cell of a case from golden-cmp's results.

    strict_rc/line: golden-cmp of the kernel's output against the case's
    expected/ (--no-punt-frames --no-stats); entries: plan(); adjusted_rc/
    line: golden-cmp against the adjusted expectation (None if not run);
    fwd: forwarded() of the strict run, if known: an exclude entry none of
    whose frames the kernel forwarded is then not named.
    Returns (result, detail): ("pass", ""), ("deviates", "options: 6
    frames, ..."), or ("FAIL", first difference)."""
    if strict_rc == 0:
        return "pass", ""
    used = counts(entries)
    if strict_rc != 1 or not used:
        return "FAIL", strict_line
    if adjusted_rc != 0:
        return "FAIL", "%s (also with the known deviations %s applied: %s)" % (
            strict_line, "+".join(used), adjusted_line or "not run")
    kinds = {d[0]: d[1] for d in DEVIATIONS}
    parts, quiet = [], []
    for name, n in used.items():
        if kinds[name] == "exclude" and fwd is not None:
            k = fwd.get(name, 0)
            (parts if k else quiet).append("%s: %s forwarded by the kernel%s" % (
                name, _frames(k) if k else "no frame", "" if k == n else " (of %d)" % n))
        else:
            parts.append("%s: %s" % (name, _frames(n)))
    if not parts:  # cannot happen if the match is right: name them all
        parts, quiet = quiet, []
    return "deviates", ", ".join(parts) + ("; not needed: " + ", ".join(quiet) if quiet else "")
