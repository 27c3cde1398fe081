/* test_keys.c — the dashboard's key table: a key finds its one binding,
 * and the help overlay and the footer are written from the same rows.
 * The real table (dash_keys) is checked too: no key bound twice, the
 * footers users see, help lines that fit.  No terminal needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <curses.h>
#include <cmocka.h>

#include "tui/dash.h"
#include "tui/keys.h"

static int fn_a(struct dash *d, int ch)
{
	(void)d, (void)ch;
	return KEYS_REDRAW;
}

static int fn_b(struct dash *d, int ch)
{
	(void)d, (void)ch;
	return KEYS_QUIT;
}

static const struct keys_binding fake[] = {
	{ { 'a', 'A' }, fn_a, "a, A", "the first", "a first", KEYS_IN_LAB },
	{ { 'x' }, fn_a, NULL, NULL, NULL, 0 },		/* on the line above */
	{ { 'q', 'Q', KEY_F(10), 27 }, fn_b, "q", "quit", "q quit", KEYS_IN_LAB | KEYS_IN_PICKER },
	{ { 0 }, NULL, NULL, NULL, NULL, 0 },
};

static void every_key_of_a_binding_finds_it(void **state)
{
	(void)state;
	assert_ptr_equal(keys_find(fake, 'a'), &fake[0]);
	assert_ptr_equal(keys_find(fake, 'A'), &fake[0]);
	assert_ptr_equal(keys_find(fake, 'x'), &fake[1]);
	assert_ptr_equal(keys_find(fake, KEY_F(10)), &fake[2]);
	assert_ptr_equal(keys_find(fake, 27), &fake[2]);	/* the fourth key */
}

static void an_unbound_key_and_the_end_marker_find_nothing(void **state)
{
	(void)state;
	assert_null(keys_find(fake, 'z'));
	assert_null(keys_find(fake, 0));	/* 0 ends a key list, it is no key */
	assert_null(keys_find(fake, KEY_F(1)));
}

static void help_has_a_line_per_named_binding_in_table_order(void **state)
{
	char lines[4][KEYS_HELP_COLS];

	(void)state;
	assert_int_equal(keys_help(fake, lines, 4), 2);
	assert_string_equal(lines[0], "a, A          the first");
	assert_string_equal(lines[1], "q             quit");
	assert_int_equal(keys_help(fake, lines, 1), 1);	/* no more than it may */
}

static void footer_lists_the_words_of_its_context_only(void **state)
{
	char buf[64];

	(void)state;
	keys_footer(fake, KEYS_IN_LAB, buf, sizeof buf);
	assert_string_equal(buf, " a first · q quit");
	keys_footer(fake, KEYS_IN_PICKER, buf, sizeof buf);
	assert_string_equal(buf, " q quit");
	keys_footer(fake, KEYS_IN_LAB, buf, 5);		/* cut, still a string */
	assert_string_equal(buf, " a f");
}

static int nbindings(void)
{
	int n = 0;

	while (dash_keys[n].fn)
		n++;
	return n;
}

static void no_key_of_the_dashboard_is_bound_twice(void **state)
{
	int n = nbindings();

	(void)state;
	assert_true(n > 0);
	for (int i = 0; i < n; i++)
		for (int k = 0; k < KEYS_PER_BINDING && dash_keys[i].keys[k]; k++)
			assert_ptr_equal(keys_find(dash_keys, dash_keys[i].keys[k]), &dash_keys[i]);
}

static void dashboard_footers_are_the_ones_users_know(void **state)
{
	char buf[256];

	(void)state;
	keys_footer(dash_keys, KEYS_IN_LAB, buf, sizeof buf);
	assert_string_equal(buf, " space next · r restart · tab pane · / filter · h host · ? help · q quit");
	keys_footer(dash_keys, KEYS_IN_PICKER, buf, sizeof buf);
	assert_string_equal(buf, " arrows choose · Enter opens · h host · ? help · q quit");
}

static void dashboard_help_names_every_key_and_fits_its_lines(void **state)
{
	char lines[32][KEYS_HELP_COLS];
	int n = keys_help(dash_keys, lines, 32);
	static const char *const want[] = {
		"space, n", "r ", "b, 1-9", "tab, S-tab", "arrows", "PgUp, PgDn", "Enter, click",
		"/ ", "h ", "w ", ": ", "e ", "z ", "p ", "? ", "q ",
	};

	(void)state;
	assert_int_equal(n, (int)(sizeof want / sizeof want[0]));
	for (int i = 0; i < n; i++) {
		assert_true(strncmp(lines[i], want[i], strlen(want[i])) == 0);
		assert_true(strlen(lines[i]) < KEYS_HELP_COLS - 1);	/* not cut */
	}
	/* a binding with a footer word says where it shows; one with a name has help */
	for (int i = 0; i < nbindings(); i++) {
		assert_true(dash_keys[i].word == NULL || dash_keys[i].in != 0);
		assert_true(dash_keys[i].name == NULL || dash_keys[i].help != NULL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_key_of_a_binding_finds_it),
		cmocka_unit_test(an_unbound_key_and_the_end_marker_find_nothing),
		cmocka_unit_test(help_has_a_line_per_named_binding_in_table_order),
		cmocka_unit_test(footer_lists_the_words_of_its_context_only),
		cmocka_unit_test(no_key_of_the_dashboard_is_bound_twice),
		cmocka_unit_test(dashboard_footers_are_the_ones_users_know),
		cmocka_unit_test(dashboard_help_names_every_key_and_fits_its_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
