/* wire.h — what crossed a lab's links: frames read from a packet socket
 * in the lab's sandbox (capture.c), decoded into plain structs (decode.c),
 * and written as a pcap file that tcpdump -r and Wireshark read (pcap.c,
 * libpcap).
 *
 * The packet socket (AF_PACKET, ETH_P_ALL) is opened by the runner inside
 * the sandbox's network namespace and handed over; only the sandbox's own
 * interfaces are seen, never the host's.  A packet is taken once, as it is
 * received (PACKET_OUTGOING copies are left out: on lo and on a veth pair
 * inside the sandbox each packet would show twice).  Rendering is
 * render/wire.c's.  Every read can be replayed from recorded frames. */
#ifndef SOCKLAB_WIRE_H
#define SOCKLAB_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>
#include <netinet/in.h>

#define WIRE_SNAP 256		/* bytes kept of a frame: headers and a payload's start */

/* One frame as the packet socket gave it. */
struct wire_frame {
	struct timeval ts;
	int ifindex;
	unsigned len;			/* on the wire */
	unsigned caplen;		/* kept in data */
	unsigned char data[WIRE_SNAP];
};

/* Open the packet socket in the calling process's network namespace:
 * non-blocking, timestamped.  fd, or -1 with errno (EPERM without
 * CAP_NET_RAW there). */
int wire_open(void);

/* Every frame waiting on fd into out[0..max) (received ones only); the
 * count.  *dropped: frames the kernel dropped for lack of room. */
size_t wire_read(int fd, struct wire_frame *out, size_t max, unsigned long *dropped);

enum wire_kind {
	WIRE_OTHER, WIRE_UDP, WIRE_TCP, WIRE_ICMP, WIRE_IGMP, WIRE_ARP,
};

/* A frame, decoded. */
struct wire_pkt {
	enum wire_kind kind;
	int family;			/* AF_INET, AF_INET6 (0: ARP, other) */
	struct in6_addr src, dst;	/* AF_INET: the first 4 bytes */
	uint16_t sport, dport;		/* UDP, TCP */
	unsigned payload;		/* UDP/TCP payload bytes, as the header says */
	unsigned char data[64];		/* its first bytes, as captured */
	unsigned ndata;
	uint8_t tcp_flags;		/* TH_SYN | TH_ACK ... */
	uint8_t type, code;		/* ICMP; IGMP's type */
	struct in6_addr group;		/* IGMP: the group */
	uint16_t arp_op;		/* ARP: 1 request, 2 reply */
	uint16_t ethertype;		/* WIRE_OTHER: what it was */
	/* the lab's hosts that hold src and dst ("alice"), "" none known:
	 * wire_decode leaves them empty, a consumer that knows the hosts
	 * (runner_host_of) names them, and the line says so */
	char src_host[16], dst_host[16];
};

/* Decode frame (an Ethernet frame: lo and veth both give one) into *p.
 * 0, or -1 when it is too short to say anything (kind WIRE_OTHER). */
int wire_decode(const struct wire_frame *f, struct wire_pkt *p);

/* A pcap file of Ethernet frames (libpcap): open, one frame at a time,
 * close.  NULL / -1 with why in the message. */
struct wire_pcap;
struct wire_pcap *wire_pcap_open(const char *path, char *why, size_t len);
void wire_pcap_write(struct wire_pcap *w, const struct wire_frame *f);
void wire_pcap_close(struct wire_pcap *w);

#endif
