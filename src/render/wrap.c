/* wrap.c — see wrap.h. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "args.h"
#include "render/width.h"
#include "render/wrap.h"

/* The next piece of s that stays on one line, its bytes in *n; returns
 * its columns.  A word runs up to a space; text in a script written
 * without spaces (a double-width character: Chinese) may break after any
 * character, but not before closing punctuation. */
static int piece(const char *s, size_t *n)
{
	size_t used = 0, k;
	int cols = 0, w;

	while (s[used] && s[used] != ' ') {
		if (used > 0 && (k = width_closing(s + used)) > 0) {
			cols += width_char(s + used, &k);
			used += k;
			continue;
		}
		w = width_char(s + used, &k);
		if (w == 2 && used > 0)
			break;		/* a wide character starts a piece of its own */
		cols += w;
		used += k;
		if (w == 2) {
			while ((k = width_closing(s + used)) > 0) {
				cols += width_char(s + used, &k);
				used += k;
			}
			break;
		}
	}
	*n = used;
	return cols;
}

void wrap_print(FILE *f, const char *lead, const char *text, int width)
{
	int indent = width_str(lead), col = indent, spaced = 0;

	fputs(lead, f);
	if (width <= 0) {
		fprintf(f, "%s\n", text);
		return;
	}
	while (*text == ' ')
		text++;
	while (*text) {
		size_t len;
		int cols = piece(text, &len);

		if (col > indent && col + spaced + cols > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (spaced && col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(text, 1, len, f);
		col += cols;
		text += len;
		for (spaced = 0; *text == ' '; text++)
			spaced = 1;
	}
	fputc('\n', f);
}

int wrap_columns(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	long v;

	if (env && args_int(env, 1, 10000, &v) == 0)
		return (int)v;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		return ws.ws_col;
	return 0;
}

int wrap_width(void)
{
	int cols = wrap_columns();

	return cols > 20 ? cols - 1 : 0;
}
