/* wrong: one socket, and four "workers" that take turns with its queue:
 * the answers name four workers, the kernel knows one socket
 * fails: four sockets of the program share 127.0.0.1:7000 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in service = { .sin_family = AF_INET, .sin_port = htons(7000),
				       .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (bind(s, (struct sockaddr *)&service, sizeof service) < 0)
		return 1;
	for (int turn = 0;; turn = (turn + 1) % 4) {
		struct sockaddr_in from;
		socklen_t len = sizeof from;
		char buf[64], answer[96];
		ssize_t n = recvfrom(s, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &len);

		if (n < 0)
			return 1;
		buf[n] = '\0';
		if (strcmp(buf, "bye") == 0)
			return 0;
		snprintf(answer, sizeof answer, "w%d %s", turn, buf);
		sendto(s, answer, strlen(answer), 0, (struct sockaddr *)&from, len);
	}
}
