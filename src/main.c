/* main.c — socklab: see what the kernel does with ports. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <sys/stat.h>

#include "args.h"
#include "cmd.h"
#include "render/glyphs.h"
#include "sandbox/sandbox.h"
#include "version.h"

#ifndef SOCKLAB_VERSION
#error "SOCKLAB_VERSION: the Makefile takes it from debian/changelog"
#endif

static const struct cmd_entry *const cmds[] = {
	&cmd_list_entry,
	&cmd_run_entry,
	&cmd_check_entry,
	&cmd_watch_entry,
	&cmd_dash_entry,
	&cmd_explain_entry,
	&cmd_why_entry,
	&cmd_matrix_entry,
	&cmd_exercise_entry,
	NULL
};

int cmd_usage_error(const struct cmd_entry *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "socklab%s%s: ", cmd ? " " : "", cmd ? cmd->name : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CMD_USAGE;
}

void cmd_print_help(const struct cmd_entry *cmd, FILE *f)
{
	fprintf(f, "usage: socklab %s%s%s\n%s\n", cmd->name, *cmd->usage ? " " : "", cmd->usage,
		cmd->summary);
	if (cmd->help && *cmd->help)
		fprintf(f, "\n%s", cmd->help);
}

const char *cmd_lab_path_error(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return strerror(errno);
	if (!S_ISREG(st.st_mode))
		return "not a regular file (a lab executable is expected)";
	if (access(path, X_OK) < 0)
		return strerror(errno);
	return NULL;
}

int cmd_netns_option(const struct cmd_entry *cmd, int of_pid, const char *arg,
		     const char **netns, char *path, size_t len)
{
	long pid;

	if (*netns)
		return cmd_usage_error(cmd, "one namespace at a time (--netns or --netns-of)");
	if (of_pid) {
		if (args_int(arg, 1, 4194304, &pid) < 0)
			return cmd_usage_error(cmd, "--netns-of wants a process id, got '%s'", arg);
		snprintf(path, len, "/proc/%ld/ns/net", pid);
	} else if (*arg == '\0') {
		return cmd_usage_error(cmd, "--netns wants a path (/run/netns/NAME), got ''");
	} else if ((size_t)snprintf(path, len, "%s", arg) >= len) {
		return cmd_usage_error(cmd, "--netns: path too long");
	}
	*netns = arg;
	return 0;
}

int cmd_netns_join(const struct cmd_entry *cmd, const char *path)
{
	const char *what;

	if (sandbox_join(path, &what) == 0)
		return 0;
	if (errno == EINVAL && strcmp(what, "setns") == 0)	/* opened, but of another kind */
		return cmd_usage_error(cmd, "%s is not a network namespace (/run/netns/NAME or "
				       "/proc/PID/ns/net)", path);
	if (errno == EPERM && strcmp(what, "setns") == 0)
		return cmd_usage_error(cmd, "setns %s: %s (joining a namespace needs CAP_SYS_ADMIN "
				       "over it: root)", path, strerror(errno));
	return cmd_usage_error(cmd, "%s %s: %s", what, path, strerror(errno));
}

int cmd_use_color(int fd)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(fd) && (nc == NULL || *nc == '\0');
}

static const struct cmd_entry *cmd_find(const char *name)
{
	for (const struct cmd_entry *const *c = cmds; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: socklab COMMAND [ARGS]\n"
		"socklab shows what the Linux kernel does with ports: numbered labs bind,\n"
		"send and fail for real, in a private network namespace.\n\ncommands:\n");
	/* the usage on the command's line, the summary under it: both fit
	 * 80 columns (summaries are at most 70) */
	for (const struct cmd_entry *const *c = cmds; *c; c++) {
		if (*(*c)->usage)
			fprintf(f, "  %-7s %s\n  %-7s %s\n", (*c)->name, (*c)->usage, "",
				(*c)->summary);
		else
			fprintf(f, "  %-7s %s\n", (*c)->name, (*c)->summary);
	}
	fprintf(f, "\n'socklab COMMAND --help' or 'socklab help COMMAND': its options.\n"
		"'socklab --version': the version, the kernel, and what works here.\n"
		"Exit status: 0 success, 1 a check or expectation failed, 2 bad input\n"
		"(man socklab, EXIT STATUS).\n");
}

/* Under a locale that is not UTF-8, what a command prints goes through
 * the glyph filter: its own marks and the texts it is handed (a lab's
 * source, titles, notes) come out in ASCII.  A full-screen command keeps
 * the real stdout: ncurses writes to its descriptor. */
static void ascii_streams(void)
{
	FILE *f;

	if (glyphs_utf8())
		return;
	if ((f = glyphs_stream(stdout, -1)) != NULL)
		stdout = f;
	if ((f = glyphs_stream(stderr, _IONBF)) != NULL)
		stderr = f;
}

int main(int argc, char **argv)
{
	glyphs_init();
	if (argc < 2) {
		/* on a terminal: the dashboard at the lab picker */
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			return cmd_dash_entry.exec(1, (char *[]){ "dash", NULL });
		ascii_streams();
		fprintf(stderr, "socklab: no terminal, so here is the list; on a terminal "
			"'socklab' (or 'socklab dash') opens the dashboard\n");
		return cmd_list_entry.exec(1, (char *[]){ "list", NULL });
	}
	if (!cmd_find(argv[1]) || !cmd_find(argv[1])->screen)
		ascii_streams();
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 3 || (argc > 2 && strcmp(argv[1], "help") != 0))
			return cmd_usage_error(NULL, "%s takes no argument here: '%s' "
					       "(socklab help COMMAND, or COMMAND --help)",
					       argv[1], argv[argc > 3 ? 3 : 2]);
		if (argc > 2) {
			for (const struct cmd_entry *const *c = cmds; *c; c++)
				if (strcmp((*c)->name, argv[2]) == 0) {
					cmd_print_help(*c, stdout);
					return CMD_OK;
				}
			return cmd_usage_error(NULL, "no command '%s' (see 'socklab --help')", argv[2]);
		}
		usage(stdout);
		return CMD_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		if (argc > 2)
			return cmd_usage_error(NULL, "%s takes no argument: '%s'", argv[1], argv[2]);
		version_print(stdout, SOCKLAB_VERSION);
		return CMD_OK;
	}
	if (strcmp(argv[1], "__complete") == 0)	/* for the shell completions */
		return cmd_complete(cmds, argc - 1, argv + 1);
	for (const struct cmd_entry *const *c = cmds; *c; c++) {
		if (strcmp((*c)->name, argv[1]) != 0)
			continue;
		for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
			if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
				cmd_print_help(*c, stdout);
				return CMD_OK;
			}
		return (*c)->exec(argc - 1, argv + 1);
	}
	return cmd_usage_error(NULL, "unknown command '%s' (see 'socklab --help')", argv[1]);
}
