/* Lab 12 — Broadcast.
 *
 * What it shows: on a subnet, a datagram to the broadcast address reaches
 * every host, so the kernel makes a sender say it means it.  sendto() to
 * 10.77.0.255 without SO_BROADCAST fails with EACCES (Windows: WSAEACCES,
 * 10013, the number the story met for another reason); with SO_BROADCAST it
 * is delivered, also to a receiver on this very host.  The limited
 * broadcast 255.255.255.255 goes wherever the routing table sends it: from
 * an unbound socket with no route for it, ENETUNREACH even with
 * SO_BROADCAST.  But it does not always need a route: a sender bound to one
 * of the host's addresses (here 10.77.0.1), or tied to an interface with
 * SO_BINDTODEVICE, sends it out of that address's interface without one
 * (measured on 6.18; this is how DHCP-like tools broadcast before any
 * route exists).
 *
 * The subnet is made here, inside the sandbox: a veth pair sl0 (10.77.0.1)
 * and sl1 (10.77.0.2), both ends in the lab's own namespace, so nothing
 * leaves the machine.  An unprivileged sandbox can do this too: root of
 * the user namespace holds CAP_NET_ADMIN over its own network namespace.
 *
 * How many copies, verified on this kernel (6.18): one.  The sender's host
 * is on the subnet, so the kernel loops a copy back to itself; the copy
 * that crosses the veth and arrives on sl1 is dropped as a "martian",
 * because its source 10.77.0.1 is one of this host's own addresses (two
 * hosts would each get theirs).  With net.ipv4.conf.sl1.accept_local=1 the
 * kernel accepts it, and the receiver gets two: the last step shows it.
 *
 * Watch the table: the receiver's row on 0.0.0.0:5000; the sender's row
 * gains the broadcast flag at step 4. */
#include <ifaddrs.h>
#include <net/if.h>
#include <sys/time.h>

#include "lab/lab.h"

LAB(12, "broadcast", "Broadcast",
    "SO_BROADCAST or EACCES; 255.255.255.255: a route, or a bound sender; how many copies");

int main(void)
{
	struct sockaddr_in port = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct sockaddr_in subnet = port, all = port, from;
	struct ifaddrs *ifs = NULL, *ifa;
	struct timeval wait = { 1, 0 };
	socklen_t len = sizeof from;
	char buf[64];
	int on = 1, alone = 0;
	int receiver = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int sender = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int bound = -1, tied = -1;
	struct sockaddr_in sl0 = { .sin_family = AF_INET };	/* 10.77.0.1, any port */

	inet_pton(AF_INET, "10.77.0.255", &subnet.sin_addr);
	inet_pton(AF_INET, "10.77.0.1", &sl0.sin_addr);
	all.sin_addr.s_addr = htonl(INADDR_BROADCAST);	/* 255.255.255.255 */
	EXPECT_OK(setsockopt(receiver, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));

	/* This lab adds links and routes: only in a namespace of its own,
	 * where lo is the only interface up (never on a host's real stack). */
	if (getifaddrs(&ifs) == 0) {
		alone = 1;
		for (ifa = ifs; ifa; ifa = ifa->ifa_next)
			if ((ifa->ifa_flags & IFF_UP) && !(ifa->ifa_flags & IFF_LOOPBACK))
				alone = 0;
		freeifaddrs(ifs);
	}
	if (!alone) {
		SKIP("interfaces besides lo are up: this is no sandbox, and this lab "
		     "creates a veth pair and routes");
		return lab_end();
	}

	STEP("Make a subnet: veth pair sl0 10.77.0.1/24 <-> sl1 10.77.0.2/24",
	     "broadcast needs a subnet; lo has none to speak of, so the sandbox gets one");
	EXPECT_OK(lab_cmd("ip link add sl0 type veth peer name sl1"));
	EXPECT_OK(lab_cmd("ip addr add 10.77.0.1/24 dev sl0"));
	EXPECT_OK(lab_cmd("ip addr add 10.77.0.2/24 dev sl1"));
	EXPECT_OK(lab_cmd("ip link set sl0 up && ip link set sl1 up"));

	STEP("A receiver binds 0.0.0.0:%d",
	     "a wildcard socket accepts datagrams to any local or broadcast address", LAB_PORT);
	EXPECT_OK(bind(receiver, (struct sockaddr *)&port, sizeof port));

	STEP("Send to 10.77.0.255:%d without SO_BROADCAST",
	     "every host on the subnet would get it: the kernel wants the sender to say so",
	     LAB_PORT);
	CLAIM("broadcast-needs-flag");
	EXPECT_ERR(EACCES, sendto(sender, "all of you", 10, 0, (struct sockaddr *)&subnet,
				  sizeof subnet));

	STEP("Set SO_BROADCAST and send again",
	     "now it is allowed; the sender's own host is on the subnet too");
	CLAIM("broadcast-needs-flag");
	EXPECT_OK(setsockopt(sender, SOL_SOCKET, SO_BROADCAST, &on, sizeof on));
	EXPECT_OK(sendto(sender, "all of you", 10, 0, (struct sockaddr *)&subnet, sizeof subnet));
	if (EXPECT_OK(recvfrom(receiver, buf, sizeof buf, 0, (struct sockaddr *)&from, &len)) >= 0)
		NOTE("the receiver got it from %s:%d", inet_ntoa(from.sin_addr), ntohs(from.sin_port));
	EXPECT_ERR(EAGAIN, recv(receiver, buf, sizeof buf, 0));	/* a second copy? wait 1 s */
	if (AS_EXPECTED())
		NOTE("one copy: the kernel looped one back to this host; the one that "
		     "crossed to sl1 was dropped, its source is our own address");

	STEP("Send to 255.255.255.255:%d, still with SO_BROADCAST",
	     "the limited broadcast is routed like any address, and nothing routes it yet",
	     LAB_PORT);
	CLAIM("limited-broadcast-no-route");
	EXPECT_ERR(ENETUNREACH, sendto(sender, "anyone?", 7, 0, (struct sockaddr *)&all,
				       sizeof all));
	if (AS_EXPECTED())
		NOTE("no route matches 255.255.255.255: the sandbox has no default route, "
		     "and 10.77.0.0/24 does not cover it");

	STEP("Still no route: a sender bound to 10.77.0.1, and one tied to sl0, send to 255.255.255.255",
	     "a bound source address (or SO_BINDTODEVICE) names the interface: no route needed");
	CLAIM("limited-broadcast-bound");
	bound = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_OK(setsockopt(bound, SOL_SOCKET, SO_BROADCAST, &on, sizeof on));
	EXPECT_OK(bind(bound, (struct sockaddr *)&sl0, sizeof sl0));
	EXPECT_OK(sendto(bound, "bound", 5, 0, (struct sockaddr *)&all, sizeof all));
	EXPECT_OK(recv(receiver, buf, sizeof buf, 0));
	tied = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_OK(setsockopt(tied, SOL_SOCKET, SO_BROADCAST, &on, sizeof on));
	EXPECT_OK(setsockopt(tied, SOL_SOCKET, SO_BINDTODEVICE, "sl0", sizeof "sl0"));
	EXPECT_OK(sendto(tied, "tied", 4, 0, (struct sockaddr *)&all, sizeof all));
	EXPECT_OK(recv(receiver, buf, sizeof buf, 0));
	EXPECT_ERR(EAGAIN, recv(receiver, buf, sizeof buf, MSG_DONTWAIT));	/* one copy each */
	if (AS_EXPECTED())
		NOTE("both went out of sl0 and reached the receiver: \"255.255.255.255 needs "
		     "a route\" holds only for a sender that names no address or interface");
	EXPECT_OK(close(bound));
	EXPECT_OK(close(tied));

	STEP("Route 255.255.255.255 out of sl0 and send again",
	     "on a real host the default route plays this part");
	EXPECT_OK(lab_cmd("ip route add 255.255.255.255/32 dev sl0"));
	EXPECT_OK(sendto(sender, "anyone?", 7, 0, (struct sockaddr *)&all, sizeof all));
	EXPECT_OK(recv(receiver, buf, sizeof buf, 0));

	STEP("Let sl1 accept packets from our own address; broadcast to 10.77.0.255 again",
	     "net.ipv4.conf.sl1.accept_local=1: the copy that crossed the veth now counts too");
	EXPECT_OK(lab_sysctl("net.ipv4.conf.sl1.accept_local", "1"));
	EXPECT_OK(sendto(sender, "twice?", 6, 0, (struct sockaddr *)&subnet, sizeof subnet));
	EXPECT_OK(recv(receiver, buf, sizeof buf, 0));
	EXPECT_OK(recv(receiver, buf, sizeof buf, 0));
	if (AS_EXPECTED())
		NOTE("two copies: the local loop and the one received on sl1");

	return lab_end();
}
