// SPDX-License-Identifier: BSD-2-Clause
/*
 * golden-cmp - compare a datapath's golden output with the expected one
 * (paths/tests/golden/README.md).
 *
 *   golden-cmp EXPECTED_DIR ACTUAL_DIR [--no-punt-frames] [--no-stats]
 *
 * For every port<N>.pcap of EXPECTED_DIR and punt.pcap (unless
 * --no-punt-frames), the file of the same name in ACTUAL_DIR must hold the
 * same frames, byte for byte, in the same order (timestamps ignored); a
 * port<N>.pcap that only ACTUAL_DIR has must be empty. stats.json must match
 * counter by counter (rx, forward, every drop and punt reason of
 * FWD_REASONS), every counter present. Frame numbers are 1-based (as tcpdump -# and Wireshark
 * count), byte offsets 0-based from the first byte of the Ethernet header.
 * --no-stats skips stats.json (neither file needs to exist): only for a
 * datapath without counters in fwd_stats form (the linux baseline).
 *
 * Exit: 0 and "ok" on stdout when equal; 1 and one line on stdout naming the
 * first difference; 2 and one line on stderr for a missing or unreadable
 * file or bad usage.
 */
#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <pcap/pcap.h>

#include "fwd_core.h"
#include "fwd_stats.h"

enum { CMP_EQUAL = 0, CMP_DIFF = 1, CMP_ERROR = 2 };

#define MAX_PORT_FILES 64 /* port0..port63: more than FWD_MAX_PORTS */

/* One port<N>.pcap name -> N, or -1 if @name is not exactly that shape. */
static int port_file_index(const char *name)
{
	char tail[8];
	unsigned int n;

	if (sscanf(name, "port%u%7s", &n, tail) != 2 || strcmp(tail, ".pcap") ||
	    n >= MAX_PORT_FILES)
		return -1;
	/* reject "port01.pcap", "port+1.pcap": the name must round-trip */
	snprintf(tail, sizeof(tail), "%u", n);
	if (strncmp(name + 4, tail, strlen(tail)))
		return -1;
	return (int)n;
}

/*
 * Mark in @have[] every port<N>.pcap present in @dir. Returns 0, or -1 with
 * a message if the directory cannot be read.
 */
static int scan_port_files(const char *dir, int have[MAX_PORT_FILES])
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n;

	if (!d) {
		fprintf(stderr, "golden-cmp: %s: cannot open directory: %m\n", dir);
		return -1;
	}
	while ((de = readdir(d))) {
		n = port_file_index(de->d_name);
		if (n >= 0)
			have[n] = 1;
	}
	closedir(d);
	return 0;
}

static int file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static pcap_t *open_pcap(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, errbuf);

	if (!p)
		fprintf(stderr, "golden-cmp: %s: %s\n", path, errbuf);
	return p;
}

/*
 * Read the next frame. Returns 1 (frame), 0 (end of file) or -1 (read
 * error, message printed).
 */
static int next_frame(pcap_t *p, const char *path, struct pcap_pkthdr **h,
		      const u_char **data)
{
	int n = pcap_next_ex(p, h, data);

	if (n == 1)
		return 1;
	if (n == PCAP_ERROR_BREAK)
		return 0;
	fprintf(stderr, "golden-cmp: %s: %s\n", path, pcap_geterr(p));
	return -1;
}

/* Frames left in @p after the current one (for "expected N frames"). */
static long count_rest(pcap_t *p, const char *path)
{
	struct pcap_pkthdr *h;
	const u_char *d;
	long n = 0;
	int r;

	while ((r = next_frame(p, path, &h, &d)) == 1)
		n++;
	return r < 0 ? -1 : n;
}

/* Compare frame @idx (1-based) of two files; print the difference. */
static int cmp_frame(const char *name, long idx, const struct pcap_pkthdr *eh,
		     const u_char *ed, const struct pcap_pkthdr *ah,
		     const u_char *ad)
{
	bpf_u_int32 i, n;

	if (ah->caplen != ah->len) {
		printf("%s: frame %ld: actual capture holds %u of the frame's %u bytes\n",
		       name, idx, ah->caplen, ah->len);
		return CMP_DIFF;
	}
	if (eh->caplen != eh->len) {
		printf("%s: frame %ld: expected capture holds %u of the frame's %u bytes\n",
		       name, idx, eh->caplen, eh->len);
		return CMP_DIFF;
	}
	n = eh->caplen < ah->caplen ? eh->caplen : ah->caplen;
	for (i = 0; i < n; i++) {
		if (ed[i] != ad[i]) {
			printf("%s: frame %ld: byte %u: expected 0x%02x, actual 0x%02x\n",
			       name, idx, i, ed[i], ad[i]);
			return CMP_DIFF;
		}
	}
	if (eh->caplen != ah->caplen) {
		printf("%s: frame %ld: length: expected %u bytes, actual %u bytes (first %u bytes equal)\n",
		       name, idx, eh->caplen, ah->caplen, n);
		return CMP_DIFF;
	}
	return CMP_EQUAL;
}

/*
 * Compare two pcap files frame by frame. @name is the file name printed.
 * Returns CMP_EQUAL, CMP_DIFF or CMP_ERROR.
 */
static int cmp_pcap(const char *name, const char *epath, const char *apath)
{
	struct pcap_pkthdr *eh, *ah;
	const u_char *ed, *ad;
	pcap_t *e = open_pcap(epath), *a = e ? open_pcap(apath) : NULL;
	int rc = CMP_ERROR, re, ra;
	long idx = 0, rest;

	if (!e || !a)
		goto out;
	if (pcap_datalink(e) != pcap_datalink(a)) {
		printf("%s: link type: expected %s, actual %s\n", name,
		       pcap_datalink_val_to_name(pcap_datalink(e)) ?: "?",
		       pcap_datalink_val_to_name(pcap_datalink(a)) ?: "?");
		rc = CMP_DIFF;
		goto out;
	}
	for (;;) {
		re = next_frame(e, epath, &eh, &ed);
		ra = next_frame(a, apath, &ah, &ad);
		if (re < 0 || ra < 0)
			goto out;
		idx++;
		if (!re && !ra)
			break;
		if (re && !ra) {
			rest = count_rest(e, epath);
			if (rest < 0)
				goto out;
			printf("%s: frame %ld: missing (expected %ld frames, actual has %ld)\n",
			       name, idx, idx + rest, idx - 1);
			rc = CMP_DIFF;
			goto out;
		}
		if (!re && ra) {
			rest = count_rest(a, apath);
			if (rest < 0)
				goto out;
			printf("%s: frame %ld: unexpected extra frame (expected %ld frames, actual has %ld)\n",
			       name, idx, idx - 1, idx + rest);
			rc = CMP_DIFF;
			goto out;
		}
		rc = cmp_frame(name, idx, eh, ed, ah, ad);
		if (rc != CMP_EQUAL)
			goto out;
	}
	rc = CMP_EQUAL;
out:
	if (a)
		pcap_close(a);
	if (e)
		pcap_close(e);
	return rc;
}

/* A port<N>.pcap only the actual output has: equal iff it holds no frame. */
static int check_extra_port_file(const char *name, const char *apath)
{
	pcap_t *a = open_pcap(apath);
	struct pcap_pkthdr *h;
	const u_char *d;
	long n;
	int r;

	if (!a)
		return CMP_ERROR;
	r = next_frame(a, apath, &h, &d);
	n = r == 1 ? 1 + count_rest(a, apath) : 0;
	pcap_close(a);
	if (r < 0 || n < 0)
		return CMP_ERROR;
	if (n) {
		printf("%s: %ld unexpected frames (the expected output has no %s)\n",
		       name, n, name);
		return CMP_DIFF;
	}
	return CMP_EQUAL;
}

static int cmp_counter(const char *name, uint64_t e, uint64_t a)
{
	if (e == a)
		return CMP_EQUAL;
	printf("stats.json: counter %s: expected %llu, actual %llu\n", name,
	       (unsigned long long)e, (unsigned long long)a);
	return CMP_DIFF;
}

/*
 * fwd_stats_read_json() reads an absent counter as 0; every path writes all
 * of them (fwd_stats_json()), so an absent one is a difference. Returns the
 * first absent counter's name in @name, or 0 if all are present.
 */
static int absent_counter(const char *path, char *name, size_t len)
{
	json_t *o = json_load_file(path, 0, NULL), *g;
	int r, absent = 0;

	if (!o)
		return 0; /* fwd_stats_read_json() reports it */
	if (!json_object_get(o, "rx")) {
		snprintf(name, len, "rx");
		absent = 1;
	}
	for (r = 1; r < FWD_REASON_MAX && !absent; r++) {
		const char *grp = fwd_verdict(r) == FWD_V_DROP ? "drop" : "punt";

		g = json_object_get(o, grp);
		if (!json_object_get(g, fwd_reason_name(r))) {
			snprintf(name, len, "%s.%s", grp, fwd_reason_name(r));
			absent = 1;
		}
	}
	json_decref(o);
	return absent;
}

/* Compare two stats.json files counter by counter, in FWD_REASONS order. */
static int cmp_stats(const char *epath, const char *apath)
{
	struct fwd_stats e, a;
	char err[512], name[64];
	int r;

	if (fwd_stats_read_json(epath, &e, err, sizeof(err)) ||
	    fwd_stats_read_json(apath, &a, err, sizeof(err))) {
		fprintf(stderr, "golden-cmp: %s\n", err);
		return CMP_ERROR;
	}
	if (absent_counter(apath, name, sizeof(name))) {
		printf("stats.json: counter %s: absent from the actual output\n", name);
		return CMP_DIFF;
	}
	if (cmp_counter("rx", e.rx, a.rx))
		return CMP_DIFF;
	for (r = 0; r < FWD_REASON_MAX; r++) {
		snprintf(name, sizeof(name), "%s%s",
			 fwd_verdict(r) == FWD_V_DROP ? "drop." :
			 fwd_verdict(r) == FWD_V_PUNT ? "punt." : "",
			 fwd_reason_name(r));
		if (cmp_counter(name, e.reason[r], a.reason[r]))
			return CMP_DIFF;
	}
	return CMP_EQUAL;
}

/* The files to compare, in the order they are compared. */
struct plan {
	char names[MAX_PORT_FILES + 2][32];
	int n;
	int extra[MAX_PORT_FILES]; /* port files only ACTUAL_DIR has */
};

static int make_plan(const char *edir, const char *adir, int punt,
		     int stats, struct plan *pl)
{
	int ehave[MAX_PORT_FILES] = { 0 }, ahave[MAX_PORT_FILES] = { 0 };
	char path[PATH_MAX];
	int k, i;

	if (scan_port_files(edir, ehave) || scan_port_files(adir, ahave))
		return -1;
	for (k = 0; k < MAX_PORT_FILES; k++) {
		if (ehave[k])
			snprintf(pl->names[pl->n++], sizeof(pl->names[0]), "port%d.pcap", k);
		pl->extra[k] = ahave[k] && !ehave[k];
	}
	if (punt)
		snprintf(pl->names[pl->n++], sizeof(pl->names[0]), "punt.pcap");
	if (stats)
		snprintf(pl->names[pl->n++], sizeof(pl->names[0]), "stats.json");
	/* Every file must exist on both sides before anything is compared. */
	for (i = 0; i < pl->n; i++) {
		const char *dirs[2] = { edir, adir };
		int s;

		for (s = 0; s < 2; s++) {
			snprintf(path, sizeof(path), "%s/%s", dirs[s], pl->names[i]);
			if (!file_exists(path)) {
				fprintf(stderr, "golden-cmp: %s: missing (%s output)\n",
					path, s ? "actual" : "expected");
				return -1;
			}
		}
	}
	return 0;
}

static int compare_dirs(const char *edir, const char *adir, int punt,
			int stats)
{
	char epath[PATH_MAX], apath[PATH_MAX], name[32];
	struct plan pl = { .n = 0 };
	int i, k, rc;

	if (make_plan(edir, adir, punt, stats, &pl))
		return CMP_ERROR;
	for (i = 0; i < pl.n; i++) {
		snprintf(epath, sizeof(epath), "%s/%s", edir, pl.names[i]);
		snprintf(apath, sizeof(apath), "%s/%s", adir, pl.names[i]);
		rc = strcmp(pl.names[i], "stats.json") ?
			     cmp_pcap(pl.names[i], epath, apath) :
			     cmp_stats(epath, apath);
		if (rc != CMP_EQUAL)
			return rc;
	}
	for (k = 0; k < MAX_PORT_FILES; k++) {
		if (!pl.extra[k])
			continue;
		snprintf(name, sizeof(name), "port%d.pcap", k);
		snprintf(apath, sizeof(apath), "%s/%s", adir, name);
		rc = check_extra_port_file(name, apath);
		if (rc != CMP_EQUAL)
			return rc;
	}
	return CMP_EQUAL;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: golden-cmp EXPECTED_DIR ACTUAL_DIR [--no-punt-frames] [--no-stats]\n"
		"Compares port<N>.pcap, punt.pcap (frame by frame, byte for byte, in\n"
		"order; timestamps ignored) and stats.json (counter by counter).\n"
		"--no-punt-frames skips punt.pcap, --no-stats skips stats.json.\n"
		"Exit 0 equal, 1 first difference printed, 2 missing/unreadable file.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-punt-frames", no_argument, NULL, 'n' },
		{ "no-stats", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c, punt = 1, stats = 1, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': punt = 0; break;
		case 's': stats = 0; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return CMP_ERROR;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return CMP_ERROR;
	}
	rc = compare_dirs(argv[optind], argv[optind + 1], punt, stats);
	if (rc == CMP_EQUAL)
		printf("ok\n");
	return rc;
}
