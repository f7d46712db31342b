/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sock_punt.h - --punt-pcap: record punted frames (unmodified, as received)
 * so that the golden test can compare them with fwd-ref's punt.pcap. The
 * kernel handles the original frame either way; this is an observation aid,
 * serialised by a mutex (slow; not for benchmarks).
 */
#ifndef SOCK_PUNT_H
#define SOCK_PUNT_H

#include <stddef.h>
#include <stdint.h>

struct sock_punt;

/** sock_punt_open() - create @path (pcap, Ethernet). NULL + message on error. */
struct sock_punt *sock_punt_open(const char *path, char *err, size_t errlen);

/**
 * sock_punt_write() - append one frame of @len bytes; @sec/@nsec: receive
 * time (CLOCK_REALTIME) or 0/0 for "now".
 */
void sock_punt_write(struct sock_punt *p, const uint8_t *frame, uint32_t len,
		     uint32_t sec, uint32_t nsec);

/** sock_punt_close() - flush and close. Returns 0 or -1 (write error). */
int sock_punt_close(struct sock_punt *p);

#endif /* SOCK_PUNT_H */
