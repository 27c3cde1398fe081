/* Lab 03 — One socket, one port.
 *
 * What it shows: a socket binds at most once.  A second bind() on the same
 * socket fails with EINVAL, whether it asks for another port or the same
 * one: to listen on two ports you need two sockets.
 *
 * Watch the table: one row on 127.0.0.1:5000 after every step; the failed
 * binds change nothing. */
#include "lab/lab.h"

LAB(3, "one-socket-one-port", "One socket, one port", "A second bind() on the same socket fails with EINVAL");

int main(void)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in b = a, got = { 0 };
	socklen_t len = sizeof got;
	int s = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));

	STEP("Bind the socket to 127.0.0.1:%d", "the first bind of a fresh socket", LAB_PORT);
	EXPECT_OK(bind(s, (struct sockaddr *)&a, sizeof a));

	STEP("Bind the same socket to 127.0.0.1:%d",
	     "a socket has one local address; it cannot gain a second port", LAB_PORT + 1);
	CLAIM("second-bind-einval");
	b.sin_port = htons(LAB_PORT + 1);
	EXPECT_ERR(EINVAL, bind(s, (struct sockaddr *)&b, sizeof b));

	STEP("Bind it to 127.0.0.1:%d again",
	     "even the same address is refused: the socket is already bound", LAB_PORT);
	EXPECT_ERR(EINVAL, bind(s, (struct sockaddr *)&a, sizeof a));
	EXPECT_OK(getsockname(s, (struct sockaddr *)&got, &len));
	EXPECT_TRUE(ntohs(got.sin_port) == LAB_PORT);

	return lab_end();
}
