/* glyphs.h — the one place that decides how socklab draws its marks.
 *
 * Every renderer (run's report, check, explain, the socket table, the
 * dashboard) asks for a glyph by its role here, never spells it.  The
 * table holds each glyph's UTF-8 form and an ASCII stand-in; which one is
 * drawn follows the locale, as ncurses does: LC_CTYPE from the
 * environment (setlocale) and its character set (nl_langinfo(CODESET)).
 * Under LANG=C, or any locale that is not UTF-8, socklab writes no byte
 * >= 0x80: text it is handed (a lab's source, titles, notes) goes through
 * glyphs_ascii_for() (the dashboard), or a stream from glyphs_stream()
 * (run, check, explain). */
#ifndef SOCKLAB_GLYPHS_H
#define SOCKLAB_GLYPHS_H

#include <stddef.h>
#include <stdio.h>

enum glyph {
	GLYPH_PASS,	/* ✔ a met expectation, a passed step or lab ("ok") */
	GLYPH_FAIL,	/* ✘ a failed one ("FAIL"); both ASCII forms are
			 * lab/outcome.h's, which a lab alone prints too */
	GLYPH_SKIP,	/* ⤼ skipped here */
	GLYPH_CLAIM,	/* ◆ a claim proven */
	GLYPH_ARROW,	/* → a call's result, a note */
	GLYPH_BACK,	/* ← a datagram received */
	GLYPH_DOWN,	/* ↓ more below */
	GLYPH_DOT,	/* · between the parts of a heading */
	GLYPH_DASH,	/* — between a thing and its why */
	GLYPH_BAR,	/* │ a line number's gutter */
	GLYPH_CURSOR,	/* ▸ the current row */
	GLYPH_OPEN,	/* ▾ an open tree node */
	GLYPH_BLOCK,	/* █ a scroll thumb */
	GLYPH_COUNT
};

/* Decide from the environment's locale (sets LC_CTYPE only: numbers keep
 * the C locale's '.').  Called once by main(); glyphs drawn before that
 * are UTF-8. */
void glyphs_init(void);

/* Override the decision (tests, a renderer told otherwise). */
void glyphs_set_utf8(int on);

/* 1 when the locale's character set is UTF-8. */
int glyphs_utf8(void);

/* The glyph as this locale draws it. */
const char *glyph(enum glyph g);

/* Under a non-UTF-8 locale, for text that starts with a byte >= 0x80:
 * the ASCII stand-in of the character there ("-" for "—", "?" for one
 * the table does not know), its length in *n.  NULL when s starts with
 * ASCII or the locale is UTF-8. */
const char *glyphs_ascii_for(const char *s, size_t *n);

/* f itself under UTF-8; otherwise a stream that writes to f's descriptor
 * what glyphs_ascii_for() makes of each character.  mode is setvbuf's
 * (_IONBF for stderr), or -1: line-buffered on a terminal, else full.
 * Nothing sits between its buffer and the descriptor: fflush() on it
 * reaches the fd, as before a fork.  Its fileno() is -1, so a full-screen
 * command (ncurses) must keep the real stdout.  NULL (errno set) when it
 * cannot be made. */
FILE *glyphs_stream(FILE *f, int mode);

#endif
