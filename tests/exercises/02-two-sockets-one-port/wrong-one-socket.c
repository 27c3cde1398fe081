/* wrong: one socket, no option: it sends "one" and "two" itself
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
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct pollfd p = { .fd = s, .events = POLLIN };

	service.sin_port = htons(6000);
	if (bind(s, (struct sockaddr *)&port, sizeof port) < 0) {
		perror("bind");
		return 1;
	}
	sendto(s, "one", 3, 0, (struct sockaddr *)&service, sizeof service);
	sendto(s, "two", 3, 0, (struct sockaddr *)&service, sizeof service);
	poll(&p, 1, 4000);
	close(s);
	return 0;
}
