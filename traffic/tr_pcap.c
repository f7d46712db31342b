// SPDX-License-Identifier: BSD-2-Clause
/* tr_pcap.c - see tr_pcap.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "tr_pcap.h"
#include "tr_payload.h"

int tr_frames_add(struct tr_frames *f, const uint8_t *data, uint32_t len)
{
	uint32_t cap = f->n ? f->n : 0;
	uint8_t *copy;

	if (f->n >= TR_MAX_FRAMES)
		return -1;
	/* grow by powers of two */
	if (f->n == 0 || (f->n & (f->n - 1)) == 0) {
		uint32_t ncap = cap ? cap * 2 : 1;
		uint8_t **d = realloc(f->data, ncap * sizeof(*d));

		if (!d)
			return -1;
		f->data = d;
		uint32_t *l = realloc(f->len, ncap * sizeof(*l));

		if (!l)
			return -1;
		f->len = l;
		int *p = realloc(f->pl_off, ncap * sizeof(*p));

		if (!p)
			return -1;
		f->pl_off = p;
	}
	copy = malloc(len ? len : 1);
	if (!copy)
		return -1;
	memcpy(copy, data, len);
	f->data[f->n] = copy;
	f->len[f->n] = len;
	f->pl_off[f->n] = tr_payload_find(copy, copy + len);
	if (len > f->max_len)
		f->max_len = len;
	f->n++;
	return 0;
}

void tr_frames_free(struct tr_frames *f)
{
	uint32_t i;

	for (i = 0; i < f->n; i++)
		free(f->data[i]);
	free(f->data);
	free(f->len);
	free(f->pl_off);
	memset(f, 0, sizeof(*f));
}

int tr_frames_load(const char *path, struct tr_frames *f, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;
	int r;

	memset(f, 0, sizeof(*f));
	p = pcap_open_offline(path, perr);
	if (!p) {
		snprintf(err, errlen, "%s", perr);
		return -1;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		snprintf(err, errlen, "%s: not an Ethernet pcap", path);
		goto fail;
	}
	while ((r = pcap_next_ex(p, &h, &d)) == 1) {
		if (h->caplen < h->len) {
			snprintf(err, errlen, "%s: frame %u is truncated (%u of %u bytes)",
				 path, f->n, h->caplen, h->len);
			goto fail;
		}
		if (tr_frames_add(f, d, h->caplen) < 0) {
			snprintf(err, errlen, "%s: more than %u frames or out of memory",
				 path, TR_MAX_FRAMES);
			goto fail;
		}
	}
	if (r == -1) {
		snprintf(err, errlen, "%s: %s", path, pcap_geterr(p));
		goto fail;
	}
	if (f->n == 0) {
		snprintf(err, errlen, "%s: no frames", path);
		goto fail;
	}
	pcap_close(p);
	return 0;
fail:
	pcap_close(p);
	tr_frames_free(f);
	return -1;
}

int tr_frames_save(const struct tr_frames *f, const char *path, char *err,
		   size_t errlen)
{
	pcap_dumper_t *dump;
	pcap_t *dead;
	uint32_t i;

	dead = pcap_open_dead(DLT_EN10MB, 65535);
	if (!dead) {
		snprintf(err, errlen, "pcap_open_dead failed");
		return -1;
	}
	dump = pcap_dump_open(dead, path);
	if (!dump) {
		snprintf(err, errlen, "%s", pcap_geterr(dead));
		pcap_close(dead);
		return -1;
	}
	for (i = 0; i < f->n; i++) {
		struct pcap_pkthdr h = {
			.ts = { .tv_sec = i / 1000000, .tv_usec = i % 1000000 },
			.caplen = f->len[i], .len = f->len[i],
		};
		pcap_dump((u_char *)dump, &h, f->data[i]);
	}
	if (pcap_dump_flush(dump) < 0) {
		snprintf(err, errlen, "%s: write failed", path);
		pcap_dump_close(dump);
		pcap_close(dead);
		return -1;
	}
	pcap_dump_close(dump);
	pcap_close(dead);
	return 0;
}
