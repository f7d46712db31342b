// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_lpm - fwd_lpm_ref() (and the route compiler behind it) against a
 * brute-force oracle on random tables.
 *
 * Each round writes a random route file (ports with random subnets,
 * neighbours, user routes of random lengths /0../32, sometimes a default
 * route), parses it, and looks up random addresses and every prefix's
 * boundaries (first, last, first - 1, last + 1). The oracle never looks at
 * the compiled table: it keeps its own list of what the file means (connected
 * subnets, local /32s, neighbour /32s unless a user /32 overrides them, user
 * routes resolved through their gateway) and takes the longest matching
 * entry by a plain loop.
 */
#include <errno.h>

#include "fwd_routes.h"
#include "test_util.h"

#define MAX_ENTRIES 4096

/* What an address must resolve to. */
struct entry {
	uint32_t prefix;
	uint8_t len;
	uint8_t kind; /* enum fwd_nh_kind */
	uint8_t port;
	uint8_t dmac[6];
};

struct model {
	struct entry e[MAX_ENTRIES];
	int n;
	/* what the generator wrote, to resolve gateways */
	uint32_t port_addr[FWD_MAX_PORTS];
	uint8_t port_len[FWD_MAX_PORTS];
	int nports;
	uint32_t neigh_ip[256];
	uint8_t neigh_mac[256][6];
	uint8_t neigh_port[256];
	int nneigh;
};

static struct fwd_table *t;
static struct model m;

static uint32_t mask_of(unsigned int len)
{
	return len ? ~0u << (32 - len) : 0;
}

/* The oracle: best length among all matching entries, or NULL. */
static const struct entry *oracle(uint32_t a)
{
	const struct entry *best = NULL;
	int i;

	for (i = 0; i < m.n; i++)
		if ((a & mask_of(m.e[i].len)) == m.e[i].prefix &&
		    (!best || m.e[i].len > best->len))
			best = &m.e[i];
	return best;
}

static int model_has(uint32_t prefix, uint8_t len)
{
	int i;

	for (i = 0; i < m.n; i++)
		if (m.e[i].prefix == prefix && m.e[i].len == len)
			return i;
	return -1;
}

static void model_add(uint32_t prefix, uint8_t len, uint8_t kind, uint8_t port, const uint8_t *dmac)
{
	struct entry *e = &m.e[m.n++];

	e->prefix = prefix;
	e->len = len;
	e->kind = kind;
	e->port = port;
	memset(e->dmac, 0, 6);
	if (dmac)
		memcpy(e->dmac, dmac, 6);
}

static int port_of(uint32_t a)
{
	int i;

	for (i = 0; i < m.nports; i++)
		if (((a ^ m.port_addr[i]) & mask_of(m.port_len[i])) == 0)
			return i;
	return -1;
}

static int is_local(uint32_t a)
{
	int i;

	for (i = 0; i < m.nports; i++)
		if (a == m.port_addr[i] ||
		    (m.port_len[i] <= 30 && a == (m.port_addr[i] | ~mask_of(m.port_len[i]))))
			return 1;
	return 0;
}

static int neigh_of(uint32_t a)
{
	int i;

	for (i = 0; i < m.nneigh; i++)
		if (m.neigh_ip[i] == a)
			return i;
	return -1;
}

/* A random prefix length biased toward the interesting ends. */
static uint8_t rand_len(void)
{
	switch (test_range(0, 9)) {
	case 0: return 32;
	case 1: return (uint8_t)test_range(0, 2);
	case 2: return (uint8_t)test_range(28, 32);
	default: return (uint8_t)test_range(0, 32);
	}
}

/* A random address in a region the table cares about. */
static uint32_t rand_addr(void)
{
	switch (test_range(0, 3)) {
	case 0: return test_rand32();
	case 1: return IP4(198, 18, 0, 0) | (test_rand32() & 0x1ffff);
	case 2: return IP4(10, 0, 0, 0) | (test_rand32() & 0xffffff);
	default: return m.n ? m.e[test_range(0, (uint32_t)m.n - 1)].prefix ^ (test_rand32() >> test_range(0, 31)) : 0;
	}
}

/*
 * Write a random route file into @f and fill the model. Ports get
 * non-overlapping subnets 10.P.x.x/len (len 16..32), neighbours live in
 * them, user routes are random prefixes the parser must accept.
 */
static void gen(FILE *f, int nroutes)
{
	int i, p, tries;

	memset(&m, 0, sizeof(m));
	m.nports = (int)test_range(1, 4);
	for (p = 0; p < m.nports; p++) {
		uint8_t len = (uint8_t)test_range(16, 32);
		uint32_t net = IP4(10, p, 0, 0) | ((test_rand32() & 0xffff) & mask_of(len));
		uint32_t host = len >= 31 ? (len == 32 ? 0 : test_range(0, 1))
					  : test_range(1, (uint32_t)(~mask_of(len)) - 1);
		uint32_t a = net | host;

		m.port_addr[p] = a;
		m.port_len[p] = len;
		fprintf(f, "port %d name p%d mac 02:00:00:00:00:%02x addr %u.%u.%u.%u/%u mtu %u\n", p, p, p,
			a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, len, 1000 + p);
		model_add(a, 32, FWD_NH_LOCAL, 0, NULL);
		if (len <= 30)
			model_add(a | ~mask_of(len), 32, FWD_NH_LOCAL, 0, NULL);
		if (len < 32)
			model_add(a & mask_of(len), len, FWD_NH_NO_NEIGH, (uint8_t)p, NULL);
	}
	/* neighbours: random hosts of random ports */
	for (tries = 0; tries < 400 && m.nneigh < 40; tries++) {
		uint32_t a;

		p = (int)test_range(0, (uint32_t)m.nports - 1);
		a = m.port_addr[p] ^ (test_rand32() & ~mask_of(m.port_len[p]));
		if (is_local(a) || neigh_of(a) >= 0)
			continue;
		m.neigh_ip[m.nneigh] = a;
		m.neigh_port[m.nneigh] = (uint8_t)p;
		m.neigh_mac[m.nneigh][0] = 0x02;
		m.neigh_mac[m.nneigh][4] = (uint8_t)(m.nneigh >> 8);
		m.neigh_mac[m.nneigh][5] = (uint8_t)m.nneigh;
		fprintf(f, "neigh %u.%u.%u.%u mac 02:00:00:00:%02x:%02x port %d\n", a >> 24, (a >> 16) & 255,
			(a >> 8) & 255, a & 255, m.nneigh >> 8, m.nneigh & 255, p);
		m.nneigh++;
	}
	/* user routes */
	for (i = 0, tries = 0; i < nroutes && tries < nroutes * 4; tries++) {
		uint8_t len = rand_len();
		uint32_t prefix = rand_addr() & mask_of(len), gw;
		int gp, k, nb;

		if (i == 0 && test_range(0, 1)) { /* a default route in half the tables */
			len = 0;
			prefix = 0;
		}
		/*
		 * What the parser rejects: duplicates, local /32s, connected
		 * subnets (all already in the model: neighbour host entries go
		 * in only after the user routes, so a user /32 equal to a
		 * neighbour is accepted and overrides it).
		 */
		if (model_has(prefix, len) >= 0 || (len == 32 && is_local(prefix)))
			continue;
		/* gateway: a neighbour, or any non-local host of a port subnet */
		if (m.nneigh && test_range(0, 2)) {
			k = (int)test_range(0, (uint32_t)m.nneigh - 1);
			gw = m.neigh_ip[k];
		} else {
			gp = (int)test_range(0, (uint32_t)m.nports - 1);
			gw = m.port_addr[gp] ^ (test_rand32() & ~mask_of(m.port_len[gp]));
			if (is_local(gw))
				continue;
		}
		nb = neigh_of(gw);
		if (nb >= 0)
			model_add(prefix, len, FWD_NH_FORWARD, m.neigh_port[nb], m.neigh_mac[nb]);
		else
			model_add(prefix, len, FWD_NH_NO_NEIGH, (uint8_t)port_of(gw), NULL);
		fprintf(f, "route %u.%u.%u.%u/%u via %u.%u.%u.%u\n", prefix >> 24, (prefix >> 16) & 255,
			(prefix >> 8) & 255, prefix & 255, len, gw >> 24, (gw >> 16) & 255, (gw >> 8) & 255,
			gw & 255);
		i++;
	}
}

/* Neighbour host entries go in after the user routes so a user /32 overrides them. */
static void add_neigh_entries(void)
{
	int i;

	for (i = 0; i < m.nneigh; i++)
		if (model_has(m.neigh_ip[i], 32) < 0)
			model_add(m.neigh_ip[i], 32, FWD_NH_FORWARD, m.neigh_port[i], m.neigh_mac[i]);
}

static int lookups, mismatches;

static void check_addr(uint32_t a)
{
	const struct entry *want = oracle(a);
	const struct fwd_nexthop *got = fwd_lpm_ref(t, a);
	int ok;

	lookups++;
	if (!want)
		ok = got == NULL;
	else
		ok = got && got->kind == want->kind &&
		     (want->kind == FWD_NH_LOCAL ||
		      (got->port == want->port && got->mtu == 1000 + want->port &&
		       got->smac[5] == want->port &&
		       (want->kind != FWD_NH_FORWARD || !memcmp(got->dmac, want->dmac, 6))));
	if (!ok && mismatches++ < 10)
		CHECK(0, "lookup 0x%08x: oracle %s/%u kind %d port %d, fwd_lpm_ref kind %d port %d", a,
		      want ? "0x..." : "none", want ? want->len : 0, want ? want->kind : -1,
		      want ? want->port : -1, got ? got->kind : -1, got ? got->port : -1);
}

static void round_(int nroutes, int nlookups)
{
	char *text = NULL, err[512];
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	int i, rc;

	if (!f) {
		CHECK(0, "open_memstream: %s", strerror(errno));
		return;
	}
	gen(f, nroutes);
	fclose(f);
	f = fmemopen(text, size, "r");
	if (!f) {
		CHECK(0, "fmemopen: %s", strerror(errno));
		free(text);
		return;
	}
	rc = fwd_table_parse(f, "random.conf", t, err, sizeof(err));
	fclose(f);
	CHECK(rc == 0, "generated table rejected: %s\n%s", err, text);
	if (rc) {
		free(text);
		return;
	}
	add_neigh_entries();
	CHECK(t->nroutes == m.n, "compiled %d routes, the model has %d", t->nroutes, m.n);
	for (i = 0; i < m.n; i++) { /* every boundary of every entry */
		uint32_t lo = m.e[i].prefix, hi = lo | ~mask_of(m.e[i].len);

		check_addr(lo);
		check_addr(hi);
		check_addr(lo - 1);
		check_addr(hi + 1);
		check_addr(lo + (hi - lo) / 2);
	}
	for (i = 0; i < nlookups; i++)
		check_addr(rand_addr());
	free(text);
}

int main(void)
{
	int r;

	t = calloc(1, sizeof(*t));
	if (!t) {
		fprintf(stderr, "test-lpm: out of memory\n");
		return 1;
	}
	test_seed("test-lpm");
	for (r = 0; r < 300; r++)
		round_((int)test_range(0, r < 280 ? 64 : 2000), 2000);
	/* fixed corner: no route at all outside the connected subnets */
	check_addr(0);
	check_addr(0xffffffff);
	printf("lpm: %d lookups, %d mismatches\n", lookups, mismatches);
	CHECK(mismatches == 0, "%d lookups disagree with the oracle", mismatches);
	free(t);
	return test_done("test-lpm");
}
