// SPDX-License-Identifier: BSD-2-Clause
/*
 * sink_read.c - read and reset the sink's maps (sink.bpf.c): per-CPU
 * counters and histogram summed over the possible CPUs; the global
 * sequence state copied under its spin lock (BPF_F_LOCK).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "sink.h"
#include "sink.skel.h"
#include "tr_histstat.h"

static int read_cnt(int fd, int ncpu, struct tr_sink_cnt *sum)
{
	struct tr_sink_cnt *v = calloc((size_t)ncpu, sizeof(*v));
	uint32_t key = 0;
	int c;

	if (!v)
		return -1;
	if (bpf_map_lookup_elem(fd, &key, v) < 0) {
		free(v);
		return -1;
	}
	memset(sum, 0, sizeof(*sum));
	sum->lat_min = UINT64_MAX;
	for (c = 0; c < ncpu; c++) {
		sum->rx += v[c].rx;
		sum->bytes += v[c].bytes;
		sum->bad_magic += v[c].bad_magic;
		sum->lat_n += v[c].lat_n;
		sum->lat_sum += v[c].lat_sum;
		sum->lat_neg += v[c].lat_neg;
		sum->passed += v[c].passed;
		if (v[c].lat_n && v[c].lat_min < sum->lat_min)
			sum->lat_min = v[c].lat_min;
		if (v[c].lat_max > sum->lat_max)
			sum->lat_max = v[c].lat_max;
	}
	free(v);
	return 0;
}

static int read_hist(int fd, int ncpu, uint64_t *hist)
{
	uint64_t *v = calloc((size_t)ncpu, sizeof(*v));
	uint32_t i;
	int c;

	if (!v)
		return -1;
	for (i = 0; i < TR_HIST_BUCKETS; i++) {
		if (bpf_map_lookup_elem(fd, &i, v) < 0) {
			free(v);
			return -1;
		}
		hist[i] = 0;
		for (c = 0; c < ncpu; c++)
			hist[i] += v[c];
	}
	free(v);
	return 0;
}

int sink_read(struct sink_bpf *skel, struct sink_snap *s, char *err, size_t errlen)
{
	int ncpu = libbpf_num_possible_cpus();
	struct tr_seq_state *st;
	uint32_t key = 0;

	memset(s, 0, sizeof(*s));
	if (ncpu <= 0 ||
	    read_cnt(bpf_map__fd(skel->maps.cnt), ncpu, &s->cnt) < 0 ||
	    read_hist(bpf_map__fd(skel->maps.hist), ncpu, s->hist) < 0) {
		snprintf(err, errlen, "reading the sink's counters: %s", strerror(errno));
		return -1;
	}
	st = malloc(sizeof(*st));
	if (!st || bpf_map_lookup_elem_flags(bpf_map__fd(skel->maps.seqst), &key, st,
					     BPF_F_LOCK) < 0) {
		snprintf(err, errlen, "reading the sequence state: %s", strerror(errno));
		free(st);
		return -1;
	}
	s->next = st->next;
	s->seen = st->seen;
	s->missing = st->missing;
	s->reordered = st->reordered;
	s->duplicate = st->duplicate;
	s->stale = st->stale;
	free(st);
	return 0;
}

int sink_reset(struct sink_bpf *skel, char *err, size_t errlen)
{
	int ncpu = libbpf_num_possible_cpus();
	struct tr_sink_cnt *cnt = NULL;
	struct tr_seq_state *st = NULL;
	uint64_t *zero = NULL;
	uint32_t i, key = 0;
	int c, rc = -1;

	if (ncpu <= 0)
		goto out;
	cnt = calloc((size_t)ncpu, sizeof(*cnt));
	zero = calloc((size_t)ncpu, sizeof(*zero));
	st = calloc(1, sizeof(*st));
	if (!cnt || !zero || !st)
		goto out;
	for (c = 0; c < ncpu; c++)
		cnt[c].lat_min = UINT64_MAX;
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.cnt), &key, cnt, BPF_ANY) < 0)
		goto out;
	for (i = 0; i < TR_HIST_BUCKETS; i++)
		if (bpf_map_update_elem(bpf_map__fd(skel->maps.hist), &i, zero, BPF_ANY) < 0)
			goto out;
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.seqst), &key, st, BPF_F_LOCK) < 0)
		goto out;
	rc = 0;
out:
	if (rc)
		snprintf(err, errlen, "resetting the sink's maps: %s", strerror(errno));
	free(cnt);
	free(zero);
	free(st);
	return rc;
}

static json_t *u64_or_null(int on, uint64_t v)
{
	return on ? json_integer((json_int_t)v) : json_null();
}

json_t *sink_json(const struct sink_snap *s, int seq_on, int lat_on, uint64_t expect)
{
	json_t *j = json_object(), *lat = json_object();
	uint64_t lost = s->missing;
	struct tr_lat l;
	int have_lat;

	if (expect > s->next)
		lost += expect - s->next;
	tr_hist_summary(s->hist, s->cnt.lat_n, s->cnt.lat_sum, s->cnt.lat_min,
			s->cnt.lat_max, &l);
	have_lat = lat_on && l.n > 0;  /* no value measured: null, not 0 */
	json_object_set_new(j, "rx", json_integer((json_int_t)s->cnt.rx));
	json_object_set_new(j, "bytes", json_integer((json_int_t)s->cnt.bytes));
	json_object_set_new(j, "lost", u64_or_null(seq_on, lost));
	json_object_set_new(j, "reordered", u64_or_null(seq_on, s->reordered));
	json_object_set_new(j, "duplicate", u64_or_null(seq_on, s->duplicate));
	json_object_set_new(j, "bad_magic", json_integer((json_int_t)s->cnt.bad_magic));
	json_object_set_new(j, "stale", u64_or_null(seq_on, s->stale));
	json_object_set_new(j, "seq_next", u64_or_null(seq_on, s->next));
	json_object_set_new(j, "lat_n", json_integer((json_int_t)l.n));
	json_object_set_new(j, "lat_negative", json_integer((json_int_t)s->cnt.lat_neg));
	json_object_set_new(j, "passed", json_integer((json_int_t)s->cnt.passed));
	json_object_set_new(lat, "min", u64_or_null(have_lat, l.min));
	json_object_set_new(lat, "mean", have_lat ? json_real(l.mean) : json_null());
	json_object_set_new(lat, "p50", u64_or_null(have_lat, l.p50));
	json_object_set_new(lat, "p90", u64_or_null(have_lat, l.p90));
	json_object_set_new(lat, "p99", u64_or_null(have_lat, l.p99));
	json_object_set_new(lat, "p999", u64_or_null(have_lat, l.p999));
	json_object_set_new(lat, "max", u64_or_null(have_lat, l.max));
	json_object_set_new(j, "lat_ns", lat);
	return j;
}
