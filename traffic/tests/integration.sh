#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# integration.sh - generator -> sink across a veth pair between two
# namespaces (root; exit 77 without). For each engine: exactly 10 000
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

for engine in xdp afpacket; do
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
echo "ok"
