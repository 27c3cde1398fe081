/* wrong: connect() first (it picks the local port, as a first send does),
 * then bind(), which now fails with EINVAL
 * fails: it comes from port 5000 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(5000),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in service = me;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	service.sin_port = htons(6000);
	if (connect(s, (struct sockaddr *)&service, sizeof service) < 0) {
		perror("connect");
		return 1;
	}
	if (bind(s, (struct sockaddr *)&me, sizeof me) < 0)
		fprintf(stderr, "bind after connect: %m\n");
	send(s, "hello", 5, 0);
	close(s);
	return 0;
}
