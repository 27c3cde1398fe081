/* test_wire.c — frames of the sandbox decoded and said: the bytes are
 * frames as a packet socket gives them (Ethernet headers on lo and veth
 * alike), built here field by field; what the wire pane and run --wire
 * print comes from these structs alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "render/glyphs.h"
#include "render/wireline.h"
#include "wire/wire.h"

static struct wire_frame frame;

/* an Ethernet header of ethertype type, then body */
static void build(unsigned type, const unsigned char *body, size_t n)
{
	memset(&frame, 0, sizeof frame);
	frame.data[12] = (unsigned char)(type >> 8);
	frame.data[13] = (unsigned char)type;
	memcpy(frame.data + 14, body, n);
	frame.caplen = frame.len = (unsigned)(14 + n);
}

/* IPv4 header (20 bytes) from a to b, protocol proto, total length tot */
static size_t ip4(unsigned char *p, const unsigned char a[4], const unsigned char b[4], int proto,
		  unsigned tot)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	p[2] = (unsigned char)(tot >> 8);
	p[3] = (unsigned char)tot;
	p[8] = 64;
	p[9] = (unsigned char)proto;
	memcpy(p + 12, a, 4);
	memcpy(p + 16, b, 4);
	return 20;
}

static const unsigned char lo[4] = { 127, 0, 0, 1 };

static void said(const char *want)
{
	struct wire_pkt p;
	char line[320], expect[320];
	const char *arrow = glyph(GLYPH_ARROW);
	size_t n = 0;

	/* want's "->" is the locale's arrow */
	for (const char *w = want; *w && n + 4 < sizeof expect; w++) {
		if (w[0] == '-' && w[1] == '>') {
			n += (size_t)snprintf(expect + n, sizeof expect - n, "%s", arrow);
			w++;
		} else {
			expect[n++] = *w;
		}
	}
	expect[n] = '\0';
	assert_int_equal(wire_decode(&frame, &p), 0);
	wireline_format(line, sizeof line, &p);
	assert_string_equal(line, expect);
}

static void a_udp_datagram_with_its_payload(void **state)
{
	unsigned char b[64] = { 0 };
	size_t at;

	(void)state;
	at = ip4(b, lo, lo, 17, 20 + 8 + 5);
	b[at] = 0x13, b[at + 1] = 0x89;		/* 5001 */
	b[at + 2] = 0x13, b[at + 3] = 0x88;	/* 5000 */
	b[at + 5] = 13;				/* length: 8 + 5 */
	memcpy(b + at + 8, "reply", 5);
	build(0x0800, b, at + 13);
	said("127.0.0.1:5001 -> 127.0.0.1:5000 UDP 5 bytes \"reply\"");
}

static void a_tcp_syn_and_data(void **state)
{
	unsigned char b[64] = { 0 };
	size_t at;

	(void)state;
	at = ip4(b, lo, lo, 6, 40);
	b[at] = 0x9c, b[at + 1] = 0x40;		/* 40000 */
	b[at + 2] = 0x1b, b[at + 3] = 0x58;	/* 7000 */
	b[at + 12] = 5 << 4;			/* 20-byte header */
	b[at + 13] = 0x02;			/* SYN */
	build(0x0800, b, at + 20);
	said("127.0.0.1:40000 -> 127.0.0.1:7000 TCP [SYN]");
	at = ip4(b, lo, lo, 6, 42);
	b[at + 13] = 0x18;			/* PSH, ACK */
	memcpy(b + at + 20, "hi", 2);
	build(0x0800, b, at + 22);
	said("127.0.0.1:40000 -> 127.0.0.1:7000 TCP [PSH,ACK] 2 bytes \"hi\"");
}

static void arp_and_igmp(void **state)
{
	unsigned char b[64] = { 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01 };
	const unsigned char me[4] = { 10, 77, 0, 1 }, them[4] = { 10, 77, 0, 2 };
	const unsigned char any[4] = { 0 }, igmp[4] = { 224, 0, 0, 22 };
	size_t at;

	(void)state;
	memcpy(b + 14, me, 4);
	memcpy(b + 24, them, 4);
	build(0x0806, b, 28);
	said("ARP who has 10.77.0.2? tell 10.77.0.1");
	at = ip4(b, any, igmp, 2, 20 + 16);
	memset(b + at, 0, 16);
	b[at] = 0x22;				/* v3 report */
	b[at + 7] = 1;				/* one record */
	b[at + 12] = 239, b[at + 13] = 1, b[at + 14] = 2, b[at + 15] = 3;
	build(0x0800, b, at + 16);
	said("0.0.0.0 -> 224.0.0.22 IGMP v3 report, group 239.1.2.3");
}

static void ipv6_udp_and_an_mld_report_behind_hop_by_hop(void **state)
{
	unsigned char b[96] = { 0 };

	(void)state;
	memset(b, 0, sizeof b);
	b[0] = 0x60;
	b[5] = 8 + 2;				/* payload length */
	b[6] = 17;				/* UDP */
	b[23] = 1, b[39] = 1;			/* ::1 -> ::1 */
	b[40] = 0x13, b[41] = 0x88, b[42] = 0x13, b[43] = 0x89, b[45] = 10;
	memcpy(b + 48, "ok", 2);
	build(0x86dd, b, 50);
	said("[::1]:5000 -> [::1]:5001 UDP 2 bytes \"ok\"");
	memset(b, 0, sizeof b);
	b[0] = 0x60;
	b[5] = 8 + 8;
	b[6] = 0;				/* hop-by-hop options ... */
	b[24] = 0xff, b[25] = 0x02, b[39] = 0x16;	/* :: -> ff02::16 */
	b[40] = 58;				/* ... then ICMPv6 */
	b[48] = 143;				/* MLDv2 report */
	build(0x86dd, b, 56);
	said(":: -> ff02::16 ICMPv6 MLD report");
}

static void what_cannot_be_read_is_said_so(void **state)
{
	struct wire_pkt p;
	unsigned char b[64] = { 0 };

	(void)state;
	memset(&frame, 0, sizeof frame);
	frame.caplen = 10;			/* shorter than Ethernet */
	assert_int_equal(wire_decode(&frame, &p), -1);
	memset(b, 0, sizeof b);
	build(0x88cc, b, 20);			/* LLDP */
	said("ethertype 0x88cc (not decoded)");
	ip4(b, lo, lo, 17, 60);
	build(0x0800, b, 24);			/* a UDP header cut short */
	said("127.0.0.1 -> 127.0.0.1 IP (not decoded)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_udp_datagram_with_its_payload),
		cmocka_unit_test(a_tcp_syn_and_data),
		cmocka_unit_test(arp_and_igmp),
		cmocka_unit_test(ipv6_udp_and_an_mld_report_behind_hop_by_hop),
		cmocka_unit_test(what_cannot_be_read_is_said_so),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
