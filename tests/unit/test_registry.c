/* test_registry.c — lab registration, lookup, selection, embedded sources.
 *
 * libsocklab.a links no real lab, so the registry holds only the fake labs
 * the group setup registers; the embedded sources table, though, is the
 * real one generated from labs/. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "runner/registry.h"

static int fake_main(void)
{
	return 0;
}

static const struct lab_info lab1 = {
	1, "first-bind", "First bind", "one socket, one port", "labs/01-first-bind.c", fake_main
};
static const struct lab_info lab4 = {
	4, "addr-in-use", "Address already in use", "two sockets, one port",
	"labs/04-addr-in-use.c", fake_main
};
static const struct lab_info lab7 = {
	7, "the-story", "The story", "the seed, on Linux", "labs/07-the-story.c", fake_main
};

static int register_out_of_order(void **state)
{
	(void)state;
	registry_add(&lab7);
	registry_add(&lab1);
	registry_add(&lab4);
	return 0;
}

static void found(const char *key, const struct lab_info *want)
{
	const struct lab_info *l = registry_find(key);

	if (l != want)
		fail_msg("registry_find(\"%s\") gave lab %d, want lab %d", key ? key : "(null)",
			 l ? l->number : -1, want ? want->number : -1);
}

/* registry_select(spec) into an empty list of room max fails with errno. */
static void select_fails(const char *spec, size_t max, int want_errno)
{
	const struct lab_info *out[8] = { 0 };
	size_t n = 0;

	errno = 0;
	if (registry_select(spec, out, max, &n) != -1 || errno != want_errno)
		fail_msg("registry_select(\"%s\", max %zu) should fail with errno %d, got errno %d",
			 spec ? spec : "(null)", max, want_errno, errno);
	if (want_errno != E2BIG)	/* nothing appended for a bad or unknown spec */
		assert_int_equal(n, 0);
}

static void labs_are_kept_sorted_by_number(void **state)
{
	(void)state;
	assert_int_equal(registry_count(), 3);
	assert_ptr_equal(registry_at(0), &lab1);
	assert_ptr_equal(registry_at(1), &lab4);
	assert_ptr_equal(registry_at(2), &lab7);
	assert_null(registry_at(3));
	assert_null(registry_at(SIZE_MAX));
}

static void find_by_number_with_any_leading_zeros(void **state)
{
	(void)state;
	found("4", &lab4);
	found("04", &lab4);
	found("004", &lab4);	/* registry.c strips every leading '0' */
	found("0004", &lab4);
	found("1", &lab1);
	found("7", &lab7);
	found("07", &lab7);
}

static void find_by_slug_and_full_name(void **state)
{
	(void)state;
	found("addr-in-use", &lab4);
	found("04-addr-in-use", &lab4);
	found("first-bind", &lab1);
	found("01-first-bind", &lab1);
	found("07-the-story", &lab7);
}

static void find_gives_null_for_anything_else(void **state)
{
	(void)state;
	found(NULL, NULL);
	found("", NULL);
	found("9", NULL);
	found("40", NULL);
	found("0", NULL);
	found("00", NULL);
	found("4x", NULL);
	found(" 4", NULL);
	found("4 ", NULL);
	found("+4", NULL);
	found("-4", NULL);
	found("addr", NULL);
	found("Addr-In-Use", NULL);	/* slugs are matched exactly */
	found("4-addr-in-use", NULL);	/* the full name has two digits */
	found("004-addr-in-use", NULL);
	found("04-first-bind", NULL);	/* number and slug of different labs */
	found("04-", NULL);
	found("addr-in-use.c", NULL);
}

static void select_range_appends_labs_in_order(void **state)
{
	const struct lab_info *out[8] = { 0 };
	size_t n = 0;

	(void)state;
	assert_int_equal(registry_select("1-7", out, 8, &n), 0);
	assert_int_equal(n, 3);
	assert_ptr_equal(out[0], &lab1);
	assert_ptr_equal(out[1], &lab4);
	assert_ptr_equal(out[2], &lab7);

	n = 0;
	assert_int_equal(registry_select("2-7", out, 8, &n), 0);
	assert_int_equal(n, 2);
	assert_ptr_equal(out[0], &lab4);
	assert_ptr_equal(out[1], &lab7);

	n = 0;
	assert_int_equal(registry_select("0-999", out, 3, &n), 0);	/* exactly fits */
	assert_int_equal(n, 3);
}

static void select_single_lab_by_number_or_name(void **state)
{
	const struct lab_info *out[8] = { 0 };
	size_t n = 0;

	(void)state;
	assert_int_equal(registry_select("4", out, 8, &n), 0);
	assert_int_equal(n, 1);
	assert_ptr_equal(out[0], &lab4);

	n = 0;
	assert_int_equal(registry_select("04", out, 8, &n), 0);
	assert_int_equal(n, 1);
	assert_ptr_equal(out[0], &lab4);

	n = 0;
	assert_int_equal(registry_select("the-story", out, 8, &n), 0);
	assert_int_equal(n, 1);
	assert_ptr_equal(out[0], &lab7);

	/* digits and a dash, yet a name: not taken for a range */
	n = 0;
	assert_int_equal(registry_select("04-addr-in-use", out, 8, &n), 0);
	assert_int_equal(n, 1);
	assert_ptr_equal(out[0], &lab4);
}

static void select_appends_after_what_is_already_there(void **state)
{
	const struct lab_info *out[8] = { 0 };
	size_t n = 0;

	(void)state;
	assert_int_equal(registry_select("7", out, 8, &n), 0);
	assert_int_equal(registry_select("1-4", out, 8, &n), 0);
	assert_int_equal(registry_select("addr-in-use", out, 8, &n), 0);
	assert_int_equal(n, 4);
	assert_ptr_equal(out[0], &lab7);
	assert_ptr_equal(out[1], &lab1);
	assert_ptr_equal(out[2], &lab4);
	assert_ptr_equal(out[3], &lab4);
}

static void select_unknown_lab_is_enoent(void **state)
{
	(void)state;
	select_fails("9", 8, ENOENT);
	select_fails("09", 8, ENOENT);
	select_fails("2-3", 8, ENOENT);	/* a good range that holds no lab */
	select_fails("8-999", 8, ENOENT);
	select_fails("no-such-lab", 8, ENOENT);
}

static void select_malformed_spec_is_einval(void **state)
{
	(void)state;
	select_fails("7-1", 8, EINVAL);
	select_fails("x y", 8, EINVAL);
	select_fails("", 8, EINVAL);
	select_fails(NULL, 8, EINVAL);
	select_fails("1-", 8, EINVAL);
	select_fails("1--7", 8, EINVAL);
	select_fails("1-x", 8, EINVAL);
	select_fails("Addr-In-Use", 8, EINVAL);
	select_fails("addr_in_use", 8, EINVAL);
	select_fails("4,7", 8, EINVAL);
}

static void select_more_than_max_is_e2big(void **state)
{
	const struct lab_info *out[8] = { 0 };
	size_t n;

	(void)state;
	select_fails("1-7", 2, E2BIG);
	select_fails("4", 0, E2BIG);
	select_fails("addr-in-use", 0, E2BIG);

	n = 2;	/* the list is already full */
	errno = 0;
	assert_int_equal(registry_select("4", out, 2, &n), -1);
	assert_int_equal(errno, E2BIG);
	assert_int_equal(n, 2);
	errno = 0;
	assert_int_equal(registry_select("1-7", out, 2, &n), -1);
	assert_int_equal(errno, E2BIG);
}

static void source_of_a_lab_file_is_embedded(void **state)
{
	const char *src;

	(void)state;
	src = registry_source("labs/04-addr-in-use.c");
	assert_non_null(src);
	assert_non_null(strstr(src, "LAB(4"));
	assert_non_null(strstr(src, "int main(void)"));
}

static void source_is_matched_by_base_name(void **state)
{
	const char *src = registry_source("labs/04-addr-in-use.c");

	(void)state;
	assert_non_null(src);
	assert_ptr_equal(registry_source("/some/dir/04-addr-in-use.c"), src);
	assert_ptr_equal(registry_source("04-addr-in-use.c"), src);
	assert_ptr_equal(registry_source("../../labs/04-addr-in-use.c"), src);
}

static void source_of_unknown_file_is_null(void **state)
{
	(void)state;
	assert_null(registry_source("labs/99-no-such-lab.c"));
	assert_null(registry_source("/some/dir/99-no-such-lab.c"));
	assert_null(registry_source("04-addr-in-use"));	/* no ".c" */
	assert_null(registry_source("labs/04-addr-in-use.c.orig"));
	assert_null(registry_source("labs/"));
	assert_null(registry_source(""));
	assert_null(registry_source(NULL));
}

/* The embedded text is the file, byte for byte: the generator's escaping of
 * '\\', '"' and '?' loses nothing.  Needs the source tree (make runs the
 * tests from the top directory); skipped without it. */
static void embedded_sources_equal_the_files_in_labs(void **state)
{
	size_t checked = 0;

	(void)state;
	for (const struct registry_source *s = registry_sources; s->file; s++) {
		FILE *f = fopen(s->file, "rb");
		char *disk;
		size_t len;

		assert_non_null(s->text);
		/* a C lab says LAB(, a Python lab lab(, and its runtime is the
		 * module they import */
		assert_true(strstr(s->text, "LAB(") || strstr(s->text, "\nlab(") ||
			    strstr(s->text, "def lab("));
		if (f == NULL)
			continue;
		fseek(f, 0, SEEK_END);
		len = (size_t)ftell(f);
		rewind(f);
		disk = calloc(1, len + 1);
		assert_non_null(disk);
		assert_int_equal(fread(disk, 1, len, f), len);
		fclose(f);
		if (strcmp(disk, s->text) != 0)
			fail_msg("embedded %s differs from the file on disk", s->file);
		free(disk);
		checked++;
	}
	if (checked == 0)
		skip();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(labs_are_kept_sorted_by_number),
		cmocka_unit_test(find_by_number_with_any_leading_zeros),
		cmocka_unit_test(find_by_slug_and_full_name),
		cmocka_unit_test(find_gives_null_for_anything_else),
		cmocka_unit_test(select_range_appends_labs_in_order),
		cmocka_unit_test(select_single_lab_by_number_or_name),
		cmocka_unit_test(select_appends_after_what_is_already_there),
		cmocka_unit_test(select_unknown_lab_is_enoent),
		cmocka_unit_test(select_malformed_spec_is_einval),
		cmocka_unit_test(select_more_than_max_is_e2big),
		cmocka_unit_test(source_of_a_lab_file_is_embedded),
		cmocka_unit_test(source_is_matched_by_base_name),
		cmocka_unit_test(source_of_unknown_file_is_null),
		cmocka_unit_test(embedded_sources_equal_the_files_in_labs),
	};

	return cmocka_run_group_tests(tests, register_out_of_order, NULL);
}
