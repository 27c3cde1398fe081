/* wrong: a real SO_REUSEPORT group, but the answers are labelled by a
 * counter of answers, not by the socket that received the query
 * fails: each answer's K names the socket that received the query */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in service = { .sin_family = AF_INET, .sin_port = htons(7000),
				       .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct pollfd worker[4];
	int on = 1, turn = 0;

	for (int k = 0; k < 4; k++) {
		int s = socket(AF_INET, SOCK_DGRAM, 0);

		setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
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
			snprintf(answer, sizeof answer, "w%d %s", turn++ % 4, buf);
			sendto(worker[k].fd, answer, strlen(answer), 0, (struct sockaddr *)&from, len);
		}
	}
}
