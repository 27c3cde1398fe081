/* grader.c — compile and run a student's program under limits, and leave
 * nothing behind (the lab runner's rules: own process group, subreaper,
 * everything killed and reaped). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <grp.h>

#include "grader.h"
#include "lab/runner.h"

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Start argv with stdout+stderr into a pipe; *pid, *rd. */
static int spawn(char *const argv[], int limits, pid_t *pid, int *rd)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	*pid = fork();
	if (*pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (*pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(null, STDIN_FILENO);
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		if (limits) {
			struct rlimit cpu = { 6, 7 }, mem = { 256 << 20, 256 << 20 },
				      fsize = { 1 << 20, 1 << 20 }, nproc = { 64, 64 };

			setrlimit(RLIMIT_CPU, &cpu);
			setrlimit(RLIMIT_AS, &mem);
			setrlimit(RLIMIT_FSIZE, &fsize);
			/* as root in the sandbox: become nobody, so RLIMIT_NPROC
			 * binds and the program holds no privilege.  EINVAL: 65534
			 * is not mapped, a normal user's sandbox, where "root" is
			 * that user already; any other failure: do not run it. */
			if (geteuid() == 0) {
				setgroups(0, NULL);
				if ((setresgid(65534, 65534, 65534) < 0 ||
				     setresuid(65534, 65534, 65534) < 0) && errno != EINVAL) {
					dprintf(STDERR_FILENO, "cannot become uid 65534: %s\n", strerror(errno));
					_exit(126);
				}
			}
			setrlimit(RLIMIT_NPROC, &nproc);
		}
		execvp(argv[0], argv);
		dprintf(STDERR_FILENO, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(*pid, *pid);
	close(p[1]);
	*rd = p[0];
	return 0;
}

/* Read output until EOF or the deadline; then kill the group, reap all. */
static void finish(pid_t pid, int rd, long deadline, struct grader_run *out)
{
	char buf[4096];
	int st = 0, reaped = 0;

	for (;;) {
		struct pollfd p = { .fd = rd, .events = POLLIN };
		long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0) {
			pid_t w = waitpid(pid, &st, WNOHANG);

			out->timed_out = w == 0;
			reaped = w == pid;
			break;
		}
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		n = read(rd, buf, sizeof buf);
		if (n <= 0)
			break;	/* every writer is gone */
		if (out->output_len < GRADER_OUTPUT_MAX) {
			size_t take = (size_t)n;

			if (take > GRADER_OUTPUT_MAX - out->output_len)
				take = GRADER_OUTPUT_MAX - out->output_len, out->output_cut = 1;
			memcpy(out->output + out->output_len, buf, take);
			out->output_len += take;
		} else {
			out->output_cut = 1;
		}
	}
	close(rd);
	/* its output closed: give the program itself until the deadline */
	while (!reaped && !out->timed_out) {
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid)
			reaped = 1;
		else if (now_ms() >= deadline)
			out->timed_out = 1;
		else
			usleep(5000);
	}
	kill(-pid, SIGKILL);
	if (reaped || waitpid(pid, &st, 0) == pid) {
		out->exited = WIFEXITED(st) && !out->timed_out;
		out->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		out->signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	}
	runner_kill_children(pid);	/* and whatever left the group (setsid) */
	out->output[out->output_len] = '\0';
}

int grader_compile(const char *src, const char *exe, char *msg, size_t len)
{
	char *argv[] = { "cc", "-std=c11", "-Wall", "-o", (char *)exe, (char *)src, NULL };	/* no limits: a compiler needs its memory */
	struct grader_run r;
	pid_t pid;
	int rd;

	memset(&r, 0, sizeof r);
	if (spawn(argv, 0, &pid, &rd) < 0) {
		snprintf(msg, len, "cannot run cc: %s", strerror(errno));
		return -1;
	}
	finish(pid, rd, now_ms() + 60000, &r);
	snprintf(msg, len, "%s", r.output);
	return r.exited && r.status == 0 ? 0 : -1;
}

int grader_exec(const char *exe, int timeout_ms, struct grader_run *out)
{
	char *argv[] = { (char *)exe, NULL };
	pid_t pid;
	int rd;

	memset(out, 0, sizeof *out);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (spawn(argv, 1, &pid, &rd) < 0)
		return -1;
	finish(pid, rd, now_ms() + timeout_ms, out);
	return 0;
}
