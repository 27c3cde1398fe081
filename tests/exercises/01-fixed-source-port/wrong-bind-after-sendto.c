/* wrong: bind() after the first sendto(): the send already bound an
 * ephemeral port, the late bind fails with EINVAL (printed, not acted on)
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
	sendto(s, "hello", 5, 0, (struct sockaddr *)&service, sizeof service);
	if (bind(s, (struct sockaddr *)&me, sizeof me) < 0)
		perror("bind");
	close(s);
	return 0;
}
