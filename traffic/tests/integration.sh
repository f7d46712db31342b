#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# integration.sh - generator -> sink across a veth pair between two
# namespaces (root; exit 77 without). For each engine (xdp, afpacket, and
# dpdk when built: net_af_packet vdev on the veth): exactly 10 000
# frames at 10 000 pps; the sink must count 10 000 with no loss, reorder
# or duplicate and a plausible latency. Then an IMIX, 4-flow profile through
# the live-frames engine with a capture: every captured frame must be the
# profile's frame (length, headers) with consecutive sequence numbers.
#
# usage: integration.sh FWD_PROFILE FWD_GEN FWD_SINK
FWD_PROFILE=$1; FWD_GEN=$2; FWD_SINK=$3
HERE=$(dirname "$0")
. "$HERE/lib.sh"
need_root
topo_up

"$FWD_PROFILE" --out "$TMP/64.pcap" --size 64 || exit 1

ENGINES="xdp afpacket"
"$FWD_GEN" --help | grep -q "^dpdk (" && ENGINES="$ENGINES dpdk"
for engine in $ENGINES; do
	sink_start --expect 10000 --hist "$TMP/hist-$engine.csv"
	in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/64.pcap" --engine $engine \
		--count 10000 --rate 10000 >"$TMP/gen.json" || { echo "FAIL: fwd-gen --engine $engine"; exit 1; }
	sink_stop
	no_xdp "$SNS" "$SDEV"; no_xdp "$GNS" "$GDEV"
	/usr/bin/python3 - "$engine" "$TMP/gen.json" "$TMP/sink.json" "$TMP/hist-$engine.csv" <<'PY' || exit 1
import csv, json, sys
engine, g, s, h = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3])), sys.argv[4]
lat = s["lat_ns"]
print(f"{engine}: sent {g['sent']} in {g['duration_s']:.4f} s ({g['tx_pps']:.0f} pps); "
      f"sink rx {s['rx']} lost {s['lost']} reordered {s['reordered']} duplicate {s['duplicate']} "
      f"latency ns p50 {lat['p50']} p99 {lat['p99']} max {lat['max']}")
checks = [
    (g["sent"] == 10000, "generator sent 10000"),
    (g["engine"] == engine, "engine"),
    # absolute deadlines: 10000 frames at 10 kpps take at least 1 s
    (g["duration_s"] >= 0.9999, "paced run shorter than 10000 / 10000 pps"),
    (s["rx"] == 10000, "sink counted 10000"),
    (s["bad_magic"] == 0, "no frame without the magic"),
    (s["lost"] == 0 and s["reordered"] == 0 and s["duplicate"] == 0, "no loss/reorder/duplicate"),
    (s["seq_next"] == 10000, "highest sequence number 9999"),
    (s["lat_n"] == 10000 and s["lat_negative"] == 0, "latency of every frame"),
    # same machine, same clock: positive and well under a second
    (0 < lat["min"] <= lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["p999"] <= lat["max"] < 1e9,
     "plausible latency"),
]
rows = list(csv.DictReader(open(h)))
checks.append((sum(int(r["count"]) for r in rows) == 10000, "histogram CSV holds 10000"))
bad = [w for ok, w in checks if not ok]
for w in bad:
    print("FAIL:", w)
sys.exit(1 if bad else 0)
PY
done

# IMIX over 4 flows (12 frames, 3 sizes) through the live-frames engine:
# the program resizes and rewrites every frame from its template
"$FWD_PROFILE" --out "$TMP/imix.pcap" --profile imix --flows 4 || exit 1
sink_start --expect 1200 --capture "$TMP/cap.pcap" --capture-count 36
in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/imix.pcap" --count 1200 --rate 5000 \
	>"$TMP/gen.json" || { echo "FAIL: fwd-gen imix"; exit 1; }
sink_stop
no_xdp "$SNS" "$SDEV"
/usr/bin/python3 - "$TMP/imix.pcap" "$TMP/cap.pcap" "$TMP/sink.json" <<'PY' || exit 1
import json, struct, sys
from scapy.all import rdpcap
prof, cap, s = rdpcap(sys.argv[1]), rdpcap(sys.argv[2]), json.load(open(sys.argv[3]))
bad = []
if s["rx"] != 1200 or s["lost"] != 0 or s["reordered"] or s["duplicate"] or s["bad_magic"]:
    bad.append(f"imix sink counts {s}")
if len(cap) != 36:
    bad.append(f"captured {len(cap)} frames, wanted 36")
for i, p in enumerate(cap):
    want, got = bytes(prof[i % len(prof)]), bytes(p)
    if len(got) != len(want):
        bad.append(f"frame {i}: {len(got)} bytes, profile frame has {len(want)}")
        continue
    # headers identical up to the payload; payload: magic, seq = i, tx_ns != 0
    if got[:46] != want[:46]:
        bad.append(f"frame {i}: headers differ from the profile")
    seq, ts = struct.unpack("!IQ", got[46:58])
    if seq != i or ts == 0:
        bad.append(f"frame {i}: seq {seq} tx_ns {ts}")
    if got[58:] != want[58:]:
        bad.append(f"frame {i}: padding differs")
print(f"imix: sink rx {s['rx']}, {len(cap)} frames captured and compared")
for b in bad[:10]:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY

# SIGUSR1: report and reset (one trial of a series); the second generator
# run starts again at sequence 0 and must look clean
sink_start
in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/64.pcap" --count 1000 --rate 20000 >/dev/null || exit 1
kill -USR1 "$SINK_PID"
for _ in $(seq 100); do [ "$(grep -c . "$TMP/sink.json")" -ge 1 ] && break; sleep 0.05; done
in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/64.pcap" --count 500 --rate 20000 >/dev/null || exit 1
sink_stop
/usr/bin/python3 - "$TMP/sink.json" <<'PY' || exit 1
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ok = (len(lines) == 2
      and lines[0]["rx"] == 1000 and lines[0]["seq_next"] == 1000 and lines[0]["lost"] == 0
      and lines[1]["rx"] == 500 and lines[1]["seq_next"] == 500 and lines[1]["lost"] == 0
      and lines[1]["reordered"] == 0 and lines[1]["duplicate"] == 0 and lines[1]["lat_n"] == 500)
print(f"SIGUSR1 reset: trials rx {[l['rx'] for l in lines]}")
if not ok:
    print("FAIL: SIGUSR1 report/reset:", lines)
sys.exit(0 if ok else 1)
PY

# --raw: frames leave byte for byte (no stamping), with any content
/usr/bin/python3 -c "
from scapy.all import ARP, IP, TCP, UDP, Ether, Raw, wrpcap
wrpcap('$TMP/raw.pcap', [Ether(dst='ff:ff:ff:ff:ff:ff')/ARP(),
    Ether()/IP(dst='198.19.0.9', ttl=3)/TCP(dport=80)/Raw(b'x' * 30),
    Ether()/IP(dst='198.19.0.8')/UDP()/Raw(bytes(range(200)))])"
for engine in xdp afpacket; do
	sink_start --capture "$TMP/rawcap.pcap" --capture-count 6
	in_ns "$GNS" "$FWD_GEN" --dev "$GDEV" --pcap "$TMP/raw.pcap" --raw --count 6 --rate 1000 \
		--engine $engine >"$TMP/gen.json" || { echo "FAIL: fwd-gen --raw --engine $engine"; exit 1; }
	sink_stop
	no_xdp "$GNS" "$GDEV"
	/usr/bin/python3 - "$engine" "$TMP/raw.pcap" "$TMP/rawcap.pcap" "$TMP/sink.json" <<'PY' || exit 1
import json, sys
from scapy.all import rdpcap
engine, prof, cap, s = sys.argv[1], rdpcap(sys.argv[2]), rdpcap(sys.argv[3]), json.load(open(sys.argv[4]))
bad = []
if s["rx"] != 6 or s["bad_magic"] != 6:
    bad.append(f"raw: sink rx {s['rx']} bad_magic {s['bad_magic']}, wanted 6 and 6")
if [bytes(p) for p in cap] != [bytes(prof[i % 3]) for i in range(6)]:
    bad.append(f"raw: captured frames differ from the pcap cycle ({len(cap)} captured)")
print(f"raw {engine}: {len(cap)} frames captured, byte-identical: {not bad}")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
done
echo "ok"
