// SPDX-License-Identifier: BSD-2-Clause
/*
 * sock_util.c - option parsing and frame helpers of fwd-socket.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sock_util.h"

#define MAX_CPU 1024

static int parse_cpu(const char **p, long *out)
{
	char *end;

	if (**p < '0' || **p > '9')
		return -1;
	errno = 0;
	*out = strtol(*p, &end, 10);
	if (errno || *out >= MAX_CPU)
		return -1;
	*p = end;
	return 0;
}

int sock_parse_cpu_list(const char *s, int *cpus, int max)
{
	const char *p = s;
	long lo, hi, c;
	int n = 0;

	if (!s || !*s)
		return -1;
	for (;;) {
		if (parse_cpu(&p, &lo))
			return -1;
		hi = lo;
		if (*p == '-') {
			p++;
			if (parse_cpu(&p, &hi) || hi < lo)
				return -1;
		}
		for (c = lo; c <= hi; c++) {
			if (n >= max)
				return -1;
			cpus[n++] = (int)c;
		}
		if (*p == '\0')
			return n;
		if (*p != ',')
			return -1;
		p++;
	}
}

int sock_parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || end == s || !(v >= 0.0) || v > 86400.0)
		return -1;
	*out = v;
	return 0;
}

int sock_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

size_t sock_vlan_reinsert(uint8_t *out, size_t cap, const uint8_t *frame,
			  size_t len, uint16_t tpid, uint16_t tci)
{
	if (len < 12 || cap < len + 4)
		return 0;
	if (!tpid)
		tpid = 0x8100;
	memcpy(out, frame, 12);          /* dst MAC, src MAC */
	out[12] = (uint8_t)(tpid >> 8);  /* TPID, network order */
	out[13] = (uint8_t)tpid;
	out[14] = (uint8_t)(tci >> 8);   /* PCP, DEI, VID */
	out[15] = (uint8_t)tci;
	memcpy(out + 16, frame + 12, len - 12); /* inner ethertype, payload */
	return len + 4;
}

size_t sock_vlan_reinsert_inplace(uint8_t *buf, size_t len, uint16_t tpid,
				  uint16_t tci)
{
	if (len < 12)
		return 0;
	if (!tpid)
		tpid = 0x8100;
	memmove(buf, buf + 4, 12);       /* MACs into the headroom */
	buf[12] = (uint8_t)(tpid >> 8);
	buf[13] = (uint8_t)tpid;
	buf[14] = (uint8_t)(tci >> 8);
	buf[15] = (uint8_t)tci;          /* ethertype onwards already at 16 */
	return len + 4;
}

uint32_t sock_pow2_at_least(uint32_t v, uint32_t min)
{
	uint32_t p = min ? min : 1;

	while (p < v && p < (1u << 31))
		p <<= 1;
	return p;
}
