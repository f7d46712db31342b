#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# static_ldflags.sh - print the linker flags that link a DPDK application
# statically against the installed DPDK (pkg-config libdpdk), with the
# drivers fwd-dpdk documents: the virtual PMDs of the testbed and the
# common PCI NIC PMDs that need no library outside DPDK. Used by meson
# (fwd-dpdk, -Ddpdk_link) and by tests/build_l3fwd.sh (l3fwd-static), so
# that both are linked the same way.
#
# Why: in a shared build every mbuf alloc/free in a PMD reads the lcore id
# through __tls_get_addr() (the EAL's thread-local variable lives in
# another shared object) and every cross-library call goes through the PLT;
# static linking makes both plain instructions.
#
# Debian's `pkg-config --static --libs libdpdk` is not usable as is: it
# whole-archives every driver (rdma-core, IPsec-MB, ISA-L, systemd ...
# needed) and names the libraries as -lrte_*, which pick the .so files.
# Exit 0 and one line of flags; 1 with a reason on stderr (an archive or
# a system library missing).
set -u
drivers="bus_pci bus_vdev mempool_ring net_af_packet net_af_xdp net_null net_pcap
net_ring net_tap common_iavf net_bnxt net_e1000 net_ena net_i40e net_iavf net_ice
net_ixgbe net_virtio net_vmxnet3"
libdir=$(pkg-config --variable=libdir libdpdk 2>/dev/null) ||
	{ echo "static_ldflags: no libdpdk (pkg-config)" >&2; exit 1; }
sys=$(pkg-config --libs libpcap libxdp libbpf libelf zlib libbsd numa 2>/dev/null) ||
	{ echo "static_ldflags: a system library is missing (libpcap libxdp libbpf libelf zlib libbsd numa)" >&2; exit 1; }
# each list as one -Wl argument: build systems (meson) may reorder or
# deduplicate separate -l arguments, never the inside of a -Wl
out="-L$libdir -Wl,--whole-archive"
for d in $drivers; do
	[ -f "$libdir/librte_$d.a" ] ||
		{ echo "static_ldflags: no $libdir/librte_$d.a (static DPDK archives: libdpdk-dev)" >&2; exit 1; }
	out="$out,-l:librte_$d.a"
done
# every library archive in one group: the linker takes only what is used
out="$out,--no-whole-archive -Wl,--start-group"
for a in "$libdir"/librte_*.a; do
	b=${a##*/librte_}
	b=${b%.a}
	case $b in
	bus_* | net_* | common_* | mempool_* | crypto_* | compress_* | event_* | \
	baseband_* | raw_* | regex_* | vdpa_* | dma_* | gpu_* | ml_*) continue ;;
	esac
	out="$out,-l:librte_$b.a"
done
echo "$out,--end-group" $sys -lm -ldl -lpthread -latomic
