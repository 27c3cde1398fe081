/* right: the address from getaddrinfo(), SO_REUSEPORT instead of
 * SO_REUSEADDR (same user: the kernel lets them share) */
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct addrinfo *lookup(const char *port)
{
	struct addrinfo hints, *ai = NULL;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo("127.0.0.1", port, &hints, &ai) != 0)
		return NULL;
	return ai;
}

int main(void)
{
	struct addrinfo *here = lookup("5000"), *service = lookup("6000");
	struct pollfd both[2];
	int on = 1;

	if (!here || !service)
		return 1;
	for (int i = 0; i < 2; i++) {
		int s = socket(here->ai_family, here->ai_socktype, here->ai_protocol);

		if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) < 0 ||
		    bind(s, here->ai_addr, here->ai_addrlen) < 0) {
			perror("socket/SO_REUSEPORT/bind");
			return 1;
		}
		both[i].fd = s;
		both[i].events = POLLIN;
	}
	sendto(both[0].fd, "one", 3, 0, service->ai_addr, service->ai_addrlen);
	sendto(both[1].fd, "two", 3, 0, service->ai_addr, service->ai_addrlen);
	poll(both, 2, 4000);
	freeaddrinfo(here);
	freeaddrinfo(service);
	return 0;
}
