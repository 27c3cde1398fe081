/* jobs.c — tasks in forked workers, several at once, their output
 * handed back in task order (proc.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "proc.h"

struct job {
	pid_t pid;		/* 0: not started, -1: reaped */
	int pidfd;
	int out, err;		/* memfds: the worker's stdout and stderr */
	int status;
};

/* Everything written to memfd fd, from its start, as a NUL-terminated
 * malloc'd string (length in *len); NULL when there is no memory. */
static char *slurp(int fd, size_t *len)
{
	off_t end = lseek(fd, 0, SEEK_END);
	char *buf = malloc(end > 0 ? (size_t)end + 1 : 1);
	ssize_t got = 0;

	*len = 0;
	if (buf == NULL)
		return NULL;
	if (end > 0) {
		got = pread(fd, buf, (size_t)end, 0);
		if (got < 0)
			got = 0;
	}
	buf[got] = '\0';
	*len = (size_t)got;
	return buf;
}

/* At most this many tasks are started and not yet told: each holds three
 * descriptors until it is told, in order, so a slow task early on does
 * not let the finished ones behind it use up the descriptors.  It bounds
 * the workers running at once too (the poll set). */
#define JOBS_AHEAD 64

static void close_job(struct job *j);

static int start(struct job *v, size_t n, size_t i, int (*task)(size_t, void *), void *ctx)
{
	struct job *j = &v[i];
	pid_t parent = getpid();

	j->out = memfd_create("socklab-job-out", MFD_CLOEXEC);
	j->err = memfd_create("socklab-job-err", MFD_CLOEXEC);
	if (j->out < 0 || j->err < 0)
		return -1;
	fflush(NULL);	/* nothing buffered is written twice */
	j->pid = fork();
	if (j->pid < 0)
		return -1;
	if (j->pid == 0) {
		int ret;

		if (proc_child_setup(parent) < 0)
			_exit(1);
		proc_catch_stop();	/* a stop reaches the task: it cleans up */
		if (dup2(j->out, STDOUT_FILENO) < 0 || dup2(j->err, STDERR_FILENO) < 0)
			_exit(1);
		for (size_t k = 0; k < n; k++)	/* the other workers' are not ours */
			close_job(&v[k]);
		ret = task(i, ctx);
		fflush(NULL);
		_exit(ret & 0xff);
	}
	j->pidfd = (int)syscall(SYS_pidfd_open, j->pid, 0);
	if (j->pidfd < 0 && errno == ENOSYS)
		return 0;	/* before Linux 5.3, or under valgrind: waitpid polls */
	if (j->pidfd < 0) {
		int err = errno;

		/* a worker we could not wait on is not left running */
		kill(j->pid, SIGKILL);
		while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR)
			;
		j->pid = 0;
		errno = err;
		return -1;
	}
	return 0;
}

static void stop_all(struct job *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].pid > 0)
			kill(v[i].pid, SIGTERM);
	for (size_t i = 0; i < n; i++)
		if (v[i].pid > 0) {
			while (waitpid(v[i].pid, NULL, 0) < 0 && errno == EINTR)
				;
			v[i].pid = -1;
		}
}

static void close_job(struct job *j)
{
	if (j == NULL)
		return;
	if (j->pidfd >= 0)
		close(j->pidfd);
	if (j->out >= 0)
		close(j->out);
	if (j->err >= 0)
		close(j->err);
	j->pidfd = j->out = j->err = -1;
}

int proc_jobs(size_t n, int jobs, int (*task)(size_t i, void *ctx),
	      int (*done)(size_t i, const char *out, size_t outlen, const char *err,
			  size_t errlen, int status, void *ctx),
	      void *ctx)
{
	struct job *v = calloc(n ? n : 1, sizeof *v);
	size_t next = 0, told = 0;
	int ret = 0, running = 0;

	if (v == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		v[i].pidfd = v[i].out = v[i].err = -1;
	if (jobs < 1)
		jobs = 1;
	while (told < n && ret == 0) {
		struct pollfd p[JOBS_AHEAD];
		size_t who[JOBS_AHEAD], np = 0;
		int k, blind = 0;	/* blind: a worker without a pidfd, looked at
					 * every 20 ms */

		while (next < n && running < jobs && next - told < JOBS_AHEAD && !proc_stop_signal()) {
			if (start(v, n, next, task, ctx) < 0) {
				ret = -1;
				break;
			}
			next++;
			running++;
		}
		/* the tasks that have ended, in order, are told at once */
		while (told < n && v[told].pid == -1) {
			size_t outlen, errlen;
			char *out = slurp(v[told].out, &outlen), *err = slurp(v[told].err, &errlen);

			k = done(told, out ? out : "", out ? outlen : 0, err ? err : "",
				 err ? errlen : 0, v[told].status, ctx);
			free(out);
			free(err);
			close_job(&v[told]);
			told++;
			if (k < 0) {
				ret = -1;
				break;
			}
		}
		if (ret < 0 || told == n)
			break;
		for (size_t i = 0; i < next && np < sizeof p / sizeof p[0]; i++)
			if (v[i].pid > 0) {
				blind |= v[i].pidfd < 0;
				p[np] = (struct pollfd){ .fd = v[i].pidfd, .events = POLLIN };
				who[np++] = i;
			}
		k = proc_wait(p, np, blind ? 20 : -1);
		if (k < 0 && errno == EINTR && proc_stop_signal()) {
			errno = EINTR;
			ret = -1;
			break;
		}
		for (size_t q = 0; k >= 0 && q < np; q++) {
			struct job *j = &v[who[q]];
			pid_t got;

			if (j->pidfd >= 0 && !p[q].revents)
				continue;
			do
				got = waitpid(j->pid, &j->status, j->pidfd >= 0 ? 0 : WNOHANG);
			while (got < 0 && errno == EINTR);
			if (got == 0)
				continue;	/* still running */
			j->pid = -1;
			if (j->pidfd >= 0)
				close(j->pidfd);
			j->pidfd = -1;
			running--;
		}
	}
	{
		int saved = errno;

		stop_all(v, next);
		for (size_t i = 0; i < n; i++)
			close_job(&v[i]);
		free(v);
		errno = saved;
	}
	return ret;
}
