/* wrap.c — see wrap.h. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

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

int wrap_width(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	int cols = 0;

	if (env && *env)
		cols = atoi(env);
	else if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		cols = ws.ws_col;
	return cols > 20 ? cols - 1 : 0;
}
