// SPDX-License-Identifier: BSD-2-Clause
/*
 * fkm-pcap - the two ends of the kernel-module golden test (README.md):
 *
 *   fkm-pcap replay --if IF --in IN.pcap [--sent SENT.pcap] [--cpu N]
 *       Transmits every frame of IN.pcap, in order, on IF through an
 *       AF_PACKET socket, from one pinned CPU so that the receive side
 *       keeps the order. Frames shorter than an Ethernet header cannot be
 *       sent on an Ethernet device (the kernel's dev_validate_header()
 *       refuses them): they are skipped and counted; --sent writes the
 *       frames actually sent (the input the result must be compared to).
 *       Prints "sent N skipped M".
 *
 *   fkm-pcap capture --if IF --out OUT.pcap [--ready-file P]
 *       Records frames received on IF (not those sent from it) until
 *       SIGINT/SIGTERM: an ETH_P_ALL AF_PACKET socket with an 8 MiB
 *       buffer, VLAN tags restored from PACKET_AUXDATA; fails if the
 *       kernel dropped any frame for it.
 *
 *   fkm-pcap vlan-count --in FILE.pcap
 *       Prints how many frames carry an 802.1Q / 802.1ad tag.
 *
 *   fkm-pcap capture --after-hook --protos-from IN.pcap --if IF --out OUT.pcap
 *       Records the frames that the ingress hooks let through to the stack
 *       (punts): AF_PACKET sockets bound to one protocol each (never
 *       ETH_P_ALL) sit in the device's ptype list, which the kernel serves
 *       *after* netfilter ingress and rx_handler; ETH_P_ALL taps run
 *       before them. One socket per protocol found in IN.pcap, merged by
 *       the kernel's receive timestamp. Limit: an 802.1Q/802.1ad tag is
 *       removed from the skb before this point, so tagged frames are seen
 *       without their tag.
 *
 * Exit: 0 ok, 1 I/O or socket error, 2 usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#define SNAPLEN 65535
#define MAX_PROTOS 32

struct opts {
	const char *ifname, *in, *out, *sent, *ready, *protos_from;
	int cpu, after_hook;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: fkm-pcap replay --if IF --in IN.pcap [--sent SENT.pcap] [--cpu N]\n"
		"       fkm-pcap capture --if IF --out OUT.pcap [--ready-file P]\n"
		"       fkm-pcap vlan-count --in FILE.pcap\n"
		"                        [--after-hook --protos-from IN.pcap]\n");
	return 2;
}

static int write_ready(const char *path)
{
	int fd;

	if (!path)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || close(fd)) {
		fprintf(stderr, "fkm-pcap: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int packet_socket(const char *ifname, unsigned short proto)
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

static int replay(const struct opts *o)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_dumper_t *sent = NULL;
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned long n = 0, skipped = 0;
	cpu_set_t set;
	pcap_t *pc;
	int fd, rc = 1, r;

	CPU_ZERO(&set);
	CPU_SET(o->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		fprintf(stderr, "fkm-pcap: pin to CPU %d: %s (order may suffer)\n",
			o->cpu, strerror(errno));
	pc = pcap_open_offline(o->in, errbuf);
	if (!pc) {
		fprintf(stderr, "fkm-pcap: %s\n", errbuf);
		return 1;
	}
	fd = packet_socket(o->ifname, 0); /* protocol 0: send only */
	if (fd < 0)
		goto out;
	if (o->sent && !(sent = pcap_dump_open(pc, o->sent))) {
		fprintf(stderr, "fkm-pcap: %s\n", pcap_geterr(pc));
		goto out;
	}
	while ((r = pcap_next_ex(pc, &h, &data)) == 1) {
		if (h->caplen != h->len) {
			fprintf(stderr, "fkm-pcap: %s: frame cut by the snaplen\n", o->in);
			goto out;
		}
		if (h->caplen < ETH_HLEN) {
			skipped++;
			continue;
		}
		if (send(fd, data, h->caplen, 0) != (ssize_t)h->caplen) {
			fprintf(stderr, "fkm-pcap: send %u-byte frame on %s: %s\n",
				h->caplen, o->ifname, strerror(errno));
			goto out;
		}
		if (sent)
			pcap_dump((u_char *)sent, h, data);
		n++;
	}
	if (r == PCAP_ERROR) {
		fprintf(stderr, "fkm-pcap: %s: %s\n", o->in, pcap_geterr(pc));
		goto out;
	}
	printf("sent %lu skipped %lu\n", n, skipped);
	rc = 0;
out:
	if (sent)
		pcap_dump_close(sent);
	if (fd >= 0)
		close(fd);
	pcap_close(pc);
	return rc;
}

/* skb->protocol that eth_type_trans() and VLAN untagging give a frame. */
static unsigned short frame_proto(const u_char *d, unsigned int len)
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

static int protos_of(const char *path, unsigned short *p, int *n)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *pc = pcap_open_offline(path, errbuf);
	int i, r;

	if (!pc) {
		fprintf(stderr, "fkm-pcap: %s\n", errbuf);
		return -1;
	}
	*n = 0;
	while ((r = pcap_next_ex(pc, &h, &d)) == 1) {
		unsigned short t;

		if (h->caplen < ETH_HLEN)
			continue;
		t = frame_proto(d, h->caplen);
		for (i = 0; i < *n && p[i] != t; i++)
			;
		if (i == *n && *n < MAX_PROTOS)
			p[(*n)++] = t;
	}
	pcap_close(pc);
	return r == PCAP_ERROR ? -1 : 0;
}

static int vlan_count(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *pc = pcap_open_offline(path, errbuf);
	unsigned long n = 0;
	int r;

	if (!pc) {
		fprintf(stderr, "fkm-pcap: %s\n", errbuf);
		return 1;
	}
	while ((r = pcap_next_ex(pc, &h, &d)) == 1) {
		unsigned short t;

		if (h->caplen < ETH_HLEN)
			continue;
		t = (unsigned short)(d[12] << 8 | d[13]);
		n += t == ETH_P_8021Q || t == ETH_P_8021AD;
	}
	pcap_close(pc);
	if (r == PCAP_ERROR)
		return 1;
	printf("%lu\n", n);
	return 0;
}

struct frame {
	struct timespec ts;
	unsigned int len;
	u_char *data;
};

static int frame_cmp(const void *a, const void *b)
{
	const struct frame *x = a, *y = b;

	if (x->ts.tv_sec != y->ts.tv_sec)
		return x->ts.tv_sec < y->ts.tv_sec ? -1 : 1;
	if (x->ts.tv_nsec != y->ts.tv_nsec)
		return x->ts.tv_nsec < y->ts.tv_nsec ? -1 : 1;
	return x < y ? -1 : x > y; /* stable */
}

/*
 * Read one frame from @fd with its receive timestamp, re-inserting an
 * 802.1Q/802.1ad tag the kernel reports in PACKET_AUXDATA (it lives in skb
 * metadata, not in the data). Frames this host sent are skipped.
 * Returns 1 (frame), 2 (skipped), 0 (none left) or -1.
 */
static int read_frame(int fd, struct frame *f, u_char *buf)
{
	char cbuf[CMSG_SPACE(sizeof(struct timespec)) +
		  CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	struct sockaddr_ll from;
	struct iovec iov = { .iov_base = buf, .iov_len = SNAPLEN };
	struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from),
			    .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct tpacket_auxdata aux = { 0 };
	struct cmsghdr *c;
	ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT | MSG_TRUNC);
	size_t len, tag = 0;

	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	if (from.sll_pkttype == PACKET_OUTGOING)
		return 2;
	if (n > SNAPLEN - 4) {
		errno = EMSGSIZE;
		return -1;
	}
	memset(f, 0, sizeof(*f));
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS)
			memcpy(&f->ts, CMSG_DATA(c), sizeof(f->ts));
		if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA)
			memcpy(&aux, CMSG_DATA(c), sizeof(aux));
	}
	if ((aux.tp_status & TP_STATUS_VLAN_VALID) && n >= 12)
		tag = 4;
	len = (size_t)n + tag;
	f->len = (unsigned int)len;
	f->data = malloc(len);
	if (!f->data)
		return -1;
	if (tag) { /* dst, src, TPID, TCI, then the rest as received */
		unsigned short tpid = (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ?
				      aux.tp_vlan_tpid : ETH_P_8021Q;

		memcpy(f->data, buf, 12);
		f->data[12] = (u_char)(tpid >> 8);
		f->data[13] = (u_char)tpid;
		f->data[14] = (u_char)(aux.tp_vlan_tci >> 8);
		f->data[15] = (u_char)aux.tp_vlan_tci;
		memcpy(f->data + 16, buf + 12, (size_t)n - 12);
	} else {
		memcpy(f->data, buf, (size_t)n);
	}
	return 1;
}

/*
 * Capture until a signal: ETH_P_ALL (every frame received on the device,
 * before any hook) or, with --after-hook, one socket per protocol of
 * --protos-from (frames the ingress hooks let through); merged by the
 * kernel's receive timestamp. Fails if the kernel dropped a frame.
 */
static int capture(const struct opts *o)
{
	static u_char buf[SNAPLEN];
	unsigned short protos[MAX_PROTOS];
	struct pollfd pfd[MAX_PROTOS];
	struct frame *fr = NULL;
	size_t nfr = 0, cap = 0, i;
	int np = 0, k, one = 1, size = 8 << 20, rc = 1;
	pcap_dumper_t *dump = NULL;
	pcap_t *dead = NULL;

	if (!o->after_hook) {
		protos[0] = ETH_P_ALL;
		np = 1;
	} else if (protos_of(o->protos_from, protos, &np)) {
		return 1;
	}
	for (k = 0; k < np; k++) {
		pfd[k].fd = packet_socket(o->ifname, protos[k]);
		pfd[k].events = POLLIN;
		if (pfd[k].fd < 0) {
			np = k;
			goto out;
		}
		setsockopt(pfd[k].fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
		setsockopt(pfd[k].fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));
		if (setsockopt(pfd[k].fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
			setsockopt(pfd[k].fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	}
	if (write_ready(o->ready))
		goto out;
	for (;;) {
		int last = stop;

		poll(pfd, (nfds_t)np, 50);
		for (k = 0; k < np; k++) {
			struct frame f;
			int r;

			while ((r = read_frame(pfd[k].fd, &f, buf)) > 0) {
				if (r == 2)
					continue;
				if (nfr == cap) {
					struct frame *nf;

					cap = cap ? 2 * cap : 256;
					nf = realloc(fr, cap * sizeof(*fr));
					if (!nf)
						goto out;
					fr = nf;
				}
				fr[nfr++] = f;
			}
			if (r < 0) {
				fprintf(stderr, "fkm-pcap: receive: %s\n", strerror(errno));
				goto out;
			}
		}
		if (last)
			break; /* one full drain after the signal */
	}
	for (k = 0; k < np; k++) {
		struct tpacket_stats st;
		socklen_t sl = sizeof(st);

		if (!getsockopt(pfd[k].fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl) &&
		    st.tp_drops) {
			fprintf(stderr, "fkm-pcap: %s: the kernel dropped %u frame(s) for this capture\n",
				o->ifname, st.tp_drops);
			goto out;
		}
	}
	qsort(fr, nfr, sizeof(*fr), frame_cmp);
	dead = pcap_open_dead(DLT_EN10MB, SNAPLEN);
	dump = dead ? pcap_dump_open(dead, o->out) : NULL;
	if (!dump) {
		fprintf(stderr, "fkm-pcap: %s: %s\n", o->out, dead ? pcap_geterr(dead) : "pcap");
		goto out;
	}
	for (i = 0; i < nfr; i++) {
		struct pcap_pkthdr h = { .caplen = fr[i].len, .len = fr[i].len };

		h.ts.tv_sec = fr[i].ts.tv_sec;
		h.ts.tv_usec = fr[i].ts.tv_nsec / 1000;
		pcap_dump((u_char *)dump, &h, fr[i].data);
	}
	rc = pcap_dump_flush(dump) ? 1 : 0;
out:
	if (dump)
		pcap_dump_close(dump);
	if (dead)
		pcap_close(dead);
	for (i = 0; i < nfr; i++)
		free(fr[i].data);
	free(fr);
	for (k = 0; k < np; k++)
		close(pfd[k].fd);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "if", required_argument, NULL, 'i' },
		{ "in", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' },
		{ "sent", required_argument, NULL, 's' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "after-hook", no_argument, NULL, 'a' },
		{ "protos-from", required_argument, NULL, 'p' },
		{ 0 }
	};
	struct sigaction sa = { .sa_handler = on_signal };
	struct opts o = { 0 };
	const char *cmd;
	int c;

	if (argc < 2)
		return usage();
	cmd = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'i': o.ifname = optarg; break;
		case 'n': o.in = optarg; break;
		case 'o': o.out = optarg; break;
		case 's': o.sent = optarg; break;
		case 'r': o.ready = optarg; break;
		case 'c': o.cpu = atoi(optarg); break;
		case 'a': o.after_hook = 1; break;
		case 'p': o.protos_from = optarg; break;
		default: return usage();
		}
	}
	if (optind != argc)
		return usage();
	if (!strcmp(cmd, "vlan-count") && o.in)
		return vlan_count(o.in);
	if (!o.ifname)
		return usage();
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (!strcmp(cmd, "replay") && o.in)
		return replay(&o);
	if (!strcmp(cmd, "capture") && o.out && (!o.after_hook || o.protos_from))
		return capture(&o);
	return usage();
}
