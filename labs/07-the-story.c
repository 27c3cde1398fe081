/* Lab 07 — The story: one port, a server and a client.
 *
 * What it shows: a UDP server (Twisted's reactor.listenUDP(port)) receives
 * on port 5000; a short-lived client socket must send *from* port 5000.
 *
 *   Part 1, the listenUDP way: the server binds with no options.  The
 *   client's bind fails with EADDRINUSE (Windows: 10048), and setting
 *   SO_REUSEADDR on the client alone still fails (Windows said 10013).
 *
 *   Part 2, the listenMultiple way: listenMulticast(port, proto,
 *   listenMultiple=True) sets SO_REUSEADDR and SO_REUSEPORT before bind.
 *   Now the client, with SO_REUSEADDR, binds the same port and sends.
 *
 *   Part 3, where the reply lands: while the client socket is open, the
 *   peer's reply to port 5000 goes to the client (the socket bound last);
 *   the server sees nothing.  Once the client closes, the server gets it.
 *
 * Three processes play the roles; the owner column of the table says
 * which socket is whose.  Watch the rows on :5000 appear and vanish. */
#include <sys/time.h>

#include "lab/lab.h"

LAB(7, "the-story", "The story: server and client on one port",
    "listenUDP fails, listenMultiple works; where the reply lands");

int main(void)
{
	struct sockaddr_in port = {	/* the protocol's well-known port */
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in peer_addr = port, from = { 0 };
	struct timeval wait = { 1, 0 };
	socklen_t len;
	char buf[64];
	int on = 1;
	int server = -1, client = -1, peer = -1;

	peer_addr.sin_port = htons(LAB_PORT + 1);

	/* ---- Part 1: the listenUDP way -------------------------------- */
	ROLE("server") {
		STEP("The server binds 127.0.0.1:%d the listenUDP way",
		     "reactor.listenUDP(%d, proto) sets no socket options before bind",
		     LAB_PORT, LAB_PORT);
		server = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(server, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
		EXPECT_OK(bind(server, (struct sockaddr *)&port, sizeof port));
	}
	ROLE("client") {
		ASK("The server holds port %d and set no option. Can the client bind it too?",
		    LAB_PORT);
		STEP("The client binds port %d so it can send from it",
		     "the port is the server's, and the server agreed to no sharing", LAB_PORT);
		client = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
		EXPECT_ERR(EADDRINUSE, bind(client, (struct sockaddr *)&port, sizeof port));
		NOTE("Windows says 10048, WSAEADDRINUSE: 'only one usage of each socket "
		     "address is normally permitted'");

		ASK("The client sets SO_REUSEADDR, as the author read. Will its bind work now?");
		STEP("The client sets SO_REUSEADDR and tries again",
		     "the advice the author found; but reuse needs the server's consent too");
		EXPECT_OK(setsockopt(client, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
		EXPECT_ERR(EADDRINUSE, bind(client, (struct sockaddr *)&port, sizeof port));
		if (AS_EXPECTED())
			NOTE("the story's Windows answered 10013 (WSAEACCES) here; Linux "
			     "keeps saying EADDRINUSE: SO_REUSEADDR must be set on both sockets");
	}

	/* ---- Part 2: the listenMultiple way --------------------------- */
	ROLE("server") {
		STEP("The server restarts the listenMultiple way",
		     "listenMulticast(%d, proto, listenMultiple=True) sets SO_REUSEADDR "
		     "and SO_REUSEPORT before bind", LAB_PORT);
		EXPECT_OK(close(server));
		server = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(server, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
		EXPECT_OK(setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
		EXPECT_OK(setsockopt(server, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
		EXPECT_OK(bind(server, (struct sockaddr *)&port, sizeof port));
	}
	ROLE("client") {
		ASK("The server now sets SO_REUSEADDR and SO_REUSEPORT. Will the client's bind work?");
		STEP("The client, still with SO_REUSEADDR, binds port %d",
		     "now both sockets set SO_REUSEADDR: the kernel lets them share", LAB_PORT);
		EXPECT_OK(bind(client, (struct sockaddr *)&port, sizeof port));
	}
	ROLE("peer") {
		STEP("The peer, the other end of the protocol, binds 127.0.0.1:%d",
		     "it will answer whoever writes to it, at the source address it sees",
		     LAB_PORT + 1);
		peer = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(peer, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
		EXPECT_OK(bind(peer, (struct sockaddr *)&peer_addr, sizeof peer_addr));
	}
	ROLE("client") {
		STEP("The client sends a request from port %d to the peer",
		     "the reason the client needed that port: the peer sees %d as the source",
		     LAB_PORT, LAB_PORT);
		EXPECT_OK(sendto(client, "request", 7, 0, (struct sockaddr *)&peer_addr,
				 sizeof peer_addr));
	}

	/* ---- Part 3: where does the reply land? ----------------------- */
	ROLE("peer") {
		STEP("The peer receives the request and replies to its source",
		     "the reply goes to 127.0.0.1:%d, a port two sockets now share", LAB_PORT);
		len = sizeof from;
		/* reply only to an address a datagram really came from */
		if (EXPECT_OK(recvfrom(peer, buf, sizeof buf, 0, (struct sockaddr *)&from, &len)) >= 0) {
			EXPECT_TRUE(ntohs(from.sin_port) == LAB_PORT);
			EXPECT_OK(sendto(peer, "reply", 5, 0, (struct sockaddr *)&from, len));
		}
	}
	ROLE("client") {
		ASK("The peer replied to port %d, which two sockets share. Which one gets the "
		    "reply: the server, the client, or both?", LAB_PORT);
		STEP("While the client lives, the reply lands on the client",
		     "unicast to a shared UDP port goes to the socket that bound last");
		CLAIM("story-reply-on-client");
		EXPECT_OK(recv(client, buf, sizeof buf, 0));
	}
	ROLE("server") {
		EXPECT_ERR(EAGAIN, recv(server, buf, sizeof buf, MSG_DONTWAIT));
		if (AS_EXPECTED())
			NOTE("the server got nothing: a client that shares the port also "
			     "takes the server's traffic while it is open");
	}
	ROLE("client") {
		STEP("The client closes its socket", "its job is done");
		EXPECT_OK(close(client));
	}
	ROLE("peer") {
		ASK("The client has closed its socket. Where does the peer's next datagram go?");
		STEP("The peer sends to port %d again",
		     "only the server's socket is left on the port", LAB_PORT);
		EXPECT_OK(sendto(peer, "later", 5, 0, (struct sockaddr *)&port, sizeof port));
	}
	ROLE("server") {
		EXPECT_OK(recv(server, buf, sizeof buf, 0));
		if (AS_EXPECTED())
			NOTE("with the client gone, the server receives again");
	}

	return lab_end();
}
