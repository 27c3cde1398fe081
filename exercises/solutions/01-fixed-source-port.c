/* Reference solution to exercise 01 (for instructors): bind port 5000
 * before the first sendto(), so the datagram leaves from it. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in me = {
		.sin_family = AF_INET,
		.sin_port = htons(5000),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in service = me;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	service.sin_port = htons(6000);
	if (s < 0 || bind(s, (struct sockaddr *)&me, sizeof me) < 0) {
		perror("bind");
		return 1;
	}
	if (sendto(s, "hello", 5, 0, (struct sockaddr *)&service, sizeof service) < 0) {
		perror("sendto");
		return 1;
	}
	close(s);
	return 0;
}
