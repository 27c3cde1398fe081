/* wrong: one AF_INET6 socket on [::]:7200 that never says IPV6_V6ONLY:
 * it takes IPv4 only where net.ipv6.bindv6only is 0, the Linux default;
 * where it is 1 (some distributions, the BSDs' default) IPv4 clients are
 * refused
 * fails: with net.ipv6.bindv6only = 1 too
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
	int lsn = socket(AF_INET6, SOCK_STREAM, 0);

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
