/* pcap.c — a pcap file of the sandbox's frames, written with libpcap
 * (wire.h): Ethernet link type (lo and veth both give Ethernet frames),
 * the kernel's receive time, the frame's real length beside what was
 * kept (WIRE_SNAP bytes). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "wire.h"

struct wire_pcap {
	pcap_t *p;
	pcap_dumper_t *d;
};

struct wire_pcap *wire_pcap_open(const char *path, char *why, size_t len)
{
	struct wire_pcap *w = calloc(1, sizeof *w);

	if (!w) {
		snprintf(why, len, "out of memory");
		return NULL;
	}
	w->p = pcap_open_dead(DLT_EN10MB, WIRE_SNAP);
	if (!w->p) {
		snprintf(why, len, "pcap_open_dead failed");
		free(w);
		return NULL;
	}
	w->d = pcap_dump_open(w->p, path);
	if (!w->d) {
		snprintf(why, len, "%s", pcap_geterr(w->p));
		pcap_close(w->p);
		free(w);
		return NULL;
	}
	/* the lab socklab forks next must not inherit the file (its first
	 * socket would be fd 4, not 3) */
	fcntl(fileno(pcap_dump_file(w->d)), F_SETFD, FD_CLOEXEC);
	return w;
}

void wire_pcap_write(struct wire_pcap *w, const struct wire_frame *f)
{
	struct pcap_pkthdr h;

	if (!w)
		return;
	memset(&h, 0, sizeof h);
	h.ts = f->ts;
	h.caplen = f->caplen;
	h.len = f->len;
	pcap_dump((u_char *)w->d, &h, f->data);
}

void wire_pcap_close(struct wire_pcap *w)
{
	if (!w)
		return;
	pcap_dump_close(w->d);
	pcap_close(w->p);
	free(w);
}
