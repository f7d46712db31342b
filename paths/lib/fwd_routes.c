// SPDX-License-Identifier: BSD-2-Clause
/*
 * fwd_routes.c - strict parser and compiler for routes.conf (docs/formats.md).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fwd_routes.h"

#define MAX_TOKENS 16

struct ctx {
	const char *name;
	int line;
	char *err;
	size_t errlen;
	struct fwd_table *t;
};

static int fail(struct ctx *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->line > 0)
		snprintf(c->err, c->errlen, "%s:%d: %s", c->name, c->line, msg);
	else
		snprintf(c->err, c->errlen, "%s: %s", c->name, msg);
	return -1;
}

static uint32_t mask_of(uint8_t len)
{
	return len ? ~0u << (32 - len) : 0;
}

int fwd_parse_ipv4(const char *s, uint32_t *out)
{
	unsigned int v[4];
	char tail;
	int i;

	if (sscanf(s, "%3u.%3u.%3u.%3u%c", &v[0], &v[1], &v[2], &v[3], &tail) != 4)
		return -1;
	for (i = 0; i < 4; i++)
		if (v[i] > 255)
			return -1;
	for (i = 0; s[i]; i++)
		if (!isdigit((unsigned char)s[i]) && s[i] != '.')
			return -1;
	*out = v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3];
	return 0;
}

int fwd_parse_mac(const char *s, uint8_t mac[6])
{
	int i;

	if (strlen(s) != 17)
		return -1;
	for (i = 0; i < 6; i++) {
		const char *p = s + 3 * i;
		char hex[3] = { p[0], p[1], 0 };

		if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]) ||
		    (i < 5 && p[2] != ':'))
			return -1;
		mac[i] = (uint8_t)strtoul(hex, NULL, 16);
	}
	return 0;
}

const char *fwd_format_ipv4(uint32_t a, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
		 a & 255);
	return buf;
}

/* "a.b.c.d/len" -> addr, len; host bits allowed (checked by the caller). */
static int parse_cidr(const char *s, uint32_t *addr, uint8_t *len)
{
	char buf[32], *slash, *end;
	unsigned long l;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		return -1;
	*slash = 0;
	if (fwd_parse_ipv4(buf, addr) || !isdigit((unsigned char)slash[1]))
		return -1;
	errno = 0;
	l = strtoul(slash + 1, &end, 10);
	if (errno || *end || l > 32)
		return -1;
	*len = (uint8_t)l;
	return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return (errno || *end || *out > max) ? -1 : 0;
}

/* Port whose connected subnet holds @ip, or -1. */
static int port_of_addr(const struct fwd_table *t, uint32_t ip)
{
	int i;

	for (i = 0; i < FWD_MAX_PORTS; i++) {
		const struct fwd_port *p = &t->ports[i];

		if (p->present && ((ip ^ p->addr) & mask_of(p->plen)) == 0)
			return i;
	}
	return -1;
}

static int is_local_addr(const struct fwd_table *t, uint32_t ip)
{
	int i;

	for (i = 0; i < FWD_MAX_PORTS; i++) {
		const struct fwd_port *p = &t->ports[i];

		if (!p->present)
			continue;
		if (ip == p->addr ||
		    (p->plen <= 30 && ip == (p->addr | ~mask_of(p->plen))))
			return 1;
	}
	return 0;
}

static int do_port(struct ctx *c, char **tok, int n)
{
	struct fwd_table *t = c->t;
	struct fwd_port p = { .present = 1, .mtu = FWD_DEFAULT_MTU };
	int have_name = 0, have_mac = 0, have_addr = 0, have_mtu = 0, i, j;
	unsigned long id, v;

	if (n < 2 || parse_uint(tok[1], FWD_MAX_PORTS - 1, &id))
		return fail(c, "expected 'port N' with N in 0..%d", FWD_MAX_PORTS - 1);
	if (t->ports[id].present)
		return fail(c, "duplicate port %lu", id);
	for (i = 2; i < n; i += 2) {
		if (i + 1 >= n)
			return fail(c, "'%s' needs a value", tok[i]);
		if (!strcmp(tok[i], "name") && !have_name) {
			if (strlen(tok[i + 1]) >= FWD_IFNAMSIZ)
				return fail(c, "interface name longer than %d", FWD_IFNAMSIZ - 1);
			strcpy(p.name, tok[i + 1]);
			have_name = 1;
		} else if (!strcmp(tok[i], "mac") && !have_mac) {
			if (fwd_parse_mac(tok[i + 1], p.mac) || (p.mac[0] & 1))
				return fail(c, "expected a unicast MAC aa:bb:cc:dd:ee:ff, got '%s'", tok[i + 1]);
			have_mac = 1;
		} else if (!strcmp(tok[i], "addr") && !have_addr) {
			if (parse_cidr(tok[i + 1], &p.addr, &p.plen) || p.plen == 0)
				return fail(c, "expected addr A.B.C.D/LEN (LEN 1..32), got '%s'", tok[i + 1]);
			if (p.plen <= 30 && ((p.addr & ~mask_of(p.plen)) == 0 ||
					     (p.addr | mask_of(p.plen)) == ~0u))
				return fail(c, "port address %s is the subnet's network or broadcast address", tok[i + 1]);
			have_addr = 1;
		} else if (!strcmp(tok[i], "mtu") && !have_mtu) {
			if (parse_uint(tok[i + 1], 65535, &v) || v < 68)
				return fail(c, "expected mtu 68..65535, got '%s'", tok[i + 1]);
			p.mtu = (uint16_t)v;
			have_mtu = 1;
		} else {
			return fail(c, "unexpected '%s' (port takes name, mac, addr, mtu once each)", tok[i]);
		}
	}
	if (!have_name || !have_mac || !have_addr)
		return fail(c, "port %lu needs name, mac and addr", id);
	for (j = 0; j < FWD_MAX_PORTS; j++) {
		const struct fwd_port *o = &t->ports[j];
		uint8_t m = o->plen < p.plen ? o->plen : p.plen;

		if (!o->present)
			continue;
		if (!strcmp(o->name, p.name))
			return fail(c, "interface %s already used by port %d", p.name, j);
		if (((o->addr ^ p.addr) & mask_of(m)) == 0)
			return fail(c, "subnet of port %lu overlaps port %d's", id, j);
	}
	t->ports[id] = p;
	t->nports++;
	return 0;
}

static int do_neigh(struct ctx *c, char **tok, int n)
{
	struct fwd_table *t = c->t;
	struct fwd_neigh nb;
	unsigned long port;
	int i;

	if (n != 6 || strcmp(tok[2], "mac") || strcmp(tok[4], "port"))
		return fail(c, "expected 'neigh A.B.C.D mac MAC port N'");
	if (fwd_parse_ipv4(tok[1], &nb.ip))
		return fail(c, "expected an IPv4 address, got '%s'", tok[1]);
	if (fwd_parse_mac(tok[3], nb.mac) || (nb.mac[0] & 1))
		return fail(c, "expected a unicast MAC aa:bb:cc:dd:ee:ff, got '%s'", tok[3]);
	if (parse_uint(tok[5], FWD_MAX_PORTS - 1, &port) || !t->ports[port].present)
		return fail(c, "unknown port '%s' (declare it with 'port' first)", tok[5]);
	nb.port = (uint8_t)port;
	if (port_of_addr(t, nb.ip) != (int)port)
		return fail(c, "neighbour %s is not inside port %lu's subnet", tok[1], port);
	if (is_local_addr(t, nb.ip))
		return fail(c, "neighbour %s is a local or broadcast address", tok[1]);
	for (i = 0; i < t->nneigh; i++)
		if (t->neigh[i].ip == nb.ip)
			return fail(c, "duplicate neighbour %s", tok[1]);
	if (t->nneigh >= FWD_MAX_NEIGH)
		return fail(c, "more than %d neighbours", FWD_MAX_NEIGH);
	t->neigh[t->nneigh++] = nb;
	return 0;
}

static int do_route(struct ctx *c, char **tok, int n)
{
	struct fwd_table *t = c->t;
	struct fwd_user_route r;
	int i;

	if (n != 4 || strcmp(tok[2], "via"))
		return fail(c, "expected 'route A.B.C.D/LEN via A.B.C.D'");
	if (parse_cidr(tok[1], &r.prefix, &r.len))
		return fail(c, "expected a prefix A.B.C.D/LEN, got '%s'", tok[1]);
	if (r.prefix & ~mask_of(r.len))
		return fail(c, "prefix %s has host bits set", tok[1]);
	if (fwd_parse_ipv4(tok[3], &r.via))
		return fail(c, "expected a next-hop address, got '%s'", tok[3]);
	if (port_of_addr(t, r.via) < 0)
		return fail(c, "next hop %s is outside every connected subnet", tok[3]);
	if (is_local_addr(t, r.via))
		return fail(c, "next hop %s is a local or broadcast address", tok[3]);
	if (r.len == 32 && is_local_addr(t, r.prefix))
		return fail(c, "route %s conflicts with a local address", tok[1]);
	for (i = 0; i < FWD_MAX_PORTS; i++) {
		const struct fwd_port *p = &t->ports[i];

		if (p->present && p->plen == r.len &&
		    (p->addr & mask_of(p->plen)) == r.prefix)
			return fail(c, "route %s duplicates port %d's connected subnet", tok[1], i);
	}
	for (i = 0; i < t->nuser; i++)
		if (t->user[i].prefix == r.prefix && t->user[i].len == r.len)
			return fail(c, "duplicate route %s", tok[1]);
	if (t->nuser >= FWD_MAX_USER_ROUTES)
		return fail(c, "more than %d routes", FWD_MAX_USER_ROUTES);
	t->user[t->nuser++] = r;
	return 0;
}

static int add_nh(struct fwd_table *t, uint8_t kind, uint8_t port,
		  const uint8_t *dmac)
{
	struct fwd_nexthop *nh = &t->nexthops[t->nnexthops];

	memset(nh, 0, sizeof(*nh));
	nh->kind = kind;
	nh->port = port;
	if (kind != FWD_NH_LOCAL) {
		nh->mtu = t->ports[port].mtu;
		memcpy(nh->smac, t->ports[port].mac, 6);
	}
	if (dmac)
		memcpy(nh->dmac, dmac, 6);
	return t->nnexthops++;
}

static void add_route(struct fwd_table *t, uint32_t prefix, uint8_t len, int nh)
{
	struct fwd_route *r = &t->routes[t->nroutes++];

	r->prefix = prefix;
	r->len = len;
	r->nh = (uint16_t)nh;
}

static int route_cmp(const void *a, const void *b)
{
	const struct fwd_route *x = a, *y = b;

	if (x->len != y->len)
		return y->len - x->len;
	return x->prefix < y->prefix ? -1 : x->prefix > y->prefix;
}

static int has_user_route(const struct fwd_table *t, uint32_t prefix, uint8_t len)
{
	int i;

	for (i = 0; i < t->nuser; i++)
		if (t->user[i].prefix == prefix && t->user[i].len == len)
			return 1;
	return 0;
}

/* Derive nexthops[] and routes[] from ports, neighbours and user routes. */
static void compile(struct fwd_table *t)
{
	int no_neigh[FWD_MAX_PORTS], neigh_nh[FWD_MAX_NEIGH], local, i, j;

	t->nnexthops = t->nroutes = 0;
	local = add_nh(t, FWD_NH_LOCAL, 0, NULL);
	for (i = 0; i < FWD_MAX_PORTS; i++) {
		const struct fwd_port *p = &t->ports[i];

		if (!p->present)
			continue;
		no_neigh[i] = add_nh(t, FWD_NH_NO_NEIGH, (uint8_t)i, NULL);
		add_route(t, p->addr, 32, local);
		if (p->plen <= 30)
			add_route(t, p->addr | ~mask_of(p->plen), 32, local);
		if (p->plen < 32)
			add_route(t, p->addr & mask_of(p->plen), p->plen, no_neigh[i]);
	}
	for (i = 0; i < t->nneigh; i++) {
		const struct fwd_neigh *nb = &t->neigh[i];

		neigh_nh[i] = add_nh(t, FWD_NH_FORWARD, nb->port, nb->mac);
		if (!has_user_route(t, nb->ip, 32))
			add_route(t, nb->ip, 32, neigh_nh[i]);
	}
	for (i = 0; i < t->nuser; i++) {
		const struct fwd_user_route *r = &t->user[i];
		int nh = no_neigh[port_of_addr(t, r->via)];

		for (j = 0; j < t->nneigh; j++)
			if (t->neigh[j].ip == r->via)
				nh = neigh_nh[j];
		add_route(t, r->prefix, r->len, nh);
	}
	qsort(t->routes, t->nroutes, sizeof(t->routes[0]), route_cmp);
}

static int tokenize(char *line, char **tok)
{
	char *hash = strchr(line, '#'), *s;
	int n = 0;

	if (hash)
		*hash = 0;
	for (s = strtok(line, " \t\r\n"); s; s = strtok(NULL, " \t\r\n")) {
		if (n == MAX_TOKENS)
			return -1;
		tok[n++] = s;
	}
	return n;
}

int fwd_table_parse(FILE *f, const char *name, struct fwd_table *t, char *err,
		    size_t errlen)
{
	struct ctx c = { .name = name, .err = err, .errlen = errlen, .t = t };
	char line[1024], *tok[MAX_TOKENS];
	int n, rc;

	memset(t, 0, sizeof(*t));
	while (fgets(line, sizeof(line), f)) {
		c.line++;
		if (!strchr(line, '\n') && !feof(f))
			return fail(&c, "line longer than %zu bytes", sizeof(line) - 2);
		n = tokenize(line, tok);
		if (n < 0)
			return fail(&c, "too many words");
		if (n == 0)
			continue;
		if (!strcmp(tok[0], "port"))
			rc = do_port(&c, tok, n);
		else if (!strcmp(tok[0], "neigh"))
			rc = do_neigh(&c, tok, n);
		else if (!strcmp(tok[0], "route"))
			rc = do_route(&c, tok, n);
		else
			rc = fail(&c, "unknown keyword '%s' (expected port, neigh or route)", tok[0]);
		if (rc)
			return rc;
	}
	if (ferror(f))
		return fail(&c, "read error");
	c.line = 0;
	if (t->nports == 0)
		return fail(&c, "no port declared");
	compile(t);
	return 0;
}

int fwd_table_load(const char *path, struct fwd_table *t, char *err,
		   size_t errlen)
{
	FILE *f = fopen(path, "r");
	int rc;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = fwd_table_parse(f, path, t, err, errlen);
	fclose(f);
	return rc;
}

int fwd_table_port_by_name(const struct fwd_table *t, const char *name)
{
	int i;

	for (i = 0; i < FWD_MAX_PORTS; i++)
		if (t->ports[i].present && !strcmp(t->ports[i].name, name))
			return i;
	return -1;
}

const struct fwd_nexthop *fwd_lpm_ref(const struct fwd_table *t, uint32_t daddr)
{
	int i;

	for (i = 0; i < t->nroutes; i++) {
		const struct fwd_route *r = &t->routes[i];

		if ((daddr & mask_of(r->len)) == r->prefix)
			return &t->nexthops[r->nh];
	}
	return NULL;
}
