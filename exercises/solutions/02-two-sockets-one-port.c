/* Reference solution to exercise 02 (for instructors): SO_REUSEADDR on
 * the newcomer before its bind(), and on the holder by the time the
 * newcomer binds (here: both before either binds, the simplest order). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in port = {
		.sin_family = AF_INET,
		.sin_port = htons(5000),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in service = port;
	int on = 1;
	int first = socket(AF_INET, SOCK_DGRAM, 0);
	int second = socket(AF_INET, SOCK_DGRAM, 0);
	struct pollfd both[2] = { { .fd = first, .events = POLLIN },
				  { .fd = second, .events = POLLIN } };

	service.sin_port = htons(6000);
	if (first < 0 || second < 0) {
		perror("socket");
		return 1;
	}
	if (setsockopt(first, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0 ||
	    setsockopt(second, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0) {
		perror("setsockopt");
		return 1;
	}
	if (bind(first, (struct sockaddr *)&port, sizeof port) < 0 ||
	    bind(second, (struct sockaddr *)&port, sizeof port) < 0) {
		perror("bind");
		return 1;
	}
	sendto(first, "one", 3, 0, (struct sockaddr *)&service, sizeof service);
	sendto(second, "two", 3, 0, (struct sockaddr *)&service, sizeof service);
	if (poll(both, 2, 4000) < 0) {
		perror("poll");
		return 1;
	}
	close(first);
	close(second);
	return 0;
}
