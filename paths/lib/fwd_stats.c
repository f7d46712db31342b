// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd_stats.c - verdict counters to and from JSON (jansson) and text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fwd_stats.h"

#define X_NAME(e, name, kind) name,
static const char *const reason_names[FWD_REASON_MAX] = { FWD_REASONS(X_NAME) };
#undef X_NAME

const char *fwd_reason_name(int reason)
{
	return reason >= 0 && reason < FWD_REASON_MAX ? reason_names[reason] : "?";
}

int fwd_reason_from_name(const char *name)
{
	int r;

	for (r = 0; r < FWD_REASON_MAX; r++)
		if (!strcmp(reason_names[r], name))
			return r;
	return -1;
}

void fwd_stats_add(struct fwd_stats *a, const struct fwd_stats *b)
{
	int r;

	a->rx += b->rx;
	for (r = 0; r < FWD_REASON_MAX; r++)
		a->reason[r] += b->reason[r];
}

char *fwd_stats_json(const struct fwd_stats *s, int indent)
{
	json_t *o = json_object(), *drop = json_object(), *punt = json_object();
	char *out = NULL;
	int r;

	if (!o || !drop || !punt)
		goto out;
	json_object_set_new(o, "rx", json_integer((json_int_t)s->rx));
	json_object_set_new(o, "forward",
			    json_integer((json_int_t)s->reason[FWD_FORWARD]));
	for (r = 1; r < FWD_REASON_MAX; r++)
		json_object_set_new(fwd_verdict(r) == FWD_V_DROP ? drop : punt,
				    reason_names[r],
				    json_integer((json_int_t)s->reason[r]));
	json_object_set(o, "drop", drop);
	json_object_set(o, "punt", punt);
	out = json_dumps(o, JSON_PRESERVE_ORDER |
				    (indent ? JSON_INDENT(indent) : JSON_COMPACT));
out:
	json_decref(drop);
	json_decref(punt);
	json_decref(o);
	return out;
}

int fwd_stats_write_json(const struct fwd_stats *s, const char *path)
{
	char *js = fwd_stats_json(s, 2);
	FILE *f;
	int rc = -1;

	if (!js) {
		errno = ENOMEM;
		return -1;
	}
	f = fopen(path, "w");
	if (f) {
		rc = fprintf(f, "%s\n", js) < 0 ? -1 : 0;
		if (fclose(f))
			rc = -1;
	}
	free(js);
	return rc;
}

static int read_group(json_t *o, const char *group, struct fwd_stats *s,
		      char *err, size_t errlen)
{
	json_t *g = json_object_get(o, group), *v;
	const char *k;
	int r;

	if (!json_is_object(g)) {
		snprintf(err, errlen, "missing object \"%s\"", group);
		return -1;
	}
	json_object_foreach(g, k, v) {
		r = fwd_reason_from_name(k);
		if (r <= 0 || !json_is_integer(v) ||
		    (fwd_verdict(r) == FWD_V_DROP) != !strcmp(group, "drop")) {
			snprintf(err, errlen, "unexpected %s reason \"%s\"", group, k);
			return -1;
		}
		s->reason[r] = (uint64_t)json_integer_value(v);
	}
	return 0;
}

int fwd_stats_read_json(const char *path, struct fwd_stats *s, char *err,
			size_t errlen)
{
	json_error_t je;
	json_t *o = json_load_file(path, 0, &je), *v;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if (!o) {
		snprintf(err, errlen, "%s:%d: %s", path, je.line, je.text);
		return -1;
	}
	v = json_object_get(o, "forward");
	if (!json_is_integer(v)) {
		snprintf(err, errlen, "%s: missing integer \"forward\"", path);
		goto out;
	}
	s->reason[FWD_FORWARD] = (uint64_t)json_integer_value(v);
	v = json_object_get(o, "rx");
	if (json_is_integer(v))
		s->rx = (uint64_t)json_integer_value(v);
	if (read_group(o, "drop", s, err, errlen) ||
	    read_group(o, "punt", s, err, errlen))
		goto out;
	rc = 0;
out:
	json_decref(o);
	return rc;
}

void fwd_stats_print(FILE *f, const struct fwd_stats *s)
{
	uint64_t drop = 0, punt = 0;
	int r;

	for (r = 1; r < FWD_REASON_MAX; r++)
		*(fwd_verdict(r) == FWD_V_DROP ? &drop : &punt) += s->reason[r];
	fprintf(f, "rx %llu forward %llu drop %llu punt %llu",
		(unsigned long long)s->rx,
		(unsigned long long)s->reason[FWD_FORWARD],
		(unsigned long long)drop, (unsigned long long)punt);
	for (r = 1; r < FWD_REASON_MAX; r++)
		if (s->reason[r])
			fprintf(f, " %s=%llu", reason_names[r],
				(unsigned long long)s->reason[r]);
	fputc('\n', f);
}
