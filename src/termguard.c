/* termguard.c — restore the terminal after a SIGKILL (termguard.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "termguard.h"

static int done_fd = -1;	/* our end of the socket pair: ours alone */

/* The watcher: wait for "done" or the end of the socket. */
static void watch(int rd, const struct termios *saved, const char *reset, size_t len)
{
	static const int quiet[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTOU, SIGHUP, SIGTERM, SIGPIPE };
	char c;
	ssize_t n;

	/* keys on the terminal reach socklab's group, the watcher included */
	for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++)
		signal(quiet[i], SIG_IGN);
	while ((n = read(rd, &c, 1)) < 0 && errno == EINTR)
		;
	if (n == 0) {	/* socklab is gone without a word: undo its modes */
		if (len && write(STDOUT_FILENO, reset, len) < 0)
			len = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, saved);
	}
	_exit(0);
}

int termguard_start(const struct termios *saved, const char *reset, size_t len)
{
	int p[2], reaper = 0;	/* p[0] the watcher's end, p[1] ours */
	pid_t pid;

	if (prctl(PR_GET_CHILD_SUBREAPER, &reaper) == 0 && reaper) {
		errno = EBUSY;
		return -1;
	}
	/* a socket, not a pipe: "done" is sent with MSG_NOSIGNAL, so a
	 * watcher that is gone costs no SIGPIPE */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, p) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		/* the middle process: fork the watcher and go, so that init
		 * adopts it and no reaper of ours ever counts it as a child */
		if (fork() == 0) {
			close(p[1]);
			if (p[0] != 3) {
				dup2(p[0], 3);
				close(p[0]);
			}
			close_range(4, ~0U, 0);	/* hold nothing of socklab's but the tty */
			watch(3, saved, reset, len);
		}
		_exit(0);
	}
	close(p[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	done_fd = p[1];
	return 0;
}

void termguard_stop(void)
{
	if (done_fd < 0)
		return;
	if (send(done_fd, "q", 1, MSG_NOSIGNAL) < 0) {
		/* the watcher is gone already: nothing to tell */
	}
	close(done_fd);
	done_fd = -1;
}
