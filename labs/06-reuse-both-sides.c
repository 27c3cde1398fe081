/* Lab 06 — Reuse on both sides.
 *
 * What it shows: when both sockets set SO_REUSEADDR, two UDP sockets can
 * share 127.0.0.1:5000.  "Both before bind()" is the usual advice, and
 * only half of it is needed: the newcomer must set the option before its
 * bind(), because that bind is where the kernel decides; the holder's
 * flag is read at that moment too, so the holder may set it even after
 * its own bind (step 6).
 *
 * A unicast datagram is delivered to one socket only, not both.  Which
 * one is an undocumented detail of the kernel: on Linux 6.18 the socket
 * that bound last; when that socket closes, the older one receives again.
 * No program should count on it (lab 13 shows the reliable way to get a
 * peer's replies: a connected socket).
 *
 * Watch the table: two rows on 127.0.0.1:5000 after step 2; the RECV-Q
 * column and the checks show which one got each datagram; two rows on
 * 127.0.0.1:5001 after step 6, the holder's flag turned on after its bind. */
#include <sys/time.h>

#include "lab/lab.h"

LAB(6, "reuse-both-sides", "Reuse on both sides",
    "SO_REUSEADDR on both (the holder's may come late): two sockets share a port");

int main(void)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in b = a;
	struct timeval wait = { 1, 0 };
	char buf[64];
	int on = 1;
	int older = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int newer = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int sender = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int holder = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int joiner = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));

	/* receive timeouts: a datagram that went elsewhere fails a check
	 * after one second instead of hanging the lab */
	EXPECT_OK(setsockopt(older, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(setsockopt(newer, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));

	STEP("The older socket sets SO_REUSEADDR and binds 127.0.0.1:%d",
	     "it agrees in advance to share the port", LAB_PORT);
	EXPECT_OK(setsockopt(older, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(older, (struct sockaddr *)&a, sizeof a));

	STEP("The newer socket does the same",
	     "both sockets set SO_REUSEADDR, so the kernel lets them share");
	CLAIM("reuse-both-shares");
	EXPECT_OK(setsockopt(newer, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(newer, (struct sockaddr *)&a, sizeof a));

	ASK("Both sockets share the port. Who gets one datagram sent to it: the older, "
	    "the newer, or both?");
	STEP("Send one datagram to 127.0.0.1:%d",
	     "unicast goes to exactly one socket: which one is not documented", LAB_PORT);
	CLAIM("last-bound-gets-unicast");
	EXPECT_OK(sendto(sender, "first", 5, 0, (struct sockaddr *)&a, sizeof a));
	EXPECT_OK(recv(newer, buf, sizeof buf, 0));
	EXPECT_ERR(EAGAIN, recv(older, buf, sizeof buf, MSG_DONTWAIT));
	if (AS_EXPECTED())
		NOTE("the socket that bound last received it; the older one got nothing "
		     "(what this kernel does, not a promise: see lab 13 for one)");

	STEP("Close the newer socket and send again",
	     "with the newer socket gone, the port's remaining socket gets the traffic");
	EXPECT_OK(close(newer));
	EXPECT_OK(sendto(sender, "second", 6, 0, (struct sockaddr *)&a, sizeof a));
	EXPECT_OK(recv(older, buf, sizeof buf, 0));

	STEP("A holder binds 127.0.0.1:%d with no option; a joiner with SO_REUSEADDR tries",
	     "the holder never agreed to share: the joiner's flag alone is not enough (lab 05)",
	     LAB_PORT + 1);
	b.sin_port = htons(LAB_PORT + 1);
	EXPECT_OK(bind(holder, (struct sockaddr *)&b, sizeof b));
	EXPECT_OK(setsockopt(joiner, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_ERR(EADDRINUSE, bind(joiner, (struct sockaddr *)&b, sizeof b));

	ASK("The holder sets SO_REUSEADDR after its own bind. Will the joiner's bind work now?");
	STEP("The holder sets SO_REUSEADDR now, after its bind; the joiner binds again",
	     "the kernel reads the holder's flag when the newcomer binds, not when the holder did");
	CLAIM("holder-flag-read-late");
	EXPECT_OK(setsockopt(holder, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(joiner, (struct sockaddr *)&b, sizeof b));
	if (AS_EXPECTED())
		NOTE("both share 127.0.0.1:%d: only the newcomer had to set its flag before "
		     "its bind; a failed bind leaves a socket unbound, so it could try again",
		     LAB_PORT + 1);

	return lab_end();
}
