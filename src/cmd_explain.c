/* cmd_explain.c — socklab explain CODE: what an error code means for
 * sockets, on Linux and on Windows, why it happens, how to fix it, and
 * which lab shows it.  One table (src/errtab/errtab.c) is the source of
 * this text and of the one-line meanings run and dash print. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "errtab/errtab.h"
#include "i18n.h"
#include "render/explain.h"
#include "runner/registry.h"
#include "render/glyphs.h"

static const char help[] =
	N_("CODE is an error name or number as Linux or Windows spells it, in any case:\n"
	"EADDRINUSE, 98, WSAEADDRINUSE, 10048, eacces, 10013 ...\n"
	"\n"
	"Exit status: 0 explained, 2 unknown code.\n");

#define WIDTH 78

/* The key names a Windows code: 10013, WSAEACCES. */
static int windows_key(const char *key)
{
	return strncasecmp(key, "WSA", 3) == 0 || (key[0] >= '1' && strlen(key) == 5);
}

static int cmd_explain(const struct cmd_args *a)
{
	const struct cmd_entry *self = a->cmd;
	const char *key = a->argc ? a->argv[0] : NULL;
	const struct errtab_entry *e;

	if (key == NULL)
		return cmd_usage_error(self, _("which code? e.g. 'socklab explain EADDRINUSE' or '10048'"));
	if ((e = errtab_lookup(key)) == NULL)
		return cmd_usage_error(self, "unknown error code '%s' (try a name like EADDRINUSE, "
				       "a Linux number like 98, or a Windows code like 10048)", key);

	explain_write(stdout, e, windows_key(key), WIDTH);
	if (e->labs[0]) {
		printf("\n%s\n", _("See it happen"));
		for (int i = 0; i < ERRTAB_MAX_LIST && e->labs[i]; i++) {
			char num[8];
			const struct lab_info *l;

			snprintf(num, sizeof num, "%d", e->labs[i]);
			l = registry_find(num);
			if (l)
				printf("  socklab run %-3d %s: %s\n", l->number, l->slug, i18n_tr(l->summary));
			else
				printf(_("  lab %02d (not in this build)\n"), e->labs[i]);
		}
	}
	return CMD_OK;
}

const struct cmd_entry cmd_explain_entry = {
	.name = "explain",
	.usage = "CODE",
	.summary = N_("what an error code means for sockets on Linux and Windows, and its fix"),
	.help = help,
	.args = { .max = 1, .operand = N_("code") },
	.exec = cmd_explain,
};
