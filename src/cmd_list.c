/* cmd_list.c — socklab list: the numbered labs. */
#include <stdio.h>

#include "cmd.h"
#include "i18n.h"
#include "runner/registry.h"

static int cmd_list(const struct cmd_args *a)
{
	(void)a;	/* no options, no operands: cmd_exec saw to that */
	for (size_t i = 0; i < registry_count(); i++) {
		const struct lab_info *l = registry_at(i);

		printf("%02d  %-22s %s\n", l->number, l->slug, i18n_tr(l->summary));
	}
	fputs(_("\n'socklab run N' runs lab N; 'socklab run N --step' pauses before each step.\n"),
	      stdout);
	return CMD_OK;
}

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.usage = "",
	.summary = N_("the numbered labs, one line each"),
	.help = N_("Exit status: 0 listed, 2 an argument was given.\n"),
	.exec = cmd_list,
};
