/* decode.c — an Ethernet frame of the sandbox into a struct wire_pkt
 * (wire.h): IPv4 and IPv6 with UDP, TCP, ICMP and IGMP, and ARP.  Bounds
 * are checked against what was captured; a header that does not fit
 * leaves the packet WIRE_OTHER, said as such. */
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "wire.h"

static uint16_t be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* UDP or TCP (or ICMP, IGMP) at p, n bytes captured of l4len on the wire. */
static void l4(struct wire_pkt *pk, int proto, const unsigned char *p, size_t n, unsigned l4len)
{
	size_t hl;

	switch (proto) {
	case 17:	/* UDP */
		if (n < 8)
			return;
		pk->kind = WIRE_UDP;
		pk->sport = be16(p);
		pk->dport = be16(p + 2);
		pk->payload = be16(p + 4) >= 8 ? be16(p + 4) - 8u : 0;
		hl = 8;
		break;
	case 6:		/* TCP */
		if (n < 20)
			return;
		hl = (size_t)(p[12] >> 4) * 4;
		if (hl < 20 || hl > n)
			return;
		pk->kind = WIRE_TCP;
		pk->sport = be16(p);
		pk->dport = be16(p + 2);
		pk->tcp_flags = p[13];
		pk->payload = l4len > hl ? l4len - (unsigned)hl : 0;
		break;
	case 1:		/* ICMP */
	case 58:	/* ICMPv6 */
		if (n < 4)
			return;
		pk->kind = WIRE_ICMP;
		pk->type = p[0];
		pk->code = p[1];
		return;
	case 2:		/* IGMP: its type, and the group of v1/v2 or v3's first record */
		if (n < 8)
			return;
		pk->kind = WIRE_IGMP;
		pk->type = p[0];
		if (p[0] == 0x22 && n >= 16)	/* v3 report: the first record's group */
			memcpy(&pk->group, p + 12, 4);
		else
			memcpy(&pk->group, p + 4, 4);
		return;
	default:
		return;
	}
	n -= hl;
	pk->ndata = n < sizeof pk->data ? (unsigned)n : (unsigned)sizeof pk->data;
	if (pk->ndata > pk->payload)
		pk->ndata = pk->payload;	/* not the Ethernet padding */
	memcpy(pk->data, p + hl, pk->ndata);
}

int wire_decode(const struct wire_frame *f, struct wire_pkt *pk)
{
	const unsigned char *p = f->data;
	size_t n = f->caplen;

	memset(pk, 0, sizeof *pk);
	if (n < 14)
		return -1;
	pk->ethertype = be16(p + 12);
	p += 14;
	n -= 14;
	if (pk->ethertype == 0x0800 && n >= 20) {	/* IPv4 */
		size_t hl = (size_t)(p[0] & 15) * 4;
		unsigned total = be16(p + 2);

		if (hl < 20 || hl > n)
			return 0;
		pk->family = AF_INET;
		memcpy(&pk->src, p + 12, 4);
		memcpy(&pk->dst, p + 16, 4);
		/* a fragment after the first carries no L4 header */
		if ((be16(p + 6) & 0x1fff) == 0)
			l4(pk, p[9], p + hl, n - hl, total > hl ? total - (unsigned)hl : 0);
	} else if (pk->ethertype == 0x86dd && n >= 40) {	/* IPv6 */
		int next = p[6];
		size_t at = 40;
		unsigned plen = be16(p + 4);

		pk->family = AF_INET6;
		memcpy(&pk->src, p + 8, 16);
		memcpy(&pk->dst, p + 24, 16);
		/* hop-by-hop options (an MLD report carries the router alert):
		 * skipped to what follows them */
		if (next == 0 && n >= at + 8) {
			size_t hl = ((size_t)p[at + 1] + 1) * 8;

			next = p[at];
			plen = plen > hl ? plen - (unsigned)hl : 0;
			at += hl;
		}
		if (at <= n)
			l4(pk, next, p + at, n - at, plen);
	} else if (pk->ethertype == 0x0806 && n >= 28) {	/* ARP for IPv4 */
		pk->kind = WIRE_ARP;
		pk->arp_op = be16(p + 6);
		memcpy(&pk->src, p + 14, 4);	/* sender IP */
		memcpy(&pk->dst, p + 24, 4);	/* target IP */
	}
	return 0;
}
