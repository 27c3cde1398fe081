/* Lab 02 — The implicit bind.
 *
 * What it shows: a UDP socket that was never bound gets a local port at
 * its first sendto(): the kernel binds it to the wildcard address and an
 * ephemeral port, once.  A later bind() then fails with EINVAL: a socket
 * is bound at most once.  To send *from* a chosen port, bind before the
 * first send.  This is the background of the story: the client had to
 * bind the server's port before sending.
 *
 * Not quite "one port for life", though: connect() with AF_UNSPEC (the
 * way to dissolve a UDP socket's association) also gives back a port the
 * kernel chose implicitly, and then bind() to a chosen port works (a port
 * bind() chose explicitly stays).  Measured on kernel 6.18; step 4.
 *
 * Watch the table: before step 2 only the receiver's row; after step 2 a
 * new row *:NNNNN appears — the sender's port, which nobody asked for. */
#include <stdio.h>

#include "lab/lab.h"

LAB(2, "implicit-bind", "The implicit bind", "The first sendto() binds an ephemeral port; bind() afterwards fails");

int main(void)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in chosen = to, me = { 0 }, from = { 0 };
	socklen_t len;
	char buf[64];
	int lo = 0, hi = 0, port;
	int receiver = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int sender = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	FILE *range;

	/* so a lab never hangs if a datagram goes elsewhere */
	EXPECT_OK(setsockopt(receiver, SOL_SOCKET, SO_RCVTIMEO, &(struct timeval){ 1, 0 },
			     sizeof(struct timeval)));

	STEP("A receiver binds 127.0.0.1:%d; the sender binds nothing",
	     "a fresh socket has no local port: getsockname() reports port 0", LAB_PORT);
	EXPECT_OK(bind(receiver, (struct sockaddr *)&to, sizeof to));
	len = sizeof me;
	EXPECT_OK(getsockname(sender, (struct sockaddr *)&me, &len));
	EXPECT_TRUE(ntohs(me.sin_port) == 0);

	STEP("The sender's first sendto()",
	     "a socket must have a source port to send: the kernel binds one now");
	CLAIM("implicit-bind");
	EXPECT_OK(sendto(sender, "hello", 5, 0, (struct sockaddr *)&to, sizeof to));
	len = sizeof me;
	EXPECT_OK(getsockname(sender, (struct sockaddr *)&me, &len));
	port = ntohs(me.sin_port);
	range = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	if (range) {
		if (fscanf(range, "%d %d", &lo, &hi) != 2)
			lo = hi = 0;
		fclose(range);
	}
	NOTE("the first sendto bound the sender to %s:%d; ip_local_port_range is %d-%d",
	     inet_ntoa(me.sin_addr), port, lo, hi);
	EXPECT_TRUE(port >= lo && port <= hi);
	len = sizeof from;
	EXPECT_OK(recvfrom(receiver, buf, sizeof buf, 0, (struct sockaddr *)&from, &len));
	EXPECT_TRUE(ntohs(from.sin_port) == port);

	STEP("Now bind the sender to 127.0.0.1:%d",
	     "too late: the socket already has its one local port", LAB_PORT + 1);
	CLAIM("bind-after-implicit-einval");
	chosen.sin_port = htons(LAB_PORT + 1);
	EXPECT_ERR(EINVAL, bind(sender, (struct sockaddr *)&chosen, sizeof chosen));

	STEP("connect(AF_UNSPEC) on the sender, then bind 127.0.0.1:%d again",
	     "AF_UNSPEC dissolves the socket's association, and gives back a port the kernel chose",
	     LAB_PORT + 1);
	CLAIM("unspec-frees-implicit");
	EXPECT_OK(connect(sender, &(struct sockaddr){ .sa_family = AF_UNSPEC },
			  sizeof(struct sockaddr)));
	len = sizeof me;
	EXPECT_OK(getsockname(sender, (struct sockaddr *)&me, &len));
	EXPECT_TRUE(ntohs(me.sin_port) == 0);	/* unbound again */
	EXPECT_OK(bind(sender, (struct sockaddr *)&chosen, sizeof chosen));
	len = sizeof me;
	EXPECT_OK(getsockname(sender, (struct sockaddr *)&me, &len));
	EXPECT_TRUE(ntohs(me.sin_port) == LAB_PORT + 1);
	if (AS_EXPECTED())
		NOTE("the implicit port %d was given back; the socket now sends from %d, "
		     "the port it chose", port, ntohs(me.sin_port));

	return lab_end();
}
