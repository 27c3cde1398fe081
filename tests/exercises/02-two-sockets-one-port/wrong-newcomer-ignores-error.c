/* wrong: SO_REUSEADDR on the second socket only, and the failed bind()
 * is not checked: "two" leaves from a port the kernel picks
 * fails: "two" arrives at 127.0.0.1:6000 from port 5000 */
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
	bind(first, (struct sockaddr *)&port, sizeof port);
	setsockopt(second, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(second, (struct sockaddr *)&port, sizeof port) < 0)
		perror("bind second");	/* ... and carries on */
	sendto(first, "one", 3, 0, (struct sockaddr *)&service, sizeof service);
	sendto(second, "two", 3, 0, (struct sockaddr *)&service, sizeof service);
	poll(both, 2, 4000);
	return 0;
}
