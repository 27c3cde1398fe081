/* Lab 18 — Running out of ephemeral ports.
 *
 * What it shows: the ports the kernel picks by itself come from
 * net.ipv4.ip_local_port_range, which is per network namespace.  The lab
 * shrinks its sandbox's copy to four ports, 40000-40003, and uses them up:
 *
 *   UDP: four bind()s to port 0 succeed, the fifth fails with EADDRINUSE;
 *   an unbound socket's sendto() (an implicit bind) fails with EAGAIN.
 *   TCP: four connect()s to 127.0.0.1:5000 succeed, the fifth fails with
 *   EADDRNOTAVAIL.  A connect() to 127.0.0.1:5001 still works: connect()
 *   may reuse a source port that connects to another destination, since
 *   the four-tuple stays unique.  bind(127.0.0.1, port 0) before connect()
 *   cannot share, because it must pick a port before it knows the destination:
 *   EADDRINUSE.  IP_BIND_ADDRESS_NO_PORT defers that choice to connect(),
 *   so the client picks its source address and still shares a port.
 *
 * Why four ports: connect() scans an even number of ports (kernel 6.18,
 * __inet_hash_connect: remaining &= ~1, one parity first, then the other),
 * while a UDP bind() scans them all.  With an odd-sized range such as
 * 40000-40002, UDP gets 3 ports and TCP connect() only 2.  An even-sized
 * range gives both the same count, so every outcome here is deterministic.
 *
 * Watch the table: four UDP rows on 40000-40003; then TCP ESTAB rows on
 * the same numbers (TCP and UDP ports are separate); then the same source
 * ports again, toward :5001. */
#include <stdio.h>
#include <stdlib.h>

#include "lab/lab.h"

LAB(18, "ephemeral-exhaustion", "Running out of ephemeral ports",
    "Four ports in ip_local_port_range: EADDRINUSE, EAGAIN, EADDRNOTAVAIL; IP_BIND_ADDRESS_NO_PORT");

#define PORTS 4		/* 40000-40003 */

int main(void)
{
	struct sockaddr_in any = {	/* 127.0.0.1, port 0: the kernel picks */
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in dst = any, dst2 = any, me;
	socklen_t len = sizeof me;
	char range[64] = "";
	int on = 1, lo = 0, hi = 0, shared;
	int udp[PORTS + 2], uport[PORTS], tcp[PORTS + 1], tport[PORTS], l1, l2, c2, c3, c4;

	dst.sin_port = htons(LAB_PORT);
	dst2.sin_port = htons(LAB_PORT + 1);

	STEP("Shrink this sandbox's ip_local_port_range to 40000-40003",
	     "four ephemeral ports in all: the lab can use them up");
	/* on the host (--host) the range is the whole machine's: never touch it */
	if (!lab_sandboxed()) {
		SKIP("not in a sandbox: ip_local_port_range here is the whole host's");
		return lab_end();
	}
	if (lab_sysctl("net/ipv4/ip_local_port_range", "40000 40003") < 0) {
		SKIP("cannot write this sandbox's ip_local_port_range: %s", strerror(errno));
		return lab_end();
	}
	EXPECT_OK(lab_read_sysctl("net/ipv4/ip_local_port_range", range, sizeof range));
	EXPECT_TRUE(sscanf(range, "%d %d", &lo, &hi) == 2 && lo == 40000 && hi == 40003);

	/* ---- UDP ----------------------------------------------------------- */
	STEP("Four UDP sockets bind 127.0.0.1 port 0", "each takes one of the four ports");
	for (int i = 0; i < PORTS; i++) {
		udp[i] = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(bind(udp[i], (struct sockaddr *)&any, sizeof any));
		len = sizeof me;
		getsockname(udp[i], (struct sockaddr *)&me, &len);
		uport[i] = ntohs(me.sin_port);
	}
	NOTE("the kernel gave them ports %d %d %d %d", uport[0], uport[1], uport[2], uport[3]);

	STEP("A fifth UDP socket binds port 0", "no port is left in the range");
	CLAIM("ephemeral-exhaustion");
	udp[PORTS] = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_ERR(EADDRINUSE, bind(udp[PORTS], (struct sockaddr *)&any, sizeof any));

	STEP("A sixth UDP socket sends without binding",
	     "sendto() binds an ephemeral port first (lab 02): none is left");
	CLAIM("ephemeral-exhaustion");
	udp[PORTS + 1] = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_ERR(EAGAIN, sendto(udp[PORTS + 1], "x", 1, 0, (struct sockaddr *)&dst, sizeof dst));
	if (AS_EXPECTED())
		NOTE("the same shortage, another errno: the implicit bind answers EAGAIN, "
		     "'try again later'");

	/* ---- TCP ----------------------------------------------------------- */
	STEP("A TCP listener on 127.0.0.1:%d; four clients connect to it",
	     "TCP ports are counted apart from UDP's: the four ports are free again for TCP",
	     LAB_PORT);
	l1 = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
	EXPECT_OK(bind(l1, (struct sockaddr *)&dst, sizeof dst));
	EXPECT_OK(listen(l1, 8));
	for (int i = 0; i < PORTS; i++) {
		tcp[i] = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
		EXPECT_OK(connect(tcp[i], (struct sockaddr *)&dst, sizeof dst));
		len = sizeof me;
		getsockname(tcp[i], (struct sockaddr *)&me, &len);
		tport[i] = ntohs(me.sin_port);
	}
	NOTE("the clients' ports: %d %d %d %d", tport[0], tport[1], tport[2], tport[3]);

	STEP("A fifth client connects to 127.0.0.1:%d",
	     "every port already has a connection to this very destination", LAB_PORT);
	CLAIM("ephemeral-exhaustion");
	tcp[PORTS] = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
	EXPECT_ERR(EADDRNOTAVAIL, connect(tcp[PORTS], (struct sockaddr *)&dst, sizeof dst));

	STEP("A listener on 127.0.0.1:%d; a client connects to it",
	     "another destination: a used source port still makes a new four-tuple", LAB_PORT + 1);
	l2 = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
	EXPECT_OK(bind(l2, (struct sockaddr *)&dst2, sizeof dst2));
	EXPECT_OK(listen(l2, 8));
	c2 = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
	EXPECT_OK(connect(c2, (struct sockaddr *)&dst2, sizeof dst2));
	len = sizeof me;
	getsockname(c2, (struct sockaddr *)&me, &len);
	shared = 0;
	for (int i = 0; i < PORTS; i++)
		shared += tport[i] == ntohs(me.sin_port);
	EXPECT_TRUE(shared == 1);	/* all four are taken toward :LAB_PORT */
	if (AS_EXPECTED())
		NOTE("its source port %d also carries a connection to :%d", ntohs(me.sin_port),
		     LAB_PORT);

	STEP("A client binds 127.0.0.1 port 0 before it connects",
	     "the usual way to choose a source address; bind() must pick the port now");
	c3 = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
	EXPECT_ERR(EADDRINUSE, bind(c3, (struct sockaddr *)&any, sizeof any));
	if (AS_EXPECTED())
		NOTE("bind() does not know the destination yet, so it wants a port of its "
		     "own, and connections hold all four");

	STEP("The same with IP_BIND_ADDRESS_NO_PORT, then connect to 127.0.0.1:%d",
	     "bind() takes the address only; connect() picks the port, sharing allowed",
	     LAB_PORT + 1);
	c4 = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
	EXPECT_OK(setsockopt(c4, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on));
	EXPECT_OK(bind(c4, (struct sockaddr *)&any, sizeof any));
	len = sizeof me;
	EXPECT_OK(getsockname(c4, (struct sockaddr *)&me, &len));
	EXPECT_TRUE(ntohs(me.sin_port) == 0);	/* bound to the address, no port yet */
	EXPECT_OK(connect(c4, (struct sockaddr *)&dst2, sizeof dst2));
	len = sizeof me;
	getsockname(c4, (struct sockaddr *)&me, &len);
	shared = 0;
	for (int i = 0; i < PORTS; i++)
		shared += tport[i] == ntohs(me.sin_port);
	EXPECT_TRUE(shared == 1);	/* it shares a port with a connection to :LAB_PORT */
	if (AS_EXPECTED())
		NOTE("source port %d: the same port as a client of :%d, to another destination",
		     ntohs(me.sin_port), LAB_PORT);

	return lab_end();
}
