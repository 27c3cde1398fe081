/* test_glyphs.c — the glyph table and the ASCII filter stream (glyphs.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "render/glyphs.h"

/* What glyphs_stream() makes of the writes in parts[] (each flushed on its
 * own, so a character may be cut between two writes), ended by fclose. */
static void filtered(const char *const parts[], size_t n, const char *want)
{
	char got[512];
	int p[2];
	ssize_t len;
	FILE *raw, *s;

	assert_int_equal(pipe(p), 0);
	raw = fdopen(p[1], "w");
	assert_non_null(raw);
	s = glyphs_stream(raw, _IOFBF);
	assert_non_null(s);
	assert_ptr_not_equal(s, raw);
	for (size_t i = 0; i < n; i++) {
		fputs(parts[i], s);
		fflush(s);
	}
	fclose(s);
	fclose(raw);
	len = read(p[0], got, sizeof got - 1);
	close(p[0]);
	assert_true(len >= 0);
	got[len] = '\0';
	assert_string_equal(got, want);
}

static void ascii_marks(void **state)
{
	(void)state;
	glyphs_set_utf8(0);
	assert_string_equal(glyph(GLYPH_PASS), "ok");
	assert_string_equal(glyph(GLYPH_FAIL), "FAIL");
	assert_string_equal(glyph(GLYPH_BAR), "|");
	for (int g = 0; g < GLYPH_COUNT; g++) {
		const char *a = glyph((enum glyph)g);

		assert_true(*a != '\0');
		for (; *a; a++)
			assert_true((unsigned char)*a < 0x80);
	}
	glyphs_set_utf8(1);
	assert_string_equal(glyph(GLYPH_PASS), "✔");
	assert_string_equal(glyph(GLYPH_DOT), "·");
}

static void utf8_stream_is_the_stream(void **state)
{
	(void)state;
	glyphs_set_utf8(1);
	assert_ptr_equal(glyphs_stream(stdout, -1), stdout);
}

static void whole_text(void **state)
{
	static const char *const parts[] = { "Lab 01 · a — b ✔ c │ d\n" };

	(void)state;
	glyphs_set_utf8(0);
	filtered(parts, 1, "Lab 01 - a - b ok c | d\n");
}

static void characters_cut_between_writes(void **state)
{
	/* "—" is e2 80 94, "✘" e2 9c 98: cut after each of their bytes */
	static const char *const parts[] = { "x\xe2", "\x80", "\x94y\xe2\x9c", "\x98z" };

	(void)state;
	glyphs_set_utf8(0);
	filtered(parts, 4, "x-yFAILz");
}

static void unknown_and_broken_bytes(void **state)
{
	/* é (c3 a9) unknown: one '?'; a stray continuation byte: '?'; a lead
	 * byte followed by ASCII: '?' then the ASCII; cut at the end: '?' */
	static const char *const parts[] = { "\xc3\xa9|\x80|\xe2z|\xe2\x80" };

	(void)state;
	glyphs_set_utf8(0);
	filtered(parts, 1, "?|?|?z|?");
}

static void ascii_for_text(void **state)
{
	size_t n = 0;

	(void)state;
	glyphs_set_utf8(0);
	assert_null(glyphs_ascii_for("abc", &n));
	assert_string_equal(glyphs_ascii_for("…rest", &n), "...");
	assert_int_equal(n, strlen("…"));
	glyphs_set_utf8(1);
	assert_null(glyphs_ascii_for("…rest", &n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ascii_marks),
		cmocka_unit_test(utf8_stream_is_the_stream),
		cmocka_unit_test(whole_text),
		cmocka_unit_test(characters_cut_between_writes),
		cmocka_unit_test(unknown_and_broken_bytes),
		cmocka_unit_test(ascii_for_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
