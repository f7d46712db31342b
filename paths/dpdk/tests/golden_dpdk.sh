#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# golden_dpdk.sh - run fwd-dpdk on one golden case through net_pcap vdevs:
# the COMMAND that paths/tests/golden/run_golden.py runs for the dpdk path.
#
#   golden_dpdk.sh FWD_DPDK ROUTES IN.pcap IN_PORT OUT_DIR
#
# Every port N of ROUTES becomes net_pcapN (tx_pcap=OUT_DIR/portN.pcap;
# rx_pcap=IN.pcap on IN_PORT, an empty pcap elsewhere), the exception port
# net_pcap_punt writes OUT_DIR/punt.pcap, so punted frames are compared too.
# fwd-dpdk stops once every input frame is consumed (--exit-when-idle) and
# writes OUT_DIR/stats.json. EAL: main lcore only, no hugepages, no shared
# files (--no-shconf, --no-telemetry), a unique --file-prefix.
# Exit: fwd-dpdk's status; 77 when fwd-dpdk is not built.
set -u
fwd=$1 routes=$2 in=$3 in_port=$4 out=$5
if [ ! -x "$fwd" ]; then
	echo "golden_dpdk: $fwd not built (DPDK disabled): skip"
	exit 77
fi
empty=$(mktemp --suffix=.pcap /tmp/fld-golden-empty.XXXXXX)
trap 'rm -f "$empty"' EXIT
# an Ethernet (linktype 1) pcap with no frames: the 24-byte global header
printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x00\x00\x01\x00\x00\x00' >"$empty"

args=() map=()
for n in $(awk '$1 == "port" { print $2 }' "$routes"); do
	rx=$empty
	[ "$n" = "$in_port" ] && rx=$in
	args+=(--vdev "net_pcap$n,rx_pcap=$rx,tx_pcap=$out/port$n.pcap")
	map+=(--port-map "$n=net_pcap$n")
done
args+=(--vdev "net_pcap_punt,tx_pcap=$out/punt.pcap")
"$fwd" -l 0 --no-pci --no-huge -m 256 --no-shconf --no-telemetry \
	--file-prefix "fld-golden-$$" "${args[@]}" -- \
	--routes "$routes" "${map[@]}" --exception-port net_pcap_punt \
	--exit-when-idle 200 --stats-file "$out/stats.json"
