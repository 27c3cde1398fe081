/* cmd_exercise.c — socklab exercise list | show N | start N [DIR] |
 * check N FILE.c [--tap]: tasks with starter code, graded against the
 * kernel in a sandbox. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "cmd.h"
#include "exercise/exercise.h"
#include "exercise/grader.h"
#include "exercise/uplink.h"
#include "lab/registry.h"
#include "proc/proc.h"
#include "sandbox/sandbox.h"

static const char help[] =
	"  list               the exercises, one line each\n"
	"  show N             the task, what the grader checks, hints\n"
	"  start N [DIR]      copy the starter to DIR/exNN.c (DIR: ., made if missing)\n"
	"  check N FILE.c     compile FILE.c, run it in a sandbox, grade it\n"
	"        [--tap]      ... as TAP, for course tooling\n"
	"\n"
	"The grader compiles with the system compiler (cc), runs the program in a\n"
	"private network namespace with limits (5 s, memory, processes, output), as\n"
	"uid 65534 when run as root, and leaves nothing running.\n"
	"\n"
	"Exit status: 0 every criterion met, 1 some were not, 2 bad input.\n";

/* parsed by hand (--tap goes last, after check N FILE.c); the table is
 * for the shell completions */
static const struct option options[] = {
	{ "tap", no_argument, NULL, 0 },
	{ NULL, 0, NULL, 0 }
};

static const struct exercise *find_or_fail(const char *key)
{
	const struct exercise *e = exercise_find(key);

	if (e == NULL)
		cmd_usage_error(&cmd_exercise_entry, "no exercise '%s' (see 'socklab exercise list')", key);
	return e;
}

static int list(void)
{
	for (size_t i = 0; i < exercise_count(); i++) {
		const struct exercise *e = exercise_at(i);

		printf("%02d  %-24s %s\n", e->number, e->slug, e->title);
	}
	printf("\n'socklab exercise show N' for the task; 'socklab exercise start N' to begin.\n");
	return CMD_OK;
}

/* mkdir -p dir (mode 0777 less the umask): 0, or -1 with errno. */
static int make_dirs(const char *dir)
{
	char path[4096];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof path) {
		errno = n ? ENAMETOOLONG : ENOENT;
		return -1;
	}
	memcpy(path, dir, n + 1);
	for (char *p = path + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST)
			return -1;
		if ((*p = c) == '\0')
			break;
	}
	struct stat st;

	if (stat(dir, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

static int start(const struct exercise *e, const char *dir)
{
	const char *text = exercise_file(e, "starter.c");
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/ex%02d.c", dir, e->number);
	if (text == NULL)
		return cmd_usage_error(&cmd_exercise_entry, "exercise %02d has no starter", e->number);
	if (make_dirs(dir) < 0)
		return cmd_usage_error(&cmd_exercise_entry, "%s: %s", dir, strerror(errno));
	if (access(path, F_OK) == 0)
		return cmd_usage_error(&cmd_exercise_entry, "%s exists: not overwriting it", path);
	if ((f = fopen(path, "wx")) == NULL)
		return cmd_usage_error(&cmd_exercise_entry, "%s: %s", path, strerror(errno));
	fputs(text, f);
	if (fclose(f) != 0)
		return cmd_usage_error(&cmd_exercise_entry, "%s: %s", path, strerror(errno));
	printf("wrote %s; build it with: " GRADER_CC " -o ex%02d %s\n"
	       "grade it with: socklab exercise check %d %s\n", path, e->number, path, e->number, path);
	return CMD_OK;
}

static void report(const struct exercise *e, const struct exercise_result *res, int n, int tap)
{
	int met = 0;

	if (tap)
		printf("1..%d\n", n);
	for (int i = 0; i < n; i++) {
		met += res[i].ok;
		if (tap) {
			printf("%s %d - %s", res[i].ok ? "ok" : "not ok", i + 1, res[i].criterion);
			if (!res[i].ok)
				printf(": %s", res[i].observed);
			if (res[i].skip)
				printf(" # SKIP %s", res[i].observed);
			putchar('\n');
			continue;
		}
		if (res[i].skip) {
			printf("  - %s (not checked: %s)\n", res[i].criterion, res[i].observed);
			continue;
		}
		printf("  %s %s\n", res[i].ok ? "✔" : "✘", res[i].criterion);
		if (res[i].ok)
			continue;
		printf("      observed: %s\n", res[i].observed);
		if (res[i].hint)
			printf("      hint: %s\n", res[i].hint);
		if (res[i].lab) {
			char num[8];
			const struct lab_info *l;

			snprintf(num, sizeof num, "%d", res[i].lab);
			if ((l = registry_find(num)) != NULL)
				printf("      revisit: socklab run %d (%s)\n", l->number, l->slug);
		}
	}
	if (!tap)
		printf("%d of %d criteria met (exercise %02d %s)\n", met, n, e->number, e->slug);
}

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

	res->criterion = "nothing is sent off the machine (only 127.0.0.0/8, ::1, multicast on lo)";
	res->ok = n == 0;
	res->hint = "every address in an exercise is on this machine; a multicast sender "
		    "names lo (IP_MULTICAST_IF), a member joins on lo";
	if (watch_err) {
		res->skip = res->ok = 1;
		snprintf(res->observed, sizeof res->observed, "no uplink to watch (%s)",
			 strerror(watch_err));
	} else if (n) {
		snprintf(res->observed, sizeof res->observed, "%d packet%s left: the first %s", n,
			 n == 1 ? "" : "s", first);
	} else {
		snprintf(res->observed, sizeof res->observed, "no packet on the uplink");
	}
}

/* In the sandbox: grade, print the report, and say how it went. */
static int grade_here(const struct exercise *e, const char *exe, int tap,
		      struct exercise_result *res)
{
	struct uplink up;
	int n, bad = 0, watched, err;

	watched = uplink_open(&up, 1) == 0 ? 0 : errno;
	n = e->grade(exe, res + 1);
	err = errno;
	grader_cleanup();
	if (n < 0) {
		fprintf(stderr, "socklab exercise: the grader could not run: %s\n", strerror(err));
		return 2;
	}
	off_box(&up, watched, &res[++n]);
	uplink_close(&up);
	report(e, res, n + 1, tap);
	for (int i = 0; i <= n; i++)
		bad |= !res[i].ok;
	fflush(stdout);
	return bad ? 1 : 0;
}

/* Grade in a child in its own sandbox; the child prints and says how it went. */
static int grade(const struct exercise *e, const char *exe, int tap, int compiled,
		 const char *compiler)
{
	struct exercise_result res[EXERCISE_MAX_CRITERIA + 2];	/* + compiles, + off-box */
	pid_t pid, parent = getpid();
	int st;

	memset(res, 0, sizeof res);
	static char why[512];

	res[0].criterion = "the program compiles (" GRADER_CC ")";
	res[0].ok = compiled;
	first_error(res[0].observed, sizeof res[0].observed, compiler);
	res[0].hint = exercise_compile_hint(compiler, why, sizeof why) ? why
		    : "the compiler's messages are above";
	if (!compiled) {
		if (!tap)
			fprintf(stdout, "%s", compiler);
		report(e, res, 1, tap);
		return CMD_FAILED;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return cmd_usage_error(&cmd_exercise_entry, "fork: %s", strerror(errno));
	if (pid == 0) {
		const char *what = NULL;
		pid_t init;
		int alive[2];

		/* if socklab is killed, even by SIGKILL, the grading goes too */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(2);	/* it was, before we could ask */
		if (sandbox_enter(&what) < 0) {
			const char *advice = sandbox_advice(errno, 0);

			fprintf(stderr, "socklab exercise: cannot make a sandbox (%s: %s)%s%s\n", what,
				strerror(errno), advice ? "; " : "", advice ? advice : "");
			_exit(2);
		}
		/* and a PID namespace: when its first process (the grader) dies,
		 * the kernel kills every process in it, whatever the program
		 * forked, wherever its children went */
		if (unshare(CLONE_NEWPID) < 0) {
			fprintf(stderr, "socklab exercise: cannot make a sandbox (unshare(CLONE_NEWPID): %s)\n",
				strerror(errno));
			_exit(2);
		}
		/* alive[1] stays open in this process only: when the first
		 * process of the namespace sees its other end closed, we are
		 * gone (getppid() says 0 across a PID namespace) */
		if (pipe2(alive, O_CLOEXEC) < 0 || (init = fork()) < 0) {
			fprintf(stderr, "socklab exercise: cannot start the grader: %s\n", strerror(errno));
			_exit(2);
		}
		if (init == 0) {
			struct pollfd gone = { .fd = alive[0], .events = POLLIN };

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(alive[1]);
			if (poll(&gone, 1, 0) > 0)
				_exit(2);	/* before we could ask */
			close(alive[0]);
			_exit(grade_here(e, exe, tap, res));
		}
		close(alive[0]);
		while (waitpid(init, &st, 0) < 0 && errno == EINTR)
			;
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 2);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : CMD_USAGE;
}

/* dir/NAME, NAME the source's base name without ".c" (so ps shows "ex01"),
 * in letters, digits, '-' and '_' only. */
static void program_path(char *buf, size_t len, const char *dir, const char *file)
{
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	size_t n = strlen(base) - 2, at;

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
 * nobody, with a #line that keeps the student's path in its messages.
 * 0, or -1 with errno. */
static int copy_source(const char *file, const char *copy)
{
	char buf[8192];
	FILE *in = fopen(file, "r"), *out = NULL;
	size_t n;
	int ret = -1, err;

	if (in == NULL || (out = fopen(copy, "wx")) == NULL)
		goto out;
	fputs("#line 1 \"", out);
	for (const char *c = file; *c; c++) {	/* a C string literal */
		if (*c == '"' || *c == '\\')
			fputc('\\', out);
		if (*c != '\n')
			fputc(*c, out);
	}
	fputs("\"\n", out);
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

static int check(const struct exercise *e, const char *file, int tap)
{
	char dir[] = "/tmp/socklab-exercise-XXXXXX", exe[96], src[112], msg[8192];
	sigset_t stop, old;
	struct stat sb;
	size_t len = strlen(file);
	int ret, compiled;

	if (!grader_have_cc())
		return cmd_usage_error(&cmd_exercise_entry, "no C compiler: cc is not on PATH "
				       "(Debian: apt-get install gcc libc6-dev)");
	if (stat(file, &sb) < 0)
		return cmd_usage_error(&cmd_exercise_entry, "%s: %s", file, strerror(errno));
	if (!S_ISREG(sb.st_mode) || len < 3 || strcmp(file + len - 2, ".c") != 0)
		return cmd_usage_error(&cmd_exercise_entry, "%s: not a C file (FILE.c)", file);
	/* While the copy and its program are on disk, SIGINT, SIGTERM and
	 * SIGHUP wait (the compiler inherits the mask, so it finishes too):
	 * they take effect once the directory is gone, and kill as before. */
	proc_stop_set(&stop);
	sigprocmask(SIG_BLOCK, &stop, &old);
	if (mkdtemp(dir) == NULL) {
		ret = cmd_usage_error(&cmd_exercise_entry, "mkdtemp: %s", strerror(errno));
		sigprocmask(SIG_SETMASK, &old, NULL);
		return ret;
	}
	program_path(exe, sizeof exe, dir, file);
	snprintf(src, sizeof src, "%s.c", exe);
	if (copy_source(file, src) < 0) {
		ret = cmd_usage_error(&cmd_exercise_entry, "%s: %s", file, strerror(errno));
		rmdir(dir);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return ret;
	}
	/* the compiler and the program run as uid 65534 when we are root */
	chmod(src, 0644);
	if (geteuid() == 0 && chown(dir, 65534, 65534) < 0)
		chmod(dir, 0777);
	compiled = grader_compile(src, exe, msg, sizeof msg) == 0;
	/* from here the program is an open file: nothing stays on disk, even
	 * if socklab is killed while it grades */
	if (compiled && (chmod(exe, 0755) < 0 || grader_open_program(exe) < 0)) {
		snprintf(msg, sizeof msg, "%s: %s", exe, strerror(errno));
		compiled = 0;
	}
	unlink(exe);
	unlink(src);
	rmdir(dir);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return grade(e, exe, tap, compiled, msg);
}

static int cmd_exercise(int argc, char **argv)
{
	const struct cmd_entry *self = &cmd_exercise_entry;
	const struct exercise *e;
	const char *text;
	int tap = 0;

	if (argc < 2)
		return cmd_usage_error(self, "list, show N, start N [DIR] or check N FILE.c");
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--tap") == 0)
			tap = i;
	if (tap && (strcmp(argv[1], "check") != 0 || tap != argc - 1))
		return cmd_usage_error(self, "--tap goes last, after 'check N FILE.c'");
	if (tap)
		argc--;
	for (int i = 1; i < argc; i++)	/* a file named -x: ./-x; -1 is a bad N */
		if (argv[i][0] == '-' && argv[i][1] != '\0' && (argv[i][1] < '0' || argv[i][1] > '9'))
			return cmd_usage_error(self, "unknown option '%s' (see 'socklab exercise --help')",
					       argv[i]);
	if (strcmp(argv[1], "list") == 0) {
		if (argc > 2)
			return cmd_usage_error(self, "list takes no arguments, got '%s'", argv[2]);
		return list();
	}
	if (strcmp(argv[1], "show") == 0 || strcmp(argv[1], "start") == 0 ||
	    strcmp(argv[1], "check") == 0) {
		int want = strcmp(argv[1], "check") == 0 ? 4 : 3;
		int most = strcmp(argv[1], "start") == 0 ? 4 : want;
		const char *usage = strcmp(argv[1], "show") == 0 ? "show N" :
				    strcmp(argv[1], "start") == 0 ? "start N [DIR]" :
				    "check N FILE.c [--tap]";

		if (argc > most)
			return cmd_usage_error(self, "unexpected argument '%s' (usage: %s)", argv[most], usage);
		if (argc < want)
			return cmd_usage_error(self, "usage: %s", usage);
		if ((e = find_or_fail(argv[2])) == NULL)
			return CMD_USAGE;
		if (strcmp(argv[1], "show") == 0) {
			if ((text = exercise_file(e, "README.md")) == NULL)
				return cmd_usage_error(self, "exercise %02d has no task text", e->number);
			fputs(text, stdout);
			return CMD_OK;
		}
		if (strcmp(argv[1], "start") == 0)
			return start(e, argc > 3 ? argv[3] : ".");
		return check(e, argv[3], tap);
	}
	return cmd_usage_error(self, "unknown subcommand '%s' (list, show, start, check)", argv[1]);
}

const struct cmd_entry cmd_exercise_entry = {
	.name = "exercise",
	.usage = "list | show N | start N [DIR] | check N FILE.c [--tap]",
	.summary = "tasks with starter code, graded against the kernel in a sandbox",
	.help = help,
	.exec = cmd_exercise,
	.options = options,
};
