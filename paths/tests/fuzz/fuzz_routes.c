// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz_routes - libFuzzer target for the route file parser: arbitrary bytes
 * through fwd_table_parse() on fmemopen(). It must never crash; it returns
 * either 0 with a consistent compiled table, or -1 with a one-line message
 * "fuzz.conf:LINE: ..." / "fuzz.conf: ...".
 */
#include <stdlib.h>
#include <string.h>

#include "fwd_routes.h"

#define FUZZ_ASSERT(cond, ...)                                               \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "fuzz-routes: %s: ", #cond);         \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
			abort();                                             \
		}                                                            \
	} while (0)

static uint32_t mask_of(unsigned int len)
{
	return len ? ~0u << (32 - len) : 0;
}

/* A table the parser accepted must be internally consistent. */
static void check_table(const struct fwd_table *t)
{
	int i, ports = 0;

	for (i = 0; i < FWD_MAX_PORTS; i++)
		ports += t->ports[i].present;
	FUZZ_ASSERT(t->nports >= 1 && t->nports == ports, "nports %d", t->nports);
	FUZZ_ASSERT(t->nroutes <= FWD_MAX_ROUTES && t->nnexthops <= FWD_MAX_NEXTHOPS, "sizes");
	for (i = 0; i < t->nroutes; i++) {
		const struct fwd_route *r = &t->routes[i];
		const struct fwd_nexthop *nh;

		FUZZ_ASSERT(r->len <= 32 && !(r->prefix & ~mask_of(r->len)), "route %d prefix", i);
		FUZZ_ASSERT(i == 0 || t->routes[i - 1].len >= r->len, "routes not sorted at %d", i);
		FUZZ_ASSERT(i == 0 || t->routes[i - 1].len != r->len ||
			    t->routes[i - 1].prefix != r->prefix, "duplicate route at %d", i);
		FUZZ_ASSERT(r->nh < t->nnexthops, "route %d nh %u", i, r->nh);
		nh = &t->nexthops[r->nh];
		FUZZ_ASSERT(nh->kind <= FWD_NH_NO_NEIGH, "nh kind");
		if (nh->kind != FWD_NH_LOCAL) {
			FUZZ_ASSERT(nh->port < FWD_MAX_PORTS && t->ports[nh->port].present, "nh port");
			FUZZ_ASSERT(!memcmp(nh->smac, t->ports[nh->port].mac, 6) &&
				    nh->mtu == t->ports[nh->port].mtu, "nh smac/mtu");
		}
		FUZZ_ASSERT(fwd_lpm_ref(t, r->prefix) != NULL, "route %d does not match itself", i);
	}
	for (i = 0; i < FWD_MAX_PORTS; i++)
		if (t->ports[i].present) {
			const struct fwd_nexthop *nh = fwd_lpm_ref(t, t->ports[i].addr);

			FUZZ_ASSERT(nh && nh->kind == FWD_NH_LOCAL, "port %d address is not LOCAL", i);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fwd_table *t;
	char err[512];
	FILE *f;
	int rc;

	if (!t)
		t = malloc(sizeof(*t));
	if (!t)
		abort();
	/* glibc's fmemopen refuses size 0: an empty file is /dev/null */
	f = size ? fmemopen((void *)data, size, "r") : fopen("/dev/null", "r");
	if (!f)
		abort();
	err[0] = 0;
	rc = fwd_table_parse(f, "fuzz.conf", t, err, sizeof(err));
	fclose(f);
	if (rc == 0) {
		check_table(t);
		return 0;
	}
	FUZZ_ASSERT(rc == -1, "rc %d", rc);
	FUZZ_ASSERT(!strncmp(err, "fuzz.conf:", 10) && !strchr(err, '\n') && strlen(err) > 11,
		    "message '%s'", err);
	return 0;
}
