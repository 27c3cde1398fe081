/* wait.c — the stop signals as a flag, and the one wait that cannot miss
 * them (proc.h). */
#include <errno.h>
#include <string.h>

#include "proc.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

void proc_catch_stop(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll/read must return */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int proc_stop_signal(void)
{
	return stop_signal;
}

void proc_stop_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

int proc_wait(struct pollfd *fds, nfds_t n, long timeout_ms)
{
	struct timespec ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000L };
	sigset_t block, orig;
	int ret, err;

	proc_stop_set(&block);
	sigprocmask(SIG_BLOCK, &block, &orig);
	if (stop_signal) {
		sigprocmask(SIG_SETMASK, &orig, NULL);
		errno = EINTR;
		return -1;
	}
	ret = ppoll(fds, n, timeout_ms < 0 ? NULL : &ts, &orig);
	err = errno;
	sigprocmask(SIG_SETMASK, &orig, NULL);
	errno = err;
	return ret;
}
