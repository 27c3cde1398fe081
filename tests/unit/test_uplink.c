/* test_uplink.c — what the grader's uplink counts as leaving the machine,
 * on hand-made Ethernet frames: the program's packets are named, link-local
 * housekeeping (IGMP to 224.0.0.x, IPv6 to ff02::/16) is not counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "exercise/uplink.h"

/* An Ethernet frame of ethertype type with payload p[0..n). */
static size_t frame(unsigned char *f, unsigned type, const unsigned char *p, size_t n)
{
	memset(f, 0, 14);
	f[12] = (unsigned char)(type >> 8);
	f[13] = (unsigned char)type;
	memcpy(f + 14, p, n);
	return 14 + n;
}

static void ipv4(unsigned char *ip, unsigned proto, const unsigned char dst[4], unsigned dport)
{
	memset(ip, 0, 28);
	ip[0] = 0x45;		/* version 4, 20-byte header */
	ip[9] = (unsigned char)proto;
	ip[12] = 127, ip[15] = 1;
	memcpy(ip + 16, dst, 4);
	ip[22] = (unsigned char)(dport >> 8);	/* UDP/TCP destination port */
	ip[23] = (unsigned char)dport;
}

static void udp_to_public_address_is_named(void **state)
{
	static const unsigned char dst[4] = { 8, 8, 8, 8 };
	unsigned char ip[28], f[64];
	char desc[128];
	size_t n;

	(void)state;
	ipv4(ip, 17, dst, 53);
	n = frame(f, 0x0800, ip, sizeof ip);
	assert_int_equal(uplink_describe(f, n, desc, sizeof desc), 1);
	assert_string_equal(desc, "UDP to 8.8.8.8:53");
}

static void tcp_over_ipv6_is_named(void **state)
{
	unsigned char ip6[44] = { 0x60 }, f[80];
	char desc[128];
	size_t n;

	(void)state;
	ip6[6] = 6;		/* next header: TCP */
	ip6[24] = 0x20, ip6[25] = 0x01, ip6[26] = 0x0d, ip6[27] = 0xb8, ip6[39] = 7;
	ip6[42] = 0x01, ip6[43] = 0xbb;	/* port 443 */
	n = frame(f, 0x86dd, ip6, sizeof ip6);
	assert_int_equal(uplink_describe(f, n, desc, sizeof desc), 1);
	assert_string_equal(desc, "TCP to [2001:db8::7]:443");
}

static void link_local_housekeeping_is_not_counted(void **state)
{
	static const unsigned char igmp[4] = { 224, 0, 0, 22 };
	unsigned char ip[28], ip6[44] = { 0x60 }, f[80];
	char desc[128] = "";
	size_t n;

	(void)state;
	ipv4(ip, 2, igmp, 0);
	n = frame(f, 0x0800, ip, sizeof ip);
	assert_int_equal(uplink_describe(f, n, desc, sizeof desc), 0);
	ip6[6] = 58;		/* ICMPv6 to ff02::16 (MLD) */
	ip6[24] = 0xff, ip6[25] = 0x02, ip6[39] = 0x16;
	n = frame(f, 0x86dd, ip6, sizeof ip6);
	assert_int_equal(uplink_describe(f, n, desc, sizeof desc), 0);
}

static void a_routed_multicast_group_is_counted(void **state)
{
	static const unsigned char grp[4] = { 239, 1, 2, 3 };
	unsigned char ip[28], f[64];
	char desc[128];
	size_t n;

	(void)state;
	ipv4(ip, 17, grp, 7000);
	n = frame(f, 0x0800, ip, sizeof ip);
	assert_int_equal(uplink_describe(f, n, desc, sizeof desc), 1);
	assert_string_equal(desc, "UDP to 239.1.2.3:7000");
}

static void arp_names_the_address_asked_for(void **state)
{
	unsigned char arp[28] = { 0 }, f[64];
	char desc[128];
	size_t n;

	(void)state;
	arp[24] = 192, arp[25] = 0, arp[26] = 2, arp[27] = 77;
	n = frame(f, 0x0806, arp, sizeof arp);
	assert_int_equal(uplink_describe(f, n, desc, sizeof desc), 1);
	assert_string_equal(desc, "ARP who-has 192.0.2.77");
}

static void short_or_foreign_frames_are_ignored(void **state)
{
	unsigned char f[64] = { 0 }, ip[28];
	static const unsigned char dst[4] = { 8, 8, 8, 8 };
	char desc[128];
	size_t n;

	(void)state;
	assert_int_equal(uplink_describe(f, 10, desc, sizeof desc), 0);
	n = frame(f, 0x88cc, f, 10);	/* LLDP */
	assert_int_equal(uplink_describe(f, n, desc, sizeof desc), 0);
	ipv4(ip, 17, dst, 53);
	ip[0] = 0x4f;		/* a header longer than the frame */
	n = frame(f, 0x0800, ip, sizeof ip);
	assert_int_equal(uplink_describe(f, n, desc, sizeof desc), 0);
	n = frame(f, 0x0800, ip, 12);	/* cut in the header */
	assert_int_equal(uplink_describe(f, n, desc, sizeof desc), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(udp_to_public_address_is_named),
		cmocka_unit_test(tcp_over_ipv6_is_named),
		cmocka_unit_test(link_local_housekeeping_is_not_counted),
		cmocka_unit_test(a_routed_multicast_group_is_counted),
		cmocka_unit_test(arp_names_the_address_asked_for),
		cmocka_unit_test(short_or_foreign_frames_are_ignored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
