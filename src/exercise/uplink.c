/* uplink.c — the watched way out of the grader's sandbox (uplink.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "uplink.h"
#include "sandbox/sandbox.h"

/* up0 is the machine's side, up1 "the network".  Fixed MACs, so the
 * gateways can be permanent neighbours: no ARP, the packet itself leaves. */
static const char setup[] =
	"ip link add up0 address 02:00:00:00:00:01 type veth peer name up1 address 02:00:00:00:00:02"
	" && echo 1 > /proc/sys/net/ipv6/conf/up1/disable_ipv6"
	" && ip link set up1 up && ip link set up0 up"
	" && ip addr add 192.0.2.1/24 dev up0"
	" && ip neigh add 192.0.2.254 lladdr 02:00:00:00:00:02 dev up0 nud permanent"
	" && ip route add default via 192.0.2.254 dev up0"
	" && { ! [ -e /proc/sys/net/ipv6/conf/up0 ] || {"
	" ip -6 addr add 2001:db8::1/64 dev up0 nodad"
	" && ip -6 neigh add 2001:db8::fe lladdr 02:00:00:00:00:02 dev up0 nud permanent"
	" && ip -6 route add default via 2001:db8::fe dev up0; }; }";

int uplink_open(struct uplink *u, int sandboxed)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };

	u->fd = -1;
	if (!sandboxed) {
		errno = EPERM;	/* default routes belong in a sandbox only */
		return -1;
	}
	if (sandbox_sh(setup) < 0)
		return -1;
	if ((ll.sll_ifindex = (int)if_nametoindex("up1")) == 0)
		return -1;
	u->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (u->fd < 0)
		return -1;
	if (bind(u->fd, (struct sockaddr *)&ll, sizeof ll) < 0) {
		int err = errno;

		close(u->fd);
		u->fd = -1;
		errno = err;
		return -1;
	}
	return 0;
}

static const char *proto_name(unsigned p)
{
	return p == IPPROTO_UDP ? "UDP" : p == IPPROTO_TCP ? "TCP" :
	       p == IPPROTO_ICMP || p == IPPROTO_ICMPV6 ? "ICMP" : "IP";
}

int uplink_describe(const unsigned char *f, size_t n, char *desc, size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	unsigned type, proto, port = 0;
	const unsigned char *l4;
	size_t l4len;

	if (n < ETH_HLEN)
		return 0;
	type = (unsigned)f[12] << 8 | f[13];
	f += ETH_HLEN;
	n -= ETH_HLEN;
	if (type == ETH_P_ARP) {
		if (n < 28)
			return 0;
		inet_ntop(AF_INET, f + 24, addr, sizeof addr);
		snprintf(desc, len, "ARP who-has %s", addr);
		return 1;
	}
	if (type == ETH_P_IP) {
		size_t ihl;

		if (n < 20 || (ihl = (size_t)(f[0] & 15) * 4) < 20 || ihl > n)
			return 0;
		if (f[16] == 224 && f[17] == 0 && f[18] == 0)
			return 0;	/* 224.0.0.0/24: IGMP and other link-local control */
		inet_ntop(AF_INET, f + 16, addr, sizeof addr);
		proto = f[9];
		l4 = f + ihl;
		l4len = n - ihl;
	} else if (type == ETH_P_IPV6) {
		if (n < 40)
			return 0;
		if (f[24] == 0xff && f[25] == 0x02)
			return 0;	/* ff02::/16: neighbour discovery, MLD */
		inet_ntop(AF_INET6, f + 24, addr, sizeof addr);
		proto = f[6];
		l4 = f + 40;
		l4len = n - 40;
	} else {
		return 0;
	}
	if ((proto == IPPROTO_UDP || proto == IPPROTO_TCP) && l4len >= 4)
		port = (unsigned)l4[2] << 8 | l4[3];
	if (port)
		snprintf(desc, len, type == ETH_P_IPV6 ? "%s to [%s]:%u" : "%s to %s:%u",
			 proto_name(proto), addr, port);
	else
		snprintf(desc, len, "%s to %s", proto_name(proto), addr);
	return 1;
}

int uplink_seen(struct uplink *u, char *desc, size_t len)
{
	unsigned char frame[2048];
	char one[128];
	int count = 0;
	ssize_t n;

	if (len)
		desc[0] = '\0';
	if (u->fd < 0)
		return 0;
	while ((n = recv(u->fd, frame, sizeof frame, MSG_TRUNC)) > 0) {
		if (!uplink_describe(frame, (size_t)n > sizeof frame ? sizeof frame : (size_t)n,
				     one, sizeof one))
			continue;
		if (count++ == 0)
			snprintf(desc, len, "%s", one);
	}
	return count;
}

void uplink_close(struct uplink *u)
{
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
}
