/* udpwalk.c — does a UDP bind ask every socket on the port (udpwalk.h)?
 *
 * The test, on a port the kernel picks:
 *   1. a plain socket binds 127.0.0.1:P   (it would refuse anyone)
 *   2. a SO_REUSEPORT socket binds 127.0.0.2:P   (a partner; bound last,
 *      so first in the port's chain: udp_lib_get_port() adds at the head)
 *   3. a SO_REUSEPORT socket binds 0.0.0.0:P   (meets both)
 * A kernel that stops at the first partner lets 3 bind; one that asks
 * every socket answers EADDRINUSE because of 1. */
#include <errno.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "udpwalk.h"

static int udp_socket(int reuseport)
{
	int on = 1, fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd >= 0 && reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int bind_to(int fd, const char *addr, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	inet_pton(AF_INET, addr, &a.sin_addr);
	return bind(fd, (struct sockaddr *)&a, sizeof a);
}

/* one try: 1, 0, or -1 when the set-up itself failed (port taken) */
static int measure(void)
{
	struct sockaddr_in got;
	socklen_t len = sizeof got;
	int plain = udp_socket(0), partner = udp_socket(1), cand = udp_socket(1), ret = -1;

	if (plain < 0 || partner < 0 || cand < 0 || bind_to(plain, "127.0.0.1", 0) < 0 ||
	    getsockname(plain, (struct sockaddr *)&got, &len) < 0 ||
	    bind_to(partner, "127.0.0.2", ntohs(got.sin_port)) < 0)
		goto out;
	if (bind_to(cand, "0.0.0.0", ntohs(got.sin_port)) == 0)
		ret = 0;
	else if (errno == EADDRINUSE)
		ret = 1;
out:
	for (int i = 0, fds[3] = { plain, partner, cand }; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return ret;
}

int udpwalk_bind_all(void)
{
	static int answer = -2;

	/* someone else may hold 127.0.0.2 or the wildcard on the picked
	 * port: a few tries with new ports */
	for (int i = 0; answer == -2 && i < 5; i++) {
		int r = measure();

		if (r >= 0)
			answer = r;
	}
	if (answer == -2)
		answer = -1;
	return answer;
}
