/* cmd_complete.c — socklab __complete WHAT: what the shell completions
 * (completions/socklab.bash, completions/_socklab) offer, asked of the
 * binary at completion time so they never go stale.  Hidden: not in the
 * command table, not in --help.  One record a line, fields split by a tab:
 *
 *   commands        NAME  SUMMARY
 *   options CMD     --LONG or -X  "arg" when it takes a value, else "flag"
 *                   (the command's getopt table, then --help, which every
 *                   command takes)
 *   labs            NN  SLUG  TITLE
 *   exercises       NN  SLUG  TITLE
 *   codes           NAME  MEANING   (what `explain` takes: EADDRINUSE,
 *                   WSAEADDRINUSE, ...)
 *   states          NAME            (what `watch --state` takes)
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "errtab/errtab.h"
#include "exercise/exercise.h"
#include "inspect/inspect.h"
#include "runner/registry.h"

static int usage(void)
{
	return cmd_usage_error(NULL, "__complete wants commands, options CMD, labs, exercises, "
			       "codes or states");
}

static int options(const struct cmd_entry *c)
{
	for (const struct option *o = c->args.options; o && o->name; o++)
		printf("--%s\t%s\n", o->name, o->has_arg == no_argument ? "flag" : "arg");
	for (const char *s = c->args.shortopts; s && *s; s++)
		if (*s != ':')
			printf("-%c\t%s\n", *s, s[1] == ':' ? "arg" : "flag");
	printf("--help\tflag\n");
	return CMD_OK;
}

int cmd_complete(const struct cmd_entry *const *cmds, int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	if (strcmp(what, "options") == 0) {
		if (argc != 3)
			return usage();
		if (cmd_find(cmds, argv[2]))
			return options(cmd_find(cmds, argv[2]));
		return cmd_usage_error(NULL, "__complete options: no command '%s'", argv[2]);
	}
	if (argc != 2)
		return usage();
	if (strcmp(what, "commands") == 0) {
		for (const struct cmd_entry *const *c = cmds; *c; c++)
			printf("%s\t%s\n", (*c)->name, (*c)->summary);
	} else if (strcmp(what, "labs") == 0) {
		for (size_t i = 0; i < registry_count(); i++) {
			const struct lab_info *l = registry_at(i);
			size_t n = strlen(l->slug);

			/* a Python twin by its key: 07py, 07tw (registry_find) */
			if (!l->main && n > 3 && l->slug[n - 3] == '-')
				printf("%02d%s\t%s\t%s\n", l->number, l->slug + n - 2, l->slug, l->title);
			else
				printf("%02d\t%s\t%s\n", l->number, l->slug, l->title);
		}
	} else if (strcmp(what, "exercises") == 0) {
		for (size_t i = 0; i < exercise_count(); i++) {
			const struct exercise *e = exercise_at(i);

			printf("%02d\t%s\t%s\n", e->number, e->slug, e->title);
		}
	} else if (strcmp(what, "codes") == 0) {
		for (const struct errtab_entry *e = errtab_entries; e->name; e++) {
			printf("%s\t%s\n", e->name, e->meaning ? e->meaning : "");
			if (e->win_name)
				printf("%s\t%s\n", e->win_name, e->meaning ? e->meaning : "");
		}
	} else if (strcmp(what, "states") == 0) {
		for (size_t i = 0; inspect_state_name_at(i); i++)
			printf("%s\n", inspect_state_name_at(i));
	} else {
		return usage();
	}
	return CMD_OK;
}
