/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fwd_routes.h - the route file (routes.conf), parsed once in userspace and
 * compiled into the two tables every datapath loads into its own LPM:
 *
 *   nexthops[]: struct fwd_nexthop (fwd_core.h), indexed by nh id
 *   routes[]:   prefix/len -> nh id, including the derived entries:
 *               - each port's connected subnet  -> NO_NEIGH nh of that port
 *               - each neighbour inside a subnet -> /32 FORWARD nh
 *               - each port address, each subnet broadcast -> /32 LOCAL nh
 *               - each "route P via G"          -> G's nh (FORWARD or NO_NEIGH)
 *
 * Grammar and semantics: docs/formats.md. All addresses in this header are
 * host byte order.
 */
#ifndef FWD_ROUTES_H
#define FWD_ROUTES_H

#include <stdint.h>
#include <stdio.h>

#include "fwd_core.h"

#define FWD_MAX_PORTS 16
#define FWD_MAX_NEIGH 1024
#define FWD_MAX_USER_ROUTES 16384
#define FWD_MAX_NEXTHOPS (FWD_MAX_NEIGH + 2 * FWD_MAX_PORTS + 1)
#define FWD_MAX_ROUTES (FWD_MAX_USER_ROUTES + FWD_MAX_NEIGH + 3 * FWD_MAX_PORTS)
#define FWD_IFNAMSIZ 16
#define FWD_DEFAULT_MTU 1500

/** A router port: "port N name IF mac M addr A/L [mtu U]". */
struct fwd_port {
	int present;          /* 1 if declared */
	char name[FWD_IFNAMSIZ]; /* interface name */
	uint8_t mac[6];
	uint32_t addr;        /* port address, host order */
	uint8_t plen;         /* connected subnet prefix length */
	uint16_t mtu;         /* bytes of IP datagram */
};

/** A static neighbour: "neigh IP mac M port N". */
struct fwd_neigh {
	uint32_t ip;
	uint8_t mac[6];
	uint8_t port;
};

/** A route as written: "route P/L via G" (for paths that install it as is). */
struct fwd_user_route {
	uint32_t prefix;
	uint8_t len;
	uint32_t via;
};

/** A compiled LPM entry: prefix/len -> nexthops[nh]. */
struct fwd_route {
	uint32_t prefix;
	uint8_t len;
	uint16_t nh;
};

/** Everything a route file says, plus the compiled tables. */
struct fwd_table {
	struct fwd_port ports[FWD_MAX_PORTS];
	int nports;           /* number of declared ports */
	struct fwd_neigh neigh[FWD_MAX_NEIGH];
	int nneigh;
	struct fwd_user_route user[FWD_MAX_USER_ROUTES];
	int nuser;
	struct fwd_nexthop nexthops[FWD_MAX_NEXTHOPS];
	int nnexthops;
	struct fwd_route routes[FWD_MAX_ROUTES]; /* sorted: longest prefix first */
	int nroutes;
};

/**
 * fwd_table_load() - parse and compile a route file.
 * @path: file name (used in messages).
 * @t: output table (large: allocate it, do not put it on the stack).
 * @err, @errlen: on failure, one line "file:line: what was expected".
 * Returns 0, or -1 on any syntax or semantic error (duplicates, host bits
 * set, via outside every connected subnet, unknown port, limits exceeded).
 */
int fwd_table_load(const char *path, struct fwd_table *t, char *err,
		   size_t errlen);

/** fwd_table_parse() - as fwd_table_load() from an open stream. */
int fwd_table_parse(FILE *f, const char *name, struct fwd_table *t, char *err,
		    size_t errlen);

/**
 * fwd_table_port_by_name() - index of the port with interface name @name,
 * or -1.
 */
int fwd_table_port_by_name(const struct fwd_table *t, const char *name);

/**
 * fwd_lpm_ref() - the reference longest-prefix match: a linear scan over
 * routes[] sorted longest prefix first, first match wins. Simple and
 * obviously correct (O(routes)); the oracle for every other LPM.
 * @daddr: destination, host byte order.
 * Returns the matching next hop or NULL (no route).
 */
const struct fwd_nexthop *fwd_lpm_ref(const struct fwd_table *t,
				      uint32_t daddr);

/** fwd_parse_ipv4() - "a.b.c.d" to host order; 0 on success, -1 if bad. */
int fwd_parse_ipv4(const char *s, uint32_t *out);

/** fwd_parse_mac() - "xx:xx:xx:xx:xx:xx" to 6 bytes; 0 or -1. */
int fwd_parse_mac(const char *s, uint8_t mac[6]);

/** fwd_format_ipv4() - host-order address to "a.b.c.d" in buf (>= 16 B). */
const char *fwd_format_ipv4(uint32_t a, char *buf);

#endif /* FWD_ROUTES_H */
