/* pylabs.c — the Python labs' table, where their files are, and how the
 * runner starts one (pylabs.h).  Their slug and summary are repeated
 * here for `socklab list`; tests/cli/pylabs.bats holds each to the lab()
 * call of the script itself. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pylabs.h"
#include "registry.h"

#ifndef SOCKLAB_SRCDIR
#define SOCKLAB_SRCDIR "."
#endif

static const struct lab_info pylabs[] = {
	{ 2, "implicit-bind-py", "The implicit bind, in Python",
	  "The first sendto() binds an ephemeral port; bind() afterwards raises EINVAL",
	  "02py-implicit-bind.py", NULL },
	{ 4, "addr-in-use-py", "Address already in use, in Python",
	  "Two sockets, one port: the second bind raises EADDRINUSE", "04py-addr-in-use.py", NULL },
	{ 5, "reuse-one-side-py", "SO_REUSEADDR on one side only, in Python",
	  "Reuse needs the consent of the socket already there", "05py-reuse-one-side.py", NULL },
	{ 6, "reuse-both-sides-py", "SO_REUSEADDR on both sides, in Python",
	  "Both sockets agree: the port is shared", "06py-reuse-both-sides.py", NULL },
	{ 7, "the-story-py", "The story in Python: server and client on one port",
	  "listenUDP's way fails, listenMultiple's works; where the reply lands",
	  "07py-the-story.py", NULL },
	{ 7, "the-story-tw", "The story on Twisted: listenUDP and listenMultiple",
	  "reactor.listenUDP blocks the client; listenMulticast(listenMultiple=True) shares",
	  "07tw-the-story.py", NULL },
};

void pylabs_register(void)
{
	for (size_t i = 0; i < sizeof pylabs / sizeof pylabs[0]; i++)
		registry_add(&pylabs[i]);
}

int pylabs_is_python(const struct lab_info *lab)
{
	return lab && !lab->main && lab->file;
}

int pylabs_is_script(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n > 3 && strcmp(path + n - 3, ".py") == 0;
}

static int has_runtime(const char *dir)
{
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/socklab_lab.py", dir);
	return access(path, R_OK) == 0;
}

int pylabs_dir(char *buf, size_t len)
{
	const char *env = getenv("SOCKLAB_PYLABS");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return has_runtime(buf) ? 0 : -1;
	}
	/* installed: PREFIX/bin/socklab and PREFIX/share/socklab/py, first:
	 * an installed socklab uses its own copy, not the tree it came from */
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(buf, len, "%s/../share/socklab/py", exe);
			if (has_runtime(buf))
				return 0;
		}
	}
	/* run from its build: the source tree's */
	snprintf(buf, len, "%s/labs/py", SOCKLAB_SRCDIR);
	return has_runtime(buf) ? 0 : -1;
}

int pylabs_available(char *why, size_t len)
{
	const char *py = pylabs_python(), *path = getenv("PATH");
	char dir[PATH_MAX];

	if (pylabs_dir(dir, sizeof dir) < 0) {
		snprintf(why, len, "the Python labs' runtime (socklab_lab.py) is not here "
			 "(SOCKLAB_PYLABS names its directory)");
		return 0;
	}
	if (strchr(py, '/')) {
		if (access(py, X_OK) == 0)
			return 1;
	} else {
		for (path = path && *path ? path : "/usr/bin:/bin"; *path;) {
			size_t n = strcspn(path, ":");

			snprintf(dir, sizeof dir, "%.*s/%s", (int)n, n ? path : ".", py);
			if (access(dir, X_OK) == 0)
				return 1;
			path += n + (path[n] == ':');
		}
	}
	snprintf(why, len, "no %s here to run the Python labs (SOCKLAB_PYTHON names one)", py);
	return 0;
}

const char *pylabs_python(void)
{
	const char *env = getenv("SOCKLAB_PYTHON");

	if (env && *env)
		return env;
	return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

void pylabs_exec(const struct lab_info *lab, const char *path)
{
	char dir[PATH_MAX], script[PATH_MAX + 64];
	const char *py = pylabs_python();

	if (pylabs_dir(dir, sizeof dir) < 0) {
		errno = ENOENT;
		return;
	}
	if (lab)
		snprintf(script, sizeof script, "%s/%s", dir, lab->file);
	else
		snprintf(script, sizeof script, "%s", path);
	/* a user's lab anywhere imports the runtime from there; -B: no
	 * __pycache__ written beside an installed lab */
	{
		const char *had = getenv("PYTHONPATH");
		char path[2 * PATH_MAX];

		/* first, and the lab author's own modules after it */
		snprintf(path, sizeof path, "%s%s%s", dir, had && *had ? ":" : "",
			 had && *had ? had : "");
		setenv("PYTHONPATH", path, 1);
	}
	setenv("PYTHONDONTWRITEBYTECODE", "1", 1);
	execlp(py, py, "-B", script, (char *)NULL);
}
