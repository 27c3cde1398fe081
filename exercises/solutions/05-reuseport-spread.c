/* Reference solution to exercise 05 (for instructors): SO_REUSEPORT on
 * each of the four sockets before bind() makes them one group, and the
 * kernel hashes each sender to a member. */
#define _DEFAULT_SOURCE	/* SO_REUSEPORT, even without -D_GNU_SOURCE */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define WORKERS 4

int main(void)
{
	struct sockaddr_in service = {
		.sin_family = AF_INET,
		.sin_port = htons(7000),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct pollfd worker[WORKERS];
	int on = 1;

	for (int k = 0; k < WORKERS; k++) {
		int s = socket(AF_INET, SOCK_DGRAM, 0);

		setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
		if (bind(s, (struct sockaddr *)&service, sizeof service) < 0) {
			perror("bind");
			return 1;
		}
		worker[k].fd = s;
		worker[k].events = POLLIN;
	}
	for (;;) {
		if (poll(worker, WORKERS, -1) < 0) {
			perror("poll");
			return 1;
		}
		for (int k = 0; k < WORKERS; k++) {
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
			snprintf(answer, sizeof answer, "w%d %s", k, buf);
			sendto(worker[k].fd, answer, strlen(answer), 0, (struct sockaddr *)&from, len);
		}
	}
}
