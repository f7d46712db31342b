// SPDX-License-Identifier: BSD-2-Clause
/*
 * sink_capture.c - capture of the first N frames: the sink program passes
 * them to the host stack (XDP_PASS), where libpcap sees them on the sink
 * interface; a thread writes them to a pcap file.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

struct sink_cap {
	pcap_t *pcap;
	pcap_dumper_t *dump;
	uint64_t want, got;
	volatile int stop;
	pthread_t thread;
	int running;
};

/* the prototypes of sink.h, without its <linux/bpf.h> */
struct sink_cap *sink_cap_open(const char *dev, const char *path, uint64_t want,
			       char *err, size_t errlen);
int sink_cap_start(struct sink_cap *c, char *err, size_t errlen);
uint64_t sink_cap_close(struct sink_cap *c);

struct sink_cap *sink_cap_open(const char *dev, const char *path, uint64_t want,
			       char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct sink_cap *c = calloc(1, sizeof(*c));

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->want = want;
	c->pcap = pcap_create(dev, perr);
	if (!c->pcap) {
		snprintf(err, errlen, "capture on %s: %s", dev, perr);
		free(c);
		return NULL;
	}
	pcap_set_snaplen(c->pcap, 65535);
	pcap_set_immediate_mode(c->pcap, 1);
	pcap_set_timeout(c->pcap, 100);
	pcap_set_buffer_size(c->pcap, 32 << 20);
	if (pcap_activate(c->pcap) < 0) {
		snprintf(err, errlen, "capture on %s: %s", dev, pcap_geterr(c->pcap));
		pcap_close(c->pcap);
		free(c);
		return NULL;
	}
	if (pcap_setdirection(c->pcap, PCAP_D_IN) < 0) {
		/* not fatal: the sink never sends */
	}
	c->dump = pcap_dump_open(c->pcap, path);
	if (!c->dump) {
		snprintf(err, errlen, "%s", pcap_geterr(c->pcap));
		pcap_close(c->pcap);
		free(c);
		return NULL;
	}
	return c;
}

static void on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *d)
{
	struct sink_cap *c = (struct sink_cap *)user;

	if (c->got >= c->want)
		return;
	pcap_dump((u_char *)c->dump, h, d);
	c->got++;
}

static void *cap_thread(void *arg)
{
	struct sink_cap *c = arg;
	int r;

	while (c->got < c->want) {
		r = pcap_dispatch(c->pcap, -1, on_frame, (u_char *)c);
		if (r < 0)
			break;
		/* stop once asked and nothing more is buffered */
		if (c->stop && r == 0)
			break;
	}
	return NULL;
}

int sink_cap_start(struct sink_cap *c, char *err, size_t errlen)
{
	if (pthread_create(&c->thread, NULL, cap_thread, c)) {
		snprintf(err, errlen, "cannot start the capture thread");
		return -1;
	}
	c->running = 1;
	return 0;
}

uint64_t sink_cap_close(struct sink_cap *c)
{
	uint64_t got;

	if (!c)
		return 0;
	if (c->running) {
		c->stop = 1;
		pthread_join(c->thread, NULL);
		c->running = 0;
	}
	if (c->dump) {
		pcap_dump_close(c->dump);
		c->dump = NULL;
	}
	if (c->pcap) {
		pcap_close(c->pcap);
		c->pcap = NULL;
	}
	got = c->got;
	free(c);
	return got;
}
