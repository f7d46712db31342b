// SPDX-License-Identifier: BSD-2-Clause
/*
 * fkm_cap.c - AF_PACKET captures merged by receive timestamp (fkm_cap.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "fkm_cap.h"

#define RCVBUF (8 << 20)

int fkm_packet_socket(const char *ifname, unsigned short proto)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(proto) };
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(proto));

	if (fd < 0) {
		fprintf(stderr, "fkm-pcap: AF_PACKET socket: %s\n", strerror(errno));
		return -1;
	}
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		fprintf(stderr, "fkm-pcap: %s: %s\n", ifname, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int add_socket(struct fkm_cap *c, const char *ifname, unsigned short proto)
{
	int one = 1, size = RCVBUF, fd;

	if (c->nfd == FKM_CAP_MAX_SOCKS) {
		fprintf(stderr, "fkm-pcap: more than %d protocols\n", FKM_CAP_MAX_SOCKS);
		return -1;
	}
	fd = fkm_packet_socket(ifname, proto);
	if (fd < 0)
		return -1;
	c->ifname = ifname;
	c->fd[c->nfd++] = fd;
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return 0;
}

int fkm_cap_open_all(struct fkm_cap *c, const char *ifname)
{
	return add_socket(c, ifname, ETH_P_ALL);
}

/* skb->protocol that eth_type_trans() and VLAN untagging give a frame. */
static unsigned short frame_proto(const unsigned char *d, unsigned int len)
{
	unsigned short t = (unsigned short)(d[12] << 8 | d[13]);

	if ((t == ETH_P_8021Q || t == ETH_P_8021AD) && len >= 18)
		return (unsigned short)(d[16] << 8 | d[17]); /* after untag */
	if (t >= ETH_P_802_3_MIN)
		return t;
	if (len >= 16 && d[14] == 0xff && d[15] == 0xff)
		return ETH_P_802_3;
	return ETH_P_802_2;
}

int fkm_cap_open_after_hook(struct fkm_cap *c, const char *ifname,
			    const char *pcap_path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	unsigned short seen[FKM_CAP_MAX_SOCKS];
	struct pcap_pkthdr *h;
	const unsigned char *d;
	pcap_t *pc = pcap_open_offline(pcap_path, errbuf);
	int i, n = 0, r;

	if (!pc) {
		fprintf(stderr, "fkm-pcap: %s\n", errbuf);
		return -1;
	}
	while ((r = pcap_next_ex(pc, &h, &d)) == 1) {
		unsigned short t;

		if (h->caplen < ETH_HLEN)
			continue;
		t = frame_proto(d, h->caplen);
		for (i = 0; i < n && seen[i] != t; i++)
			;
		if (i < n)
			continue;
		if (n == FKM_CAP_MAX_SOCKS || add_socket(c, ifname, t)) {
			pcap_close(pc);
			return -1;
		}
		seen[n++] = t;
	}
	pcap_close(pc);
	c->ifname = ifname;
	return r == PCAP_ERROR ? -1 : 0;
}

/* One frame from @fd; 1 frame, 0 none left, -1 error. */
static int read_frame(int fd, struct fkm_frame *f, unsigned char *buf)
{
	char cbuf[CMSG_SPACE(sizeof(struct timespec)) +
		  CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	struct sockaddr_ll from;
	struct iovec iov = { .iov_base = buf, .iov_len = FKM_SNAPLEN };
	struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from),
			    .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct tpacket_auxdata aux = { 0 };
	struct cmsghdr *cm;
	ssize_t n;
	size_t tag = 0;

	do {
		n = recvmsg(fd, &m, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	} while (from.sll_pkttype == PACKET_OUTGOING);
	if (n > FKM_SNAPLEN - 4) {
		errno = EMSGSIZE;
		return -1;
	}
	memset(f, 0, sizeof(*f));
	for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS)
			memcpy(&f->ts, CMSG_DATA(cm), sizeof(f->ts));
		if (cm->cmsg_level == SOL_PACKET && cm->cmsg_type == PACKET_AUXDATA)
			memcpy(&aux, CMSG_DATA(cm), sizeof(aux));
	}
	if ((aux.tp_status & TP_STATUS_VLAN_VALID) && n >= 12)
		tag = 4;
	f->len = (unsigned int)((size_t)n + tag);
	f->data = malloc(f->len);
	if (!f->data)
		return -1;
	if (tag) { /* dst, src, TPID, TCI, then the rest as received */
		unsigned short tpid = (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ?
				      aux.tp_vlan_tpid : ETH_P_8021Q;

		memcpy(f->data, buf, 12);
		f->data[12] = (unsigned char)(tpid >> 8);
		f->data[13] = (unsigned char)tpid;
		f->data[14] = (unsigned char)(aux.tp_vlan_tci >> 8);
		f->data[15] = (unsigned char)aux.tp_vlan_tci;
		memcpy(f->data + 16, buf + 12, (size_t)n - 12);
	} else {
		memcpy(f->data, buf, (size_t)n);
	}
	return 1;
}

long fkm_cap_drain(struct fkm_cap *c)
{
	static unsigned char buf[FKM_SNAPLEN];
	long got = 0;
	int k, r;

	for (k = 0; k < c->nfd; k++) {
		for (;;) {
			if (c->nfr == c->cap) {
				size_t cap = c->cap ? 2 * c->cap : 256;
				struct fkm_frame *nf = realloc(c->fr, cap * sizeof(*nf));

				if (!nf)
					return -1;
				c->fr = nf;
				c->cap = cap;
			}
			r = read_frame(c->fd[k], &c->fr[c->nfr], buf);
			if (r < 0) {
				fprintf(stderr, "fkm-pcap: %s: receive: %s\n", c->ifname, strerror(errno));
				return -1;
			}
			if (r == 0)
				break;
			c->nfr++;
			got++;
		}
	}
	return got;
}

static int frame_cmp(const void *a, const void *b)
{
	const struct fkm_frame *x = a, *y = b;

	if (x->ts.tv_sec != y->ts.tv_sec)
		return x->ts.tv_sec < y->ts.tv_sec ? -1 : 1;
	if (x->ts.tv_nsec != y->ts.tv_nsec)
		return x->ts.tv_nsec < y->ts.tv_nsec ? -1 : 1;
	return x < y ? -1 : x > y; /* keeps each socket's own order */
}

int fkm_cap_finish(struct fkm_cap *c, const char *path)
{
	pcap_dumper_t *dump = NULL;
	pcap_t *dead;
	size_t i;
	int k, rc = -1;

	for (k = 0; k < c->nfd; k++) {
		struct tpacket_stats st;
		socklen_t sl = sizeof(st);

		if (!getsockopt(c->fd[k], SOL_PACKET, PACKET_STATISTICS, &st, &sl) &&
		    st.tp_drops) {
			fprintf(stderr, "fkm-pcap: %s: the kernel dropped %u frame(s) for this capture\n",
				c->ifname, st.tp_drops);
			return -1;
		}
	}
	qsort(c->fr, c->nfr, sizeof(*c->fr), frame_cmp);
	dead = pcap_open_dead(DLT_EN10MB, FKM_SNAPLEN);
	if (dead)
		dump = pcap_dump_open(dead, path);
	if (!dump) {
		fprintf(stderr, "fkm-pcap: %s: %s\n", path, dead ? pcap_geterr(dead) : "pcap");
		goto out;
	}
	for (i = 0; i < c->nfr; i++) {
		struct pcap_pkthdr h = { .caplen = c->fr[i].len, .len = c->fr[i].len };

		h.ts.tv_sec = c->fr[i].ts.tv_sec;
		h.ts.tv_usec = c->fr[i].ts.tv_nsec / 1000;
		pcap_dump((u_char *)dump, &h, c->fr[i].data);
	}
	rc = pcap_dump_flush(dump) ? -1 : 0;
	if (rc)
		fprintf(stderr, "fkm-pcap: %s: write error\n", path);
	pcap_dump_close(dump);
out:
	if (dead)
		pcap_close(dead);
	return rc;
}

void fkm_cap_close(struct fkm_cap *c)
{
	size_t i;
	int k;

	for (k = 0; k < c->nfd; k++)
		close(c->fd[k]);
	for (i = 0; i < c->nfr; i++)
		free(c->fr[i].data);
	free(c->fr);
	memset(c, 0, sizeof(*c));
}
