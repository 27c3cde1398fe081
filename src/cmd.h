/* cmd.h — one entry per subcommand (src/cmd_*.c), as tmux's cmd_entry: its
 * name, its help, the options and operands it takes, and its exec.  main.c
 * dispatches from the table; cmd_exec() parses the command line from the
 * entry once, for every command the same way (--help and -h print the
 * help, an unknown option, a missing value or one operand too many is one
 * line on stderr and exit 2), and hands exec what it found.  exec is glue:
 * it reads the options, checks their values and conflicts, does its work
 * and chooses the exit status. */
#ifndef SOCKLAB_CMD_H
#define SOCKLAB_CMD_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

struct lab_info;

#define CMD_ANY (-1)	/* cmd_args_spec.max: no limit */

/* What a command takes.  `socklab __complete options CMD` prints the
 * options, so the shell completions (completions/) offer exactly these. */
struct cmd_args_spec {
	const struct option *options;	/* getopt_long's table, NULL-terminated; or NULL */
	const char *shortopts;		/* getopt's short options ("46"); or NULL */
	int max;			/* operands at most (0 by default), or CMD_ANY */
	const char *operand;		/* max 1: what it is ("lab": "one lab at a time") */
};

/* One option as given, in command-line order. */
struct cmd_opt {
	int opt;		/* the table's val, or the short option's letter */
	const char *arg;	/* its value; NULL when it takes none */
	char name[24];		/* as the table spells it: "--port", "-4" */
	int end;		/* argv index after it (and its value) */
};

/* What cmd_exec() found on the command line. */
struct cmd_args {
	const struct cmd_entry *cmd;
	const struct cmd_opt *opts;
	int nopts;
	char **argv;		/* the operands, in order (getopt moves them last) ... */
	int argc;		/* ... and how many */
	int words;		/* the command line's argc: o->end == words, o came last */
};

/* Every option of a, in order: CMD_FOR_OPTS(a, o) switch (o->opt) ... */
#define CMD_FOR_OPTS(a, o) \
	for (const struct cmd_opt *o = (a)->opts; o < (a)->opts + (a)->nopts; o++)

struct cmd_entry {
	const char *name;
	const char *usage;	/* arguments after the name */
	const char *summary;	/* one line */
	const char *help;	/* options and details, for `socklab CMD --help` */
	const char *help_more;	/* options shared with others (RUNOPTS_HELP) */
	const char *help_end;	/* after them (each part a message of its own) */
	struct cmd_args_spec args;
	int (*exec)(const struct cmd_args *a);
	int screen;		/* draws the terminal itself (ncurses): its stdout is
				 * left alone, no glyph filter (glyphs.h) */
};

extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_run_entry;
extern const struct cmd_entry cmd_check_entry;
extern const struct cmd_entry cmd_watch_entry;
extern const struct cmd_entry cmd_dash_entry;
extern const struct cmd_entry cmd_explain_entry;
extern const struct cmd_entry cmd_why_entry;
extern const struct cmd_entry cmd_matrix_entry;
extern const struct cmd_entry cmd_exercise_entry;
extern const struct cmd_entry cmd_play_entry;
extern const struct cmd_entry cmd_trace_entry;

/* Exit statuses, for every command. */
#define CMD_OK 0
#define CMD_FAILED 1	/* a check or expectation failed */
#define CMD_USAGE 2	/* bad input */

/* ---- dispatch (main.c) ------------------------------------------------ */

/* The entry called name in the NULL-terminated table, or NULL. */
const struct cmd_entry *cmd_find(const struct cmd_entry *const *cmds, const char *name);

/* Run cmd on argv[0..argc) (argv[0] its name): parse, then exec.  The
 * exit status. */
int cmd_exec(const struct cmd_entry *cmd, int argc, char **argv);

/* Before a command (cmd, or NULL for socklab's own words) prints: under a
 * locale that is not UTF-8, stdout and stderr go through the glyph filter
 * (ASCII out), unless cmd draws the screen itself. */
void cmd_streams(const struct cmd_entry *cmd);

/* socklab's own words, argv[0] the first: --help, -h, help [CMD]; else
 * "unknown command".  The exit status. */
int cmd_help(const struct cmd_entry *const *cmds, int argc, char **argv);

/* socklab __complete WHAT (cmd_complete.c): the machine-readable lists
 * the shell completions ask for at completion time.  argv[0] is
 * "__complete"; cmds the NULL-terminated command table. */
int cmd_complete(const struct cmd_entry *const *cmds, int argc, char **argv);

/* ---- for commands ----------------------------------------------------- */

/* Print "socklab CMD: message" on stderr (err(3) style) and return CMD_USAGE. */
int cmd_usage_error(const struct cmd_entry *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print the command's usage and help text to f. */
void cmd_print_help(const struct cmd_entry *cmd, FILE *f);

/* o's value, a decimal integer in [lo, hi], into *out: 0, or CMD_USAGE
 * after "socklab CMD: --port wants WHAT, got 'x'". */
int cmd_opt_long(const struct cmd_args *a, const struct cmd_opt *o, long lo, long hi,
		 const char *what, long *out);

/* A lab as the user named it: a linked lab, or a lab executable. */
struct cmd_lab {
	const struct lab_info *lab;
	const char *path;
};

/* The labs arg names, appended to out[*n..max): a number (4, 04) or a name
 * (addr-in-use); with ranges, a range too (1-7); or, when arg has a '/',
 * the path of a lab executable (an executable regular file).  0, or
 * CMD_USAGE after one line (no such lab, not executable, more than max). */
int cmd_lab_arg(const struct cmd_entry *cmd, const char *arg, int ranges,
		struct cmd_lab *out, size_t max, size_t *n);

/* --netns PATH and --netns-of PID (watch, why), for a command's table. */
enum { CMD_OPT_NETNS = 768, CMD_OPT_NETNS_OF };
#define CMD_NETNS_LONGOPTS                                                    \
	{ "netns", required_argument, NULL, CMD_OPT_NETNS },                  \
	{ "netns-of", required_argument, NULL, CMD_OPT_NETNS_OF }

/* Those two from the command line a, at most one of them once: *netns
 * keeps the argument as typed (NULL: none given), path[len] the namespace
 * to join.  0, or CMD_USAGE after one line. */
int cmd_netns_parse(const struct cmd_args *a, const char **netns, char *path, size_t len);

/* Join the network namespace at path (from cmd_netns_parse): 0, or
 * CMD_USAGE after one line (no such file, not a network namespace, not
 * permitted). */
int cmd_netns_join(const struct cmd_entry *cmd, const char *path);

/* 1 when colour may be used on fd: a terminal, and NO_COLOR unset/empty. */
int cmd_use_color(int fd);

#endif
