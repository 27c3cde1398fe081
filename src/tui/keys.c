/* keys.c — looking a key up in the dashboard's table, and the words the
 * help overlay and the footer show, written from the same table (in the
 * reader's language; the keys' names stay as the keyboard has them). */
#include <stdio.h>

#include "i18n.h"
#include "keys.h"
#include "render/width.h"

const struct keys_binding *keys_find(const struct keys_binding *table, int ch)
{
	for (const struct keys_binding *b = table; b->fn; b++)
		for (int k = 0; k < KEYS_PER_BINDING && b->keys[k]; k++)
			if (b->keys[k] == ch)
				return b;
	return NULL;
}

/* "space, n      run the next step": the name padded to 13 screen columns
 * (a translated name may hold Chinese), then the help */
static void help_line(char *out, const struct keys_binding *b)
{
	const char *name = i18n_tr(b->name);
	int pad = 13 - width_str(name);

	snprintf(out, KEYS_HELP_COLS, "%s%*s %s", name, pad > 0 ? pad : 0, "", i18n_tr(b->help));
}

int keys_help(const struct keys_binding *table, char out[][KEYS_HELP_COLS], int max)
{
	int n = 0;

	for (const struct keys_binding *b = table; b->fn && n < max; b++)
		if (b->name)
			help_line(out[n++], b);
	return n;
}

void keys_footer(const struct keys_binding *table, unsigned where, char *buf, size_t len)
{
	size_t n = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (const struct keys_binding *b = table; b->fn && n < len; b++)
		if (b->word && (b->in & where)) {
			int k = snprintf(buf + n, len - n, "%s%s", n ? " · " : " ", i18n_tr(b->word));

			if (k < 0)
				break;
			n += (size_t)k;
		}
}
