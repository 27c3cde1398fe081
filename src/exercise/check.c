/* check.c — a student's FILE.c, compiled, run in a sandbox and graded
 * (check.h).
 *
 *   socklab ──fork──▶ child: dies with us, sandbox_enter() (fresh netns),
 *                      unshare(CLONE_NEWPID)
 *                       └─fork─▶ the PID namespace's first process: the
 *                                uplink, the exercise's grader, the
 *                                off-box criterion, into shared memory
 *   socklab ◀── results (a MAP_SHARED page) ── printed by the caller */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "check.h"
#include "grader.h"
#include "i18n.h"
#include "uplink.h"
#include "proc/proc.h"
#include "sandbox/sandbox.h"

/* The compiler's first "error:" line (its messages are printed in full
 * above the criteria), or its first line. */
static void first_error(char *buf, size_t len, const char *msg)
{
	const char *at = strstr(msg, "error:"), *end;

	if (at == NULL)
		at = msg;
	while (at > msg && at[-1] != '\n')
		at--;
	end = strchr(at, '\n');
	snprintf(buf, len, "%.*s", (int)(end ? end - at : (long)strlen(at)), at);
}

/* The last criterion of every exercise: the sandbox's only way out
 * (uplink.h) saw nothing. */
static void off_box(struct uplink *up, int watch_err, struct exercise_result *res)
{
	char first[128];
	int n = uplink_seen(up, first, sizeof first);

	res->criterion = _("nothing is sent off the machine (the sandbox's way out saw no packet)");
	res->ok = n == 0;
	res->hint = _("every address in an exercise is in its sandbox: the task names them; a "
		    "multicast sender names its interface (IP_MULTICAST_IF)");
	if (watch_err) {
		res->skip = res->ok = 1;
		snprintf(res->observed, sizeof res->observed, _("no uplink to watch (%s)"),
			 strerror(watch_err));
	} else if (n) {
		snprintf(res->observed, sizeof res->observed, P_("%d packet left: the first %s",
						   "%d packets left: the first %s", n), n, first);
	} else {
		snprintf(res->observed, sizeof res->observed, _("no packet on the uplink"));
	}
}

/* In the sandbox: grade into out (shared with socklab): 0, or 2 with
 * out->why. */
static int grade_here(const struct exercise *e, const char *exe, struct exercise_check *out)
{
	struct exercise_result *res = out->res;
	struct uplink up;
	int n, watched, err;

	watched = uplink_open(&up, 1) == 0 ? 0 : errno;
	n = e->grade(exe, res + 1);
	err = errno;
	grader_cleanup();
	if (n < 0) {
		snprintf(out->why, sizeof out->why, _("the grader could not run: %s"), strerror(err));
		return 2;
	}
	off_box(&up, watched, &res[++n]);
	uplink_close(&up);
	out->n = n + 1;
	for (int i = 0; i < out->n; i++) {
		snprintf(out->text[i][0], sizeof out->text[i][0], "%s",
			 res[i].criterion ? res[i].criterion : "");
		snprintf(out->text[i][1], sizeof out->text[i][1], "%s", res[i].hint ? res[i].hint : "");
	}
	return 0;
}

/* The sandboxed child: a PID namespace, and its first process grades. */
static void sandboxed(const struct exercise *e, const char *exe, struct exercise_check *out,
		      pid_t parent)
{
	const char *what = NULL;
	pid_t init;
	int alive[2], st;

	/* if socklab is killed, even by SIGKILL, the grading goes too */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(2);	/* it was, before we could ask */
	if (sandbox_enter(&what) < 0) {
		const char *advice = sandbox_advice(errno, 0);

		snprintf(out->why, sizeof out->why, _("cannot make a sandbox (%s: %s)%s%s"), what,
			 strerror(errno), advice ? "; " : "", advice ? advice : "");
		_exit(2);
	}
	/* and a PID namespace: when its first process (the grader) dies,
	 * the kernel kills every process in it, whatever the program
	 * forked, wherever its children went */
	if (unshare(CLONE_NEWPID) < 0) {
		snprintf(out->why, sizeof out->why,
			 _("cannot make a sandbox (unshare(CLONE_NEWPID): %s)"), strerror(errno));
		_exit(2);
	}
	/* alive[1] stays open in this process only: when the first
	 * process of the namespace sees its other end closed, we are
	 * gone (getppid() says 0 across a PID namespace) */
	if (pipe2(alive, O_CLOEXEC) < 0 || (init = fork()) < 0) {
		snprintf(out->why, sizeof out->why, _("cannot start the grader: %s"), strerror(errno));
		_exit(2);
	}
	if (init == 0) {
		struct pollfd gone = { .fd = alive[0], .events = POLLIN };

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(alive[1]);
		if (poll(&gone, 1, 0) > 0)
			_exit(2);	/* before we could ask */
		close(alive[0]);
		_exit(grade_here(e, exe, out));
	}
	close(alive[0]);
	while (waitpid(init, &st, 0) < 0 && errno == EINTR)
		;
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 2);
}

/* Grade the program exe (an open file: see grader_open_program) in a
 * child in its own sandbox; its results come back through shared memory. */
static int grade(const struct exercise *e, const char *exe, struct exercise_check *out)
{
	struct exercise_check *shared;
	pid_t pid, parent = getpid();
	int st, ret = -1;

	shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	if (shared == MAP_FAILED) {
		snprintf(out->why, sizeof out->why, _("mmap: %s"), strerror(errno));
		return -1;
	}
	memcpy(shared, out, sizeof *shared);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		snprintf(out->why, sizeof out->why, _("fork: %s"), strerror(errno));
		munmap(shared, sizeof *shared);
		return -1;
	}
	if (pid == 0)
		sandboxed(e, exe, shared, parent);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && shared->n > 0 &&
	    shared->n <= (int)(sizeof shared->res / sizeof shared->res[0]))
		ret = 0;
	else if (!WIFEXITED(st))
		shared->why[0] = '\0';	/* it died: nothing to add */
	memcpy(out, shared, sizeof *out);
	out->why[sizeof out->why - 1] = '\0';
	munmap(shared, sizeof *shared);
	if (ret == 0) {
		/* the child's pointers mean nothing here: point at its texts */
		for (int i = 0; i < out->n; i++) {
			out->res[i].criterion = out->text[i][0];
			out->res[i].hint = out->res[i].hint ? out->text[i][1] : NULL;
		}
	}
	if (ret == 0 && out->n != e->criteria) {
		snprintf(out->why, sizeof out->why, _("the grader of exercise %02d gave %d criteria, "
			 "its spec lists %d: a bug of socklab's"), e->number, out->n, e->criteria);
		ret = -1;
	}
	return ret;
}

/* Partial credit: the points of the criteria met.  One socklab could not
 * check here (skip) earns none: its points are not given on a guess.
 * max_points is always the spec's total. */
static void score(const struct exercise *e, struct exercise_check *out)
{
	out->points = 0;
	out->max_points = exercise_max_points(e);
	for (int i = 0; i < out->n; i++)
		if (out->res[i].ok && !out->res[i].skip)
			out->points += exercise_points(e, i);
}

/* dir/NAME, NAME the source's base name without ".c" (so ps shows "ex01"),
 * in letters, digits, '-' and '_' only. */
static int is_python(const char *file)
{
	size_t n = strlen(file);

	return n > 3 && strcmp(file + n - 3, ".py") == 0;
}

static void program_path(char *buf, size_t len, const char *dir, const char *file)
{
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	size_t n = strlen(base) - (is_python(file) ? 3 : 2), at;

	at = (size_t)snprintf(buf, len, "%s/", dir);
	for (size_t i = 0; i < n && i < 40 && at + 1 < len; i++) {
		char c = base[i];

		buf[at++] = (isalnum((unsigned char)c) || c == '-' || c == '_') ? c : '_';
	}
	if (n == 0)
		buf[at++] = '_';
	buf[at] = '\0';
}

/* Copy the student's file to copy, readable by the compiler running as
 * nobody, with a #line that keeps the student's path in its messages (C;
 * Python is told the name itself).  0, or -1 with errno. */
static int copy_source(const char *file, const char *copy, int c_line)
{
	char buf[8192];
	FILE *in = fopen(file, "r"), *out = NULL;
	size_t n;
	int ret = -1, err;

	if (in == NULL || (out = fopen(copy, "wx")) == NULL)
		goto out;
	if (!c_line)
		goto body;
	fputs("#line 1 \"", out);
	for (const char *c = file; *c; c++) {	/* a C string literal */
		if (*c == '"' || *c == '\\')
			fputc('\\', out);
		if (*c != '\n')
			fputc(*c, out);
	}
	fputs("\"\n", out);
body:
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			goto out;
	ret = ferror(in) ? -1 : 0;
out:
	err = errno;
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		ret = -1;
	errno = err;
	return ret;
}

/* The first criterion: it compiles (the compiler's messages in
 * out->compiler).  A hint names the header of an undeclared socket name. */
static void compiles(struct exercise_check *out, int compiled, int python)
{
	static char cc_criterion[160];	/* copied into out by the caller */
	/* the hint is kept in out itself: out may be read by another process
	 * (a class's grading hands it to its parent in shared memory) */
	char *why = out->text[0][1];
	struct exercise_result *res = &out->res[0];

	if (python) {
		/* Python's message ends in its "SyntaxError: ..." line: the
		 * last line that is not empty */
		size_t end = strlen(out->compiler), start;

		res->criterion = _("the program compiles (python3: no SyntaxError)");
		res->ok = compiled;
		while (end && (out->compiler[end - 1] == '\n' || out->compiler[end - 1] == ' '))
			end--;
		for (start = end; start && out->compiler[start - 1] != '\n'; start--)
			;
		snprintf(res->observed, sizeof res->observed, "%.*s", (int)(end - start),
			 out->compiler + start);
		res->hint = _("Python's message names the file and line it stopped at");
		out->n = 1;
		return;
	}
	snprintf(cc_criterion, sizeof cc_criterion, _("the program compiles (%s)"), GRADER_CC);
	res->criterion = cc_criterion;
	res->ok = compiled;
	first_error(res->observed, sizeof res->observed, out->compiler);
	res->hint = exercise_compile_hint(out->compiler, why, sizeof out->text[0][1]) ? why
		  : _("the compiler's messages name the file and line");
	out->n = 1;
}

int exercise_check(const struct exercise *e, const char *file, struct exercise_check *out)
{
	char dir[] = "/tmp/socklab-exercise-XXXXXX", exe[96], src[112];
	sigset_t stop, old;
	int compiled, python = is_python(file);

	memset(out, 0, sizeof *out);
	/* While the copy and its program are on disk, SIGINT, SIGTERM and
	 * SIGHUP wait (the compiler inherits the mask, so it finishes too):
	 * they take effect once the directory is gone, and kill as before. */
	proc_stop_set(&stop);
	sigprocmask(SIG_BLOCK, &stop, &old);
	if (mkdtemp(dir) == NULL) {
		snprintf(out->why, sizeof out->why, _("mkdtemp: %s"), strerror(errno));
		sigprocmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	program_path(exe, sizeof exe, dir, file);
	snprintf(src, sizeof src, "%s.%s", exe, python ? "py" : "c");
	if (copy_source(file, src, !python) < 0) {
		snprintf(out->why, sizeof out->why, "%s: %s", file, strerror(errno));
		rmdir(dir);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	/* the compiler and the program run as uid 65534 when we are root */
	chmod(src, 0644);
	if (geteuid() == 0 && chown(dir, 65534, 65534) < 0)
		chmod(dir, 0777);
	if (python) {
		/* its syntax checked as nobody; then the text is an open file */
		compiled = grader_check_python(src, file, out->compiler, sizeof out->compiler) == 0;
		if (compiled && grader_open_script(src, file) < 0) {
			snprintf(out->compiler, sizeof out->compiler, "%s: %s", src, strerror(errno));
			compiled = 0;
		}
	} else {
		compiled = grader_compile(src, exe, out->compiler, sizeof out->compiler) == 0;
	}
	/* from here the program is an open file: nothing stays on disk, even
	 * if socklab is killed while it grades */
	if (compiled && !python && (chmod(exe, 0755) < 0 || grader_open_program(exe) < 0)) {
		snprintf(out->compiler, sizeof out->compiler, "%s: %s", exe, strerror(errno));
		compiled = 0;
	}
	unlink(exe);
	unlink(src);
	rmdir(dir);
	sigprocmask(SIG_SETMASK, &old, NULL);
	compiles(out, compiled, python);
	if (compiled && grade(e, exe, out) < 0)
		return -1;
	score(e, out);
	return 0;
}
