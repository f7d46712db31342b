/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fwd_stats.h - the verdict counter set every datapath reports, and its two
 * renderings: stats.json / --json (jansson) and a one-line text summary.
 */
#ifndef FWD_STATS_H
#define FWD_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "fwd_core.h"

/** Counters indexed by enum fwd_reason, plus frames received. */
struct fwd_stats {
	uint64_t rx;                      /* frames seen by the core */
	uint64_t reason[FWD_REASON_MAX];  /* reason[FWD_FORWARD] = forwarded */
};

/** fwd_reason_name() - "forward", "malformed", ... or "?" if out of range. */
const char *fwd_reason_name(int reason);

/** fwd_reason_from_name() - inverse of fwd_reason_name(); -1 if unknown. */
int fwd_reason_from_name(const char *name);

/** fwd_stats_add() - a += b, counter by counter. */
void fwd_stats_add(struct fwd_stats *a, const struct fwd_stats *b);

/**
 * fwd_stats_json() - render as one JSON object:
 * {"rx":n,"forward":n,"drop":{"malformed":n,...},"punt":{"not-ipv4":n,...}}
 * with every reason present. Returns a malloc'd string (caller frees) or
 * NULL on allocation failure. @indent: 0 for one line, else spaces.
 */
char *fwd_stats_json(const struct fwd_stats *s, int indent);

/**
 * fwd_stats_write_json() - write fwd_stats_json() plus a newline to @path.
 * Returns 0 or -1 (errno set).
 */
int fwd_stats_write_json(const struct fwd_stats *s, const char *path);

/**
 * fwd_stats_read_json() - parse a stats.json written by any path.
 * Returns 0, or -1 with a message in @err.
 */
int fwd_stats_read_json(const char *path, struct fwd_stats *s, char *err,
			size_t errlen);

/** fwd_stats_print() - "rx N forward N drop N (reason N ...) punt N (...)". */
void fwd_stats_print(FILE *f, const struct fwd_stats *s);

#endif /* FWD_STATS_H */
