/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tr_check.h - what the traffic/ unit tests share: CHECK() counts and
 * reports a failed condition with its file and line and goes on;
 * tr_check_done() ends the test: "ok" and 0, or the count and 1.
 */
#ifndef TR_CHECK_H
#define TR_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond, ...)                                                  \
	do {                                                              \
		if (!(cond)) {                                            \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                     \
			fprintf(stderr, "\n");                            \
			failures++;                                       \
		}                                                         \
	} while (0)

/* The test's exit status: 0 when no CHECK() failed, else 1. */
static inline int tr_check_done(void)
{
	if (failures) {
		fprintf(stderr, "%d failures\n", failures);
		return 1;
	}
	printf("ok\n");
	return 0;
}

#endif /* TR_CHECK_H */
