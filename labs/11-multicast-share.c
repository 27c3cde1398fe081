/* Lab 11 — Multicast: every member gets every datagram.
 *
 * What it shows: two sockets set SO_REUSEADDR, bind 0.0.0.0:5000 and join
 * the group 239.1.2.3 on lo.  A datagram sent to 239.1.2.3:5000 is copied
 * to each of them: unlike unicast (lab 06: one socket gets it), multicast
 * delivers to every socket on the port that wants the group.  This is what
 * the story's listenMulticast(port, proto, listenMultiple=True) is built for.
 *
 * And a surprise, verified on this kernel (6.18): a third socket on
 * 0.0.0.0:5000 that never joined the group gets the datagrams too.  Linux
 * delivers a group's datagrams to every wildcard socket on the port once
 * any socket has joined the group on that interface, because
 * IP_MULTICAST_ALL defaults to 1.  Setting it to 0 makes the socket receive
 * only the groups it joined itself.
 *
 * Setup, also verified: a fresh namespace's lo has no MULTICAST flag and
 * there is no multicast route, and neither is needed when the interface is
 * named: IP_ADD_MEMBERSHIP with imr_ifindex = lo, and IP_MULTICAST_IF = lo
 * on the sender.  (Without them, in the sandbox, the join fails with
 * ENODEV and the send with ENETUNREACH.)  TTL 0 keeps the datagrams on
 * this host even so.
 *
 * Sharing the port still needs the reuse option: the group is no licence.
 * SO_REUSEPORT on every socket works as well here (each still gets every
 * datagram); SO_REUSEADDR is what the story's fix relied on.
 *
 * Watch the table: three rows on 0.0.0.0:5000 after step 3, all with
 * reuseaddr.  After step 4 all three show the same RECV-Q (bytes of buffer
 * queued): each holds its own copy of the three datagrams.  The memberships
 * are not in the table; /proc/net/igmp of the sandbox lists 239.1.2.3
 * (as 030201EF on a little-endian machine) on lo. */
#include <net/if.h>
#include <sys/time.h>

#include "lab/lab.h"

LAB(11, "multicast-share", "Multicast share",
    "Two sockets in one group on one port each get every datagram");

#define N 3	/* datagrams per send */

int main(void)
{
	struct sockaddr_in port = {	/* 0.0.0.0:LAB_PORT: any address, this port */
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct sockaddr_in group = port, unicast = port;
	struct ip_mreqn join = { .imr_ifindex = (int)if_nametoindex("lo") };
	struct timeval wait = { 1, 0 };
	char buf[64];
	int on = 1, off = 0, ttl = 0, i, got_a = 0, got_b = 0, got_c = 0;
	int a = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int b = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int bystander = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int sender = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));

	inet_pton(AF_INET, "239.1.2.3", &group.sin_addr);
	join.imr_multiaddr = group.sin_addr;
	unicast.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	EXPECT_OK(setsockopt(a, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(setsockopt(bystander, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));

	STEP("Receiver A binds 0.0.0.0:%d with SO_REUSEADDR and joins 239.1.2.3 on lo",
	     "the membership is per socket and per interface: name lo by its index", LAB_PORT);
	EXPECT_OK(setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(a, (struct sockaddr *)&port, sizeof port));
	EXPECT_OK(setsockopt(a, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join));

	STEP("Receiver B does exactly the same",
	     "a second program in the same group, on the same port");
	EXPECT_OK(setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(b, (struct sockaddr *)&port, sizeof port));
	EXPECT_OK(setsockopt(b, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join));

	STEP("A bystander binds 0.0.0.0:%d but joins no group",
	     "without SO_REUSEADDR the port is taken, group or not; with it, it may share",
	     LAB_PORT);
	EXPECT_ERR(EADDRINUSE, bind(bystander, (struct sockaddr *)&port, sizeof port));
	EXPECT_OK(setsockopt(bystander, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(bystander, (struct sockaddr *)&port, sizeof port));

	STEP("The sender sends 3 datagrams to 239.1.2.3:%d out of lo",
	     "IP_MULTICAST_IF picks lo, TTL 0 keeps them on this host, LOOP delivers them here",
	     LAB_PORT);
	EXPECT_OK(setsockopt(sender, IPPROTO_IP, IP_MULTICAST_IF, &join, sizeof join));
	EXPECT_OK(setsockopt(sender, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl));
	/* the default; on lo the datagrams would come back through lo even without it */
	EXPECT_OK(setsockopt(sender, IPPROTO_IP, IP_MULTICAST_LOOP, &on, sizeof on));
	for (i = 0; i < N; i++)
		EXPECT_OK(sendto(sender, "hello group", 11, 0, (struct sockaddr *)&group, sizeof group));

	STEP("Count what each socket received",
	     "multicast is copied to every socket on the port that accepts the group");
	CLAIM("multicast-each-gets");
	for (i = 0; i < N; i++) {
		got_a += recv(a, buf, sizeof buf, 0) > 0;
		got_b += recv(b, buf, sizeof buf, 0) > 0;
		got_c += recv(bystander, buf, sizeof buf, 0) > 0;
	}
	NOTE("A got %d, B got %d, the bystander got %d of %d", got_a, got_b, got_c, N);
	EXPECT_TRUE(got_a == N && got_b == N);
	EXPECT_ERR(EAGAIN, recv(a, buf, sizeof buf, MSG_DONTWAIT));	/* no extra copies */
	EXPECT_TRUE(got_c == N);
	if (AS_EXPECTED())
		NOTE("each member got every datagram, once; and so did the bystander: "
		     "IP_MULTICAST_ALL (default 1) lets a wildcard socket hear every group "
		     "joined on the interface by anyone");

	STEP("The bystander sets IP_MULTICAST_ALL to 0; send 3 more",
	     "now it hears only groups it joined itself: none");
	EXPECT_OK(setsockopt(bystander, IPPROTO_IP, IP_MULTICAST_ALL, &off, sizeof off));
	for (i = 0; i < N; i++)
		EXPECT_OK(sendto(sender, "hello again", 11, 0, (struct sockaddr *)&group, sizeof group));
	got_a = got_b = 0;
	for (i = 0; i < N; i++) {
		got_a += recv(a, buf, sizeof buf, 0) > 0;
		got_b += recv(b, buf, sizeof buf, 0) > 0;
	}
	EXPECT_TRUE(got_a == N && got_b == N);
	EXPECT_ERR(EAGAIN, recv(bystander, buf, sizeof buf, MSG_DONTWAIT));

	STEP("Contrast: one unicast datagram to 127.0.0.1:%d",
	     "the same three sockets share the port, but unicast has one receiver (lab 06)",
	     LAB_PORT);
	EXPECT_OK(sendto(sender, "just one", 8, 0, (struct sockaddr *)&unicast, sizeof unicast));
	EXPECT_OK(recv(bystander, buf, sizeof buf, 0));
	EXPECT_ERR(EAGAIN, recv(a, buf, sizeof buf, MSG_DONTWAIT));
	EXPECT_ERR(EAGAIN, recv(b, buf, sizeof buf, MSG_DONTWAIT));
	if (AS_EXPECTED())
		NOTE("only the socket bound last got it: sharing a port means copies "
		     "for multicast and broadcast, one winner for unicast");

	return lab_end();
}
