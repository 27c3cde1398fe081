/* reap.c — kill a process tree and reap it to the last process (proc.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

#include "proc.h"

/* Children of ours right now (and, as a subreaper, the orphans that came
 * back to us). */
static size_t children(pid_t *out, size_t max)
{
	char buf[4096];
	size_t n = 0;
	ssize_t len;
	int fd;

	fd = open("/proc/thread-self/children", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	len = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = '\0';
	for (char *p = buf, *end; n < max && *p; p = end) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		out[n++] = (pid_t)v;
	}
	return n;
}

void proc_kill_tree(pid_t pgrp, int *status)
{
	pid_t kids[64];
	int st = 0;

	kill(-pgrp, SIGKILL);
	/* ECHILD: not ours, or reaped already; never blocks on anything
	 * outside the group: a child that left it (setsid) is killed by pid
	 * below, when it comes back to us as an orphan */
	while (waitpid(pgrp, &st, 0) < 0 && errno == EINTR)
		;
	if (status)
		*status = st;
	for (int round = 0; round < 200; round++) {
		size_t n = children(kids, sizeof kids / sizeof kids[0]);

		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		/* the caller starts no other children: any left are the tree's */
		for (size_t i = 0; i < n; i++)
			kill(kids[i], SIGKILL);
		if (n == 0 && kill(-pgrp, 0) < 0 && errno == ESRCH)
			break;
		usleep(5000);
	}
}
