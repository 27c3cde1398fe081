/* test_wrap.c — prose folded at a width in screen columns (render/wrap.h):
 * English at its spaces, as always; Chinese between its characters, two
 * columns each, never before a closing "，" or "。". */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "render/width.h"
#include "render/wrap.h"

static char *wrapped(const char *lead, const char *text, int width)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	wrap_print(f, lead, text, width);
	fclose(f);
	return buf;
}

static int utf8(void **state)
{
	(void)state;
	return setlocale(LC_CTYPE, "C.UTF-8") ? 0 : -1;
}

static void english_folds_at_spaces(void **state)
{
	char *s = wrapped("  - ", "another socket holds this address and port", 20);

	(void)state;
	assert_string_equal(s, "  - another socket\n    holds this\n    address and port\n");
	free(s);
}

static void chinese_folds_between_characters_by_columns(void **state)
{
	/* 12 characters, 24 columns, in 14-column lines after a 4-column lead */
	char *s = wrapped("  - ", "另一个套接字占用了这个地址", 14);
	char *line = s;

	(void)state;
	for (char *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		assert_true(width_str(line) <= 14);
	}
	free(s);
	s = wrapped("", "端口被占用，地址复用", 10);
	/* "用，" is one piece (no line starts with "，"): at 8 + 4 columns
	 * it goes down whole */
	assert_string_equal(s, "端口被占\n用，地址复\n用\n");
	free(s);
}

static void widths_count_columns(void **state)
{
	(void)state;
	assert_int_equal(width_str("abc"), 3);
	assert_int_equal(width_str("套接字"), 6);
	assert_int_equal(width_str("✔ ok"), 4);
	assert_int_equal(width_fit("套接字", 5), strlen("套接"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(english_folds_at_spaces),
		cmocka_unit_test(chinese_folds_between_characters_by_columns),
		cmocka_unit_test(widths_count_columns),
	};

	return cmocka_run_group_tests(tests, utf8, NULL);
}
