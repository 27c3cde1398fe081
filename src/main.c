/* main.c — socklab: see what the kernel does with ports.  The command
 * table, and the dispatch from it; the rest is in cmd.c and cmd_*.c. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "i18n.h"
#include "lab/outcome.h"
#include "render/glyphs.h"
#include "runner/pylabs.h"
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
	&cmd_play_entry,
	&cmd_trace_entry,
	NULL
};

int main(int argc, char **argv)
{
	const struct cmd_entry *c;

	i18n_init();
	outcome_translate_with(i18n_tr);	/* outcomes in the reader's language */
	glyphs_init();
	pylabs_register();	/* the Python twins, beside the linked C labs */
	if (argc < 2) {
		/* on a terminal: the dashboard at the lab picker */
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			return cmd_exec(&cmd_dash_entry, 1, (char *[]){ "dash", NULL });
		cmd_streams(&cmd_list_entry);
		fputs(_("socklab: no terminal, so here is the list; on a terminal 'socklab' (or "
			"'socklab dash') opens the dashboard\n"), stderr);
		return cmd_exec(&cmd_list_entry, 1, (char *[]){ "list", NULL });
	}
	c = cmd_find(cmds, argv[1]);
	cmd_streams(c);
	if (c)
		return cmd_exec(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		if (argc > 2)
			return cmd_usage_error(NULL, "%s takes no argument: '%s'", argv[1], argv[2]);
		version_print(stdout, SOCKLAB_VERSION);
		return CMD_OK;
	}
	if (strcmp(argv[1], "__complete") == 0)	/* for the shell completions */
		return cmd_complete(cmds, argc - 1, argv + 1);
	return cmd_help(cmds, argc - 1, argv + 1);	/* --help, help CMD, or unknown */
}
