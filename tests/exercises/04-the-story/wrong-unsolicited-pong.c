/* wrong: one socket that sends the request and a "pong" nobody asked
 * for, and never receives anything
 * fails: are queued on the socket on 0.0.0.0:5000 and answered with "pong" */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(5000),
				   .sin_addr.s_addr = htonl(INADDR_ANY) };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (bind(s, (struct sockaddr *)&any, sizeof any) < 0) {
		perror("bind");
		return 1;
	}
	to.sin_port = htons(6000);
	sendto(s, "hello", 5, 0, (struct sockaddr *)&to, sizeof to);
	for (int port = 6001; port <= 6016; port++) {
		to.sin_port = htons((unsigned short)port);
		sendto(s, "pong", 4, 0, (struct sockaddr *)&to, sizeof to);
	}
	sleep(2);
	return 0;
}
