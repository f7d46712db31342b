/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * fwd_compat.h - the only place where the shared core looks at what it is
 * compiled for: a BPF object (clang -target bpf), a kernel module (kbuild,
 * __KERNEL__) or userspace (fwd-ref, fwd-socket, fwd-dpdk).
 *
 * Everything the core needs is: fixed-width kernel types (__u8, __be16, ...),
 * an always-inline marker and byte-order helpers built on compiler builtins,
 * so no libc header is ever included.
 */
#ifndef FWD_COMPAT_H
#define FWD_COMPAT_H

#if defined(__KERNEL__)
#include <linux/types.h>
#elif defined(__bpf__)
#include <linux/types.h>
#else /* userspace */
#include <linux/types.h>
#endif

/* The BPF verifier and the hot loops want every core function inlined. */
#define FWD_INLINE static inline __attribute__((always_inline))

/* Ask for a fully unrolled loop (the BPF verifier prefers straight code). */
#if defined(__clang__)
#define FWD_UNROLL _Pragma("unroll")
#elif defined(__GNUC__)
#define FWD_UNROLL _Pragma("GCC unroll 32")
#else
#define FWD_UNROLL
#endif

/* Packet header access: the buffer is a byte array, headers are read through
 * these types, so tell the compiler they alias anything. */
#define FWD_MAY_ALIAS __attribute__((may_alias))

/* ... and that they may sit on any 2-byte boundary: the IPv4 header follows
 * the 14-byte Ethernet header, so with the frame 4-byte aligned (pcap, DPDK
 * mbufs, XDP) it is not, and its natural alignment of 4 would make every
 * access undefined behaviour (UBSan: misaligned address). Same layout. */
#define FWD_HDR_ALIGN __attribute__((packed, aligned(2)))

/*
 * 16- and 32-bit words at any byte address, as stored (no byte swap): MAC
 * addresses, the IPv4 addresses and the header checksum words. Userspace and
 * the kernel module go through __builtin_memcpy, which gcc and clang turn
 * into one load or store where the CPU allows unaligned access (x86-64,
 * arm64). In a BPF object a plain access is one instruction: the x86-64 and
 * arm64 JITs handle unaligned addresses and the verifier checks packet
 * alignment only on architectures without efficient unaligned access (or
 * with BPF_F_STRICT_ALIGNMENT), where __builtin_memcpy would be split into
 * byte accesses anyway.
 */
typedef __u16 FWD_MAY_ALIAS fwd_w16;
typedef __u32 FWD_MAY_ALIAS fwd_w32;
#if defined(__bpf__)
#define fwd_ld16(p) (*(const fwd_w16 *)(const void *)(p))
#define fwd_ld32(p) (*(const fwd_w32 *)(const void *)(p))
#define fwd_st16(p, v) (*(fwd_w16 *)(void *)(p) = (__u16)(v))
#define fwd_st32(p, v) (*(fwd_w32 *)(void *)(p) = (__u32)(v))
#else
static inline __attribute__((always_inline)) __u16 fwd_ld16(const void *p)
{
	__u16 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline __attribute__((always_inline)) __u32 fwd_ld32(const void *p)
{
	__u32 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

#define fwd_st16(p, v) do { __u16 v_ = (__u16)(v); __builtin_memcpy((p), &v_, 2); } while (0)
#define fwd_st32(p, v) do { __u32 v_ = (__u32)(v); __builtin_memcpy((p), &v_, 4); } while (0)
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define fwd_htons(x) ((__be16)__builtin_bswap16((__u16)(x)))
#define fwd_ntohs(x) ((__u16)__builtin_bswap16((__u16)(x)))
#define fwd_htonl(x) ((__be32)__builtin_bswap32((__u32)(x)))
#define fwd_ntohl(x) ((__u32)__builtin_bswap32((__u32)(x)))
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define fwd_htons(x) ((__be16)(x))
#define fwd_ntohs(x) ((__u16)(x))
#define fwd_htonl(x) ((__be32)(x))
#define fwd_ntohl(x) ((__u32)(x))
#else
#error "fwd_compat.h: unknown byte order"
#endif

#endif /* FWD_COMPAT_H */
