/* Lab 13 — Connected UDP.
 *
 * What it shows: connect() on a UDP socket sends nothing; it fixes the
 * peer.  From then on the socket receives only datagrams from that peer's
 * address and port.  This is Twisted's "connected UDP", which the story
 * rejected because the server must hear from everyone.
 *
 * A connected socket is also the best match for its peer's datagrams.  If
 * an unconnected socket shares the port (SO_REUSEADDR on both), the peer's
 * datagrams go to the connected socket even when the unconnected one bound
 * later (lab 06's "last bound wins" applies only between equal matches),
 * and everyone else's go to the unconnected socket.
 *
 * Two sockets connected on the same four-tuple (same local address and
 * port, same peer) are allowed with SO_REUSEADDR, and then one of them
 * silently overshadows the other: it gets nothing and no error.  Which
 * one depends on the kernel (src/kver/kver.c, KVER_UDP_HASH4):
 *  - since Linux 6.13 ("udp: Add 4-tuple hash for connected socket") a
 *    connected UDP socket is also hashed by its four-tuple, newest first:
 *    the socket that connected last wins, every time (checked: bind A,
 *    bind B, connect B, connect A: A wins).  Measured on 6.16.3 to 7.3.4;
 *  - before, both score the same in compute_score(), which gives one
 *    point more to the socket whose last datagram was handled on the CPU
 *    handling this one (sk_incoming_cpu): either can win, and which one
 *    can change with the CPU the sender runs on.  Measured on 6.1.192 and
 *    6.12.118, where the lab sends 20 datagrams and shows the split.
 * The lab checks what the kernel it runs on promises, and says which.
 *
 * A connected socket also hears about errors.  A datagram to a port where
 * nobody listens draws an ICMP "port unreachable"; the kernel reports it
 * as ECONNREFUSED on the next call of a socket connected to that port, and
 * says nothing to an unconnected one (it would not know which of its
 * peers the error is about).
 *
 * Watch the table: the connected socket is ESTAB with a peer column of
 * 127.0.0.1:5001; the unconnected one on the same port stays UNCONN. */
#include <poll.h>
#include <sys/time.h>

#include "lab/lab.h"

LAB(13, "connected-udp", "Connected UDP",
    "connect() on UDP: one peer only, preferred over an unconnected socket; of two connected sockets one overshadows the other");

int main(void)
{
	struct sockaddr_in port = {	/* the shared local port */
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in peer_addr = port, stranger_addr = port, nobody = port;
	struct timeval wait = { 1, 0 };
	char buf[64];
	int on = 1;
	int older = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int unconn = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int newer = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int peer = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int stranger = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int lonely;

	peer_addr.sin_port = htons(LAB_PORT + 1);
	stranger_addr.sin_port = htons(LAB_PORT + 2);
	nobody.sin_port = htons(LAB_PORT + 3);	/* no socket ever binds it */
	EXPECT_OK(setsockopt(older, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(setsockopt(unconn, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(setsockopt(newer, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));

	STEP("A peer binds 127.0.0.1:%d, a stranger 127.0.0.1:%d",
	     "two senders, so we can tell whose datagrams a socket accepts",
	     LAB_PORT + 1, LAB_PORT + 2);
	EXPECT_OK(bind(peer, (struct sockaddr *)&peer_addr, sizeof peer_addr));
	EXPECT_OK(bind(stranger, (struct sockaddr *)&stranger_addr, sizeof stranger_addr));

	STEP("A socket binds 127.0.0.1:%d and connects to the peer",
	     "connect() on UDP sends nothing: it records the one peer this socket talks to",
	     LAB_PORT);
	/* SO_REUSEADDR now, so that other sockets can share the port later */
	EXPECT_OK(setsockopt(older, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(older, (struct sockaddr *)&port, sizeof port));
	EXPECT_OK(connect(older, (struct sockaddr *)&peer_addr, sizeof peer_addr));

	STEP("The peer and the stranger each send to 127.0.0.1:%d",
	     "a connected socket accepts only datagrams from its peer's address and port",
	     LAB_PORT);
	CLAIM("connected-preferred");
	EXPECT_OK(sendto(peer, "peer", 4, 0, (struct sockaddr *)&port, sizeof port));
	EXPECT_OK(recv(older, buf, sizeof buf, 0));
	/* the stranger's datagram matches no socket: the kernel drops it and
	 * answers with ICMP port unreachable, as if the port were closed */
	EXPECT_OK(sendto(stranger, "stranger", 8, 0, (struct sockaddr *)&port, sizeof port));
	EXPECT_ERR(EAGAIN, recv(older, buf, sizeof buf, MSG_DONTWAIT));
	if (AS_EXPECTED())
		NOTE("the peer's datagram arrived; the stranger's never reached the socket");

	STEP("An unconnected socket sets SO_REUSEADDR and binds 127.0.0.1:%d",
	     "both set SO_REUSEADDR, so they share the port; this one binds last", LAB_PORT);
	EXPECT_OK(setsockopt(unconn, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(unconn, (struct sockaddr *)&port, sizeof port));

	STEP("The peer and the stranger send again",
	     "the kernel picks the socket that matches a datagram best, not the newest");
	CLAIM("connected-preferred");
	EXPECT_OK(sendto(peer, "peer", 4, 0, (struct sockaddr *)&port, sizeof port));
	EXPECT_OK(recv(older, buf, sizeof buf, 0));
	EXPECT_ERR(EAGAIN, recv(unconn, buf, sizeof buf, MSG_DONTWAIT));
	EXPECT_OK(sendto(stranger, "stranger", 8, 0, (struct sockaddr *)&port, sizeof port));
	EXPECT_OK(recv(unconn, buf, sizeof buf, 0));
	EXPECT_ERR(EAGAIN, recv(older, buf, sizeof buf, MSG_DONTWAIT));
	if (AS_EXPECTED())
		NOTE("the peer's datagram went to the connected socket, though the unconnected "
		     "one bound last; the stranger's went to the unconnected socket");

	STEP("A second socket binds 127.0.0.1:%d and connects to the same peer",
	     "same local address and port, same peer: the same four-tuple twice", LAB_PORT);
	EXPECT_OK(setsockopt(newer, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(newer, (struct sockaddr *)&port, sizeof port));
	EXPECT_OK(connect(newer, (struct sockaddr *)&peer_addr, sizeof peer_addr));
	if (AS_EXPECTED())
		NOTE("no error: a UDP connect() does not check that its four-tuple is unique");

	ASK("Two sockets are connected to the same peer on the same port. Which one gets "
	    "the peer's datagram?");
	STEP("The peer sends to 127.0.0.1:%d",
	     "two sockets match it equally well: which one gets it?", LAB_PORT);
	EXPECT_OK(sendto(peer, "peer", 4, 0, (struct sockaddr *)&port, sizeof port));
	if (lab_kernel_has(KVER_UDP_HASH4) == 1) {
		/* 6.13 and later: the four-tuple hash finds the newest first */
		EXPECT_OK(recv(newer, buf, sizeof buf, 0));
		EXPECT_ERR(EAGAIN, recv(older, buf, sizeof buf, MSG_DONTWAIT));
		if (AS_EXPECTED())
			NOTE("the newer connected socket got it; the older one got nothing "
			     "and no error: it is silently overshadowed");
	} else {
		/* before 6.13 (or a kernel not checked): each datagram goes to
		 * one of the two, and the CPU that handles it decides which;
		 * 19 more show the split */
		struct pollfd both[2] = { { .fd = older, .events = POLLIN },
					  { .fd = newer, .events = POLLIN } };
		int sent = 1, to_older = 0, to_newer = 0;

		for (int i = 0; i < 19; i++)
			sent += sendto(peer, "peer", 4, 0, (struct sockaddr *)&port, sizeof port) == 4;
		EXPECT_TRUE(sent == 20);
		while (to_older + to_newer < sent && poll(both, 2, 1000) > 0) {
			to_older += recv(older, buf, sizeof buf, MSG_DONTWAIT) == 4;
			to_newer += recv(newer, buf, sizeof buf, MSG_DONTWAIT) == 4;
		}
		EXPECT_TRUE(to_older + to_newer == 20);
		if (AS_EXPECTED())
			NOTE("of 20 datagrams the older connected socket got %d, the newer %d: "
			     "each went to one of them only, and the other got nothing and no "
			     "error", to_older, to_newer);
	}
	KERNEL_NOTE(KVER_UDP_HASH4);
	EXPECT_ERR(EAGAIN, recv(unconn, buf, sizeof buf, MSG_DONTWAIT));

	STEP("Close the newer socket; the peer sends again",
	     "with the newer socket gone, the older is the one match left");
	EXPECT_OK(close(newer));
	EXPECT_OK(sendto(peer, "peer", 4, 0, (struct sockaddr *)&port, sizeof port));
	EXPECT_OK(recv(older, buf, sizeof buf, 0));

	STEP("A socket connects to 127.0.0.1:%d, where nobody listens, and sends",
	     "the kernel answers with ICMP port unreachable: who hears of it?", LAB_PORT + 3);
	CLAIM("connected-econnrefused");
	lonely = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_OK(setsockopt(lonely, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(connect(lonely, (struct sockaddr *)&nobody, sizeof nobody));
	EXPECT_OK(send(lonely, "hello?", 6, 0));
	EXPECT_ERR(ECONNREFUSED, recv(lonely, buf, sizeof buf, 0));
	/* the error is reported once; the socket works on */
	EXPECT_OK(send(lonely, "hello?", 6, 0));
	/* the stranger is not connected: its datagram to :LAB_PORT + 3 draws the same
	 * ICMP, and its recv() just waits out its second */
	EXPECT_OK(setsockopt(stranger, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(sendto(stranger, "hello?", 6, 0, (struct sockaddr *)&nobody, sizeof nobody));
	EXPECT_ERR(EAGAIN, recv(stranger, buf, sizeof buf, 0));
	if (AS_EXPECTED())
		NOTE("ECONNREFUSED on the connected socket; the unconnected one heard nothing");

	return lab_end();
}
