// SPDX-License-Identifier: BSD-2-Clause
/*
 * sock_punt.c - punted frames to a pcap file (libpcap dumper + mutex).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>

#include <pcap/pcap.h>

#include "sock_punt.h"

#define SNAPLEN 65535

struct sock_punt {
	pthread_mutex_t lock;
	pcap_t *dead;
	pcap_dumper_t *dump;
};

struct sock_punt *sock_punt_open(const char *path, char *err, size_t errlen)
{
	struct sock_punt *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	p->dead = pcap_open_dead(DLT_EN10MB, SNAPLEN);
	if (!p->dead) {
		snprintf(err, errlen, "pcap_open_dead failed");
		free(p);
		return NULL;
	}
	p->dump = pcap_dump_open(p->dead, path);
	if (!p->dump) {
		snprintf(err, errlen, "%s", pcap_geterr(p->dead));
		pcap_close(p->dead);
		free(p);
		return NULL;
	}
	return p;
}

void sock_punt_write(struct sock_punt *p, const uint8_t *frame, uint32_t len,
		     uint32_t sec, uint32_t nsec)
{
	struct pcap_pkthdr h = { .caplen = len, .len = len };

	if (sec || nsec) {
		h.ts.tv_sec = sec;
		h.ts.tv_usec = nsec / 1000;
	} else {
		gettimeofday(&h.ts, NULL);
	}
	pthread_mutex_lock(&p->lock);
	pcap_dump((u_char *)p->dump, &h, frame);
	pthread_mutex_unlock(&p->lock);
}

int sock_punt_close(struct sock_punt *p)
{
	int rc = 0;

	if (!p)
		return 0;
	if (pcap_dump_flush(p->dump))
		rc = -1;
	pcap_dump_close(p->dump);
	pcap_close(p->dead);
	pthread_mutex_destroy(&p->lock);
	free(p);
	return rc;
}
