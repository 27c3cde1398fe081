/* Lab 20 — Why the story needs one port: a peer answers the port it saw.
 *
 * What it shows: the story's program was a DHT node.  A DHT peer learns
 * where you are from the source address and port of your datagrams, and
 * answers there; so does every UDP server.  A client that asks from a
 * socket of its own (an ephemeral port) gets the answer; the node's
 * server, on the port it announced, never sees it.  Behind a NAT router it
 * is worse: the peer sees the router's address, and when two hosts behind
 * it use the same port, a port the router chose.  Only a datagram sent
 * from the node's own socket teaches the peer the address that reaches
 * that socket.  This is why P2P programs send and receive on one socket
 * (lab 19 measured the alternatives on one host).
 *
 * The network, made in the sandbox (nothing leaves it):
 *
 *   alice 10.0.0.2 ─┐                    ┌─ bob 10.1.0.2 (the peer)
 *   carol 10.0.0.3 ─┼─ lan ─ r ─── wan ──┘
 *                   10.0.0.1  10.1.0.1
 *
 * r forwards and masquerades what leaves for wan (nftables): a home
 * router.  alice's node has a server socket on port 5000 and, in part 1,
 * a client socket beside it.
 *
 * Watch the wire (socklab run 20 --wire): each datagram twice, as alice
 * sent it (alice 10.0.0.2:P) and as r sent it on (r 10.1.0.1:P'). */
#include <sys/time.h>

#include "lab/lab.h"

LAB(20, "why-one-port", "Why the story needs one port",
    "a peer answers the source port it saw; a NAT router rewrites it; so send from the server's socket");

/* A receive on fd waits up to a second, then fails with EAGAIN. */
static void rcvtimeo(int fd)
{
	struct timeval wait = { 1, 0 };

	EXPECT_OK(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
}

int main(void)
{
	struct sockaddr_in any = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct sockaddr_in bob = any, from;
	socklen_t len;
	char buf[64];
	int peer = -1, server = -1, client = -1, carol = -1;
	int alice_port = 0;

	inet_pton(AF_INET, "10.1.0.2", &bob.sin_addr);

	if (!lab_sandboxed() || !lab_hosts_supported()) {
		SKIP("%s", !lab_sandboxed() ?
		     "this lab builds a network of hosts: only in a sandbox, never on this "
		     "host's stack" :
		     "this system cannot make hosts: ip(8) could not make a bridge and a veth "
		     "pair (a kernel without them, or busybox's ip)");
		return lab_end();
	}

	STEP("Build the network: alice and carol on lan, bob on wan, r routes between with NAT",
	     "a DHT peer is somewhere else on the Internet; a home router sits between");
	EXPECT_OK(lab_host("alice", "lan", "10.0.0.2/24"));
	EXPECT_OK(lab_host("carol", "lan", "10.0.0.3/24"));
	EXPECT_OK(lab_host("r", "lan", "10.0.0.1/24"));
	EXPECT_OK(lab_host("r", "wan", "10.1.0.1/24"));
	EXPECT_OK(lab_host("bob", "wan", "10.1.0.2/24"));
	EXPECT_OK(lab_host_cmd("alice", "ip route add default via 10.0.0.1"));
	EXPECT_OK(lab_host_cmd("carol", "ip route add default via 10.0.0.1"));
	if (lab_host_cmd("r", "nft list tables") < 0) {
		SKIP("%s: the router cannot masquerade", errno == ENOENT ?
		     "nft(8) is not installed (Debian: nftables)" : "nftables does not work here "
		     "(nft list tables failed: a kernel without nf_tables?)");
		return lab_end();
	}
	/* bob has no route back to 10.0.0.0/24: only NAT lets the answer home */
	EXPECT_OK(lab_nat("r", "eth1"));
	if (!AS_EXPECTED())
		return lab_end();

	ROLE_ON("bob", "peer") {
		STEP("bob, the peer, binds 0.0.0.0:%d", "it answers whoever writes to it", LAB_PORT);
		peer = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		rcvtimeo(peer);
		EXPECT_OK(bind(peer, (struct sockaddr *)&any, sizeof any));
	}
	ROLE_ON("alice", "server") {
		STEP("alice's node binds its server to 0.0.0.0:%d",
		     "the port it announces: where the DHT should reach it", LAB_PORT);
		server = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		rcvtimeo(server);
		EXPECT_OK(bind(server, (struct sockaddr *)&any, sizeof any));
	}
	ROLE_ON("alice", "client") {
		STEP("alice's client, a socket of its own, sends \"ping\" to bob 10.1.0.2:%d",
		     "its first sendto() binds it to an ephemeral port (lab 02)", LAB_PORT);
		client = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		rcvtimeo(client);
		EXPECT_OK(sendto(client, "ping", 4, 0, (struct sockaddr *)&bob, sizeof bob));
	}
	ROLE_ON("bob", "peer") {
		ASK("bob answers the address and port it saw.  Which of alice's sockets gets "
		    "the answer?");
		STEP("bob reads the ping and answers the address it came from",
		     "a peer has nothing else to go by: the datagram's source is the sender");
		CLAIM("peer-sees-router");
		len = sizeof from;
		EXPECT_OK(recvfrom(peer, buf, sizeof buf, 0, (struct sockaddr *)&from, &len));
		/* not alice's 10.0.0.2: r masqueraded it */
		EXPECT_TRUE(from.sin_addr.s_addr == inet_addr("10.1.0.1"));
		EXPECT_TRUE(ntohs(from.sin_port) != LAB_PORT);
		NOTE("bob saw %s:%d: the router's address, the client's port",
		     inet_ntoa(from.sin_addr), ntohs(from.sin_port));
		EXPECT_OK(sendto(peer, "pong", 4, 0, (struct sockaddr *)&from, len));
	}
	ROLE_ON("alice", "client") {
		STEP("alice's client reads: the answer is there",
		     "r remembers the mapping and sends the answer back to 10.0.0.2 and the client's port");
		CLAIM("answer-to-source-port");
		EXPECT_OK(recv(client, buf, sizeof buf, 0));
	}
	ROLE_ON("alice", "server") {
		STEP("alice's server reads: nothing came",
		     "the peer never learned the server's port: it was never the source of anything");
		CLAIM("answer-to-source-port");
		EXPECT_ERR(EAGAIN, recv(server, buf, sizeof buf, MSG_DONTWAIT));
	}

	ROLE_ON("alice", "server") {
		STEP("The fix: alice's server sends \"ping\" from its own socket",
		     "the source port is the server's port, the one the DHT should learn");
		EXPECT_OK(sendto(server, "ping", 4, 0, (struct sockaddr *)&bob, sizeof bob));
	}
	ROLE_ON("bob", "peer") {
		STEP("bob reads it and answers",
		     "r kept alice's port %d: nobody else behind it uses that port to bob yet",
		     LAB_PORT);
		len = sizeof from;
		EXPECT_OK(recvfrom(peer, buf, sizeof buf, 0, (struct sockaddr *)&from, &len));
		EXPECT_TRUE(from.sin_addr.s_addr == inet_addr("10.1.0.1"));
		alice_port = ntohs(from.sin_port);
		EXPECT_TRUE(alice_port == LAB_PORT);
		NOTE("bob saw %s:%d", inet_ntoa(from.sin_addr), alice_port);
		EXPECT_OK(sendto(peer, "pong", 4, 0, (struct sockaddr *)&from, len));
	}
	ROLE_ON("alice", "server") {
		STEP("alice's server reads the answer", "one socket both ways: it asked, it hears");
		CLAIM("one-socket-hears-answer");
		EXPECT_OK(recv(server, buf, sizeof buf, 0));
	}

	ROLE_ON("carol", "node") {
		STEP("carol, behind the same router, sends \"ping\" from her node's port %d too",
		     "two hosts behind one address: r cannot give both port %d", LAB_PORT, LAB_PORT);
		carol = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		rcvtimeo(carol);
		EXPECT_OK(bind(carol, (struct sockaddr *)&any, sizeof any));
		EXPECT_OK(sendto(carol, "ping", 4, 0, (struct sockaddr *)&bob, sizeof bob));
	}
	ROLE_ON("bob", "peer") {
		ASK("carol sent from port %d, as alice did.  Which port does bob see?", LAB_PORT);
		STEP("bob reads carol's ping and answers",
		     "10.1.0.1:%d to bob is alice's already: r rewrites carol's port", LAB_PORT);
		CLAIM("nat-rewrites-port");
		len = sizeof from;
		EXPECT_OK(recvfrom(peer, buf, sizeof buf, 0, (struct sockaddr *)&from, &len));
		EXPECT_TRUE(from.sin_addr.s_addr == inet_addr("10.1.0.1"));
		EXPECT_TRUE(ntohs(from.sin_port) != LAB_PORT);
		NOTE("bob saw %s:%d: the port the router chose for carol",
		     inet_ntoa(from.sin_addr), ntohs(from.sin_port));
		EXPECT_OK(sendto(peer, "pong", 4, 0, (struct sockaddr *)&from, len));
	}
	ROLE_ON("carol", "node") {
		STEP("carol reads the answer",
		     "the router maps it back: carol's socket still hears what it asked");
		CLAIM("nat-rewrites-port");
		EXPECT_OK(recv(carol, buf, sizeof buf, 0));
	}

	ROLE_ON("bob", "stranger") {
		struct sockaddr_in me = any, alice = any;
		int stranger;

		me.sin_port = htons(LAB_PORT + 1);
		inet_pton(AF_INET, "10.1.0.1", &alice.sin_addr);
		STEP("A stranger on bob, port %d, writes to 10.1.0.1:%d, the address alice's "
		     "node announced", "r maps flows it has seen leave, and this one never left",
		     LAB_PORT + 1, LAB_PORT);
		CLAIM("nat-drops-unsolicited");
		stranger = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		rcvtimeo(stranger);
		EXPECT_OK(bind(stranger, (struct sockaddr *)&me, sizeof me));
		/* connected: the ICMP error r sends back is reported to us */
		EXPECT_OK(connect(stranger, (struct sockaddr *)&alice, sizeof alice));
		EXPECT_OK(send(stranger, "hello?", 6, 0));
		EXPECT_ERR(ECONNREFUSED, recv(stranger, buf, sizeof buf, 0));
		if (AS_EXPECTED())
			NOTE("an ICMP port unreachable came back: the datagram found no socket "
			     "where it ended (the wire shows r sent it)");
	}
	ROLE_ON("alice", "server") {
		STEP("alice's server reads: nothing came",
		     "an announced port behind a NAT is reachable only by peers it wrote to");
		CLAIM("nat-drops-unsolicited");
		EXPECT_ERR(EAGAIN, recv(server, buf, sizeof buf, MSG_DONTWAIT));
	}
	return lab_end();
}
