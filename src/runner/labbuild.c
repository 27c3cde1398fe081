/* labbuild.c — compile a lab given as a .c file (labbuild.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "labbuild.h"
#include "registry.h"

/* the runtime's files, embedded by the Makefile (RUNTIME_FILES) */
extern const struct registry_source labbuild_runtime[];

extern char **environ;

static char dir[256];	/* "" until the first build */
static pid_t owner;	/* the process that made it: the one to remove it */
/* the executables built, to remove */
static char built[16][64];
static int nbuilt;

int labbuild_is_source(const char *path)
{
	size_t n = strlen(path);

	return n > 2 && strcmp(path + n - 2, ".c") == 0;
}

/* Write text to path, making its directories. */
static int put(const char *path, const char *text)
{
	char d[PATH_MAX];
	FILE *f;
	int ok;

	snprintf(d, sizeof d, "%s", path);
	for (char *p = d + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(d, 0700) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if ((f = fopen(path, "we")) == NULL)
		return -1;
	ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* The private directory with the runtime in it, made once. */
static int prepare(char *why, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	char path[PATH_MAX];

	if (dir[0])
		return 0;
	if (snprintf(dir, sizeof dir, "%s/socklab-build-XXXXXX", tmp && *tmp ? tmp : "/tmp") >=
	    (int)sizeof dir) {
		snprintf(why, len, "TMPDIR is too long for a build directory");
		dir[0] = '\0';
		return -1;
	}
	if (!owner)
		atexit(labbuild_cleanup);
	owner = getpid();
	if (mkdtemp(dir) == NULL) {
		snprintf(why, len, "cannot make a build directory in %s: %s",
			 tmp && *tmp ? tmp : "/tmp", strerror(errno));
		dir[0] = '\0';
		return -1;
	}
	for (const struct registry_source *f = labbuild_runtime; f->file; f++) {
		snprintf(path, sizeof path, "%s/%s", dir, f->file);
		if (put(path, f->text) < 0) {
			snprintf(why, len, "cannot write %s: %s", path, strerror(errno));
			labbuild_cleanup();
			return -1;
		}
	}
	return 0;
}

/* The compiler's first line that says "error" (else its first line). */
static void first_error(const char *out, char *why, size_t len)
{
	const char *line = out, *pick = NULL;

	for (const char *p = out; *p; line = p) {
		size_t n = strcspn(p, "\n");

		if (!pick && memmem(p, n, "error", 5))
			pick = p;
		p += n + (p[n] == '\n');
	}
	(void)line;
	if (!pick)
		pick = out;
	snprintf(why, len, "%.*s", (int)strcspn(pick, "\n"), pick);
}

int labbuild_build(const char *src, char *exe, size_t exelen, char *why, size_t len)
{
	char inc[sizeof dir + 8], out[sizeof dir + 8], real[PATH_MAX], files[8][sizeof dir + 64];
	char *argv[24];
	char buf[8192];
	size_t nbuf = 0, nf = 0;
	int pipefd[2], st, argc = 0;
	posix_spawn_file_actions_t fa;
	pid_t pid;
	ssize_t k;

	if (realpath(src, real) == NULL) {
		snprintf(why, len, "%s: %s", src, strerror(errno));
		return -1;
	}
	if (prepare(why, len) < 0)
		return -1;
	snprintf(inc, sizeof inc, "-I%s/src", dir);
	{
		/* DIR/NAME: NAME the source's file name without .c */
		const char *base = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
		char name[64];
		int known = 0;

		snprintf(name, sizeof name, "%.*s", (int)(strlen(base) - 2), base);
		if (!name[0] || strcmp(name, "src") == 0)
			snprintf(name, sizeof name, "lab");
		snprintf(out, sizeof out, "%s/%s", dir, name);
		for (int i = 0; i < nbuilt; i++)
			known |= strcmp(built[i], name) == 0;
		if (!known && nbuilt < 16)
			snprintf(built[nbuilt++], sizeof built[0], "%s", name);
	}
	argv[argc++] = "cc";
	argv[argc++] = "-std=c11";
	argv[argc++] = "-D_GNU_SOURCE";
	argv[argc++] = "-Wall";
	argv[argc++] = inc;
	argv[argc++] = "-o";
	argv[argc++] = out;
	argv[argc++] = real;	/* __FILE__: where the dashboard reads the source */
	for (const struct registry_source *f = labbuild_runtime; f->file && nf < 8; f++)
		if (labbuild_is_source(f->file)) {
			snprintf(files[nf], sizeof files[nf], "%s/%s", dir, f->file);
			argv[argc++] = files[nf++];
		}
	argv[argc] = NULL;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		snprintf(why, len, "pipe: %s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	st = posix_spawnp(&pid, "cc", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (st != 0) {
		close(pipefd[0]);
		snprintf(why, len, "cannot run cc: %s (install a C compiler: apt-get install gcc)",
			 strerror(st));
		return -1;
	}
	while ((k = read(pipefd[0], buf + nbuf, sizeof buf - 1 - nbuf)) > 0 ||
	       (k < 0 && errno == EINTR))
		if (k > 0 && (nbuf += (size_t)k) == sizeof buf - 1)
			break;
	buf[nbuf] = '\0';
	close(pipefd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		first_error(buf, why, len);
		if (!why[0])
			snprintf(why, len, "cc failed");
		return -1;
	}
	snprintf(exe, exelen, "%s", out);
	return 0;
}

void labbuild_cleanup(void)
{
	char path[PATH_MAX];

	if (!dir[0] || owner != getpid())
		return;
	for (const struct registry_source *f = labbuild_runtime; f->file; f++) {
		snprintf(path, sizeof path, "%s/%s", dir, f->file);
		unlink(path);
	}
	for (int i = 0; i < nbuilt; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, built[i]);
		unlink(path);
	}
	nbuilt = 0;
	/* the directories, deepest first */
	static const char *const dirs[] = { "src/lab", "src/sandbox", "src/kver", "src", "" };
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, dirs[i]);
		rmdir(path);
	}
	dir[0] = '\0';
}
