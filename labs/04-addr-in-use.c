/* Lab 04 — Address already in use.
 *
 * What it shows: by default, once a socket has bound a port, a second
 * socket cannot bind the same address and port.  The kernel answers
 * EADDRINUSE (98); Windows answers the same with WSAEADDRINUSE (10048),
 * the error the story starts from.
 *
 * Watch the table: one UDP row on 127.0.0.1:5000 after step 1, and still
 * exactly one after step 2.  The second socket exists but is bound to
 * nothing, and the kernel lists only bound UDP sockets. */
#include "lab/lab.h"

LAB(4, "addr-in-use", "Address already in use", "Two sockets, one port: the second bind fails");

int main(void)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int first = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int second = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));

	STEP("The first socket binds 127.0.0.1:%d",
	     "nobody holds the port yet, so the kernel gives it to this socket", LAB_PORT);
	EXPECT_OK(bind(first, (struct sockaddr *)&a, sizeof a));

	STEP("A second socket binds the same address and port",
	     "neither socket set SO_REUSEADDR or SO_REUSEPORT, so the port is taken");
	CLAIM("addr-in-use");
	EXPECT_ERR(EADDRINUSE, bind(second, (struct sockaddr *)&a, sizeof a));

	/* exit closes both sockets: the table above is the state at the end */
	return lab_end();
}
