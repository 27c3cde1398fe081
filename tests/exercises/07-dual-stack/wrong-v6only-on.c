/* wrong: one AF_INET6 socket on [::]:7200 with IPV6_V6ONLY left on (copied
 * from a snippet that "keeps the families apart"): it takes IPv6 only, and
 * no IPv4 socket is there for 127.0.0.1
 * fails: an IPv4 client (127.0.0.1:7200) reads "hi"
 * Build: cc -std=c11 -D_GNU_SOURCE -Wall */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in6 any = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(7200),
		.sin6_addr = IN6ADDR_ANY_INIT,
	};
	int lsn = socket(AF_INET6, SOCK_STREAM, 0), on = 1;

	setsockopt(lsn, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);

	if (bind(lsn, (struct sockaddr *)&any, sizeof any) < 0) {
		perror("bind [::]:7200");
		return 1;
	}
	if (listen(lsn, 8) < 0) {
		perror("listen");
		return 1;
	}
	for (int served = 0; served < 2; served++) {
		int conn = accept(lsn, NULL, NULL);

		if (conn < 0) {
			perror("accept");
			return 1;
		}
		if (write(conn, "hi\n", 3) != 3)
			perror("write");
		close(conn);
	}
	close(lsn);
	return 0;
}
