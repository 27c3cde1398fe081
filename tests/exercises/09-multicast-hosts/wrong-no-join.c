/* wrong: binds 0.0.0.0:7000 and waits, but never joins the group: the
 * host does not ask for it on the link, and drops what it did not ask for
 * fails: each host told the link it joined */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in port = {
		.sin_family = AF_INET,
		.sin_port = htons(7000),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (bind(s, (struct sockaddr *)&port, sizeof port) < 0) {
		perror("bind");
		return 1;
	}
	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof from;
		char buf[512];
		ssize_t n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return 1;
		if (n == 3 && memcmp(buf, "bye", 3) == 0)
			break;
		sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
	}
	return 0;
}
