/* tracee-heavy.c — bench/trace.sh's programs.
 *   sockets: 2,000 x (socket, bind 127.0.0.1:0, close) and 20,000 sendto
 *            of one byte to a socket of its own on 127.0.0.1 (never read:
 *            the kernel drops what does not fit; loopback only)
 *   cpu:     a long computation and 10 socket calls */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

static int sockets(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET }, rx = { .sin_family = AF_INET };
	socklen_t len = sizeof rx;
	int r = socket(AF_INET, SOCK_DGRAM, 0), s = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	rx.sin_addr = a.sin_addr;
	if (r < 0 || s < 0 || bind(r, (struct sockaddr *)&rx, sizeof rx) < 0 ||
	    getsockname(r, (struct sockaddr *)&rx, &len) < 0)
		return 1;
	for (int i = 0; i < 2000; i++) {
		int t = socket(AF_INET, SOCK_DGRAM, 0);

		if (t < 0 || bind(t, (struct sockaddr *)&a, sizeof a) < 0)
			return 1;
		close(t);
	}
	for (int i = 0; i < 20000; i++)
		sendto(s, "x", 1, MSG_DONTWAIT, (struct sockaddr *)&rx, sizeof rx);
	close(r);
	close(s);
	return 0;
}

static int cpu(void)
{
	volatile unsigned long x = 1;

	for (unsigned long i = 0; i < 600000000UL; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	for (int i = 0; i < 10; i++)
		close(socket(AF_INET, SOCK_DGRAM, 0));
	return x == 0;
}

int main(int argc, char **argv)
{
	return argc > 1 && strcmp(argv[1], "cpu") == 0 ? cpu() : sockets();
}
