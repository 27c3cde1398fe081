/* glyphs.c — socklab's marks in UTF-8 or ASCII, by the locale (glyphs.h). */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glyphs.h"
#include "lab/outcome.h"

static int utf8 = 1;

/* role -> UTF-8, ASCII; indexed by enum glyph */
static const char *const table[GLYPH_COUNT][2] = {
	[GLYPH_PASS] = { "✔", OUTCOME_PASS_ASCII },
	[GLYPH_FAIL] = { "✘", OUTCOME_FAIL_ASCII },
	[GLYPH_SKIP] = { "⤼", "~" },
	[GLYPH_CLAIM] = { "◆", "*" },
	[GLYPH_ARROW] = { "→", "->" },
	[GLYPH_BACK] = { "←", "<-" },
	[GLYPH_DOWN] = { "↓", "v" },
	[GLYPH_DOT] = { "·", "-" },
	[GLYPH_DASH] = { "—", "-" },
	[GLYPH_BAR] = { "│", "|" },
	[GLYPH_CURSOR] = { "▸", ">" },
	[GLYPH_OPEN] = { "▾", "-" },
	[GLYPH_BLOCK] = { "█", "*" },
};

/* characters that are no glyph of ours but occur in the texts we are
 * handed (lab sources and titles, the doctor's words); a ✔ or ✘ in them
 * is a mark, and reads as the marks do (the table above) */
static const char *const text_chars[][2] = {
	{ "–", "-" }, { "─", "-" }, { "…", "..." },
	{ "▶", ">" }, { "“", "\"" }, { "”", "\"" }, { "‘", "'" }, { "’", "'" },
	{ "×", "x" }, { "≤", "<=" }, { "≥", ">=" }, { "≠", "!=" },
};

void glyphs_init(void)
{
	const char *cs;

	if (setlocale(LC_CTYPE, "") == NULL)
		setlocale(LC_CTYPE, "C");	/* an unknown locale: C, so ASCII */
	cs = nl_langinfo(CODESET);
	utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;
}

void glyphs_set_utf8(int on)
{
	utf8 = on != 0;
}

int glyphs_utf8(void)
{
	return utf8;
}

const char *glyph(enum glyph g)
{
	if ((unsigned)g >= GLYPH_COUNT)
		return "?";
	return table[g][utf8 ? 0 : 1];
}

/* Bytes of the UTF-8 sequence that c starts (1 for a stray byte). */
static size_t seq_len(unsigned char c)
{
	if (c >= 0xf0 && c <= 0xf7)
		return 4;
	if (c >= 0xe0)
		return c <= 0xef ? 3 : 1;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/* As glyphs_ascii_for, on the first len bytes of s, whatever the locale. */
static const char *ascii_of(const char *s, size_t len, size_t *n)
{
	size_t k = seq_len((unsigned char)*s);

	for (size_t i = 0; i < sizeof text_chars / sizeof text_chars[0]; i++) {
		size_t m = strlen(text_chars[i][0]);

		if (m <= len && memcmp(s, text_chars[i][0], m) == 0) {
			*n = m;
			return text_chars[i][1];
		}
	}
	for (int g = 0; g < GLYPH_COUNT; g++) {
		size_t m = strlen(table[g][0]);

		if (m <= len && memcmp(s, table[g][0], m) == 0) {
			*n = m;
			return table[g][1];
		}
	}
	/* unknown: one '?' for the whole character, as far as it is there */
	for (*n = 1; *n < k && *n < len && ((unsigned char)s[*n] & 0xc0) == 0x80; (*n)++)
		;
	return "?";
}

const char *glyphs_ascii_for(const char *s, size_t *n)
{
	if (utf8 || (unsigned char)*s < 0x80)
		return NULL;
	return ascii_of(s, strlen(s), n);
}

/* The filtering stream: its own buffer is stdio's; a character cut by a
 * flush waits in part[] for its other bytes. */
struct filter {
	int fd;
	char part[4];
	size_t npart;
	struct filter *next;	/* every filter open, so none is a leak at exit:
				 * stdout's and stderr's are never closed */
};

static struct filter *filters;

static int put_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, s, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		len -= (size_t)w;
	}
	return 0;
}

static ssize_t filter_write(void *cookie, const char *buf, size_t size)
{
	struct filter *fl = cookie;
	char out[4096];
	size_t o = 0, i = 0;

	while (i < size || fl->npart) {
		const char *a;
		char c[4];
		size_t have, need, n;

		if (fl->npart == 0 && (unsigned char)buf[i] < 0x80) {
			out[o++] = buf[i++];
		} else {
			/* the character's bytes: those waiting, then the buffer's
			 * continuation bytes (a byte that is none ends it early) */
			have = fl->npart;
			memcpy(c, fl->part, have);
			if (have == 0)
				c[have++] = buf[i++];
			need = seq_len((unsigned char)c[0]);
			while (have < need && i < size && ((unsigned char)buf[i] & 0xc0) == 0x80)
				c[have++] = buf[i++];
			if (have < need && i == size) {
				memcpy(fl->part, c, have);	/* the rest comes later */
				fl->npart = have;
				break;
			}
			fl->npart = 0;
			for (a = ascii_of(c, have, &n); *a; a++)
				out[o++] = *a;
		}
		if (o + 8 > sizeof out) {
			if (put_all(fl->fd, out, o) < 0)
				return -1;
			o = 0;
		}
	}
	if (o && put_all(fl->fd, out, o) < 0)
		return -1;
	return (ssize_t)size;
}

static int filter_close(void *cookie)
{
	struct filter *fl = cookie, **p;
	int rc = 0;

	if (fl->npart)	/* a character that never ended */
		rc = put_all(fl->fd, "?", 1);
	for (p = &filters; *p; p = &(*p)->next)
		if (*p == fl) {
			*p = fl->next;
			break;
		}
	free(fl);
	return rc;
}

FILE *glyphs_stream(FILE *f, int mode)
{
	static const cookie_io_functions_t io = { .write = filter_write, .close = filter_close };
	struct filter *fl;
	FILE *s;

	if (utf8)
		return f;
	fflush(f);
	fl = calloc(1, sizeof *fl);
	if (fl == NULL)
		return NULL;
	fl->fd = fileno(f);
	s = fopencookie(fl, "w", io);
	if (s == NULL) {
		free(fl);
		return NULL;
	}
	fl->next = filters;
	filters = fl;
	if (mode < 0)
		mode = isatty(fl->fd) ? _IOLBF : _IOFBF;
	setvbuf(s, NULL, mode, mode == _IONBF ? 0 : BUFSIZ);
	return s;
}
