#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# build_l3fwd.sh L3FWD_DIR - build DPDK's l3fwd example (package dpdk-doc,
# /usr/share/dpdk/examples/l3fwd) with its own Makefile into L3FWD_DIR (a
# build directory, never committed); prints nothing when it is already
# built. Two binaries:
#   L3FWD_DIR/l3fwd/build/l3fwd-shared  the Makefile's default (shared DPDK)
#   L3FWD_DIR/l3fwd/build/l3fwd-static  its `static` target, linked with
#       ../static_ldflags.sh exactly like a static fwd-dpdk (only when the
#       static archives are installed)
# One change to the sources: l3fwd hard-codes RTE_ETH_RX_OFFLOAD_CHECKSUM,
# which virtual PMDs do not offer (dev_info.rx_offload_capa = 0: configure
# fails); the request is removed in the copy (l3fwd then checks RFC 1812 in
# software, minus the header checksum, as it does with the offload).
# Exit 0 built, 1 build failed, 77 no sources.
set -u
l3dir=$1
here=$(cd "$(dirname "$0")" && pwd)
b=$l3dir/l3fwd/build
[ -d /usr/share/dpdk/examples/l3fwd ] || { echo "build_l3fwd: no l3fwd sources (apt-get install dpdk-doc)"; exit 77; }
if ! [ -e "$l3dir/fwdlab-patched" ] || ! [ -x "$b/l3fwd-shared" ]; then
	echo "build_l3fwd: building l3fwd in $l3dir (~1 min), its RX checksum offload request removed (virtual PMDs offer none)"
	rm -rf "$l3dir/l3fwd" "$l3dir/common" "$l3dir/fwdlab-patched" "$l3dir/fwdlab-static"
	mkdir -p "$l3dir" && cp -a /usr/share/dpdk/examples/l3fwd /usr/share/dpdk/examples/common "$l3dir"/ &&
		sed -i 's|\.offloads = RTE_ETH_RX_OFFLOAD_CHECKSUM,|.offloads = 0, /* fwdlab: no RX offload on virtual PMDs */|' \
			"$l3dir/l3fwd/main.c" &&
		grep -q "fwdlab: no RX offload" "$l3dir/l3fwd/main.c" &&
		make -C "$l3dir/l3fwd" shared >"$l3dir/make.log" 2>&1 && touch "$l3dir/fwdlab-patched" ||
		{ tail -5 "$l3dir/make.log" 2>/dev/null; echo "build_l3fwd: l3fwd build failed"; exit 1; }
fi
if ! [ -e "$l3dir/fwdlab-static" ]; then
	# the Makefile's own static flags (pkg-config --static) need every
	# driver's libraries; ours are fwd-dpdk's (static_ldflags.sh says why)
	if flags=$("$here/../static_ldflags.sh" 2>"$l3dir/static.log"); then
		make -C "$l3dir/l3fwd" static LDFLAGS_STATIC="$flags" >>"$l3dir/make.log" 2>&1 ||
			{ tail -5 "$l3dir/make.log"; echo "build_l3fwd: l3fwd-static build failed"; exit 1; }
	else
		echo "build_l3fwd: no l3fwd-static: $(cat "$l3dir/static.log")"
	fi
	touch "$l3dir/fwdlab-static"
fi
exit 0
