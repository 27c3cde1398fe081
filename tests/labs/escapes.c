/* A lab whose child leaves the lab's process group (setsid) and would
 * live on holding a socket: socklab must not wait for it, and must not
 * leave it behind. */
#include <stdlib.h>

#include "lab/lab.h"

LAB(96, "escapes", "A child that escapes", "socklab ends it anyway");

int main(void)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int s = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));

	STEP("Bind, then fork a child that calls setsid and sleeps", "it holds the socket");
	EXPECT_OK(bind(s, (struct sockaddr *)&a, sizeof a));
	if (fork() == 0) {
		setsid();
		for (int fd = 0; fd < 64; fd++)
			if (fd != s)
				close(fd);
		sleep(30);
		_exit(0);
	}
	return lab_end();
}
