/* Reference solution to exercise 02 (for instructors): SO_REUSEADDR on
 * both sockets, before either binds. */
#include <arpa/inet.h>
#include <netinet/in.h>
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

	service.sin_port = htons(6000);
	setsockopt(first, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	setsockopt(second, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(first, (struct sockaddr *)&port, sizeof port) < 0 ||
	    bind(second, (struct sockaddr *)&port, sizeof port) < 0) {
		perror("bind");
		return 1;
	}
	sendto(first, "one", 3, 0, (struct sockaddr *)&service, sizeof service);
	sendto(second, "two", 3, 0, (struct sockaddr *)&service, sizeof service);
	close(first);
	close(second);
	return 0;
}
