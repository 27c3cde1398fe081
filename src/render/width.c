/* width.c — screen columns of text (width.h). */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "render/width.h"

int width_char(const char *s, size_t *n)
{
	mbstate_t st;
	wchar_t wc;
	size_t k;
	int w;

	memset(&st, 0, sizeof st);
	k = mbrtowc(&wc, s, MB_CUR_MAX, &st);
	if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
		*n = 1;
		return 1;
	}
	*n = k;
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

int width_str(const char *s)
{
	int cols = 0;
	size_t n;

	for (; *s; s += n)
		cols += width_char(s, &n);
	return cols;
}

size_t width_fit(const char *s, int cols)
{
	size_t used = 0, n;
	int w;

	while (s[used] && (w = width_char(s + used, &n)) <= cols) {
		cols -= w;
		used += n;
	}
	return used;
}

size_t width_closing(const char *s)
{
	static const char *const marks[] = {
		"\xef\xbc\x8c", "\xe3\x80\x82", "\xe3\x80\x81", "\xef\xbc\x9a",	/* ，。、： */
		"\xef\xbc\x9b", "\xef\xbc\x81", "\xef\xbc\x9f", "\xef\xbc\x89",	/* ；！？） */
		"\xe2\x80\x9d", "\xe3\x80\x8d", "\xe3\x80\x8f", "\xe3\x80\x8b",	/* ”」』》 */
	};

	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (strncmp(s, marks[i], strlen(marks[i])) == 0)
			return strlen(marks[i]);
	return 0;
}

