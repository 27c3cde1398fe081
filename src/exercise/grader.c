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
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/syscall.h>

#include "grader.h"
#include "proc/proc.h"

/* Empty the permitted, effective and inheritable sets. */
static int drop_capabilities(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof d);
	return (int)syscall(SYS_capset, &h, d);
}

/* The compiled program, opened once (grader_open_program): the file can
 * then be removed, and nothing is left on disk even if socklab is killed. */
static int program_fd = -1;

/* A Python submission (grader_open_script): its text, open, given to the
 * interpreter (program_fd) as fd 4, and the name its tracebacks use. */
static int script_fd = -1;
static char script_name[256];

/* Run by python3 -I -u -c: the submission from fd 4, as `python3 NAME`
 * would run it (a real __main__ module, so multiprocessing finds its
 * functions; its own name in tracebacks; output unbuffered, so what it
 * printed before a hang is seen), fd 4 closed first.  Read
 * with pread from 0: every instance of the program (exercise 03 runs two)
 * shares the one open file, and so its offset. */
#define SCRIPT_BOOT                                                            \
	"import os, sys, types\n"                                              \
	"text = os.pread(4, os.fstat(4).st_size, 0)\n"                         \
	"os.close(4)\n"                                                        \
	"sys.argv = sys.argv[1:]\n"                                            \
	"main = types.ModuleType('__main__')\n"                                \
	"main.__file__ = sys.argv[0]\n"                                        \
	"sys.modules['__main__'] = main\n"                                     \
	"exec(compile(text, sys.argv[0], 'exec'), main.__dict__)\n"

/* The syntax check: compile() only, its error as Python prints it. */
#define SCRIPT_COMPILE                                                         \
	"import sys, traceback\n"                                              \
	"try:\n"                                                               \
	"    compile(open(sys.argv[1], 'rb').read(), sys.argv[2], 'exec')\n"   \
	"except SyntaxError:\n"                                                \
	"    traceback.print_exc(limit=0)\n"                                   \
	"    sys.exit(1)\n"

#define SPAWN_LIMITS 1	/* time, memory, file size, processes */
#define SPAWN_NOBODY 2	/* uid 65534 when root; no capabilities; no_new_privs */
#define SPAWN_ENGLISH 4	/* messages in English: socklab reads them (the
			 * compiler's "error:", its words for a hint) */

/* In the child: give up every privilege.  0, or -1 with errno. */
static int become_nobody(void)
{
	/* as root in the sandbox: become nobody, so RLIMIT_NPROC binds and
	 * the program holds no privilege.  EINVAL: 65534 is not mapped, a
	 * normal user's sandbox, where "root" is that user already; any other
	 * failure: do not run it. */
	if (geteuid() == 0) {
		setgroups(0, NULL);
		if ((setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0) &&
		    errno != EINVAL)
			return -1;
	}
	/* still "root" (of a normal user's sandbox): no capability, and no
	 * execve that could give them back */
	if (geteuid() == 0 && drop_capabilities() < 0)
		return -1;
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

/* Start argv (the program when exec_fd >= 0) with stdout+stderr into a
 * pipe, in a process group of its own; *pid, *rd. */
static int spawn(char *const argv[], int flags, int exec_fd, pid_t *pid, int *rd)
{
	pid_t parent = getpid();
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
		int null = open("/dev/null", O_RDONLY), sfd = -1;

		setpgid(0, 0);
		if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(p[1], STDOUT_FILENO) < 0 ||
		    dup2(p[1], STDERR_FILENO) < 0)
			_exit(127);
		/* a Python submission's text, for the interpreter at fd 3: out
		 * of the way first (it may be 3 or 4 itself), then at 4 without
		 * FD_CLOEXEC, the one descriptor the interpreter inherits */
		if (exec_fd >= 0 && script_fd >= 0 &&
		    (sfd = fcntl(script_fd, F_DUPFD_CLOEXEC, 10)) < 0)
			_exit(127);
		if (exec_fd >= 0 && (dup2(exec_fd, 3) < 0 || fcntl(3, F_SETFD, FD_CLOEXEC) < 0))
			_exit(127);
		if (sfd >= 0 && (dup2(sfd, 4) < 0 || fcntl(4, F_SETFD, 0) < 0))
			_exit(127);
		/* nothing of socklab's, nor of whoever started it, goes along */
		close_range(exec_fd < 0 ? 3 : script_fd >= 0 ? 5 : 4, ~0U, 0);
		if (flags & SPAWN_LIMITS) {
			struct rlimit cpu = { 6, 7 }, mem = { 256 << 20, 256 << 20 },
				      fsize = { 1 << 20, 1 << 20 };

			setrlimit(RLIMIT_CPU, &cpu);
			setrlimit(RLIMIT_AS, &mem);
			setrlimit(RLIMIT_FSIZE, &fsize);
		}
		if ((flags & SPAWN_NOBODY) && become_nobody() < 0) {
			dprintf(STDERR_FILENO, "cannot drop privileges: %s\n", strerror(errno));
			_exit(126);
		}
		if (flags & SPAWN_LIMITS) {
			struct rlimit nproc = { 64, 64 };	/* binds once we are nobody */

			setrlimit(RLIMIT_NPROC, &nproc);
		}
		if (flags & SPAWN_ENGLISH) {
			const char *all = getenv("LC_ALL");

			if (all && *all)	/* its characters stay the user's */
				setenv("LC_CTYPE", all, 1);
			unsetenv("LC_ALL");
			unsetenv("LANGUAGE");
			setenv("LC_MESSAGES", "C", 1);
		}
		/* after the change of credentials, which clears it */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		if (exec_fd >= 0)	/* fexecve(3), spelled so valgrind follows it too */
			execve("/proc/self/fd/3", argv, environ);
		else
			execvp(argv[0], argv);
		dprintf(STDERR_FILENO, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(*pid, *pid);
	close(p[1]);
	*rd = p[0];
	return 0;
}

/* Keep up to GRADER_OUTPUT_MAX bytes of what the program wrote. */
static void keep(struct grader_run *out, const char *buf, size_t n)
{
	size_t take = n;

	if (take > GRADER_OUTPUT_MAX - out->output_len)
		take = GRADER_OUTPUT_MAX - out->output_len, out->output_cut = 1;
	memcpy(out->output + out->output_len, buf, take);
	out->output_len += take;
	out->output[out->output_len] = '\0';
}

/* Read what the program wrote, waiting for more until `until` (ms, as
 * now_ms); 1 at EOF.  Past `until` it takes at most 64 KiB a call: a
 * program that writes without end cannot hold the grader here. */
static int drain(struct grader_proc *p, long until)
{
	char buf[4096];

	for (int late = 0; p->rd >= 0 && late < 16;) {
		struct pollfd pf = { .fd = p->rd, .events = POLLIN };
		long left = until - proc_now_ms();
		ssize_t n;

		if (left <= 0)
			late++;
		if (poll(&pf, 1, left > 0 ? (int)left : 0) <= 0)
			return 0;
		n = read(p->rd, buf, sizeof buf);
		if (n <= 0) {
			close(p->rd);	/* every writer is gone */
			p->rd = -1;
			return 1;
		}
		keep(&p->run, buf, (size_t)n);
	}
	return p->rd < 0;
}

static long held_total;	/* ms the programs were held stopped, all told */

void grader_held(long ms)
{
	if (ms > 0)
		held_total += ms;
}

/* p's deadline, the time it was held stopped added */
static long deadline_of(const struct grader_proc *p)
{
	return p->deadline + (held_total - p->held_base);
}

/* Reap the program if it ended; 1 when it has.  At its deadline a program
 * still running is killed, with its group, and marked late: every caller
 * that polls "still running?" is bounded by the time limit.  One program's
 * own group, not proc_kill_tree(): the submission's other processes are
 * still being graded; grader_cleanup() sweeps the whole tree at the end. */
static int reaped(struct grader_proc *p)
{
	if (!p->reaped && waitpid(p->pid, &p->st, WNOHANG) == p->pid)
		p->reaped = 1;
	if (!p->reaped && proc_now_ms() >= deadline_of(p)) {
		p->late = 1;
		kill(-p->pid, SIGKILL);
		while (waitpid(p->pid, &p->st, 0) < 0 && errno == EINTR)
			;
		p->reaped = 1;	/* by SIGKILL, or reaped by someone else already */
	}
	return p->reaped;
}

/* Stop p: wait for its end until the deadline, kill its group, reap it. */
static void finish(struct grader_proc *p)
{
	struct grader_run *out = &p->run;

	/* until the program ends (then what is still in the pipe), or its
	 * deadline: a child it left behind may hold the pipe open for ever */
	while (!reaped(p)) {
		if (drain(p, proc_now_ms() + 20) && !reaped(p))
			usleep(5000);
	}
	drain(p, proc_now_ms() + 20);
	out->timed_out = p->late;
	kill(-p->pid, SIGKILL);
	out->exited = WIFEXITED(p->st) && !out->timed_out;
	out->status = WIFEXITED(p->st) ? WEXITSTATUS(p->st) : -1;
	out->signal = WIFSIGNALED(p->st) ? WTERMSIG(p->st) : 0;
	if (p->rd >= 0)
		close(p->rd);
	p->rd = -1;
	p->pid = 0;
}

int grader_compile(const char *src, const char *exe, char *msg, size_t len)
{
	/* no limits (a compiler needs its memory), but no privilege either:
	 * as root, an #include of /etc/shadow would quote it in the errors */
	char *argv[] = { "cc", "-std=c11", "-D_GNU_SOURCE", "-Wall", "-o", (char *)exe,
			 (char *)src, NULL };
	struct grader_proc p;

	memset(&p, 0, sizeof p);
	if (spawn(argv, SPAWN_NOBODY | SPAWN_ENGLISH, -1, &p.pid, &p.rd) < 0) {
		snprintf(msg, len, "cannot run cc: %s", strerror(errno));
		return -1;
	}
	p.deadline = proc_now_ms() + 60000;
	p.held_base = held_total;
	finish(&p);
	snprintf(msg, len, "%s", p.run.output);
	return p.run.exited && p.run.status == 0 ? 0 : -1;
}

int grader_have_cc(void)
{
	const char *path = getenv("PATH");
	char dir[4096];

	if (!path || !*path)
		path = "/usr/bin:/bin";	/* execvp's default, near enough */
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(dir, sizeof dir, "%.*s/cc", (int)n, n ? path : ".");
		if (access(dir, X_OK) == 0)
			return 1;
		path += n + (path[n] == ':');
	}
	return 0;
}

int grader_open_program(const char *exe)
{
	if (program_fd >= 0)
		close(program_fd);
	program_fd = open(exe, O_PATH | O_CLOEXEC);
	return program_fd < 0 ? -1 : 0;
}

/* $SOCKLAB_PYTHON, else Debian's /usr/bin/python3, else python3 on
 * PATH, as an absolute path into buf: 0, or -1 when there is none. */
static int find_python(char *buf, size_t len)
{
	const char *env = getenv("SOCKLAB_PYTHON"), *path = getenv("PATH");

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return access(buf, X_OK);
	}
	if (access("/usr/bin/python3", X_OK) == 0) {	/* Debian's, first */
		snprintf(buf, len, "/usr/bin/python3");
		return 0;
	}
	if (!path || !*path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, len, "%.*s/python3", (int)n, n ? path : ".");
		if (access(buf, X_OK) == 0)
			return 0;
		path += n + (path[n] == ':');
	}
	return -1;
}

int grader_have_python(void)
{
	char py[4096];

	return find_python(py, sizeof py) == 0;
}

int grader_check_python(const char *src, const char *name, char *msg, size_t len)
{
	char py[4096];
	char *argv[] = { "python3", "-I", "-B", "-c", SCRIPT_COMPILE, (char *)src, (char *)name,
			 NULL };
	struct grader_proc p;
	int fd;

	if (find_python(py, sizeof py) < 0 || (fd = open(py, O_PATH | O_CLOEXEC)) < 0) {
		snprintf(msg, len, "cannot run python3: %s", strerror(errno ? errno : ENOENT));
		return -1;
	}
	memset(&p, 0, sizeof p);
	if (spawn(argv, SPAWN_NOBODY, fd, &p.pid, &p.rd) < 0) {
		snprintf(msg, len, "cannot run %s: %s", py, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	p.deadline = proc_now_ms() + 60000;
	p.held_base = held_total;
	finish(&p);
	snprintf(msg, len, "%s", p.run.output);
	return p.run.exited && p.run.status == 0 ? 0 : -1;
}

int grader_open_script(const char *src, const char *name)
{
	char py[4096];

	if (script_fd >= 0)
		close(script_fd);
	script_fd = -1;
	if (find_python(py, sizeof py) < 0) {
		errno = ENOENT;
		return -1;
	}
	if (grader_open_program(py) < 0)
		return -1;
	snprintf(script_name, sizeof script_name, "%s", name);
	script_fd = open(src, O_RDONLY | O_CLOEXEC);
	return script_fd < 0 ? -1 : 0;
}

/* The process groups started, for grader_cleanup(). */
static pid_t groups[GRADER_MAX_PROCS];
static size_t ngroups;

int grader_start(const char *exe, int timeout_ms, struct grader_proc *p)
{
	char *argv[] = { (char *)exe, NULL };
	char *py[] = { "python3", "-I", "-B", "-u", "-c", SCRIPT_BOOT, script_name, NULL };
	char *const *args = script_fd >= 0 ? py : argv;

	memset(p, 0, sizeof *p);
	p->rd = -1;
	if (ngroups == GRADER_MAX_PROCS) {
		errno = EMFILE;
		return -1;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (spawn(args, SPAWN_LIMITS | SPAWN_NOBODY, program_fd, &p->pid, &p->rd) < 0)
		return -1;
	groups[ngroups++] = p->pid;
	p->deadline = proc_now_ms() + timeout_ms;
	p->held_base = held_total;
	return 0;
}

int grader_running(struct grader_proc *p)
{
	if (p->pid <= 0)
		return 0;
	drain(p, 0);
	return !reaped(p);
}

int grader_wait_for(struct grader_proc *p, int (*ready)(void *), void *arg, int ms)
{
	long until = proc_now_ms() + ms;

	for (;;) {
		if (ready(arg))
			return 1;
		if (!grader_running(p) || proc_now_ms() >= until || proc_now_ms() >= deadline_of(p))
			return ready(arg);
		usleep(10000);
	}
}

void grader_wait(struct grader_proc *p, struct grader_run *out)
{
	if (p->pid > 0)
		finish(p);
	*out = p->run;
}

int grader_exec(const char *exe, int timeout_ms, struct grader_run *out)
{
	struct grader_proc p;

	if (grader_start(exe, timeout_ms, &p) < 0)
		return -1;
	grader_wait(&p, out);
	return 0;
}

void grader_cleanup(void)
{
	for (size_t i = 0; i < ngroups; i++)
		kill(-groups[i], SIGKILL);
	if (getpid() == 1) {
		/* the first process of the grader's PID namespace: everything
		 * else in it is the programs' (whatever left their groups) */
		kill(-1, SIGKILL);
		while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
			;
	} else {
		/* what left its group (setsid) comes back to us, the subreaper */
		for (size_t i = 0; i < ngroups; i++)
			proc_kill_tree(groups[i], NULL);
	}
	ngroups = 0;
}
