// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_stats - the verdict counters (paths/lib/fwd_stats.c): the reason
 * name table matches FWD_REASONS, stats.json round-trips (write, read back,
 * equal), every reason is present in its group, and bad files are refused
 * with a message.
 */
#include <errno.h>
#include <unistd.h>

#include <jansson.h>

#include "fwd_stats.h"
#include "test_util.h"

#define X_NAME(e, name, kind) name,
static const char *const names[] = { FWD_REASONS(X_NAME) };
#undef X_NAME
#define X_KIND(e, name, kind) kind,
static const int kinds[] = { FWD_REASONS(X_KIND) };
#undef X_KIND

static void test_names(void)
{
	int r, q;

	CHECK(sizeof(names) / sizeof(names[0]) == FWD_REASON_MAX, "name count");
	for (r = 0; r < FWD_REASON_MAX; r++) {
		CHECK(!strcmp(fwd_reason_name(r), names[r]), "fwd_reason_name(%d) = '%s', want '%s'", r,
		      fwd_reason_name(r), names[r]);
		CHECK(fwd_reason_from_name(names[r]) == r, "fwd_reason_from_name('%s')", names[r]);
		for (q = 0; q < r; q++)
			CHECK(strcmp(names[q], names[r]), "name '%s' used twice", names[r]);
	}
	CHECK(!strcmp(fwd_reason_name(-1), "?") && !strcmp(fwd_reason_name(FWD_REASON_MAX), "?"),
	      "out-of-range names");
	CHECK(fwd_reason_from_name("nope") == -1 && fwd_reason_from_name("") == -1, "unknown names");
	CHECK(!strcmp(names[FWD_FORWARD], "forward"), "reason 0 is forward");
}

/* Write @text to a new temporary file; returns its path (static buffer). */
static const char *tmp_file(const char *text)
{
	static char path[256];
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, sizeof(path), "%s/fwd-test-stats-XXXXXX", dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	if (text && write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		unlink(path);
		return NULL;
	}
	close(fd);
	return path;
}

static void test_round_trip(void)
{
	struct fwd_stats a, b;
	char err[256];
	const char *path;
	json_error_t je;
	json_t *o;
	int r, i;

	for (i = 0; i < 20; i++) {
		memset(&a, 0, sizeof(a));
		a.rx = test_rand64() >> (i % 2 ? 1 : 40);
		for (r = 0; r < FWD_REASON_MAX; r++)
			a.reason[r] = i == 0 ? 0 : test_rand64() >> test_range(1, 63); /* fits json_int_t */
		path = tmp_file(NULL);
		CHECK(path != NULL, "mkstemp: %s", strerror(errno));
		if (!path)
			return;
		CHECK(fwd_stats_write_json(&a, path) == 0, "write %s: %s", path, strerror(errno));
		memset(&b, 0xa5, sizeof(b));
		err[0] = 0;
		CHECK(fwd_stats_read_json(path, &b, err, sizeof(err)) == 0, "read back: %s", err);
		CHECK(memcmp(&a, &b, sizeof(a)) == 0, "round trip %d differs", i);

		/* the file itself: every reason in the right group, nothing else */
		o = json_load_file(path, 0, &je);
		CHECK(o != NULL, "jansson cannot read %s: %s", path, je.text);
		if (o) {
			json_t *drop = json_object_get(o, "drop"), *punt = json_object_get(o, "punt");

			CHECK(json_integer_value(json_object_get(o, "forward")) == (json_int_t)a.reason[0] &&
			      json_integer_value(json_object_get(o, "rx")) == (json_int_t)a.rx, "top-level counters");
			CHECK(json_object_size(o) == 4, "top level has %zu keys, want rx, forward, drop, punt",
			      json_object_size(o));
			for (r = 1; r < FWD_REASON_MAX; r++) {
				json_t *g = kinds[r] == 1 ? drop : punt;
				json_t *v = json_object_get(g, names[r]);

				CHECK(json_is_integer(v) && json_integer_value(v) == (json_int_t)a.reason[r],
				      "\"%s\" missing or wrong in \"%s\"", names[r], kinds[r] == 1 ? "drop" : "punt");
			}
			CHECK(json_object_size(drop) + json_object_size(punt) == FWD_REASON_MAX - 1,
			      "extra keys in drop/punt");
			json_decref(o);
		}
		unlink(path);
	}
	/* one-line rendering is the same object */
	{
		char *js = fwd_stats_json(&a, 0);

		CHECK(js && !strchr(js, '\n') && strstr(js, "\"forward\""), "compact JSON: %s", js ? js : "NULL");
		free(js);
	}
}

static void expect_refused(const char *text, const char *want)
{
	struct fwd_stats s;
	char err[256] = "";
	const char *path = tmp_file(text);

	CHECK(path != NULL, "mkstemp");
	if (!path)
		return;
	CHECK(fwd_stats_read_json(path, &s, err, sizeof(err)) == -1 && strstr(err, want),
	      "'%s': got '%s', want '%s'", text, err, want);
	unlink(path);
}

static void test_bad_files(void)
{
	struct fwd_stats s;
	char err[256] = "";

	expect_refused("{", "");
	expect_refused("[]", "missing integer \"forward\"");
	expect_refused("{\"forward\": 1}", "missing object \"drop\"");
	expect_refused("{\"forward\": 1, \"drop\": {}}", "missing object \"punt\"");
	expect_refused("{\"forward\": 1, \"drop\": {\"ttl\": 1}, \"punt\": {}}", "unexpected drop reason \"ttl\"");
	expect_refused("{\"forward\": 1, \"drop\": {}, \"punt\": {\"bogus\": 1}}", "unexpected punt reason \"bogus\"");
	expect_refused("{\"forward\": 1, \"drop\": {\"martian\": \"x\"}, \"punt\": {}}", "unexpected drop reason");
	CHECK(fwd_stats_read_json("/nonexistent/stats.json", &s, err, sizeof(err)) == -1 &&
	      strstr(err, "/nonexistent/stats.json"), "missing file: '%s'", err);
}

static void test_add_print(void)
{
	struct fwd_stats a = { 0 }, b = { 0 };
	char *buf = NULL;
	size_t size = 0;
	FILE *f;
	int r;

	for (r = 0; r < FWD_REASON_MAX; r++) {
		a.reason[r] = (uint64_t)r;
		b.reason[r] = 100;
	}
	a.rx = 1;
	b.rx = 2;
	fwd_stats_add(&a, &b);
	CHECK(a.rx == 3 && a.reason[FWD_PUNT_MTU] == 100 + FWD_PUNT_MTU, "fwd_stats_add");
	f = open_memstream(&buf, &size);
	if (f) {
		fwd_stats_print(f, &a);
		fclose(f);
		CHECK(strstr(buf, "rx 3 forward 100 ") && strstr(buf, " mtu=111") && buf[size - 1] == '\n',
		      "fwd_stats_print: '%s'", buf);
		free(buf);
	}
}

int main(void)
{
	test_seed("test-stats");
	test_names();
	test_round_trip();
	test_bad_files();
	test_add_print();
	return test_done("test-stats");
}
