/* batch.c — a class's submissions, found and graded side by side
 * (batch.h).
 *
 *   socklab ──proc_jobs──▶ worker i: exercise_check(submission i) into
 *                          v[i], a page of a shared mapping
 *           ◀── in order ── done(i): a worker that died says so in v[i]
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "batch.h"
#include "grader.h"
#include "proc/proc.h"

static int has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n > k && strcmp(name + n - k, suffix) == 0;
}

static int is_source(const char *name)
{
	return has_suffix(name, ".c") || has_suffix(name, ".py");
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir but "." and "..", sorted bytewise (the same order in
 * every locale): a malloc'd array of n malloc'd strings, or NULL with
 * errno. */
static char **names_in(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	char **v = NULL;
	size_t cap = 0;
	struct dirent *de;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;	/* ., .., and hidden files are not students */
		if (*n == cap) {
			char **w = realloc(v, (cap = cap ? 2 * cap : 32) * sizeof *v);

			if (w == NULL)
				goto fail;
			v = w;
		}
		if ((v[*n] = strdup(de->d_name)) == NULL)
			goto fail;
		++*n;
	}
	closedir(d);
	if (v == NULL && (v = malloc(sizeof *v)) == NULL)
		return NULL;
	qsort(v, *n, sizeof *v, by_name);
	return v;
fail:
	closedir(d);
	for (size_t i = 0; i < *n; i++)
		free(v[i]);
	free(v);
	errno = ENOMEM;
	return NULL;
}

static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int batch_source_in(const char *dir, int number, char *file, size_t len, char *why, size_t wlen)
{
	char mine[2][16], list[256] = "";
	size_t n, found = 0, named = 0, at = 0;
	char **names = names_in(dir, &n);
	const char *only = NULL, *pick = NULL;

	if (names == NULL) {
		snprintf(why, wlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(mine[0], sizeof mine[0], "ex%02d.c", number);
	snprintf(mine[1], sizeof mine[1], "ex%02d.py", number);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (!is_source(names[i]) || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		only = names[i];
		found++;
		if (strcmp(names[i], mine[0]) == 0 || strcmp(names[i], mine[1]) == 0) {
			pick = names[i];
			named++;
		}
		if (at < sizeof list)
			at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", at ? ", " : "",
					       names[i]);
	}
	/* one source, or of several the one named exNN (and not both of them) */
	if (found == 1)
		pick = only;
	else if (named != 1)
		pick = NULL;
	if (found == 0)
		snprintf(why, wlen, "no FILE.c or FILE.py in %s", dir);
	else if (pick == NULL)
		snprintf(why, wlen, "%zu sources in %s (%s): which one? name it %s or %s", found,
			 dir, list, mine[0], mine[1]);
	else
		snprintf(file, len, "%s/%s", dir, pick);
	free_names(names, n);
	return pick ? 0 : -1;
}

static struct batch_sub *add(struct batch *b, const char *student)
{
	struct batch_sub *s;

	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 64;
		struct batch_sub *v = realloc(b->v, cap * sizeof *v);

		if (v == NULL)
			return NULL;
		b->v = v;
		b->cap = cap;
	}
	s = &b->v[b->n++];
	memset(s, 0, sizeof *s);
	snprintf(s->student, sizeof s->student, "%s", student);
	return s;
}

/* name without its .c or .py */
static void student_of(char *buf, size_t len, const char *name)
{
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	size_t n = strlen(base);

	if (has_suffix(base, ".py"))
		n -= 3;
	else if (has_suffix(base, ".c"))
		n -= 2;
	snprintf(buf, len, "%.*s", (int)n, base);
}

/* One entry: a file (a source, or something else reported) or a
 * directory holding one source.  The same source reached twice (a PATH
 * given twice) is graded once. */
static int add_entry(struct batch *b, int number, const char *path, const char *name)
{
	struct batch_sub one, *s;
	struct stat st;
	int found = stat(path, &st) == 0, err = errno;

	memset(&one, 0, sizeof one);
	if (found && S_ISDIR(st.st_mode)) {
		snprintf(one.student, sizeof one.student, "%s", name);
		batch_source_in(path, number, one.file, sizeof one.file, one.why, sizeof one.why);
	} else {
		student_of(one.student, sizeof one.student, name);
		if (!found)
			snprintf(one.why, sizeof one.why, "%s: %s", path, strerror(err));
		else if (!S_ISREG(st.st_mode) || !is_source(name))
			snprintf(one.why, sizeof one.why, "%s: not a C or Python file (FILE.c, "
				 "FILE.py)", path);
		else
			snprintf(one.file, sizeof one.file, "%s", path);
	}
	for (size_t i = 0; i < b->n; i++) {
		if (one.file[0] && strcmp(b->v[i].file, one.file) == 0)
			return 0;	/* the same source twice: graded once */
		if (strcmp(b->v[i].student, one.student) == 0) {
			/* two PATHs naming the same student: this one is named by its path */
			if (!one.file[0] && strcmp(b->v[i].why, one.why) == 0)
				return 0;
			snprintf(one.student, sizeof one.student, "%s", path);
		}
	}
	if ((s = add(b, one.student)) == NULL)
		return -1;
	*s = one;
	return 0;
}

int batch_collect(struct batch *b, int number, const char *path, char *err, size_t len)
{
	struct stat st;
	char **names;
	size_t n;
	int ret = 0;

	if (stat(path, &st) < 0) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (!S_ISREG(st.st_mode) || !is_source(path)) {
			snprintf(err, len, "%s: not a C or Python file (FILE.c, FILE.py) nor a "
				 "directory of them", path);
			errno = EINVAL;
			return -1;
		}
		return add_entry(b, number, path, path);
	}
	if ((names = names_in(path, &n)) == NULL) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < n && ret == 0; i++) {
		char full[4096];

		snprintf(full, sizeof full, "%s%s%s", path, has_suffix(path, "/") ? "" : "/",
			 names[i]);
		ret = add_entry(b, number, full, names[i]);
	}
	free_names(names, n);
	if (ret < 0)
		snprintf(err, len, "%s: %s", path, strerror(errno));
	return ret;
}

/* ---- grading ------------------------------------------------------------- */

struct run {
	const struct exercise *e;
	struct batch *b;
	void (*progress)(size_t, size_t, void *);
	void *arg;
};

/* In worker i: grade submission i into the shared v[i]. */
static int grade_one(size_t i, void *ctx)
{
	struct run *r = ctx;
	struct batch_sub *s = &r->b->v[i];
	long t0 = proc_now_ms();
	int python = has_suffix(s->file, ".py");

	if (s->file[0] == '\0')
		return 0;	/* why says why already */
	/* a stop kills the worker as it would `exercise check` (which holds
	 * it off while its files are on disk); its sandbox dies with it */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (python && !grader_have_python())
		snprintf(s->why, sizeof s->why, "no python3 to run it (Debian: apt-get install "
			 "python3; SOCKLAB_PYTHON names another)");
	else if (!python && !grader_have_cc())
		snprintf(s->why, sizeof s->why, "no C compiler: cc is not on PATH (Debian: "
			 "apt-get install gcc libc6-dev)");
	else if (exercise_check(r->e, s->file, &s->c) < 0)
		snprintf(s->why, sizeof s->why, "%s", s->c.why[0] ? s->c.why : "the grading failed");
	else
		s->graded = 1;
	s->ms = proc_now_ms() - t0;
	return 0;
}

/* After worker i: one that died, or ended without a word, says so. */
static int told(size_t i, const char *out, size_t outlen, const char *err, size_t errlen,
		int status, void *ctx)
{
	struct run *r = ctx;
	struct batch_sub *s = &r->b->v[i];
	int line = (int)strcspn(err, "\n");

	(void)out, (void)outlen;
	if (!s->graded && s->why[0] == '\0') {
		if (WIFSIGNALED(status))
			snprintf(s->why, sizeof s->why, "the grading died (%s)%s%.*s",
				 strsignal(WTERMSIG(status)), errlen ? ": " : "", line, err);
		else
			snprintf(s->why, sizeof s->why, "the grading ended with status %d%s%.*s",
				 WEXITSTATUS(status), errlen ? ": " : "", line, err);
	} else if (s->graded && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		/* graded, then died: its results may be half written */
		s->graded = 0;
		snprintf(s->why, sizeof s->why, "the grading died after grading (%s)",
			 WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exit status");
	}
	if (r->progress)
		r->progress(i + 1, r->b->n, r->arg);
	return 0;
}

int batch_grade(const struct exercise *e, struct batch *b, int jobs,
		void (*progress)(size_t, size_t, void *), void *arg)
{
	struct run r = { e, b, progress, arg };
	size_t size = (b->n ? b->n : 1) * sizeof *b->v;
	struct batch_sub *v;
	long t0;
	int ret, err;

	/* the workers write their results where we read them */
	v = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (v == MAP_FAILED)
		return -1;
	if (b->n)
		memcpy(v, b->v, b->n * sizeof *v);
	if (!b->shared)
		free(b->v);
	else
		munmap(b->v, b->cap * sizeof *b->v);
	b->v = v;
	b->cap = b->n ? b->n : 1;
	b->shared = 1;
	t0 = proc_now_ms();
	ret = proc_jobs(b->n, jobs, grade_one, told, &r);
	err = errno;
	b->wall_ms = proc_now_ms() - t0;
	b->jobs = jobs;
	errno = err;
	return ret;
}

size_t batch_ungradable(const struct batch *b)
{
	size_t n = 0;

	for (size_t i = 0; i < b->n; i++)
		n += !b->v[i].graded;
	return n;
}

void batch_free(struct batch *b)
{
	if (b->shared)
		munmap(b->v, b->cap * sizeof *b->v);
	else
		free(b->v);
	memset(b, 0, sizeof *b);
}
