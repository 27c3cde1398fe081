/* Lab 10 — The most specific bind wins.
 *
 * What it shows: 0.0.0.0:5000 (every local address) and 127.0.0.1:5000
 * overlap, so Linux treats them as the same port.  Without reuse the second
 * bind fails with EADDRINUSE, in either order, and even when the newcomer
 * alone sets SO_REUSEADDR: Linux wants SO_REUSEADDR on both sockets.  A
 * BSD stack checks only the newcomer's flag, so there SO_REUSEADDR on the
 * specific socket alone lets it in.  The story's warning, that on Windows
 * such a more specific bind takes the traffic with no privilege check,
 * describes Windows up to XP: since Windows Server 2003 it gets WSAEACCES
 * (10013) unless the socket already there set SO_REUSEADDR too (lab 09,
 * docs/reuse-semantics.md).
 *
 * With SO_REUSEADDR on both, the two share the port, and delivery is not
 * "last bound" as in lab 06: current kernels (6.18 here) look up the
 * sockets bound to the datagram's exact destination address first, and
 * only when none of them takes it, the ones bound to the wildcard.  So an
 * exact address beats 0.0.0.0 whatever the bind order (within one lookup,
 * a connected socket beats an unconnected one: lab 13).  Older texts call
 * this a "score"; the score only ranks sockets within one lookup.  A
 * datagram to 127.0.0.1 goes to the 127.0.0.1 socket
 * whichever bound first; one to 127.0.0.2 (also this host: lo owns all of
 * 127.0.0.0/8, no setup needed) can only match the wildcard.
 *
 * Watch the table: rows 0.0.0.0:5000 and 127.0.0.1:5000 side by side, flag
 * ra, in both bind orders; the failed binds of steps 2-3 add no row. */
#include <sys/time.h>

#include "lab/lab.h"

LAB(10, "most-specific-wins", "The most specific bind wins",
    "0.0.0.0 and 127.0.0.1 on one port: refused without reuse; with it, 127.0.0.1 gets its datagrams");

int main(void)
{
	struct sockaddr_in any = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct sockaddr_in lo1 = any, lo2 = any;
	struct timeval wait = { 1, 0 };
	char buf[64];
	int on = 1;
	int wild = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int spec = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int sender = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));

	lo1.sin_addr.s_addr = htonl(INADDR_LOOPBACK);		/* 127.0.0.1 */
	lo2.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1);	/* 127.0.0.2 */

	/* ---- without reuse -------------------------------------------- */
	STEP("A socket binds 0.0.0.0:%d with no options",
	     "the wildcard: every local address of this host, port %d", LAB_PORT, LAB_PORT);
	EXPECT_OK(bind(wild, (struct sockaddr *)&any, sizeof any));

	STEP("Another socket binds 127.0.0.1:%d, then retries with SO_REUSEADDR",
	     "127.0.0.1 is one of the addresses 0.0.0.0 already covers", LAB_PORT);
	CLAIM("specific-wildcard-conflict");
	EXPECT_ERR(EADDRINUSE, bind(spec, (struct sockaddr *)&lo1, sizeof lo1));
	EXPECT_OK(setsockopt(spec, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_ERR(EADDRINUSE, bind(spec, (struct sockaddr *)&lo1, sizeof lo1));
	if (AS_EXPECTED())
		NOTE("Linux refuses both: the wildcard socket never agreed to share; a BSD "
		     "stack would accept the retry (it checks only the newcomer's SO_REUSEADDR)");

	STEP("The other order: 127.0.0.1:%d first, then 0.0.0.0:%d",
	     "the overlap is the same whichever socket comes first", LAB_PORT, LAB_PORT);
	CLAIM("specific-wildcard-conflict");
	EXPECT_OK(close(wild));
	EXPECT_OK(close(spec));
	wild = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	spec = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_OK(bind(spec, (struct sockaddr *)&lo1, sizeof lo1));
	EXPECT_ERR(EADDRINUSE, bind(wild, (struct sockaddr *)&any, sizeof any));

	/* ---- with SO_REUSEADDR on both: wildcard first ---------------- */
	STEP("Both set SO_REUSEADDR: 0.0.0.0:%d binds first, then 127.0.0.1:%d",
	     "both sockets agree to share, so the overlap is allowed", LAB_PORT, LAB_PORT);
	EXPECT_OK(close(spec));
	EXPECT_OK(close(wild));
	wild = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	spec = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_OK(setsockopt(wild, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(setsockopt(spec, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(setsockopt(wild, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(setsockopt(spec, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(wild, (struct sockaddr *)&any, sizeof any));
	EXPECT_OK(bind(spec, (struct sockaddr *)&lo1, sizeof lo1));

	STEP("Send one datagram to 127.0.0.1:%d and one to 127.0.0.2:%d",
	     "each goes to the socket whose address matches it best", LAB_PORT, LAB_PORT);
	CLAIM("specific-beats-wildcard");
	EXPECT_OK(sendto(sender, "to .1", 5, 0, (struct sockaddr *)&lo1, sizeof lo1));
	EXPECT_OK(recv(spec, buf, sizeof buf, 0));
	EXPECT_ERR(EAGAIN, recv(wild, buf, sizeof buf, MSG_DONTWAIT));
	EXPECT_OK(sendto(sender, "to .2", 5, 0, (struct sockaddr *)&lo2, sizeof lo2));
	EXPECT_OK(recv(wild, buf, sizeof buf, 0));
	EXPECT_ERR(EAGAIN, recv(spec, buf, sizeof buf, MSG_DONTWAIT));
	if (AS_EXPECTED())
		NOTE("127.0.0.1 went to the 127.0.0.1 socket (it also bound last); "
		     "127.0.0.2 matched only the wildcard");

	/* ---- with SO_REUSEADDR on both: specific first ---------------- */
	STEP("Again the other order: 127.0.0.1:%d first, 0.0.0.0:%d last",
	     "lab 06 says the last bound socket gets unicast: does the wildcard now?",
	     LAB_PORT, LAB_PORT);
	EXPECT_OK(close(wild));
	EXPECT_OK(close(spec));
	wild = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	spec = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_OK(setsockopt(wild, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(setsockopt(spec, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(setsockopt(spec, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(setsockopt(wild, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(spec, (struct sockaddr *)&lo1, sizeof lo1));
	EXPECT_OK(bind(wild, (struct sockaddr *)&any, sizeof any));

	STEP("Send to 127.0.0.1:%d and to 127.0.0.2:%d again",
	     "the kernel ranks sockets by how exactly they match, and only then by age",
	     LAB_PORT, LAB_PORT);
	CLAIM("specific-beats-wildcard");
	EXPECT_OK(sendto(sender, "to .1", 5, 0, (struct sockaddr *)&lo1, sizeof lo1));
	EXPECT_OK(recv(spec, buf, sizeof buf, 0));
	EXPECT_ERR(EAGAIN, recv(wild, buf, sizeof buf, MSG_DONTWAIT));
	EXPECT_OK(sendto(sender, "to .2", 5, 0, (struct sockaddr *)&lo2, sizeof lo2));
	EXPECT_OK(recv(wild, buf, sizeof buf, 0));
	EXPECT_ERR(EAGAIN, recv(spec, buf, sizeof buf, MSG_DONTWAIT));
	if (AS_EXPECTED())
		NOTE("the 127.0.0.1 socket still gets 127.0.0.1, though the wildcard bound "
		     "last: an exact address beats the wildcard, whatever the order");

	return lab_end();
}
