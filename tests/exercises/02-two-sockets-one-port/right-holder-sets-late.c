/* right: the first socket sets SO_REUSEADDR only after its own bind(),
 * the second before its bind(): the kernel reads the holder's flag when
 * the newcomer binds, so this shares the port */
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
	int on = 1;
	int first = socket(AF_INET, SOCK_DGRAM, 0);
	int second = socket(AF_INET, SOCK_DGRAM, 0);
	struct pollfd both[2] = { { .fd = first, .events = POLLIN },
				  { .fd = second, .events = POLLIN } };

	service.sin_port = htons(6000);
	if (bind(first, (struct sockaddr *)&port, sizeof port) < 0) {
		perror("bind first");
		return 1;
	}
	setsockopt(first, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);	/* late, and enough */
	setsockopt(second, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(second, (struct sockaddr *)&port, sizeof port) < 0) {
		perror("bind second");
		return 1;
	}
	sendto(first, "one", 3, 0, (struct sockaddr *)&service, sizeof service);
	sendto(second, "two", 3, 0, (struct sockaddr *)&service, sizeof service);
	poll(both, 2, 4000);
	close(first);
	close(second);
	return 0;
}
