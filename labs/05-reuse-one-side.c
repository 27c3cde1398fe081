/* Lab 05 — Reuse on one side only.
 *
 * What it shows: SO_REUSEADDR is an agreement, not a key.  The newcomer
 * setting it alone changes nothing on Linux: the first socket did not
 * agree to share, so bind() still fails with EADDRINUSE.  SO_REUSEPORT on
 * one side fails the same way.  This is the story's second attempt: the
 * client set SO_REUSEADDR and still failed (Windows said 10013,
 * WSAEACCES; Linux says EADDRINUSE, 98).
 *
 * Watch the table: the first socket's row never gains a neighbour. */
#include "lab/lab.h"

LAB(5, "reuse-one-side", "Reuse on one side only", "SO_REUSEADDR only on the newcomer still fails");

int main(void)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int on = 1;
	int first = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int second = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int third = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));

	STEP("The first socket binds 127.0.0.1:%d with no options",
	     "like a server that never thought about sharing its port", LAB_PORT);
	EXPECT_OK(bind(first, (struct sockaddr *)&a, sizeof a));

	ASK("The first socket set no option. Does SO_REUSEADDR on the second one alone "
	    "let it bind the same port?");
	STEP("A second socket sets SO_REUSEADDR, then binds the same port",
	     "the advice the story's author found: set SO_REUSEADDR on the client");
	CLAIM("newcomer-alone-fails");
	EXPECT_OK(setsockopt(second, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_ERR(EADDRINUSE, bind(second, (struct sockaddr *)&a, sizeof a));
	if (AS_EXPECTED())
		NOTE("the kernel shares a UDP port only when both sockets set SO_REUSEADDR, or both "
		     "set SO_REUSEPORT (same user): udp_lib_lport_inuse checks the holder's flag too; "
		     "the story's Windows refused with 10013 WSAEACCES");

	ASK("And SO_REUSEPORT on a third socket alone?");
	STEP("A third socket tries SO_REUSEPORT instead",
	     "SO_REUSEPORT is also an agreement: every socket in the group must set it");
	CLAIM("newcomer-alone-fails");
	EXPECT_OK(setsockopt(third, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
	EXPECT_ERR(EADDRINUSE, bind(third, (struct sockaddr *)&a, sizeof a));

	return lab_end();
}
