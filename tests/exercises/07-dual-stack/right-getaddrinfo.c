/* right: getaddrinfo(NULL, "7200") with AI_PASSIVE and AF_INET6 gives
 * [::]:7200; one socket, IPV6_V6ONLY said to be 0, takes both families
 * (IPv4 clients arrive as ::ffff:127.0.0.1). */
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct addrinfo hints, *ai;
	int lsn, off = 0, err;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET6;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if ((err = getaddrinfo(NULL, "7200", &hints, &ai)) != 0) {
		fprintf(stderr, "getaddrinfo: %s\n", gai_strerror(err));
		return 1;
	}
	lsn = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
	if (lsn < 0) {
		perror("socket");
		return 1;
	}
	if (setsockopt(lsn, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) < 0) {
		perror("IPV6_V6ONLY");
		return 1;
	}
	if (bind(lsn, ai->ai_addr, ai->ai_addrlen) < 0) {
		perror("bind [::]:7200");
		return 1;
	}
	freeaddrinfo(ai);
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
