/* right: addresses from getaddrinfo(); bind() to port 5000 first, then
 * connect() and send() */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct addrinfo hints, *me, *service;
	int s;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo("127.0.0.1", "5000", &hints, &me) != 0 ||
	    getaddrinfo("127.0.0.1", "6000", &hints, &service) != 0)
		return 1;
	s = socket(me->ai_family, me->ai_socktype, me->ai_protocol);
	if (s < 0 || bind(s, me->ai_addr, me->ai_addrlen) < 0 ||
	    connect(s, service->ai_addr, service->ai_addrlen) < 0 || send(s, "hello", 5, 0) != 5) {
		perror("hello");
		return 1;
	}
	close(s);
	freeaddrinfo(me);
	freeaddrinfo(service);
	return 0;
}
