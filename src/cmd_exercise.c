/* cmd_exercise.c — socklab exercise list | show N | start N [DIR] |
 * check N FILE | grade N PATH... | package N: tasks with starter code,
 * graded against the kernel in a sandbox, one student or a whole class. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cmd.h"
#include "exercise/batch.h"
#include "exercise/check.h"
#include "exercise/exercise.h"
#include "exercise/grader.h"
#include "exercise/package.h"
#include "i18n.h"
#include "proc/proc.h"
#include "render/gradebook.h"
#include "runner/registry.h"

static const char help[] =
	N_("  list               the exercises, one line each\n"
	"  show N             the task, what the grader checks, hints, the points\n"
	"  start N [DIR]      copy the starter to DIR/exNN.c (DIR: ., made if missing)\n"
	"        [--python]   ... the Python starter, DIR/exNN.py\n"
	"  check N FILE       compile FILE.c (or check FILE.py), run it in a sandbox,\n"
	"                     grade it; FILE may be a directory holding one source\n"
	"        [--tap]      ... as TAP, for course tooling (last)\n"
	"        [--gradescope F | --prairielearn F | --junit F]\n"
	"                     ... and write the platform's results file F too\n"
	"  grade N PATH...    grade a class: each FILE.c or FILE.py is a student, and\n"
	"                     each in a directory, or each of its subdirectories\n"
	"                     (holding one source); prints the roster sorted by score\n"
	"                     and, per criterion, how many failed and how\n"
	"        [-j, --jobs N]  ... N at once, 1 to 64 (default: the CPUs)\n"
	"        [--csv | --json | --markdown]  ... the roster for a gradebook or a page\n"
	"        [--junit F]  ... and JUnit XML in F\n"
	"  package N --gradescope DIR | --prairielearn DIR\n"
	"                     write the platform's scripts for exercise N into DIR\n"
	"                     (make gradescope N=... adds socklab's source: a bundle)\n"
	"\n"
	"The grader compiles with the system compiler (cc), or has python3 check a\n"
	"FILE.py's syntax, runs the program in a private network namespace with\n"
	"limits (5 s, memory, processes, output), as uid 65534 when run as root,\n"
	"and leaves nothing running.  Each submission is graded in a sandbox of its\n"
	"own; one that cannot be graded is listed with the reason.  Workflows for\n"
	"Gradescope, PrairieLearn and GitHub Classroom: docs/grading.md.\n"
	"\n"
	"Exit status: check: 0 every criterion met, 1 some were not; grade: 0 every\n"
	"submission graded (whatever the scores), 1 some could not be; 2 bad input.\n");

enum {
	OPT_TAP = 256, OPT_PYTHON, OPT_CSV, OPT_JSON, OPT_MARKDOWN, OPT_JUNIT, OPT_GRADESCOPE,
	OPT_PRAIRIELEARN, OPT_JOBS = 'j'
};

static const struct option options[] = {
	{ "tap", no_argument, NULL, OPT_TAP },
	{ "python", no_argument, NULL, OPT_PYTHON },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "csv", no_argument, NULL, OPT_CSV },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "markdown", no_argument, NULL, OPT_MARKDOWN },
	{ "junit", required_argument, NULL, OPT_JUNIT },
	{ "gradescope", required_argument, NULL, OPT_GRADESCOPE },
	{ "prairielearn", required_argument, NULL, OPT_PRAIRIELEARN },
	{ NULL, 0, NULL, 0 }
};

static const char shortopts[] = "j:";	/* -j N: --jobs N */

/* What the options asked for. */
struct exopts {
	int tap, python;
	int format;		/* grade's stdout: 0 roster, OPT_CSV, OPT_JSON, OPT_MARKDOWN */
	long jobs;
	const char *junit, *gradescope, *prairielearn;	/* results files */
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

		printf("%02d  %-24s %s\n", e->number, e->slug, i18n_tr(e->title));
	}
	printf(_("\n'socklab exercise show N' for the task; 'socklab exercise start N' to begin.\n"));
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
		printf(_("wrote %s; run it with: python3 %s\n"
		       "grade it with: socklab exercise check %d %s\n"), path, path, e->number, path);
	else
		printf(_("wrote %s; build it with: %s -o ex%02d %s\n"
			 "grade it with: socklab exercise check %d %s\n"), path, GRADER_CC, e->number, path,
		       e->number, path);
	return CMD_OK;
}

static void report(const struct exercise_check *c, const struct exercise *e, int tap)
{
	const struct exercise_result *res = c->res;
	int met = 0, n = c->n;

	if (tap)
		printf("1..%d\n", n);
	for (int i = 0; i < n; i++) {
		met += res[i].ok && !res[i].skip;
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
			printf(_("  - %s (not checked: %s)\n"), res[i].criterion, res[i].observed);
			continue;
		}
		printf("  %s %s\n", res[i].ok ? "✔" : "✘", res[i].criterion);
		if (res[i].ok)
			continue;
		printf(_("      observed: %s\n"), res[i].observed);
		if (res[i].hint)
			printf(_("      hint: %s\n"), res[i].hint);
		if (res[i].lab) {
			char num[8];
			const struct lab_info *l;

			snprintf(num, sizeof num, "%d", res[i].lab);
			if ((l = registry_find(num)) != NULL)
				printf(_("      revisit: socklab run %d (%s)\n"), l->number, l->slug);
		}
	}
	if (!tap)
		printf(_("%d of %d criteria met, %d of %d points (exercise %02d %s)\n"), met, n,
		       c->points, c->max_points, e->number, e->slug);
}

/* The results files the options name (--gradescope, --prairielearn,
 * --junit), opened before anything is graded so that a path that cannot
 * be written is bad input at once. */
struct outs {
	FILE *f[3];
	const char *path[3];
};

static const char *const out_opt[3] = { "--gradescope", "--prairielearn", "--junit" };

static void outs_close(struct outs *w)
{
	for (int k = 0; k < 3; k++)
		if (w->f[k])
			fclose(w->f[k]);
	memset(w, 0, sizeof *w);
}

/* 0, or CMD_USAGE after one line */
static int outs_open(struct outs *w, const struct exopts *o)
{
	memset(w, 0, sizeof *w);
	w->path[0] = o->gradescope;
	w->path[1] = o->prairielearn;
	w->path[2] = o->junit;
	for (int k = 0; k < 3; k++)
		if (w->path[k] && (w->f[k] = fopen(w->path[k], "w")) == NULL) {
			int err = errno;

			cmd_usage_error(&cmd_exercise_entry, "%s %s: %s", out_opt[k], w->path[k],
					strerror(err));
			outs_close(w);
			return CMD_USAGE;
		}
	return 0;
}

/* Draw the submissions of b into the files open in w, and close them: 0,
 * or CMD_USAGE after one line (a write failed). */
static int outs_write(struct outs *w, const struct exercise *e, const struct batch *b)
{
	int ret = CMD_OK;

	for (int k = 0; k < 3; k++) {
		int bad;

		if (w->f[k] == NULL)
			continue;
		if (k == 0)
			gradebook_gradescope(w->f[k], e, &b->v[0]);
		else if (k == 1)
			gradebook_prairielearn(w->f[k], e, &b->v[0]);
		else
			gradebook_junit(w->f[k], e, b);
		bad = ferror(w->f[k]);
		if ((fclose(w->f[k]) != 0 || bad) && ret == CMD_OK)
			ret = cmd_usage_error(&cmd_exercise_entry, "%s %s: %s", out_opt[k], w->path[k],
					      strerror(errno ? errno : EIO));
		w->f[k] = NULL;
	}
	return ret;
}

/* socklab exercise check N FILE [--tap] [--gradescope F...]: bad input
 * here, the grading in exercise/check.c, the criteria printed here, the
 * platforms' files drawn by render/gradebook.c.  FILE may be a directory
 * holding the one source (a platform's submission directory). */
static int check(const struct exercise *e, const char *path, const struct exopts *o)
{
	static struct batch_sub sub;
	struct batch one = { .v = &sub, .n = 1, .cap = 1 };
	struct exercise_check *c = &sub.c;
	const char *file = sub.file;
	struct outs w;
	struct stat sb;
	size_t len;
	int bad = 0, python, ret;
	long t0 = proc_now_ms();

	snprintf(sub.student, sizeof sub.student, "%s", path);
	if (stat(path, &sb) < 0)
		return cmd_usage_error(&cmd_exercise_entry, "%s: %s", path, strerror(errno));
	if (outs_open(&w, o))
		return CMD_USAGE;
	/* a directory without its one source, or a machine that cannot
	 * grade: not graded, and the platform's file says why */
	if (!S_ISDIR(sb.st_mode))
		snprintf(sub.file, sizeof sub.file, "%s", path);
	else
		batch_source_in(path, e->number, sub.file, sizeof sub.file, sub.why, sizeof sub.why);
	len = strlen(file);
	python = len > 3 && strcmp(file + len - 3, ".py") == 0;
	if (sub.why[0])
		;
	else if (!python && !grader_have_cc())
		snprintf(sub.why, sizeof sub.why, _("no C compiler: cc is not on PATH (Debian: apt-get "
			 "install gcc libc6-dev)"));
	else if (python && !grader_have_python())
		snprintf(sub.why, sizeof sub.why, _("no python3 to run %s (Debian: apt-get install "
			 "python3; SOCKLAB_PYTHON names another)"), file);
	else if (stat(file, &sb) < 0)
		snprintf(sub.why, sizeof sub.why, "%s: %s", file, strerror(errno));
	else if (!S_ISREG(sb.st_mode) || len < 3 || (!python && strcmp(file + len - 2, ".c") != 0))
		snprintf(sub.why, sizeof sub.why, _("%s: not a C or Python file (FILE.c, FILE.py)"), file);
	else if (exercise_check(e, file, c) < 0)
		snprintf(sub.why, sizeof sub.why, "%s", c->why[0] ? c->why : _("the grading failed"));
	else
		sub.graded = 1;
	sub.ms = proc_now_ms() - t0;
	if (!sub.graded) {
		ret = cmd_usage_error(&cmd_exercise_entry, "%s", sub.why);
		outs_write(&w, e, &one);
		return ret;
	}
	if (!c->res[0].ok && !o->tap)
		fputs(c->compiler, stdout);
	report(c, e, o->tap);
	for (int i = 0; i < c->n; i++)
		bad |= !c->res[i].ok;
	if ((ret = outs_write(&w, e, &one)) != CMD_OK)
		return ret;
	return bad ? CMD_FAILED : CMD_OK;
}

/* ---- grade: a class ------------------------------------------------------ */

/* "grading 12 of 40" on a terminal's stderr, redrawn in place */
static void progress(size_t done, size_t n, void *arg)
{
	(void)arg;
	fputc('\r', stderr);
	fprintf(stderr, _("grading: %zu of %zu graded"), done, n);
	if (done == n)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

static int grade(const struct exercise *e, char **paths, const struct exopts *o)
{
	static struct batch b;
	struct outs w;
	char err[600];
	int ret;

	for (char **p = paths; *p; p++)
		if (batch_collect(&b, e->number, *p, err, sizeof err) < 0) {
			batch_free(&b);
			return cmd_usage_error(&cmd_exercise_entry, "%s", err);
		}
	if (b.n == 0) {
		batch_free(&b);
		return cmd_usage_error(&cmd_exercise_entry, "no submissions in %s%s", paths[0],
				       paths[1] ? "..." : "");
	}
	if (outs_open(&w, o)) {
		batch_free(&b);
		return CMD_USAGE;
	}
	proc_catch_stop();	/* a stop ends the workers, and us after them */
	if (batch_grade(e, &b, (int)o->jobs, isatty(STDERR_FILENO) ? progress : NULL, NULL) < 0) {
		int err = errno, sig = proc_stop_signal();

		if (isatty(STDERR_FILENO))
			fputs("\r\033[K", stderr);
		batch_free(&b);
		outs_close(&w);
		if (sig) {
			fprintf(stderr, _("socklab exercise: stopped by %s; nothing is printed\n"),
				strsignal(sig));
			return 128 + sig;
		}
		return cmd_usage_error(&cmd_exercise_entry, "cannot grade: %s", strerror(err));
	}
	ret = outs_write(&w, e, &b);
	if (o->format == OPT_CSV)
		gradebook_csv(stdout, e, &b);
	else if (o->format == OPT_JSON)
		gradebook_json(stdout, e, &b);
	else
		gradebook_roster(stdout, e, &b, o->format == OPT_MARKDOWN);
	if (ret == CMD_OK && batch_ungradable(&b))
		ret = CMD_FAILED;
	batch_free(&b);
	return ret;
}

/* ---- the subcommands ----------------------------------------------------- */

static int sub_list(const struct exercise *e, char **rest, const struct exopts *o)
{
	(void)e, (void)rest, (void)o;
	return list();
}

static int sub_show(const struct exercise *e, char **rest, const struct exopts *o)
{
	/* TRANSLATORS: the file holding an exercise's task in your language,
	 * beside README.md (exercises/NN-slug/README.zh_CN.md) */
	const char *text = exercise_file(e, _("README.md"));

	(void)rest, (void)o;
	if (text == NULL)	/* no task text in the reader's language */
		text = exercise_file(e, "README.md");
	if (text == NULL)
		return cmd_usage_error(&cmd_exercise_entry, "exercise %02d has no task text", e->number);
	fputs(text, stdout);
	printf(_("\n## Points\n\n"));
	for (int i = 0; i < e->criteria; i++)
		printf("%s%d", i ? " + " : "", exercise_points(e, i));
	printf(_(" = %d: criterion by criterion, in the order `socklab exercise check %d` "
	       "prints them\n"), exercise_max_points(e), e->number);
	return CMD_OK;
}

static int sub_start(const struct exercise *e, char **rest, const struct exopts *o)
{
	return start(e, rest[0] ? rest[0] : ".", o->python);
}

static int sub_check(const struct exercise *e, char **rest, const struct exopts *o)
{
	return check(e, rest[0], o);
}

static int sub_grade(const struct exercise *e, char **rest, const struct exopts *o)
{
	return grade(e, rest, o);
}

static int sub_package(const struct exercise *e, char **rest, const struct exopts *o)
{
	char written[1024], err[600];
	const char *dir = o->gradescope ? o->gradescope : o->prairielearn;

	(void)rest;
	if (dir == NULL || (o->gradescope && o->prairielearn))
		return cmd_usage_error(&cmd_exercise_entry, "package N wants one of --gradescope DIR "
				       "or --prairielearn DIR");
	if (make_dirs(dir) < 0)
		return cmd_usage_error(&cmd_exercise_entry, "%s: %s", dir, strerror(errno));
	if (package_write(e, o->gradescope ? PACKAGE_GRADESCOPE : PACKAGE_PRAIRIELEARN, dir,
			  written, sizeof written, err, sizeof err) < 0)
		return cmd_usage_error(&cmd_exercise_entry, "%s", err);
	fputs(written, stdout);
	printf(_("beside them, socklab's source as socklab-src.tar.gz (make %s N=%d makes the "
	       "whole bundle); docs/grading.md has the steps\n"),
	       o->gradescope ? "gradescope" : "prairielearn", e->number);
	return CMD_OK;
}

/* Which options each subcommand takes */
#define O(x) (1u << ((x) - OPT_TAP))
#define O_JOBS (1u << 15)

/* All but list take N (an exercise) first, then from `min` to `max`
 * words more (rest[], NULL-terminated; max -1: any). */
static const struct sub {
	const char *name;
	const char *usage;
	int number, min, max;
	unsigned opts;
	int (*run)(const struct exercise *e, char **rest, const struct exopts *o);
} subs[] = {
	{ "list", "list", 0, 0, 0, 0, sub_list },
	{ "show", "show N", 1, 0, 0, 0, sub_show },
	{ "start", "start N [DIR] [--python]", 1, 0, 1, O(OPT_PYTHON), sub_start },
	{ "check", "check N FILE.c|FILE.py|DIR [--tap] [--gradescope F|--prairielearn F|--junit F]",
	  1, 1, 1, O(OPT_TAP) | O(OPT_GRADESCOPE) | O(OPT_PRAIRIELEARN) | O(OPT_JUNIT), sub_check },
	{ "grade", "grade N PATH... [-j N] [--csv|--json|--markdown] [--junit F]", 1, 1, -1,
	  O_JOBS | O(OPT_CSV) | O(OPT_JSON) | O(OPT_MARKDOWN) | O(OPT_JUNIT), sub_grade },
	{ "package", "package N --gradescope DIR|--prairielearn DIR", 1, 0, 0,
	  O(OPT_GRADESCOPE) | O(OPT_PRAIRIELEARN), sub_package },
};

/* The options of a into *o, each checked against what sub takes: 0, or
 * CMD_USAGE after one line. */
static int read_opts(const struct cmd_args *a, const struct sub *sub, struct exopts *o)
{
	const struct cmd_entry *self = a->cmd;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	o->jobs = cpus > 64 ? 64 : cpus > 0 ? cpus : 1;
	CMD_FOR_OPTS(a, opt) {
		unsigned bit = opt->opt == OPT_JOBS ? O_JOBS : O(opt->opt);

		if (!(sub->opts & bit)) {
			char with[64] = "";

			for (size_t k = 0; k < sizeof subs / sizeof subs[0]; k++)
				if (subs[k].opts & bit)
					snprintf(with + strlen(with), sizeof with - strlen(with),
						 "%s%s", with[0] ? _(" and ") : "", subs[k].name);
			return cmd_usage_error(self, "%s goes with %s, not '%s'", opt->name, with,
					       sub->name);
		}
		switch (opt->opt) {
		case OPT_TAP:
			if (opt->end != a->words)
				return cmd_usage_error(self, "--tap goes last, after 'check N FILE.c'");
			o->tap = 1;
			break;
		case OPT_PYTHON:
			o->python = 1;
			break;
		case OPT_JOBS:
			if (cmd_opt_long(a, opt, 1, 64, "a number of jobs from 1 to 64", &o->jobs))
				return CMD_USAGE;
			break;
		case OPT_CSV:
		case OPT_JSON:
		case OPT_MARKDOWN:
			if (o->format && o->format != opt->opt)
				return cmd_usage_error(self, "one of --csv, --json, --markdown");
			o->format = opt->opt;
			break;
		case OPT_JUNIT:
			o->junit = opt->arg;
			break;
		case OPT_GRADESCOPE:
			o->gradescope = opt->arg;
			break;
		case OPT_PRAIRIELEARN:
			o->prairielearn = opt->arg;
			break;
		}
	}
	return 0;
}

static int cmd_exercise(const struct cmd_args *a)
{
	const struct cmd_entry *self = a->cmd;
	const struct sub *sub = NULL;
	const struct exercise *e = NULL;
	struct exopts o = { 0 };
	int words;

	if (a->argc == 0)
		return cmd_usage_error(self, _("list, show N, start N [DIR], check N FILE, grade N "
				       "PATH... or package N"));
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(a->argv[0], subs[i].name) == 0)
			sub = &subs[i];
	if (sub == NULL)
		return cmd_usage_error(self, "unknown subcommand '%s' (list, show, start, check, "
				       "grade, package)", a->argv[0]);
	if (read_opts(a, sub, &o))
		return CMD_USAGE;
	words = a->argc - 1 - sub->number;	/* after the name and N */
	if (sub->max >= 0 && words > sub->max)
		return cmd_usage_error(self, "unexpected argument '%s' (usage: %s)",
				       a->argv[a->argc - words + sub->max], sub->usage);
	if (words < sub->min || a->argc - 1 < sub->number)
		return cmd_usage_error(self, "usage: %s", sub->usage);
	if (sub->number && (e = find_or_fail(a->argv[1])) == NULL)
		return CMD_USAGE;
	return sub->run(e, a->argv + 1 + sub->number, &o);
}

const struct cmd_entry cmd_exercise_entry = {
	.name = "exercise",
	.usage = "list | show|start|check|grade|package N ...",
	.summary = N_("tasks with starter code, graded against the kernel in a sandbox"),
	.help = help,
	.args = { .options = options, .shortopts = shortopts, .max = CMD_ANY },
	.exec = cmd_exercise,
};
