/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tr_pcap.h - a profile in memory: the frames of a pcap file (libpcap), in
 * file order, each with the offset of its test payload.
 */
#ifndef TR_PCAP_H
#define TR_PCAP_H

#include <stddef.h>
#include <stdint.h>

#define TR_MAX_FRAMES (1u << 20)

struct tr_frames {
	uint32_t n;          /* number of frames */
	uint8_t **data;      /* data[i]: frame i (no FCS) */
	uint32_t *len;       /* bytes */
	int *pl_off;         /* test payload offset, -1 if the frame has none */
	uint32_t max_len;    /* longest frame */
};

/**
 * tr_frames_load() - read every frame of an Ethernet pcap.
 * Returns 0, or -1 with one line in @err (unreadable file, not Ethernet,
 * empty, truncated captures (caplen < len), more than TR_MAX_FRAMES).
 */
int tr_frames_load(const char *path, struct tr_frames *f, char *err, size_t errlen);

/** tr_frames_add() - append a copy of a frame; 0 or -1 (no memory/limit). */
int tr_frames_add(struct tr_frames *f, const uint8_t *data, uint32_t len);

/** tr_frames_free() - release everything; @f is empty afterwards. */
void tr_frames_free(struct tr_frames *f);

/**
 * tr_frames_save() - write the frames as an Ethernet pcap, one frame per
 * microsecond of timestamp starting at 0. Returns 0 or -1 with @err.
 */
int tr_frames_save(const struct tr_frames *f, const char *path, char *err,
		   size_t errlen);

#endif /* TR_PCAP_H */
