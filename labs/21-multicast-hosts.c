/* Lab 21 — Multicast across hosts.
 *
 * What it shows: lab 11 shared a group on one host's lo.  Here the group
 * crosses a switch.  bob and carol join 239.1.2.3 and say so on the wire
 * (IGMP membership reports); alice sends once and both get it.  The
 * sender picks the interface (IP_MULTICAST_IF: no route covers the group
 * here, so without it the send fails with ENETUNREACH), the hop limit
 * (IP_MULTICAST_TTL: 0 keeps it on alice, 1 reaches the switch) and
 * whether its own host gets a copy (IP_MULTICAST_LOOP).  A router between
 * two subnets forwards no multicast unless it routes multicast (a routing
 * daemon with the kernel's mroute): r does not, so dave, on the far side,
 * gets nothing whatever the TTL.
 *
 * And lab 11's surprise, across hosts: IP_MULTICAST_ALL (1 by default)
 * delivers a group's datagrams to every wildcard socket on the port once
 * *any* socket of that host joined the group.  bob's socket that joined
 * only 239.1.2.3 gets 239.9.9.9's datagrams too, because another socket
 * of bob's joined 239.9.9.9; carol, who did not, gets none of them.  The
 * filter is the host's, unless a socket sets IP_MULTICAST_ALL to 0.
 *
 *   alice 10.0.0.2 ─┐
 *   bob   10.0.0.3 ─┼─ lan ─ r ─ wan ─ dave 10.1.0.2
 *   carol 10.0.0.4 ─┘   10.0.0.1  10.1.0.1
 *
 * One process a host, named after it.  Watch the wire (socklab run 21
 * --wire): the IGMP reports at the joins, one line a send on lan (the
 * wire shows a datagram once, as alice's port of the switch received
 * it), none on wan. */
#include <poll.h>
#include <sys/time.h>

#include "lab/lab.h"

LAB(21, "multicast-hosts", "Multicast across hosts",
    "two hosts in a group both receive; IGMP on the wire; IF, TTL, LOOP; a router stops it; MULTICAST_ALL per host");

/* A UDP socket that shares 0.0.0.0:LAB_PORT; a read waits up to ms. */
static int member(int ms)
{
	struct sockaddr_in any = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct timeval wait = { ms / 1000, (ms % 1000) * 1000 };
	int on = 1, fd = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));

	EXPECT_OK(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(fd, (struct sockaddr *)&any, sizeof any));
	return fd;
}

/* 1 when nothing arrives on fd within ms: a negative needs a wait, or a
 * datagram still crossing the switch would pass for none */
static int quiet_for(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 0;
}

/* Join group on the interface that has address `on` */
static struct ip_mreq membership(const char *group, const char *on)
{
	struct ip_mreq m;

	inet_pton(AF_INET, group, &m.imr_multiaddr);
	inet_pton(AF_INET, on, &m.imr_interface);
	return m;
}

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(LAB_PORT) };
	struct sockaddr_in b = a;
	struct in_addr eth0;
	struct ip_mreq m;
	unsigned char ttl, loop;
	socklen_t len;
	char buf[32];
	int tx = -1, self = -1, s1 = -1, s2 = -1, rx = -1, far = -1, off = 0;

	inet_pton(AF_INET, "239.1.2.3", &a.sin_addr);
	inet_pton(AF_INET, "239.9.9.9", &b.sin_addr);
	if (!lab_sandboxed() || !lab_hosts_supported()) {
		SKIP("%s", !lab_sandboxed() ?
		     "this lab builds a network of hosts: only in a sandbox, never on this "
		     "host's stack" :
		     "this system cannot make hosts: ip(8) could not make a bridge and a veth "
		     "pair (a kernel without them, or busybox's ip)");
		return lab_end();
	}

	STEP("Build the network: alice, bob and carol on lan; dave behind r, on wan",
	     "a group is a set of hosts on a link; a router stands between links");
	EXPECT_OK(lab_host("alice", "lan", "10.0.0.2/24"));
	EXPECT_OK(lab_host("bob", "lan", "10.0.0.3/24"));
	EXPECT_OK(lab_host("carol", "lan", "10.0.0.4/24"));
	EXPECT_OK(lab_host("r", "lan", "10.0.0.1/24"));
	EXPECT_OK(lab_host("r", "wan", "10.1.0.1/24"));
	EXPECT_OK(lab_host("dave", "wan", "10.1.0.2/24"));
	EXPECT_OK(lab_host_cmd("alice", "ip route add default via 10.0.0.1"));
	EXPECT_OK(lab_host_cmd("dave", "ip route add default via 10.1.0.1"));
	EXPECT_OK(lab_host_sysctl("r", "net.ipv4.ip_forward", "1"));
	if (!AS_EXPECTED())
		return lab_end();

	ROLE_ON("bob", "bob") {
		STEP("bob binds 0.0.0.0:%d and joins 239.1.2.3 on eth0 (10.0.0.3)",
		     "the join is the host's: it tells the link with an IGMP report", LAB_PORT);
		s1 = member(1000);
		m = membership("239.1.2.3", "10.0.0.3");
		EXPECT_OK(setsockopt(s1, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m));
	}
	ROLE_ON("carol", "carol") {
		STEP("carol does the same on 10.0.0.4", "a second host in the group");
		rx = member(1000);
		m = membership("239.1.2.3", "10.0.0.4");
		EXPECT_OK(setsockopt(rx, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m));
	}
	ROLE_ON("dave", "dave") {
		STEP("dave, on wan, joins 239.1.2.3 too", "a member beyond the router");
		far = member(1000);
		m = membership("239.1.2.3", "10.1.0.2");
		EXPECT_OK(setsockopt(far, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m));
	}

	ROLE_ON("alice", "alice") {
		ASK("alice has a default route via r.  Where does a datagram to 239.1.2.3 go?");
		STEP("alice sends to 239.1.2.3:%d",
		     "the default route names eth0: the datagram goes onto lan", LAB_PORT);
		tx = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		/* her own host in the group too: IP_MULTICAST_LOOP's copy lands here */
		self = member(1000);
		m = membership("239.1.2.3", "10.0.0.2");
		EXPECT_OK(setsockopt(self, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m));
		len = sizeof ttl;
		EXPECT_OK(getsockopt(tx, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, &len));
		EXPECT_TRUE(ttl == 1);	/* the default: one link */
		EXPECT_OK(sendto(tx, "one", 3, 0, (struct sockaddr *)&a, sizeof a));
		EXPECT_OK(recv(self, buf, sizeof buf, 0));	/* the loop's copy */
	}
	ROLE_ON("bob", "bob") {
		STEP("bob reads", "the switch carried the frame to bob's port");
		CLAIM("multicast-hosts-all-receive");
		EXPECT_OK(recv(s1, buf, sizeof buf, 0));
	}
	ROLE_ON("carol", "carol") {
		STEP("carol reads", "the same datagram, once for each host");
		CLAIM("multicast-hosts-all-receive");
		EXPECT_OK(recv(rx, buf, sizeof buf, 0));
	}
	ROLE_ON("dave", "dave") {
		STEP("dave reads: nothing", "the TTL was 1 (the default), and r routes no multicast");
		CLAIM("router-stops-multicast");
		EXPECT_TRUE(quiet_for(far, 200));
		EXPECT_ERR(EAGAIN, recv(far, buf, sizeof buf, MSG_DONTWAIT));
	}

	ROLE_ON("alice", "alice") {
		STEP("alice sets IP_MULTICAST_TTL 64 and sends again",
		     "a hop limit is no licence: a router forwards multicast only with multicast routes");
		ttl = 64;
		EXPECT_OK(setsockopt(tx, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl));
		EXPECT_OK(sendto(tx, "two", 3, 0, (struct sockaddr *)&a, sizeof a));
		EXPECT_OK(recv(self, buf, sizeof buf, 0));
	}
	ROLE_ON("bob", "bob") {
		STEP("bob reads it", "lan is one link");
		EXPECT_OK(recv(s1, buf, sizeof buf, 0));
	}
	ROLE_ON("dave", "dave") {
		STEP("dave reads: still nothing", "r has no multicast route for the group");
		CLAIM("router-stops-multicast");
		EXPECT_TRUE(quiet_for(far, 200));
		EXPECT_ERR(EAGAIN, recv(far, buf, sizeof buf, MSG_DONTWAIT));
	}

	ROLE_ON("alice", "alice") {
		STEP("alice sets IP_MULTICAST_TTL 0 and sends", "TTL 0: not even onto the link");
		CLAIM("multicast-ttl-zero-stays");
		ttl = 0;
		EXPECT_OK(setsockopt(tx, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl));
		EXPECT_OK(sendto(tx, "three", 5, 0, (struct sockaddr *)&a, sizeof a));
		EXPECT_OK(recv(self, buf, sizeof buf, 0));	/* alice's host has it */
	}
	ROLE_ON("bob", "bob") {
		STEP("bob reads: nothing", "the datagram never left alice");
		CLAIM("multicast-ttl-zero-stays");
		EXPECT_TRUE(quiet_for(s1, 200));
		EXPECT_ERR(EAGAIN, recv(s1, buf, sizeof buf, MSG_DONTWAIT));
	}

	ROLE_ON("alice", "alice") {
		STEP("alice sets IP_MULTICAST_LOOP 0, TTL 1, and sends",
		     "LOOP decides whether the sender's own host gets a copy");
		CLAIM("multicast-loop-off");
		ttl = 1;
		loop = 0;
		EXPECT_OK(setsockopt(tx, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl));
		EXPECT_OK(setsockopt(tx, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop));
		EXPECT_OK(sendto(tx, "four", 4, 0, (struct sockaddr *)&a, sizeof a));
		EXPECT_TRUE(quiet_for(self, 200));
		EXPECT_ERR(EAGAIN, recv(self, buf, sizeof buf, MSG_DONTWAIT));
	}
	ROLE_ON("bob", "bob") {
		STEP("bob reads it", "other hosts are not the loop's business");
		CLAIM("multicast-loop-off");
		EXPECT_OK(recv(s1, buf, sizeof buf, 0));
	}

	ROLE_ON("alice", "alice") {
		STEP("A socket of alice's without a route for the group: ENETUNREACH, then "
		     "IP_MULTICAST_IF 10.0.0.2", "no route covers 239.0.0.0/8 without the default; "
		     "the sender names the interface");
		CLAIM("multicast-if-picks");
		EXPECT_OK(lab_host_cmd("alice", "ip route del default"));
		EXPECT_ERR(ENETUNREACH, sendto(tx, "five", 4, 0, (struct sockaddr *)&a, sizeof a));
		inet_pton(AF_INET, "10.0.0.2", &eth0);
		EXPECT_OK(setsockopt(tx, IPPROTO_IP, IP_MULTICAST_IF, &eth0, sizeof eth0));
		EXPECT_OK(sendto(tx, "five", 4, 0, (struct sockaddr *)&a, sizeof a));
	}
	ROLE_ON("bob", "bob") {
		STEP("bob reads it", "out of eth0, as named");
		CLAIM("multicast-if-picks");
		EXPECT_OK(recv(s1, buf, sizeof buf, 0));

		ASK("bob's first socket joined only 239.1.2.3.  A second socket of bob's joins "
		    "239.9.9.9 on the same port.  Who gets a datagram to 239.9.9.9?");
		STEP("bob's second socket binds 0.0.0.0:%d too and joins 239.9.9.9",
		     "the host is now in two groups", LAB_PORT);
		s2 = member(1000);
		m = membership("239.9.9.9", "10.0.0.3");
		EXPECT_OK(setsockopt(s2, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m));
	}
	ROLE_ON("carol", "carol") {
		int queued = 0;

		STEP("carol reads what is queued for her", "the datagrams of 239.1.2.3 since step 7: "
		     "TTL 64, LOOP 0, MULTICAST_IF; not TTL 0's");
		while (recv(rx, buf, sizeof buf, MSG_DONTWAIT) >= 0)
			queued++;
		EXPECT_TRUE(queued == 3);
	}
	ROLE_ON("alice", "alice") {
		STEP("alice sends to 239.9.9.9:%d", "a group only bob's second socket joined",
		     LAB_PORT);
		EXPECT_OK(sendto(tx, "other", 5, 0, (struct sockaddr *)&b, sizeof b));
	}
	ROLE_ON("bob", "bob") {
		STEP("Both of bob's sockets read it",
		     "IP_MULTICAST_ALL is 1: a wildcard socket gets every group its host joined");
		CLAIM("multicast-all-per-host");
		EXPECT_OK(recv(s2, buf, sizeof buf, 0));
		EXPECT_OK(recv(s1, buf, sizeof buf, 0));
	}
	ROLE_ON("carol", "carol") {
		STEP("carol reads: nothing", "carol's host never joined 239.9.9.9");
		CLAIM("multicast-all-per-host");
		EXPECT_TRUE(quiet_for(rx, 200));
		EXPECT_ERR(EAGAIN, recv(rx, buf, sizeof buf, MSG_DONTWAIT));
	}
	ROLE_ON("bob", "bob") {
		STEP("bob's first socket sets IP_MULTICAST_ALL 0; alice's next datagram to "
		     "239.9.9.9 reaches the second only", "now a socket gets only what it joined");
		CLAIM("multicast-all-off-hosts");
		EXPECT_OK(setsockopt(s1, IPPROTO_IP, IP_MULTICAST_ALL, &off, sizeof off));
	}
	ROLE_ON("alice", "alice") {
		STEP("alice sends to 239.9.9.9:%d again", "the same datagram as before", LAB_PORT);
		EXPECT_OK(sendto(tx, "again", 5, 0, (struct sockaddr *)&b, sizeof b));
	}
	ROLE_ON("bob", "bob") {
		STEP("bob reads on both", "only the socket that joined the group gets it");
		CLAIM("multicast-all-off-hosts");
		EXPECT_OK(recv(s2, buf, sizeof buf, 0));
		/* one softirq delivers to every socket of the host: s1 would have it */
		EXPECT_ERR(EAGAIN, recv(s1, buf, sizeof buf, MSG_DONTWAIT));
	}
	return lab_end();
}
