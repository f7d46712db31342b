/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sink.h - fwd-sink's pieces: reading/resetting the sink's maps
 * (sink_read.c) and capturing passed frames to pcap (sink_capture.c).
 */
#ifndef SINK_H
#define SINK_H

#include <stdint.h>

#include <jansson.h>

#include "tr_bpf.h"
#include "tr_hist.h"

struct sink_bpf;

/** struct sink_snap - the sink's maps, summed over CPUs. */
struct sink_snap {
	struct tr_sink_cnt cnt;
	uint64_t next, seen, missing, reordered, duplicate, stale;
	uint64_t hist[TR_HIST_BUCKETS];
};

/** sink_read() - read every map into @s. 0 or -1 with @err. */
int sink_read(struct sink_bpf *skel, struct sink_snap *s, char *err, size_t errlen);

/** sink_reset() - zero every counter, the histogram and the sequence state
 * (min latency to ~0). 0 or -1 with @err. */
int sink_reset(struct sink_bpf *skel, char *err, size_t errlen);

/**
 * sink_json() - the fwd-sink summary object (README.md).
 * @seq_on, @lat_on: whether the program tracked them (else null fields;
 *          latency fields are also null when no frame had a latency).
 * @expect: frames the generator sent (0 = unknown): sequence numbers
 *          @s->next .. @expect-1 never seen are added to "lost".
 */
json_t *sink_json(const struct sink_snap *s, int seq_on, int lat_on, uint64_t expect);

/* Capture of the first frames XDP passes (sink_capture.c); opaque so that
 * libpcap's <pcap/bpf.h> never meets <linux/bpf.h>. */
struct sink_cap;

/** sink_cap_open() - open a live capture on @dev and the output file
 * (before the XDP program is attached). Returns the capture or NULL with
 * @err. */
struct sink_cap *sink_cap_open(const char *dev, const char *path, uint64_t want,
			       char *err, size_t errlen);

/** sink_cap_start() - start the capture thread. 0 or -1 with @err. */
int sink_cap_start(struct sink_cap *c, char *err, size_t errlen);

/** sink_cap_close() - stop the thread after draining what is buffered,
 * flush and close the file, free @c (NULL is fine). Returns frames written. */
uint64_t sink_cap_close(struct sink_cap *c);

#endif /* SINK_H */
