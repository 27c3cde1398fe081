/* Lab 22 — Broadcast on a subnet.
 *
 * What it shows: lab 12 broadcast on one host, two ends of a veth.  Here
 * the subnet has hosts.  alice sends one datagram to the subnet's
 * broadcast address 10.0.0.255 and both bob and dave, each on his own
 * host, get it; carol, whose socket is bound to her own address
 * 10.0.0.4, does not: a datagram is delivered to a socket only when its
 * destination matches the socket's bound address, and 10.0.0.255 is not
 * 10.0.0.4.  A wildcard socket, or one bound to 10.0.0.255 itself, gets
 * it.  The limited broadcast 255.255.255.255 from a sender bound to its
 * address goes out of that address's interface with no route at all
 * (lab 12), and reaches every host of the link the same way.
 *
 *   alice 10.0.0.2 ─┐
 *   bob   10.0.0.3 ─┼─ lan (10.0.0.0/24, broadcast 10.0.0.255)
 *   carol 10.0.0.4 ─┤
 *   dave  10.0.0.5 ─┘
 *
 * Watch the wire (socklab run 22 --wire): one line a send (the switch
 * floods it to every port); ARP never: a broadcast needs no neighbour. */
#include <poll.h>
#include <sys/time.h>

#include "lab/lab.h"

LAB(22, "broadcast-subnet", "Broadcast on a subnet",
    "one datagram to 10.0.0.255 reaches every host; a socket bound to its own address does not get it");

/* 1 when nothing arrives on fd within ms (a datagram still crossing the
 * switch must not pass for none) */
static int quiet_for(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 0;
}

/* A UDP socket bound to addr:LAB_PORT whose reads wait up to a second */
static int receiver(const char *addr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(LAB_PORT) };
	struct timeval wait = { 1, 0 };
	int fd = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));

	inet_pton(AF_INET, addr, &sin.sin_addr);
	EXPECT_OK(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(bind(fd, (struct sockaddr *)&sin, sizeof sin));
	return fd;
}

int main(void)
{
	struct sockaddr_in subnet = { .sin_family = AF_INET, .sin_port = htons(LAB_PORT) };
	struct sockaddr_in all = subnet, me = { .sin_family = AF_INET };
	char buf[32];
	int on = 1, tx = -1, lim = -1, bob = -1, dave = -1, own = -1, bcast = -1;

	inet_pton(AF_INET, "10.0.0.255", &subnet.sin_addr);
	all.sin_addr.s_addr = htonl(INADDR_BROADCAST);
	inet_pton(AF_INET, "10.0.0.2", &me.sin_addr);
	if (!lab_sandboxed() || !lab_hosts_supported()) {
		SKIP("%s", !lab_sandboxed() ?
		     "this lab builds a network of hosts: only in a sandbox, never on this "
		     "host's stack" :
		     "this system cannot make hosts: ip(8) could not make a bridge and a veth "
		     "pair (a kernel without them, or busybox's ip)");
		return lab_end();
	}

	STEP("Build the subnet: alice, bob, carol and dave on lan, 10.0.0.0/24",
	     "a broadcast reaches the hosts of one link");
	EXPECT_OK(lab_host("alice", "lan", "10.0.0.2/24"));
	EXPECT_OK(lab_host("bob", "lan", "10.0.0.3/24"));
	EXPECT_OK(lab_host("carol", "lan", "10.0.0.4/24"));
	EXPECT_OK(lab_host("dave", "lan", "10.0.0.5/24"));
	if (!AS_EXPECTED())
		return lab_end();

	ROLE_ON("bob", "bob") {
		STEP("bob binds 0.0.0.0:%d", "a wildcard socket takes any destination of its host",
		     LAB_PORT);
		bob = receiver("0.0.0.0");
	}
	ROLE_ON("dave", "dave") {
		STEP("dave binds 0.0.0.0:%d too, on his own host", "a second receiver, a second host",
		     LAB_PORT);
		dave = receiver("0.0.0.0");
	}
	ROLE_ON("carol", "carol") {
		STEP("carol binds 10.0.0.4:%d, her own address, and a second socket to "
		     "10.0.0.255:%d", "a bound address is a filter on the destination",
		     LAB_PORT, LAB_PORT);
		own = receiver("10.0.0.4");
		bcast = receiver("10.0.0.255");	/* the broadcast address binds too */
	}

	ROLE_ON("alice", "alice") {
		ASK("alice sends one datagram to 10.0.0.255:%d.  Which of the four sockets get it?",
		    LAB_PORT);
		STEP("alice sets SO_BROADCAST and sends \"all\" to 10.0.0.255:%d",
		     "the subnet's broadcast: every host of lan", LAB_PORT);
		tx = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(tx, SOL_SOCKET, SO_BROADCAST, &on, sizeof on));
		EXPECT_OK(sendto(tx, "all", 3, 0, (struct sockaddr *)&subnet, sizeof subnet));
	}
	ROLE_ON("bob", "bob") {
		STEP("bob reads it", "the switch flooded the frame; bob's wildcard socket matches");
		CLAIM("broadcast-every-host");
		EXPECT_OK(recv(bob, buf, sizeof buf, 0));
	}
	ROLE_ON("dave", "dave") {
		STEP("dave reads it", "the same datagram, on another host");
		CLAIM("broadcast-every-host");
		EXPECT_OK(recv(dave, buf, sizeof buf, 0));
	}
	ROLE_ON("carol", "carol") {
		STEP("carol reads both sockets: 10.0.0.255's has it, 10.0.0.4's nothing",
		     "the destination was 10.0.0.255, not carol's address");
		CLAIM("broadcast-bound-own-misses");
		EXPECT_OK(recv(bcast, buf, sizeof buf, 0));
		EXPECT_TRUE(quiet_for(own, 200));
		EXPECT_ERR(EAGAIN, recv(own, buf, sizeof buf, MSG_DONTWAIT));
	}

	ROLE_ON("alice", "alice") {
		STEP("A socket bound to 10.0.0.2 sends \"anyone\" to 255.255.255.255:%d",
		     "no route covers 255.255.255.255 here; the bound address names eth0", LAB_PORT);
		CLAIM("broadcast-limited-bound-hosts");
		lim = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(lim, SOL_SOCKET, SO_BROADCAST, &on, sizeof on));
		EXPECT_OK(bind(lim, (struct sockaddr *)&me, sizeof me));
		EXPECT_ERR(ENETUNREACH, sendto(tx, "anyone", 6, 0, (struct sockaddr *)&all, sizeof all));
		EXPECT_OK(sendto(lim, "anyone", 6, 0, (struct sockaddr *)&all, sizeof all));
	}
	ROLE_ON("bob", "bob") {
		STEP("bob reads it", "a limited broadcast is every host of the link too");
		CLAIM("broadcast-limited-bound-hosts");
		EXPECT_OK(recv(bob, buf, sizeof buf, 0));
	}
	ROLE_ON("dave", "dave") {
		STEP("dave reads it", "and on dave's host");
		CLAIM("broadcast-limited-bound-hosts");
		EXPECT_OK(recv(dave, buf, sizeof buf, 0));
	}
	ROLE_ON("carol", "carol") {
		STEP("carol's sockets: neither gets it",
		     "255.255.255.255 is neither 10.0.0.4 nor 10.0.0.255");
		EXPECT_TRUE(quiet_for(own, 200));
		EXPECT_ERR(EAGAIN, recv(own, buf, sizeof buf, MSG_DONTWAIT));
		EXPECT_ERR(EAGAIN, recv(bcast, buf, sizeof buf, MSG_DONTWAIT));
	}
	return lab_end();
}
