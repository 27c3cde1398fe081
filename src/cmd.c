/* cmd.c — what every command shares: the command line parsed from its
 * entry (cmd.h), --help, the one-line errors, the lab argument, the
 * namespace options, colour, and socklab's own words (--help, help CMD). */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "args.h"
#include "cmd.h"
#include "i18n.h"
#include "runner/labbuild.h"
#include "runner/pylabs.h"
#include "runner/registry.h"
#include "render/glyphs.h"
#include "sandbox/sandbox.h"

int cmd_usage_error(const struct cmd_entry *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "socklab%s%s: ", cmd ? " " : "", cmd ? cmd->name : "");
	va_start(ap, fmt);
	vfprintf(stderr, i18n_tr(fmt), ap);	/* po/extract.sh extracts fmt */
	va_end(ap);
	fputc('\n', stderr);
	return CMD_USAGE;
}

void cmd_print_help(const struct cmd_entry *cmd, FILE *f)
{
	fprintf(f, _("usage: socklab %s%s%s\n%s\n"), cmd->name, *cmd->usage ? " " : "", cmd->usage,
		i18n_tr(cmd->summary));
	if (cmd->help && *cmd->help)
		fprintf(f, "\n%s%s%s", i18n_tr(cmd->help), cmd->help_more ? i18n_tr(cmd->help_more) : "",
			cmd->help_end ? i18n_tr(cmd->help_end) : "");
}

int cmd_use_color(int fd)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(fd) && (nc == NULL || *nc == '\0');
}

const struct cmd_entry *cmd_find(const struct cmd_entry *const *cmds, const char *name)
{
	for (const struct cmd_entry *const *c = cmds; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

/* ---- the command line ------------------------------------------------- */

/* --help or -h anywhere before "--", even as another option's value:
 * whatever else is wrong, the user asked for the help. */
static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

/* getopt_long's answer opt (longindex, or a short letter) into o. */
static void opt_set(struct cmd_opt *o, const struct option *table, int opt, int longindex)
{
	o->opt = opt;
	o->arg = optarg;
	o->end = optind;
	if (longindex >= 0)
		snprintf(o->name, sizeof o->name, "--%s", table[longindex].name);
	else
		snprintf(o->name, sizeof o->name, "-%c", opt);
}

/* The options into opts[], the operands after them; 0, or CMD_USAGE
 * after one line. */
static int parse(const struct cmd_entry *cmd, int argc, char **argv, struct cmd_args *a,
		 struct cmd_opt *opts)
{
	const struct cmd_args_spec *s = &cmd->args;
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	const struct option *table = s->options ? s->options : none;
	char shortopts[64];
	int opt, longindex, operands;

	/* ':' first: a missing value is told apart from an unknown option */
	snprintf(shortopts, sizeof shortopts, ":%s", s->shortopts ? s->shortopts : "");
	opterr = 0;
	optind = 0;	/* glibc: start afresh (another command line may have come before) */
	for (longindex = -1; (opt = getopt_long(argc, argv, shortopts, table, &longindex)) != -1;
	     longindex = -1) {
		if (opt == ':')
			return cmd_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
		if (opt == '?') {
			char shortname[3] = { '-', (char)optopt, '\0' };

			return cmd_usage_error(cmd, "unknown option '%s' (see 'socklab %s --help')",
					       optopt > ' ' && optopt < 127 ? shortname :
					       argv[optind - 1], cmd->name);
		}
		opt_set(&opts[a->nopts++], table, opt, longindex);
	}
	operands = argc - optind;
	if (s->max != CMD_ANY && operands > s->max) {
		if (s->max == 0)
			return cmd_usage_error(cmd, "takes no arguments, got '%s'", argv[optind]);
		return cmd_usage_error(cmd, "one %s at a time, got '%s' too",
				       s->operand ? i18n_tr(s->operand) : _("argument"), argv[optind + s->max]);
	}
	a->argv = argv + optind;
	a->argc = operands;
	return 0;
}

int cmd_exec(const struct cmd_entry *cmd, int argc, char **argv)
{
	struct cmd_args a = { .cmd = cmd, .words = argc };
	struct cmd_opt *opts;
	int ret;

	if (wants_help(argc, argv)) {
		cmd_print_help(cmd, stdout);
		return CMD_OK;
	}
	if ((opts = calloc((size_t)argc, sizeof *opts)) == NULL) {
		fprintf(stderr, "socklab %s: %s\n", cmd->name, strerror(errno));
		return CMD_USAGE;
	}
	a.opts = opts;
	ret = parse(cmd, argc, argv, &a, opts);
	if (ret == 0)
		ret = cmd->exec(&a);
	free(opts);
	return ret;
}

int cmd_opt_long(const struct cmd_args *a, const struct cmd_opt *o, long lo, long hi,
		 const char *what, long *out)
{
	if (args_int(o->arg, lo, hi, out) < 0)
		return cmd_usage_error(a->cmd, "%s wants %s, got '%s'", o->name, i18n_tr(what),
				       o->arg ? o->arg : "");
	return 0;
}

/* ---- the lab argument ------------------------------------------------- */

/* NULL when path names an executable regular file (a lab executable),
 * else why not ("No such file or directory", "not a regular file", ...). */
static const char *lab_path_error(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return strerror(errno);
	if (!S_ISREG(st.st_mode))
		return _("not a regular file (a lab executable is expected)");
	if (pylabs_is_script(path))	/* a Python lab: the interpreter runs it */
		return access(path, R_OK) < 0 ? strerror(errno) : NULL;
	if (access(path, X_OK) < 0)
		return strerror(errno);
	return NULL;
}

/* what one range may name at the most (there are fewer labs) */
#define CMD_LABS_MAX 64

int cmd_lab_arg(const struct cmd_entry *cmd, const char *arg, int ranges,
		struct cmd_lab *out, size_t max, size_t *n)
{
	const struct lab_info *found[CMD_LABS_MAX];
	size_t nfound = 0, room = max - *n < CMD_LABS_MAX ? max - *n : CMD_LABS_MAX;

	if (labbuild_is_source(arg)) {
		/* a lab's C source: built as README's one-liner builds one */
		static char exes[4][4096];
		static int nexes;
		char why[256];

		if (nexes == 4 || *n == max)
			return cmd_usage_error(cmd, "more than %d lab sources", nexes);
		if (labbuild_build(arg, exes[nexes], sizeof exes[0], why, sizeof why) < 0)
			return cmd_usage_error(cmd, "%s: does not build: %s", arg, why);
		out[(*n)++] = (struct cmd_lab){ NULL, exes[nexes++] };
		return 0;
	}
	if (strchr(arg, '/') || pylabs_is_script(arg)) {
		const char *why = lab_path_error(arg);

		if (why)
			return cmd_usage_error(cmd, "%s: %s", arg, why);
		if (*n == max)
			return cmd_usage_error(cmd, "more than %zu labs", max);
		out[(*n)++] = (struct cmd_lab){ NULL, arg };
		return 0;
	}
	if (!ranges) {
		if ((found[0] = registry_find(arg)) == NULL)
			return cmd_usage_error(cmd, "no lab '%s' (see 'socklab list')", arg);
		nfound = 1;
	} else if (registry_select(arg, found, room, &nfound) < 0) {
		if (errno == EINVAL)
			return cmd_usage_error(cmd, "'%s' is not a lab number, range (1-7) or name", arg);
		if (errno == E2BIG)
			return cmd_usage_error(cmd, "more than %zu labs", max);
		return cmd_usage_error(cmd, "no lab '%s' (see 'socklab list')", arg);
	}
	if (max - *n < nfound)
		return cmd_usage_error(cmd, "more than %zu labs", max);
	for (size_t k = 0; k < nfound; k++)
		out[(*n)++] = (struct cmd_lab){ found[k], NULL };
	return 0;
}

/* ---- network namespaces (watch, why) ---------------------------------- */

int cmd_netns_parse(const struct cmd_args *a, const char **netns, char *path, size_t len)
{
	long pid;

	*netns = NULL;
	CMD_FOR_OPTS(a, o) {
		if (o->opt != CMD_OPT_NETNS && o->opt != CMD_OPT_NETNS_OF)
			continue;
		if (*netns)
			return cmd_usage_error(a->cmd, "one namespace at a time (--netns or --netns-of)");
		if (o->opt == CMD_OPT_NETNS_OF) {
			if (cmd_opt_long(a, o, 1, 4194304, "a process id", &pid))
				return CMD_USAGE;
			snprintf(path, len, "/proc/%ld/ns/net", pid);
		} else if (*o->arg == '\0') {
			return cmd_usage_error(a->cmd, "--netns wants a path (/run/netns/NAME), got ''");
		} else if ((size_t)snprintf(path, len, "%s", o->arg) >= len) {
			return cmd_usage_error(a->cmd, "--netns: path too long");
		}
		*netns = o->arg;
	}
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

/* ---- socklab's own words ---------------------------------------------- */

/* Under a locale that is not UTF-8, what a command prints goes through
 * the glyph filter: its own marks and the texts it is handed (a lab's
 * source, titles, notes) come out in ASCII.  A full-screen command keeps
 * the real stdout: ncurses writes to its descriptor. */
void cmd_streams(const struct cmd_entry *cmd)
{
	FILE *f;

	if ((cmd && cmd->screen) || glyphs_utf8())
		return;
	if ((f = glyphs_stream(stdout, -1)) != NULL)
		stdout = f;
	if ((f = glyphs_stream(stderr, _IONBF)) != NULL)
		stderr = f;
}

static void usage(const struct cmd_entry *const *cmds, FILE *f)
{
	fputs(_("usage: socklab COMMAND [ARGS]\n"
		"socklab shows what the Linux kernel does with ports: numbered labs bind,\n"
		"send and fail for real, in a private network namespace.\n\ncommands:\n"), f);
	/* the usage on the command's line, the summary under it: both fit
	 * 80 columns (summaries are at most 70) */
	for (const struct cmd_entry *const *c = cmds; *c; c++) {
		if (*(*c)->usage)
			fprintf(f, "  %-7s %s\n  %-7s %s\n", (*c)->name, (*c)->usage, "",
				i18n_tr((*c)->summary));
		else
			fprintf(f, "  %-7s %s\n", (*c)->name, i18n_tr((*c)->summary));
	}
	fputs(_("\n'socklab COMMAND --help' or 'socklab help COMMAND': its options.\n"
		"'socklab --version': the version, the kernel, and what works here.\n"
		"Exit status: 0 success, 1 a check or expectation failed, 2 bad input\n"
		"(man socklab, EXIT STATUS).\n"), f);
}

int cmd_help(const struct cmd_entry *const *cmds, int argc, char **argv)
{
	const struct cmd_entry *c;

	if (strcmp(argv[0], "--help") != 0 && strcmp(argv[0], "-h") != 0 &&
	    strcmp(argv[0], "help") != 0)
		return cmd_usage_error(NULL, "unknown command '%s' (see 'socklab --help')", argv[0]);
	if (argc > 2 || (argc > 1 && strcmp(argv[0], "help") != 0))
		return cmd_usage_error(NULL, "%s takes no argument here: '%s' "
				       "(socklab help COMMAND, or COMMAND --help)",
				       argv[0], argv[argc > 2 ? 2 : 1]);
	if (argc == 1) {
		usage(cmds, stdout);
		return CMD_OK;
	}
	if ((c = cmd_find(cmds, argv[1])) == NULL)
		return cmd_usage_error(NULL, "no command '%s' (see 'socklab --help')", argv[1]);
	cmd_print_help(c, stdout);
	return CMD_OK;
}
