/* wrong: sizeof "hello" is 6: the datagram carries the NUL as well
 * fails: a datagram "hello" arrives at 127.0.0.1:6000 */
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
	if (bind(s, (struct sockaddr *)&me, sizeof me) < 0) {
		perror("bind");
		return 1;
	}
	sendto(s, "hello", sizeof "hello", 0, (struct sockaddr *)&service, sizeof service);
	close(s);
	return 0;
}
