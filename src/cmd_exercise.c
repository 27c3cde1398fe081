/* cmd_exercise.c — socklab exercise list | show N | start N [DIR] |
 * check N FILE.c [--tap]: tasks with starter code, graded against the
 * kernel in a sandbox. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cmd.h"
#include "exercise/check.h"
#include "exercise/exercise.h"
#include "exercise/grader.h"
#include "runner/registry.h"

static const char help[] =
	"  list               the exercises, one line each\n"
	"  show N             the task, what the grader checks, hints\n"
	"  start N [DIR]      copy the starter to DIR/exNN.c (DIR: ., made if missing)\n"
	"        [--python]   ... the Python starter, DIR/exNN.py\n"
	"  check N FILE.c     compile FILE.c, run it in a sandbox, grade it\n"
	"  check N FILE.py    the same for a Python program (python3 runs it)\n"
	"        [--tap]      ... as TAP, for course tooling\n"
	"\n"
	"The grader compiles with the system compiler (cc), or has python3 check a\n"
	"FILE.py's syntax, runs the program in a private network namespace with\n"
	"limits (5 s, memory, processes, output), as uid 65534 when run as root,\n"
	"and leaves nothing running.\n"
	"\n"
	"Exit status: 0 every criterion met, 1 some were not, 2 bad input.\n";

enum { OPT_TAP = 256, OPT_PYTHON };

static const struct option options[] = {
	{ "tap", no_argument, NULL, OPT_TAP },
	{ "python", no_argument, NULL, OPT_PYTHON },
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

static int start(const struct exercise *e, const char *dir, int python)
{
	const char *text = exercise_file(e, python ? "starter.py" : "starter.c");
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/ex%02d.%s", dir, e->number, python ? "py" : "c");
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
	if (python)
		printf("wrote %s; run it with: python3 %s\n"
		       "grade it with: socklab exercise check %d %s\n", path, path, e->number, path);
	else
		printf("wrote %s; build it with: " GRADER_CC " -o ex%02d %s\n"
		       "grade it with: socklab exercise check %d %s\n", path, e->number, path,
		       e->number, path);
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

/* socklab exercise check N FILE.c [--tap]: bad input here, the grading
 * in exercise/check.c, the criteria printed here. */
static int check(const struct exercise *e, const char *file, int tap)
{
	static struct exercise_check c;
	struct stat sb;
	size_t len = strlen(file);
	int bad = 0;

	int python = len > 3 && strcmp(file + len - 3, ".py") == 0;

	if (!python && !grader_have_cc())
		return cmd_usage_error(&cmd_exercise_entry, "no C compiler: cc is not on PATH "
				       "(Debian: apt-get install gcc libc6-dev)");
	if (python && !grader_have_python())
		return cmd_usage_error(&cmd_exercise_entry, "no python3 to run %s (Debian: apt-get "
				       "install python3; SOCKLAB_PYTHON names another)", file);
	if (stat(file, &sb) < 0)
		return cmd_usage_error(&cmd_exercise_entry, "%s: %s", file, strerror(errno));
	if (!S_ISREG(sb.st_mode) || len < 3 || (!python && strcmp(file + len - 2, ".c") != 0))
		return cmd_usage_error(&cmd_exercise_entry, "%s: not a C or Python file (FILE.c, "
				       "FILE.py)", file);
	if (exercise_check(e, file, &c) < 0)
		return c.why[0] ? cmd_usage_error(&cmd_exercise_entry, "%s", c.why) : CMD_USAGE;
	if (!c.res[0].ok && !tap)
		fputs(c.compiler, stdout);
	report(e, c.res, c.n, tap);
	for (int i = 0; i < c.n; i++)
		bad |= !c.res[i].ok;
	return bad ? CMD_FAILED : CMD_OK;
}

/* ---- the subcommands ----------------------------------------------------- */

static int sub_list(const struct exercise *e, char **rest, int tap)
{
	(void)e, (void)rest, (void)tap;
	return list();
}

static int sub_show(const struct exercise *e, char **rest, int tap)
{
	const char *text = exercise_file(e, "README.md");

	(void)rest, (void)tap;
	if (text == NULL)
		return cmd_usage_error(&cmd_exercise_entry, "exercise %02d has no task text", e->number);
	fputs(text, stdout);
	return CMD_OK;
}

static int sub_start(const struct exercise *e, char **rest, int python)
{
	return start(e, rest[0] ? rest[0] : ".", python);
}

static int sub_check(const struct exercise *e, char **rest, int tap)
{
	return check(e, rest[0], tap);
}

/* All but list take N (an exercise) first, then from `min` to `max` words
 * more (rest[], NULL-terminated); check takes --tap, as its last word,
 * start --python (the run's flag is either). */
static const struct sub {
	const char *name;
	const char *usage;
	int number, min, max, tap;
	int (*run)(const struct exercise *e, char **rest, int tap);
} subs[] = {
	{ "list", "list", 0, 0, 0, 0, sub_list },
	{ "show", "show N", 1, 0, 0, 0, sub_show },
	{ "start", "start N [DIR] [--python]", 1, 0, 1, 0, sub_start },
	{ "check", "check N FILE.c|FILE.py [--tap]", 1, 1, 1, 1, sub_check },
};

static int cmd_exercise(const struct cmd_args *a)
{
	const struct cmd_entry *self = a->cmd;
	const struct sub *sub = NULL;
	const struct exercise *e = NULL;
	int tap = 0, words;

	if (a->argc == 0)
		return cmd_usage_error(self, "list, show N, start N [DIR] or check N FILE.c");
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(a->argv[0], subs[i].name) == 0)
			sub = &subs[i];
	CMD_FOR_OPTS(a, o) {
		if (o->opt == OPT_PYTHON) {
			if (sub == NULL || sub->run != sub_start)
				return cmd_usage_error(self, "--python goes with 'start N [DIR]'");
			tap = 1;	/* start's flag: the Python starter */
			continue;
		}
		if (o->opt != OPT_TAP)
			continue;
		if (sub == NULL || !sub->tap || o->end != a->words)
			return cmd_usage_error(self, "--tap goes last, after 'check N FILE.c'");
		tap = 1;
	}
	if (sub == NULL)
		return cmd_usage_error(self, "unknown subcommand '%s' (list, show, start, check)",
				       a->argv[0]);
	words = a->argc - 1 - sub->number;	/* after the name and N */
	if (words > sub->max)
		return cmd_usage_error(self, "unexpected argument '%s' (usage: %s)",
				       a->argv[a->argc - words + sub->max], sub->usage);
	if (words < sub->min)
		return cmd_usage_error(self, "usage: %s", sub->usage);
	if (sub->number && (e = find_or_fail(a->argv[1])) == NULL)
		return CMD_USAGE;
	return sub->run(e, a->argv + 1 + sub->number, tap);
}

const struct cmd_entry cmd_exercise_entry = {
	.name = "exercise",
	.usage = "list | show N | start N [DIR] [--python] | check N FILE",
	.summary = "tasks with starter code, graded against the kernel in a sandbox",
	.help = help,
	.args = { .options = options, .max = CMD_ANY },
	.exec = cmd_exercise,
};
