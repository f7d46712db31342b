// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_routes - the route file parser and compiler (paths/lib/fwd_routes.c).
 *
 *   test-routes ROUTES_DIR
 *
 * ROUTES_DIR/good/ files (*.conf) must load; basic.conf and format.conf have their
 * compiled nexthops[]/routes[] checked entry by entry. Every file in ROUTES_DIR/bad/
 * must fail; the first line of each bad file says how:
 *
 *   # expect LINE: TEXT
 *
 * and the error message must be "FILE:LINE: ..." containing TEXT (LINE 0:
 * "FILE: ...", for errors about the whole file). Files past the limits
 * (ports, neighbours, routes) are generated here.
 */
#include <dirent.h>
#include <errno.h>

#include "fwd_routes.h"
#include "test_util.h"

static struct fwd_table *t;

/* What a compiled entry must resolve to. */
struct want_route {
	uint32_t prefix;
	uint8_t len;
	uint8_t kind;      /* enum fwd_nh_kind */
	uint8_t port;      /* FORWARD / NO_NEIGH only */
	uint16_t mtu;      /* FORWARD / NO_NEIGH only */
	uint8_t dmac_last; /* FORWARD: dmac = 02:00:00:00:00:xx unless dmac set */
	const uint8_t *dmac;
	const uint8_t *smac;
};

#define LOCAL32(a) { a, 32, FWD_NH_LOCAL, 0, 0, 0, NULL, NULL }

static const struct fwd_nexthop *find_route(uint32_t prefix, uint8_t len, int *count)
{
	const struct fwd_nexthop *nh = NULL;
	int i;

	*count = 0;
	for (i = 0; i < t->nroutes; i++)
		if (t->routes[i].prefix == prefix && t->routes[i].len == len) {
			(*count)++;
			if (t->routes[i].nh < t->nnexthops)
				nh = &t->nexthops[t->routes[i].nh];
		}
	return nh;
}

static void check_nh(const char *what, const struct fwd_nexthop *nh, const struct want_route *w)
{
	uint8_t dmac[6] = { 0x02, 0, 0, 0, 0, w->dmac_last };

	CHECK(nh != NULL, "%s: no next hop", what);
	if (!nh)
		return;
	CHECK(nh->kind == w->kind, "%s: kind %u, want %u", what, nh->kind, w->kind);
	if (w->kind == FWD_NH_LOCAL)
		return;
	CHECK(nh->port == w->port, "%s: port %u, want %u", what, nh->port, w->port);
	CHECK(nh->mtu == w->mtu, "%s: mtu %u, want %u", what, nh->mtu, w->mtu);
	CHECK(memcmp(nh->smac, w->smac, 6) == 0, "%s: smac is not port %u's MAC", what, w->port);
	if (w->kind == FWD_NH_FORWARD)
		CHECK(memcmp(nh->dmac, w->dmac ? w->dmac : dmac, 6) == 0, "%s: dmac", what);
}

/* The compiled routes[] are exactly @w (in any order), sorted longest first. */
static void check_routes(const char *file, const struct want_route *w, int n)
{
	char buf[16], what[96];
	int i, count;

	CHECK(t->nroutes == n, "%s: %d compiled routes, want %d", file, t->nroutes, n);
	for (i = 0; i < n; i++) {
		const struct fwd_nexthop *nh = find_route(w[i].prefix, w[i].len, &count);

		snprintf(what, sizeof(what), "%s: %s/%u", file, fwd_format_ipv4(w[i].prefix, buf), w[i].len);
		CHECK(count == 1, "%s: present %d times", what, count);
		check_nh(what, nh, &w[i]);
	}
	for (i = 1; i < t->nroutes; i++)
		CHECK(t->routes[i - 1].len >= t->routes[i].len, "%s: routes[] not sorted longest first at %d", file, i);
	for (i = 0; i < t->nroutes; i++)
		CHECK(t->routes[i].nh < t->nnexthops, "%s: routes[%d].nh out of range", file, i);
}

/* Lookup of @a must give @w's next hop (NULL @w: no route). */
static void check_lookup(const char *file, uint32_t a, const struct want_route *w)
{
	const struct fwd_nexthop *nh = fwd_lpm_ref(t, a);
	char buf[16], what[96];

	snprintf(what, sizeof(what), "%s: lookup %s", file, fwd_format_ipv4(a, buf));
	if (!w)
		CHECK(nh == NULL, "%s: want no route", what);
	else
		check_nh(what, nh, w);
}

static int load(const char *dir, const char *name, char *err, size_t errlen)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return fwd_table_load(path, t, err, errlen);
}

static const uint8_t mac01[6] = { 2, 0, 0, 0, 0, 0x01 }, mac02[6] = { 2, 0, 0, 0, 0, 0x02 };

static void test_basic(const char *dir)
{
	char err[512];
	enum { L = FWD_NH_LOCAL, F = FWD_NH_FORWARD, N = FWD_NH_NO_NEIGH };
	const struct want_route w[] = {
		LOCAL32(IP4(10, 0, 0, 1)),
		LOCAL32(IP4(10, 0, 0, 255)),
		{ IP4(10, 0, 0, 0), 24, N, 0, 1500, 0, NULL, mac01 },
		LOCAL32(IP4(10, 0, 1, 1)),
		LOCAL32(IP4(10, 0, 1, 255)),
		{ IP4(10, 0, 1, 0), 24, N, 1, 9000, 0, NULL, mac02 },
		{ IP4(10, 0, 1, 2), 32, F, 1, 9000, 0x0b, NULL, mac02 },
		{ IP4(10, 0, 0, 2), 32, F, 0, 1500, 0x0a, NULL, mac01 },
		{ IP4(10, 0, 1, 3), 32, F, 0, 1500, 0x0a, NULL, mac01 }, /* user /32 wins */
		{ IP4(198, 18, 0, 0), 15, F, 1, 9000, 0x0b, NULL, mac02 },
		{ IP4(198, 19, 5, 0), 24, N, 1, 9000, 0, NULL, mac02 },
		{ IP4(192, 0, 2, 7), 32, F, 0, 1500, 0x0a, NULL, mac01 },
		{ 0, 0, F, 1, 9000, 0x0b, NULL, mac02 },
	};
	int rc = load(dir, "good/basic.conf", err, sizeof(err));

	CHECK(rc == 0, "basic.conf: %s", err);
	if (rc)
		return;
	CHECK(t->nports == 2 && t->nneigh == 3 && t->nuser == 5, "basic.conf: %d ports, %d neigh, %d routes",
	      t->nports, t->nneigh, t->nuser);
	CHECK(t->ports[0].present && t->ports[1].present && !t->ports[2].present, "basic.conf: ports present");
	CHECK(!strcmp(t->ports[1].name, "dut1") && t->ports[1].addr == IP4(10, 0, 1, 1) &&
	      t->ports[1].plen == 24 && t->ports[1].mtu == 9000 && !memcmp(t->ports[1].mac, mac02, 6),
	      "basic.conf: port 1 fields");
	CHECK(t->ports[0].mtu == FWD_DEFAULT_MTU, "basic.conf: default mtu");
	CHECK(t->neigh[2].ip == IP4(10, 0, 1, 3) && t->neigh[2].port == 1 && t->neigh[2].mac[5] == 0x0c,
	      "basic.conf: neighbour 3 as written");
	CHECK(t->user[1].prefix == IP4(198, 19, 5, 0) && t->user[1].len == 24 &&
	      t->user[1].via == IP4(10, 0, 1, 9), "basic.conf: user route 2 as written");
	CHECK(fwd_table_port_by_name(t, "dut1") == 1 && fwd_table_port_by_name(t, "dut0") == 0 &&
	      fwd_table_port_by_name(t, "dut2") == -1, "basic.conf: port_by_name");
	CHECK(t->nnexthops == 6, "basic.conf: %d next hops, want local + 2 no-neigh + 3 neighbours",
	      t->nnexthops);
	check_routes("basic.conf", w, (int)(sizeof(w) / sizeof(w[0])));
	check_lookup("basic.conf", IP4(10, 0, 1, 3), &w[8]);
	check_lookup("basic.conf", IP4(10, 0, 0, 77), &w[2]);   /* connected, no neigh */
	check_lookup("basic.conf", IP4(10, 0, 0, 255), &w[1]);  /* subnet broadcast */
	check_lookup("basic.conf", IP4(10, 0, 1, 1), &w[3]);    /* port address */
	check_lookup("basic.conf", IP4(198, 19, 5, 77), &w[10]); /* gateway without neigh */
	check_lookup("basic.conf", IP4(198, 19, 6, 1), &w[9]);
	check_lookup("basic.conf", IP4(192, 0, 2, 7), &w[11]);
	check_lookup("basic.conf", IP4(192, 0, 2, 8), &w[12]);  /* default */
	check_lookup("basic.conf", IP4(8, 8, 8, 8), &w[12]);
}

static void test_format(const char *dir)
{
	static const uint8_t mac3[6] = { 0x0a, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	static const uint8_t mac15[6] = { 2, 0, 0, 0, 0, 0x0f };
	static const uint8_t nmac[6] = { 0x02, 0xaa, 0, 0, 0, 0x01 };
	char err[512];
	enum { L = FWD_NH_LOCAL, F = FWD_NH_FORWARD, N = FWD_NH_NO_NEIGH };
	const struct want_route w[] = {
		LOCAL32(IP4(198, 18, 0, 1)),                       /* /31: no broadcast */
		{ IP4(198, 18, 0, 0), 31, N, 3, 68, 0, NULL, mac3 },
		LOCAL32(IP4(198, 18, 2, 1)),                       /* /32: no subnet */
		LOCAL32(IP4(203, 0, 113, 9)),
		LOCAL32(IP4(203, 0, 113, 11)),
		{ IP4(203, 0, 113, 8), 30, N, 15, 1500, 0, NULL, mac15 },
		{ IP4(198, 18, 0, 0), 32, F, 3, 68, 0, nmac, mac3 },
		{ IP4(198, 19, 0, 0), 16, F, 3, 68, 0, nmac, mac3 },
		{ 0, 0, N, 15, 1500, 0, NULL, mac15 },
	};
	int rc = load(dir, "good/format.conf", err, sizeof(err));

	CHECK(rc == 0, "format.conf: %s", err);
	if (rc)
		return;
	CHECK(t->nports == 3 && t->nneigh == 1 && t->nuser == 2, "format.conf: counts");
	CHECK(t->ports[7].mtu == 65535 && t->ports[3].mtu == 68, "format.conf: mtu limits");
	CHECK(!strcmp(t->ports[15].name, "abcdefghijklmno"), "format.conf: 15-character name");
	CHECK(!strcmp(t->ports[3].name, "p3"), "format.conf: name before CR LF");
	CHECK(t->nnexthops == 5, "format.conf: %d next hops, want local + 3 no-neigh + 1 neighbour",
	      t->nnexthops);
	check_routes("format.conf", w, (int)(sizeof(w) / sizeof(w[0])));
	check_lookup("format.conf", IP4(198, 18, 2, 2), &w[8]);
	check_lookup("format.conf", IP4(198, 18, 0, 0), &w[6]);
}

/* Every good file loads; returns how many. */
static int test_all_good(const char *dir)
{
	char sub[4096], name[512], err[512];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(sub, sizeof(sub), "%s/good", dir);
	d = opendir(sub);
	CHECK(d != NULL, "%s: %s", sub, strerror(errno));
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l < 6 || strcmp(de->d_name + l - 5, ".conf"))
			continue;
		snprintf(name, sizeof(name), "good/%s", de->d_name);
		CHECK(load(dir, name, err, sizeof(err)) == 0, "%s: %s", name, err);
		n++;
	}
	closedir(d);
	return n;
}

/* One bad file: fails with "path:LINE: ...TEXT...". */
static void test_bad_file(const char *dir, const char *file)
{
	char path[4096], line[1200], want_prefix[4200], err[512];
	const char *text;
	int want_line, rc;
	FILE *f;

	snprintf(path, sizeof(path), "%s/bad/%s", dir, file);
	f = fopen(path, "r");
	CHECK(f != NULL, "%s: %s", path, strerror(errno));
	if (!f)
		return;
	if (!fgets(line, sizeof(line), f) || sscanf(line, "# expect %d:", &want_line) != 1 ||
	    !(text = strchr(line, ':'))) {
		CHECK(0, "%s: first line must be '# expect LINE: TEXT'", path);
		fclose(f);
		return;
	}
	fclose(f);
	text += 2;
	line[strcspn(line, "\n")] = 0;
	err[0] = 0;
	rc = fwd_table_load(path, t, err, sizeof(err));
	if (want_line > 0)
		snprintf(want_prefix, sizeof(want_prefix), "%s:%d: ", path, want_line);
	else
		snprintf(want_prefix, sizeof(want_prefix), "%s: ", path);
	CHECK(rc == -1, "%s: loaded, want an error", file);
	CHECK(!strncmp(err, want_prefix, strlen(want_prefix)), "%s: message '%s' does not start with '%s'",
	      file, err, want_prefix);
	CHECK(strstr(err, text) != NULL, "%s: message '%s' lacks '%s'", file, err, text);
	CHECK(!strchr(err, '\n'), "%s: message is not one line", file);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int test_all_bad(const char *dir)
{
	char sub[4096], *names[512];
	struct dirent *de;
	int n = 0, i;
	DIR *d;

	snprintf(sub, sizeof(sub), "%s/bad", dir);
	d = opendir(sub);
	CHECK(d != NULL, "%s: %s", sub, strerror(errno));
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < 512) {
		size_t l = strlen(de->d_name);

		if (l > 5 && !strcmp(de->d_name + l - 5, ".conf"))
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), name_cmp);
	for (i = 0; i < n; i++) {
		test_bad_file(dir, names[i]);
		free(names[i]);
	}
	return n;
}

/* Parse a generated text; returns rc, message in err. */
static int parse_text(const char *text, const char *name, char *err, size_t errlen)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	if (!f) {
		snprintf(err, errlen, "fmemopen: %s", strerror(errno));
		return -2;
	}
	rc = fwd_table_parse(f, name, t, err, errlen);
	fclose(f);
	return rc;
}

/* A text of one port 10.0.0.1/8 plus @nneigh neighbours and @nroutes /32 routes. */
static char *gen_table(int nports, int nneigh, int nroutes)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	int i;

	if (!f)
		return NULL;
	for (i = 0; i < nports; i++)
		fprintf(f, "port %d name p%d mac 02:00:00:00:01:%02x addr 10.%d.0.1/16\n", i, i, i, i);
	for (i = 0; i < nneigh; i++)
		fprintf(f, "neigh 10.0.%d.%d mac 02:00:00:00:02:%02x port 0\n", 1 + i / 250, 2 + i % 250, i & 255);
	for (i = 0; i < nroutes; i++)
		fprintf(f, "route 198.%d.%d.%d/32 via 10.0.1.2\n", 18 + (i >> 16), (i >> 8) & 255, i & 255);
	fclose(f);
	return buf;
}

static void test_limits(void)
{
	char err[512], want[128];
	struct { int ports, neigh, routes, ok, line; const char *text; } cases[] = {
		{ FWD_MAX_PORTS, 2, 1, 1, 0, NULL },
		{ 1, FWD_MAX_NEIGH, FWD_MAX_USER_ROUTES, 1, 0, NULL },
		{ 1, FWD_MAX_NEIGH + 1, 0, 0, 1 + FWD_MAX_NEIGH + 1, "more than 1024 neighbours" },
		{ 1, 1, FWD_MAX_USER_ROUTES + 1, 0, 2 + FWD_MAX_USER_ROUTES + 1, "more than 16384 routes" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = gen_table(cases[i].ports, cases[i].neigh, cases[i].routes);
		int rc;

		CHECK(text != NULL, "open_memstream");
		if (!text)
			return;
		err[0] = 0;
		rc = parse_text(text, "gen.conf", err, sizeof(err));
		if (cases[i].ok) {
			CHECK(rc == 0, "limits %zu: %s", i, err);
			CHECK(t->nports == cases[i].ports && t->nneigh == cases[i].neigh &&
			      t->nuser == cases[i].routes, "limits %zu: counts", i);
			CHECK(t->nroutes <= FWD_MAX_ROUTES && t->nnexthops <= FWD_MAX_NEXTHOPS,
			      "limits %zu: compiled sizes", i);
		} else {
			snprintf(want, sizeof(want), "gen.conf:%d: ", cases[i].line);
			CHECK(rc == -1 && !strncmp(err, want, strlen(want)) && strstr(err, cases[i].text),
			      "limits %zu: got '%s', want '%s%s'", i, err, want, cases[i].text);
		}
		free(text);
	}
	/* the full table's derived entries: 16 ports x 3, all of them LOCAL or connected */
	{
		char *text = gen_table(FWD_MAX_PORTS, 0, 0);

		if (text && parse_text(text, "gen.conf", err, sizeof(err)) == 0)
			CHECK(t->nroutes == 3 * FWD_MAX_PORTS && t->nnexthops == 1 + FWD_MAX_PORTS,
			      "16 ports: %d routes, %d nexthops", t->nroutes, t->nnexthops);
		free(text);
	}
}

/* The whole-file errors: empty, missing. */
static void test_whole_file(void)
{
	char err[512];
	FILE *f = fopen("/dev/null", "r");
	int rc;

	CHECK(f != NULL, "/dev/null");
	if (f) {
		rc = fwd_table_parse(f, "empty.conf", t, err, sizeof(err));
		CHECK(rc == -1 && !strcmp(err, "empty.conf: no port declared"), "empty file: '%s'", err);
		fclose(f);
	}
	rc = fwd_table_load("/nonexistent/routes.conf", t, err, sizeof(err));
	CHECK(rc == -1 && !strcmp(err, "/nonexistent/routes.conf: No such file or directory"),
	      "missing file: '%s'", err);
	rc = parse_text("port 0 name a mac 02:00:00:00:00:01 addr 10.0.0.1/24\nbogus\n", "x.conf", err, sizeof(err));
	CHECK(rc == -1 && !strncmp(err, "x.conf:2: ", 10), "line numbers count from 1: '%s'", err);
}

/* The exported address helpers. */
static void test_helpers(void)
{
	static const struct { const char *s; int ok; uint32_t v; } ips[] = {
		{ "0.0.0.0", 1, 0 }, { "255.255.255.255", 1, 0xffffffff }, { "10.0.0.1", 1, IP4(10, 0, 0, 1) },
		{ "256.0.0.1", 0, 0 }, { "1.2.3", 0, 0 }, { "1.2.3.4.", 0, 0 }, { "1.2.3.4.5", 0, 0 },
		{ "+1.2.3.4", 0, 0 }, { "1.2.3.-4", 0, 0 }, { "1.2.3.4 ", 0, 0 }, { "", 0, 0 },
		{ "1234.1.1.1", 0, 0 }, { "a.b.c.d", 0, 0 }, { "1.2.3.4/8", 0, 0 },
	};
	static const struct { const char *s; int ok; } macs[] = {
		{ "02:00:00:00:00:01", 1 }, { "ff:FF:ff:ff:ff:ff", 1 }, { "02:00:00:00:00:1", 0 },
		{ "02:00:00:00:00:001", 0 }, { "02-00-00-00-00-01", 0 }, { "0g:00:00:00:00:01", 0 },
		{ "", 0 },
	};
	char buf[16];
	uint32_t v;
	uint8_t mac[6];
	size_t i;

	for (i = 0; i < sizeof(ips) / sizeof(ips[0]); i++) {
		int rc = fwd_parse_ipv4(ips[i].s, &v);

		CHECK((rc == 0) == ips[i].ok && (!ips[i].ok || v == ips[i].v), "fwd_parse_ipv4('%s')", ips[i].s);
	}
	for (i = 0; i < sizeof(macs) / sizeof(macs[0]); i++)
		CHECK((fwd_parse_mac(macs[i].s, mac) == 0) == macs[i].ok, "fwd_parse_mac('%s')", macs[i].s);
	CHECK(fwd_parse_mac("0A:bb:cc:dd:ee:0f", mac) == 0 && mac[0] == 0x0a && mac[5] == 0x0f, "mac bytes");
	CHECK(!strcmp(fwd_format_ipv4(IP4(198, 18, 0, 255), buf), "198.18.0.255"), "format");
}

int main(int argc, char **argv)
{
	int ngood, nbad;

	if (argc != 2) {
		fprintf(stderr, "usage: test-routes ROUTES_DIR\n");
		return 2;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		fprintf(stderr, "test-routes: out of memory\n");
		return 1;
	}
	test_basic(argv[1]);
	test_format(argv[1]);
	ngood = test_all_good(argv[1]);
	nbad = test_all_bad(argv[1]);
	printf("route files: %d good, %d bad\n", ngood, nbad);
	CHECK(ngood >= 2 && nbad >= 40, "too few route files found in %s", argv[1]);
	test_whole_file();
	test_limits();
	test_helpers();
	free(t);
	return test_done("test-routes");
}
