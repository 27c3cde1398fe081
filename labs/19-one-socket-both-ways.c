/* Lab 19 — One socket both ways: the story's real fix.
 *
 * What it shows: the story's author needed to send *from* the server's
 * port, and made a second socket share it.  Lab 07 showed the cost: while
 * the client shares the port, the peer's reply lands on the client.  This
 * lab measures the alternatives, and where every datagram lands.
 *
 *   Part 1, SO_REUSEPORT alone (the advice that keeps other users out,
 *   lab 09): the server and its own client form one reuseport group, and
 *   the group splits *all* the server's traffic by flow hash.  Of 40 peers,
 *   the client takes a share (measured on 6.18: about half), and the
 *   server never sees those datagrams.
 *
 *   Part 2, one socket both ways: the server sends its request from its
 *   own socket.  The source port the peer sees is the server's port, and
 *   the reply, like every other peer's datagram, lands on the server.  No
 *   option, no second socket: this is the fix.
 *
 *   Part 3, a connected client: if the request must come from another
 *   socket, a client socket that shares the port (SO_REUSEADDR on both)
 *   and connect()s to its one peer gets exactly that peer's datagrams: a
 *   connected socket is the better match for them (lab 13), and matches
 *   nobody else's, so the server keeps the rest.  (Twisted's "connected
 *   UDP", which the story rejected for the *server*, is right for the
 *   client.)  It is second best: SO_REUSEADDR on a UDP server opens its
 *   port to every user (lab 09), so use it only where a second socket
 *   cannot be avoided.
 *
 * 40 peer sockets each send one datagram per part, each from its own
 * ephemeral port (40 fixed flows); "the peer" on 127.0.0.1:5001 is the
 * one the request goes to.
 *
 * Watch the table: two rows on 127.0.0.1:5000 flagged rp in part 1, one
 * row in part 2, two again in part 3, the client's ESTAB with the peer. */
#include <poll.h>
#include <sys/time.h>

#include "lab/lab.h"

LAB(19, "one-socket-both-ways", "One socket both ways: the story's real fix",
    "SO_REUSEPORT splits the server's traffic; one socket gets every reply; so does a connected client");

#define PEERS 40

/* Read what is queued on a and b, waiting up to a second for stragglers
 * while fewer than `want` arrived: how many each got. */
static void count_each(int a, int b, int want, int *na, int *nb)
{
	struct pollfd pfd[2] = { { .fd = a, .events = POLLIN }, { .fd = b, .events = POLLIN } };
	char buf[64];

	*na = *nb = 0;
	while (*na + *nb < want && poll(pfd, b < 0 ? 1 : 2, 1000) > 0) {
		while (recv(a, buf, sizeof buf, MSG_DONTWAIT) >= 0)
			(*na)++;
		while (b >= 0 && recv(b, buf, sizeof buf, MSG_DONTWAIT) >= 0)
			(*nb)++;
	}
}

int main(void)
{
	struct sockaddr_in port = {	/* the protocol's port, the server's */
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in peer_addr = port, from;
	struct timeval wait = { 1, 0 };
	socklen_t len;
	char buf[64];
	int on = 1, sent, at_server, at_client, opened = 0;
	int server, client, peer, others[PEERS];

	peer_addr.sin_port = htons(LAB_PORT + 1);
	for (int i = 0; i < PEERS; i++)
		opened += (others[i] = socket(AF_INET, SOCK_DGRAM, 0)) >= 0;

	/* ---- Part 1: SO_REUSEPORT alone --------------------------------- */
	STEP("The server sets SO_REUSEPORT and binds 127.0.0.1:%d",
	     "SO_REUSEPORT alone: no other user may join (lab 08), the server's own client may",
	     LAB_PORT);
	EXPECT_TRUE(opened == PEERS);
	server = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_OK(setsockopt(server, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
	EXPECT_OK(bind(server, (struct sockaddr *)&port, sizeof port));

	STEP("Its client sets SO_REUSEPORT and binds 127.0.0.1:%d too",
	     "same user, both set the option before bind: one reuseport group of two", LAB_PORT);
	client = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_OK(setsockopt(client, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
	EXPECT_OK(bind(client, (struct sockaddr *)&port, sizeof port));

	STEP("40 peers each send one datagram to the server's port",
	     "a reuseport group hashes every flow to one member: the client is a member");
	CLAIM("reuseport-client-splits");
	sent = 0;
	for (int i = 0; i < PEERS; i++)
		sent += sendto(others[i], "to the server", 13, 0, (struct sockaddr *)&port,
			       sizeof port) == 13;
	EXPECT_TRUE(sent == PEERS);
	count_each(server, client, PEERS, &at_server, &at_client);
	NOTE("the server got %d, its client %d, of %d datagrams meant for the server",
	     at_server, at_client, PEERS);
	EXPECT_TRUE(at_server + at_client == PEERS);
	EXPECT_TRUE(at_client > 0 && at_server > 0);
	if (AS_EXPECTED())
		NOTE("the client took %d of the server's datagrams: SO_REUSEPORT stops "
		     "strangers, not this", at_client);

	/* ---- Part 2: one socket both ways ------------------------------- */
	STEP("Start over: the server binds 127.0.0.1:%d with no option; the peer binds :%d",
	     "no sharing at all: one socket will send and receive", LAB_PORT, LAB_PORT + 1);
	EXPECT_OK(close(client));
	EXPECT_OK(close(server));
	server = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_OK(setsockopt(server, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(bind(server, (struct sockaddr *)&port, sizeof port));
	peer = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_OK(setsockopt(peer, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(bind(peer, (struct sockaddr *)&peer_addr, sizeof peer_addr));

	STEP("The server sends its request to the peer from its own socket",
	     "a socket bound to port %d sends from port %d: what the second socket was for",
	     LAB_PORT, LAB_PORT);
	EXPECT_OK(sendto(server, "request", 7, 0, (struct sockaddr *)&peer_addr, sizeof peer_addr));
	len = sizeof from;
	EXPECT_OK(recvfrom(peer, buf, sizeof buf, 0, (struct sockaddr *)&from, &len));
	EXPECT_TRUE(ntohs(from.sin_port) == LAB_PORT);
	if (AS_EXPECTED())
		NOTE("the peer sees the request come from port %d, the server's port",
		     ntohs(from.sin_port));

	STEP("The peer replies to that source; the 40 others send again",
	     "one socket on the port: every datagram to it is the server's");
	CLAIM("one-socket-both-ways");
	EXPECT_OK(sendto(peer, "reply", 5, 0, (struct sockaddr *)&from, len));
	len = sizeof from;
	EXPECT_OK(recvfrom(server, buf, sizeof buf, 0, (struct sockaddr *)&from, &len));
	EXPECT_TRUE(ntohs(from.sin_port) == LAB_PORT + 1 && memcmp(buf, "reply", 5) == 0);
	sent = 0;
	for (int i = 0; i < PEERS; i++)
		sent += sendto(others[i], "to the server", 13, 0, (struct sockaddr *)&port,
			       sizeof port) == 13;
	EXPECT_TRUE(sent == PEERS);
	count_each(server, -1, PEERS, &at_server, &at_client);
	NOTE("the server got the peer's reply, and %d of the %d others", at_server, PEERS);
	EXPECT_TRUE(at_server == PEERS);
	if (AS_EXPECTED())
		NOTE("the reply and every other datagram landed on the server: nothing to share, "
		     "nothing to lose");

	/* ---- Part 3: a connected client --------------------------------- */
	STEP("Start over: server and client set SO_REUSEADDR and bind 127.0.0.1:%d; "
	     "the client connects to the peer",
	     "connect() on UDP fixes the client's one peer (lab 13)", LAB_PORT);
	EXPECT_OK(close(server));
	server = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_OK(setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(server, (struct sockaddr *)&port, sizeof port));
	client = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_OK(setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(setsockopt(client, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(client, (struct sockaddr *)&port, sizeof port));
	EXPECT_OK(connect(client, (struct sockaddr *)&peer_addr, sizeof peer_addr));

	STEP("The client sends its request; the peer replies; the 40 others send",
	     "the connected client is the best match for the peer's datagrams, and for no one else's");
	CLAIM("connected-client-shares");
	EXPECT_OK(send(client, "request", 7, 0));
	len = sizeof from;
	EXPECT_OK(recvfrom(peer, buf, sizeof buf, 0, (struct sockaddr *)&from, &len));
	EXPECT_TRUE(ntohs(from.sin_port) == LAB_PORT);
	EXPECT_OK(sendto(peer, "reply", 5, 0, (struct sockaddr *)&from, len));
	len = sizeof from;
	EXPECT_OK(recvfrom(client, buf, sizeof buf, 0, (struct sockaddr *)&from, &len));
	EXPECT_TRUE(ntohs(from.sin_port) == LAB_PORT + 1 && memcmp(buf, "reply", 5) == 0);
	EXPECT_ERR(EAGAIN, recv(server, buf, sizeof buf, MSG_DONTWAIT));
	sent = 0;
	for (int i = 0; i < PEERS; i++)
		sent += sendto(others[i], "to the server", 13, 0, (struct sockaddr *)&port,
			       sizeof port) == 13;
	EXPECT_TRUE(sent == PEERS);
	count_each(server, client, PEERS, &at_server, &at_client);
	NOTE("of the %d others' datagrams the server got %d, the client %d",
	     PEERS, at_server, at_client);
	EXPECT_TRUE(at_server == PEERS && at_client == 0);
	if (AS_EXPECTED())
		NOTE("the client got its peer's reply, and only that, though it bound last; "
		     "the server kept everyone else's");

	return lab_end();
}
