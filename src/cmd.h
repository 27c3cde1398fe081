/* cmd.h — one entry per subcommand (src/cmd_*.c); main.c dispatches from
 * the table and builds --help from it. */
#ifndef SOCKLAB_CMD_H
#define SOCKLAB_CMD_H

#include <stdio.h>

struct option;

struct cmd_entry {
	const char *name;
	const char *usage;	/* arguments after the name */
	const char *summary;	/* one line */
	const char *help;	/* options and details, for `socklab CMD --help` */
	int (*exec)(int argc, char **argv);	/* argv[0] is the command name */
	int screen;		/* draws the terminal itself (ncurses): main() leaves
				 * its stdout alone, no glyph filter (glyphs.h) */
	/* The getopt_long table and short options ("46") the command parses
	 * with, NULL when none: `socklab __complete options CMD` prints them,
	 * so the shell completions (completions/) offer exactly these. */
	const struct option *options;
	const char *shortopts;
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

/* Exit statuses, for every command. */
#define CMD_OK 0
#define CMD_FAILED 1	/* a check or expectation failed */
#define CMD_USAGE 2	/* bad input */

/* Print "socklab CMD: message" on stderr (err(3) style) and return CMD_USAGE. */
int cmd_usage_error(const struct cmd_entry *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print the command's usage and help text to f. */
void cmd_print_help(const struct cmd_entry *cmd, FILE *f);

/* NULL when path names an executable regular file (a lab executable),
 * else why not ("No such file or directory", "not a regular file", ...). */
const char *cmd_lab_path_error(const char *path);

/* --netns PATH or --netns-of PID (of_pid), given once: *netns keeps the
 * argument as typed, path[len] the namespace to join.  0, or CMD_USAGE
 * after one line. */
int cmd_netns_option(const struct cmd_entry *cmd, int of_pid, const char *arg,
		     const char **netns, char *path, size_t len);

/* Join the network namespace at path (from cmd_netns_option): 0, or
 * CMD_USAGE after one line (no such file, not a network namespace, not
 * permitted). */
int cmd_netns_join(const struct cmd_entry *cmd, const char *path);

/* socklab __complete WHAT (cmd_complete.c): the machine-readable lists
 * the shell completions ask for at completion time.  argv[0] is
 * "__complete"; cmds the NULL-terminated command table. */
int cmd_complete(const struct cmd_entry *const *cmds, int argc, char **argv);

/* 1 when colour may be used on fd: a terminal, and NO_COLOR unset/empty. */
int cmd_use_color(int fd);

#endif
