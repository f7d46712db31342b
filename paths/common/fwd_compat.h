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
