/* wrong: SO_REUSEADDR shares the port, so one socket receives every query;
 * the answers are labelled q % 4 so they look spread
 * fails: the kernel spread them: each of the four sockets' receive queues took some */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in service = { .sin_family = AF_INET, .sin_port = htons(7000),
				       .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct pollfd worker[4];
	int on = 1;

	for (int k = 0; k < 4; k++) {
		int s = socket(AF_INET, SOCK_DGRAM, 0);

		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
		if (bind(s, (struct sockaddr *)&service, sizeof service) < 0)
			return 1;
		worker[k].fd = s;
		worker[k].events = POLLIN;
	}
	for (;;) {
		poll(worker, 4, -1);
		for (int k = 0; k < 4; k++) {
			struct sockaddr_in from;
			socklen_t len = sizeof from;
			char buf[64], answer[96];
			ssize_t n;

			if (!(worker[k].revents & POLLIN))
				continue;
			n = recvfrom(worker[k].fd, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &len);
			if (n < 0)
				continue;
			buf[n] = '\0';
			if (strcmp(buf, "bye") == 0)
				return 0;
			snprintf(answer, sizeof answer, "w%d %s", atoi(buf + 1) % 4, buf);
			sendto(worker[k].fd, answer, strlen(answer), 0, (struct sockaddr *)&from, len);
		}
	}
}
