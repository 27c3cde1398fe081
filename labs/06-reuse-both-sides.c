/* Lab 06 — Reuse on both sides.
 *
 * What it shows: when both sockets set SO_REUSEADDR before bind(), two UDP
 * sockets can share 127.0.0.1:5000.  But a unicast datagram is delivered to
 * one socket only, not both: Linux gives it to the socket that bound last.
 * When that socket closes, the older one receives again.
 *
 * Watch the table: two rows on 127.0.0.1:5000 after step 2; the RECV-Q
 * column and the checks show which one got each datagram. */
#include <sys/time.h>

#include "lab/lab.h"

LAB(6, "reuse-both-sides", "Reuse on both sides", "SO_REUSEADDR on both: two sockets share a port; the last bound gets unicast");

int main(void)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct timeval wait = { 1, 0 };
	char buf[64];
	int on = 1;
	int older = socket(AF_INET, SOCK_DGRAM, 0);
	int newer = socket(AF_INET, SOCK_DGRAM, 0);
	int sender = socket(AF_INET, SOCK_DGRAM, 0);

	/* receive timeouts: a datagram that went elsewhere fails a check
	 * after one second instead of hanging the lab */
	setsockopt(older, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
	setsockopt(newer, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);

	STEP("The older socket sets SO_REUSEADDR and binds 127.0.0.1:5000",
	     "it agrees in advance to share the port");
	EXPECT_OK(setsockopt(older, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(older, (struct sockaddr *)&a, sizeof a));

	STEP("The newer socket does the same",
	     "both sockets set SO_REUSEADDR, so the kernel lets them share");
	EXPECT_OK(setsockopt(newer, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(newer, (struct sockaddr *)&a, sizeof a));

	STEP("Send one datagram to 127.0.0.1:5000",
	     "unicast goes to exactly one socket: which?");
	EXPECT_OK(sendto(sender, "first", 5, 0, (struct sockaddr *)&a, sizeof a));
	EXPECT_OK(recv(newer, buf, sizeof buf, 0));
	EXPECT_ERR(EAGAIN, recv(older, buf, sizeof buf, MSG_DONTWAIT));
	if (AS_EXPECTED())
		NOTE("the socket that bound last received it; the older one got nothing");

	STEP("Close the newer socket and send again",
	     "with the newer socket gone, the port's remaining socket gets the traffic");
	EXPECT_OK(close(newer));
	EXPECT_OK(sendto(sender, "second", 6, 0, (struct sockaddr *)&a, sizeof a));
	EXPECT_OK(recv(older, buf, sizeof buf, 0));

	return lab_end();
}
