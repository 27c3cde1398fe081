/* wrong: the first socket is closed before the second binds, so the port
 * is free again: two sockets, but never at the same time
 * fails: two sockets of the program hold port 5000 at the same time */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in port = { .sin_family = AF_INET, .sin_port = htons(5000),
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in service = port;
	int first = socket(AF_INET, SOCK_DGRAM, 0);
	int second = socket(AF_INET, SOCK_DGRAM, 0);
	struct pollfd p = { .fd = second, .events = POLLIN };

	service.sin_port = htons(6000);
	if (bind(first, (struct sockaddr *)&port, sizeof port) < 0) {
		perror("bind first");
		return 1;
	}
	sendto(first, "one", 3, 0, (struct sockaddr *)&service, sizeof service);
	close(first);	/* "the port is busy": free it for the second */
	if (bind(second, (struct sockaddr *)&port, sizeof port) < 0) {
		perror("bind second");
		return 1;
	}
	sendto(second, "two", 3, 0, (struct sockaddr *)&service, sizeof service);
	poll(&p, 1, 4000);
	close(second);
	return 0;
}
