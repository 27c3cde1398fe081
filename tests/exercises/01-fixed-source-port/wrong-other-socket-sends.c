/* wrong: one socket is bound to port 5000, but another one sends: the
 * sender was never bound, so its first sendto() picks an ephemeral port
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
	int bound = socket(AF_INET, SOCK_DGRAM, 0);
	int sender = socket(AF_INET, SOCK_DGRAM, 0);

	service.sin_port = htons(6000);
	if (bind(bound, (struct sockaddr *)&me, sizeof me) < 0) {
		perror("bind");
		return 1;
	}
	sendto(sender, "hello", 5, 0, (struct sockaddr *)&service, sizeof service);
	close(sender);
	close(bound);
	return 0;
}
