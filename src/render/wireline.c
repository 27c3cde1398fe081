/* wireline.c — a decoded packet as one line (render/wireline.h). */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "glyphs.h"
#include "lab/outcome.h"
#include "wireline.h"

/* "127.0.0.1:5000", "[::1]:5000"; without the port when port < 0; after
 * the name of the host that holds it, when known ("alice 10.0.0.2:5000") */
static void addr(char *buf, size_t len, int family, const struct in6_addr *a, int port,
		 const char *host)
{
	char ip[INET6_ADDRSTRLEN];
	const char *sp = host && host[0] ? " " : "";

	host = host ? host : "";
	inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, a, ip, sizeof ip);
	if (port < 0)
		snprintf(buf, len, "%s%s%s", host, sp, ip);
	else if (family == AF_INET6)
		snprintf(buf, len, "%s%s[%s]:%d", host, sp, ip, port);
	else
		snprintf(buf, len, "%s%s%s:%d", host, sp, ip, port);
}

static void tcp_flags(char *buf, size_t len, unsigned f)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = { { 0x02, "SYN" }, { 0x01, "FIN" }, { 0x04, "RST" }, { 0x08, "PSH" },
		      { 0x10, "ACK" } };
	size_t n = (size_t)snprintf(buf, len, "[");

	for (size_t i = 0; i < sizeof names / sizeof names[0] && n < len; i++)
		if (f & names[i].bit)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n > 1 ? "," : "", names[i].name);
	if (n < len)
		snprintf(buf + n, len - n, "]");
}

/* ICMP's words for the types a lab meets */
static const char *icmp_words(int v6, unsigned type, unsigned code)
{
	if (!v6 && type == 3)
		return code == 3 ? "port unreachable" : code == 1 ? "host unreachable" :
							     "destination unreachable";
	if (v6 && type == 1)
		return code == 4 ? "port unreachable" : "destination unreachable";
	if ((!v6 && type == 8) || (v6 && type == 128))
		return "echo request";
	if ((!v6 && type == 0) || (v6 && type == 129))
		return "echo reply";
	if (v6 && (type == 135 || type == 136))
		return type == 135 ? "neighbour solicitation" : "neighbour advertisement";
	if (v6 && (type == 143 || type == 131))
		return "MLD report";
	return NULL;
}

void wireline_format(char *buf, size_t len, const struct wire_pkt *p)
{
	const char *arrow = glyph(GLYPH_ARROW);
	char s[80], d[80], more[160] = "";
	const char *w;

	switch (p->kind) {
	case WIRE_UDP:
	case WIRE_TCP:
		addr(s, sizeof s, p->family, &p->src, p->sport, p->src_host);
		addr(d, sizeof d, p->family, &p->dst, p->dport, p->dst_host);
		if (p->kind == WIRE_TCP)
			tcp_flags(more, sizeof more, p->tcp_flags);
		if (p->payload) {
			char data[100];
			size_t n = strlen(more);

			outcome_payload(data, sizeof data, p->data, p->ndata);
			snprintf(more + n, sizeof more - n, "%s%u byte%s \"%s%s\"", n ? " " : "",
				 p->payload, p->payload == 1 ? "" : "s", data,
				 p->ndata < p->payload && !strstr(data, "...") ? "..." : "");
		}
		snprintf(buf, len, "%s %s %s %s %s", s, arrow, d, p->kind == WIRE_UDP ? "UDP" : "TCP",
			 more);
		break;
	case WIRE_ICMP:
		addr(s, sizeof s, p->family, &p->src, -1, p->src_host);
		addr(d, sizeof d, p->family, &p->dst, -1, p->dst_host);
		w = icmp_words(p->family == AF_INET6, p->type, p->code);
		if (w)
			snprintf(buf, len, "%s %s %s ICMP%s %s", s, arrow, d,
				 p->family == AF_INET6 ? "v6" : "", w);
		else
			snprintf(buf, len, "%s %s %s ICMP%s type %u code %u", s, arrow, d,
				 p->family == AF_INET6 ? "v6" : "", p->type, p->code);
		break;
	case WIRE_IGMP:
		addr(s, sizeof s, AF_INET, &p->src, -1, p->src_host);
		addr(d, sizeof d, AF_INET, &p->dst, -1, p->dst_host);
		addr(more, sizeof more, AF_INET, &p->group, -1, NULL);
		snprintf(buf, len, "%s %s %s IGMP %s %s", s, arrow, d,
			 p->type == 0x11 ? "query" : p->type == 0x16 ? "v2 report, member of" :
			 p->type == 0x17 ? "leave" : p->type == 0x22 ? "v3 report, group" : "type",
			 p->type == 0x11 || p->type == 0x16 || p->type == 0x17 || p->type == 0x22 ?
			 more : "?");
		break;
	case WIRE_ARP:
		addr(s, sizeof s, AF_INET, &p->src, -1, p->src_host);
		addr(d, sizeof d, AF_INET, &p->dst, -1, p->dst_host);
		if (p->arp_op == 1)
			snprintf(buf, len, "ARP who has %s? tell %s", d, s);
		else
			snprintf(buf, len, "ARP %s is here (reply to %s)", s, d);
		break;
	case WIRE_OTHER:
		if (p->family) {
			addr(s, sizeof s, p->family, &p->src, -1, p->src_host);
			addr(d, sizeof d, p->family, &p->dst, -1, p->dst_host);
			snprintf(buf, len, "%s %s %s IP (not decoded)", s, arrow, d);
		} else {
			snprintf(buf, len, "ethertype 0x%04x (not decoded)", p->ethertype);
		}
		break;
	}
}
