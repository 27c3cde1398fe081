/* wrap.c — see wrap.h. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "args.h"
#include "render/wrap.h"

void wrap_print(FILE *f, const char *lead, const char *text, int width)
{
	int indent = (int)strlen(lead), col = indent;

	fputs(lead, f);
	if (width <= 0) {
		fprintf(f, "%s\n", text);
		return;
	}
	while (*text) {
		int len = (int)strcspn(text, " ");

		if (col > indent && col + 1 + len > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", len, text);
		col += len;
		text += len;
		while (*text == ' ')
			text++;
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
