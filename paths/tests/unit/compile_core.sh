#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# compile_core.sh - prove that the shared core (paths/common/fwd_core.h)
# compiles unchanged for every environment, and that the BPF verifier
# accepts it.
#
#   compile_core.sh bpf      COMMON_DIR PROBE_DIR          clang -target bpf
#   compile_core.sh user     COMMON_DIR PROBE_DIR CC...    userspace, -pedantic
#   compile_core.sh kbuild   COMMON_DIR PROBE_DIR [KDIR]   kernel module (kbuild)
#   compile_core.sh verifier COMMON_DIR PROBE_DIR          bpftool prog load + run (root)
#
# Exit 0 pass, 1 fail, 77 skip (the reason is printed).
set -u
mode=${1:?mode}
common=${2:?common dir}
probe=${3:?probe dir}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fwd-compile-core.XXXXXX") || exit 1
pin=""
cleanup() {
	[ -n "$pin" ] && rm -rf "$pin" "${pin}_maps"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

skip() { echo "SKIP: $*"; exit 77; }
run() { echo "+ $*"; "$@"; }

multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)

bpf_compile() { # $1 = output object
	command -v clang >/dev/null || skip "clang not installed"
	run clang -target bpf -O2 -g -Wall -Wextra -Werror \
		-I"/usr/include/$multiarch" -I"$common" \
		-c "$probe/core_probe.bpf.c" -o "$1"
}

# The kernel runs the core (BPF_PROG_RUN) on the literal frame of
# test_core.c's test_rewrite_literal(): the output must be the same bytes.
# Next hop 1 (daddr & 3 = 1): FORWARD, port 1, MTU 1500, dmac :0b, smac :02.
bpf_run_literal() {
	local in=$tmp/in.bin out=$tmp/out.bin want=$tmp/want.bin rc
	printf '\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\xaa\x08\x00' >"$in"
	printf '\x45\x00\x00\x32\x1c\x46\x40\x00\x40\x11\x92\x4c' >>"$in"
	printf '\xc6\x12\x00\x02\xc6\x13\x00\x01\x04\xd2\x00\x09\x00\x1e\x00\x00' >>"$in"
	printf '\x02\x00\x00\x00\x00\x0b\x02\x00\x00\x00\x00\x02\x08\x00' >"$want"
	printf '\x45\x00\x00\x32\x1c\x46\x40\x00\x3f\x11\x93\x4c' >>"$want"
	printf '\xc6\x12\x00\x02\xc6\x13\x00\x01\x04\xd2\x00\x09\x00\x1e\x00\x00' >>"$want"
	for f in "$in" "$want"; do
		printf '\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15' >>"$f"
	done
	run bpftool map update pinned "${pin}_maps/probe_nh" key 1 0 0 0 \
		value 0 1 0xdc 0x05 2 0 0 0 0 0x0b 2 0 0 0 0 2 || return 1
	run bpftool prog run pinned "$pin" data_in "$in" data_out "$out" >"$tmp/run.log" 2>&1
	rc=$?
	cat "$tmp/run.log"
	[ $rc -eq 0 ] || { echo "FAIL: BPF_PROG_RUN failed"; return 1; }
	grep -q 'Return value: 3' "$tmp/run.log" || { echo "FAIL: want XDP_TX (3)"; return 1; }
	if ! cmp "$out" "$want"; then
		echo "FAIL: the kernel-run core rewrote the frame differently:"
		od -A d -t x1 "$out"
		return 1
	fi
	echo "BPF_PROG_RUN: literal frame rewritten as in userspace (TTL 63, checksum 0x934c, MACs)"
	# the same frame with TTL 1 (checksum 0xd14c): PUNT ttl = XDP_PASS, unmodified
	{ head -c 22 "$in"; printf '\x01\x11\xd1\x4c'; tail -c +27 "$in"; } >"$tmp/ttl1.bin"
	run bpftool prog run pinned "$pin" data_in "$tmp/ttl1.bin" data_out "$out" >"$tmp/run.log" 2>&1
	rc=$?
	cat "$tmp/run.log"
	[ $rc -eq 0 ] && grep -q 'Return value: 2' "$tmp/run.log" && cmp "$out" "$tmp/ttl1.bin" ||
		{ echo "FAIL: TTL 1 must be XDP_PASS with the frame unmodified"; return 1; }
	echo "BPF_PROG_RUN: TTL 1 punted (XDP_PASS), frame unmodified"
}

case $mode in
bpf)
	bpf_compile "$tmp/core_probe.bpf.o" || exit 1
	;;
user)
	cc=("${@:4}") # the compiler command, possibly several words (ccache cc)
	[ ${#cc[@]} -gt 0 ] || { echo "usage: $0 user COMMON_DIR PROBE_DIR CC..." >&2; exit 2; }
	command -v "${cc[-1]}" >/dev/null || skip "${cc[-1]} not installed"
	for std in gnu11 c11; do
		run "${cc[@]}" -std=$std -pedantic -Wall -Wextra -Werror -O2 -I"$common" \
			-c "$probe/core_probe_user.c" -o "$tmp/core_probe_user.o" || exit 1
	done
	# no libc: the object must not reference any external symbol
	undef=$(nm -u "$tmp/core_probe_user.o" | grep -v ' __stack_chk_fail$' || true)
	if [ -n "$undef" ]; then
		echo "FAIL: the core references external symbols: $undef"
		exit 1
	fi
	;;
kbuild)
	kdir=${4:-}
	if [ -n "$kdir" ] && [ ! -f "$kdir/Makefile" ]; then
		echo "FAIL: -Dkdir=$kdir is not a kernel build directory (no Makefile)"
		exit 1
	fi
	if [ -z "$kdir" ]; then
		[ -d "/lib/modules/$(uname -r)/build" ] && kdir=/lib/modules/$(uname -r)/build
	fi
	if [ -z "$kdir" ]; then
		kdir=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
	fi
	[ -n "$kdir" ] && [ -f "$kdir/Makefile" ] ||
		skip "no kernel headers (install linux-headers-amd64 or set -Dkdir=)"
	command -v make >/dev/null || skip "make not installed"
	cp "$probe/core_probe_kmod.c" "$tmp/fwd_core_probe.c"
	printf 'obj-m := fwd_core_probe.o\nccflags-y := -I%s -Werror\n' "$common" > "$tmp/Kbuild"
	run make -C "$kdir" M="$tmp" modules || exit 1
	[ -f "$tmp/fwd_core_probe.ko" ] || { echo "FAIL: no fwd_core_probe.ko"; exit 1; }
	echo "built fwd_core_probe.ko against $kdir"
	;;
verifier)
	command -v bpftool >/dev/null || skip "bpftool not installed"
	[ "$(id -u)" -eq 0 ] || skip "loading BPF needs root"
	if ! mountpoint -q /sys/fs/bpf; then
		mount -t bpf bpf /sys/fs/bpf 2>/dev/null || skip "bpffs not mounted and cannot be mounted"
	fi
	bpf_compile "$tmp/core_probe.bpf.o" || exit 1
	pin=/sys/fs/bpf/fwdlab_unit_core_probe_$$
	if ! run bpftool prog load "$tmp/core_probe.bpf.o" "$pin" type xdp \
		pinmaps "${pin}_maps" >"$tmp/load.log" 2>&1; then
		tail -n 40 "$tmp/load.log"
		if grep -qE 'Operation not permitted|EPERM' "$tmp/load.log"; then
			skip "BPF program load not permitted here"
		fi
		echo "FAIL: the verifier rejected the core"
		exit 1
	fi
	run bpftool prog show pinned "$pin" || exit 1
	echo "verifier accepted fwd_core.h (XDP probe)"
	bpf_run_literal || exit 1
	;;
*)
	echo "usage: $0 bpf|user|kbuild|verifier COMMON_DIR PROBE_DIR [CC|KDIR]" >&2
	exit 2
	;;
esac
exit 0
