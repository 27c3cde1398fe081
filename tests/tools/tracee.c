/* tracee.c — a program for tests/cli/trace.bats: socket calls whose
 * answers the trace must report as the program saw them.  PORT is argv[1].
 *   holder: a socket on 127.0.0.1:PORT with SO_REUSEADDR;
 *   a second socket without it binds the same port (EADDRINUSE);
 *   a third sends to the port unbound (an implicit bind), and prints the
 *   port getsockname() says, and every answer, on stdout;
 *   a child (fork) and a thread each make and close a socket.
 * Exits 3, so that the trace's exit status is seen to be the program's. */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

/* Built with ASan (make test SAN=1), it runs under socklab's ptrace, where
 * LeakSanitizer cannot (it stops the world with ptrace itself): off here,
 * in the traced program only. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "detect_leaks=0";
}

static void *thread(void *arg)
{
	int t = socket(AF_INET6, SOCK_STREAM, 0);

	(void)arg;
	printf("thread socket %d\n", t);
	close(t);
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET }, b;
	socklen_t bl = sizeof b;
	int one = 1, s, t, u;
	pthread_t th;
	pid_t pid;

	if (argc < 2)
		return 2;
	a.sin_port = htons((unsigned short)atoi(argv[1]));
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	t = socket(AF_INET, SOCK_DGRAM, 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	printf("holder fd %d bind %d\n", s, bind(s, (struct sockaddr *)&a, sizeof a));
	printf("second fd %d bind %d\n", t, bind(t, (struct sockaddr *)&a, sizeof a));
	u = socket(AF_INET, SOCK_DGRAM, 0);
	sendto(u, "x", 1, 0, (struct sockaddr *)&a, sizeof a);
	getsockname(u, (struct sockaddr *)&b, &bl);
	printf("implicit port %d\n", ntohs(b.sin_port));
	fflush(stdout);
	pthread_create(&th, NULL, thread, NULL);
	pthread_join(th, NULL);
	pid = fork();
	if (pid == 0) {
		int c = socket(AF_INET, SOCK_DGRAM, 0);

		printf("child %d socket %d\n", getpid(), c);
		fflush(stdout);	/* _exit does not flush */
		close(c);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	close(s);
	close(t);
	close(u);
	return 3;
}
