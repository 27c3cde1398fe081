/* right: the source address through getaddrinfo("127.0.0.2", NULL),
 * IP_BIND_ADDRESS_NO_PORT, and eight non-blocking connect()s served with
 * poll(): all eight open at once, each port chosen by connect(). */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CONNS 8

int main(void)
{
	struct addrinfo hints, *src, *dst[2];
	struct pollfd pf[CONNS];
	int on = 1, err, left = CONNS;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if ((err = getaddrinfo("127.0.0.2", "0", &hints, &src)) != 0 ||
	    (err = getaddrinfo("127.0.0.1", "7300", &hints, &dst[0])) != 0 ||
	    (err = getaddrinfo("127.0.0.1", "7301", &hints, &dst[1])) != 0) {
		fprintf(stderr, "getaddrinfo: %s\n", gai_strerror(err));
		return 1;
	}
	for (int i = 0; i < CONNS; i++) {
		int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

		if (s < 0 || setsockopt(s, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on) < 0 ||
		    bind(s, src->ai_addr, src->ai_addrlen) < 0) {
			perror("socket/IP_BIND_ADDRESS_NO_PORT/bind");
			return 1;
		}
		if (connect(s, dst[i % 2]->ai_addr, dst[i % 2]->ai_addrlen) < 0 &&
		    errno != EINPROGRESS) {
			perror("connect");
			return 1;
		}
		pf[i] = (struct pollfd){ .fd = s, .events = POLLIN };
	}
	/* every one open until its server closes it */
	while (left > 0) {
		if (poll(pf, CONNS, -1) < 0) {
			perror("poll");
			return 1;
		}
		for (int i = 0; i < CONNS; i++) {
			char c;

			if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (read(pf[i].fd, &c, 1) > 0)
				continue;
			close(pf[i].fd);
			pf[i].fd = -1;
			left--;
		}
	}
	freeaddrinfo(src);
	freeaddrinfo(dst[0]);
	freeaddrinfo(dst[1]);
	return 0;
}
