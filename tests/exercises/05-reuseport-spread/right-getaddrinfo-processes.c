/* right: four worker processes, each with its own socket; the address from
 * getaddrinfo(), SO_REUSEPORT before each bind().  The first worker that
 * gets "bye" ends; the parent then stops the others and exits 0. */
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int worker(int k, const struct addrinfo *ai)
{
	int on = 1, s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);

	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) < 0 ||
	    bind(s, ai->ai_addr, ai->ai_addrlen) < 0) {
		perror("worker socket");
		return 1;
	}
	for (;;) {
		struct sockaddr_storage from;
		socklen_t len = sizeof from;
		char buf[64], answer[96];
		ssize_t n = recvfrom(s, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &len);

		if (n < 0)
			return 1;
		buf[n] = '\0';
		if (strcmp(buf, "bye") == 0)
			return 0;
		snprintf(answer, sizeof answer, "w%d %s", k, buf);
		sendto(s, answer, strlen(answer), 0, (struct sockaddr *)&from, len);
	}
}

int main(void)
{
	struct addrinfo hints, *ai;
	pid_t pid[4];
	int st = 1;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo("127.0.0.1", "7000", &hints, &ai) != 0)
		return 1;
	for (int k = 0; k < 4; k++)
		if ((pid[k] = fork()) == 0)
			_exit(worker(k, ai));
	wait(&st);
	for (int k = 0; k < 4; k++)
		kill(pid[k], SIGTERM);
	while (wait(NULL) > 0)
		;
	freeaddrinfo(ai);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
