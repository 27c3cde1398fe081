/* test_kver.c — kernel versions and the table of what changed between
 * them (src/kver/kver.c): parsing uname strings, which side of a change a
 * kernel is on, and the sentence a lab prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "kver/kver.h"

static void releases_parse(void **state)
{
	(void)state;
	assert_int_equal(kver_parse("6.18.44-fc-v1272"), KVER(6, 18, 44));
	assert_int_equal(kver_parse("6.1.0-57-cloud-amd64"), KVER(6, 1, 0));
	assert_int_equal(kver_parse("6.12.118+deb12-amd64"), KVER(6, 12, 118));
	assert_int_equal(kver_parse("7.3"), KVER(7, 3, 0));
	/* a patch level beyond 255 keeps its order within the series */
	assert_int_equal(kver_parse("4.9.337"), KVER(4, 9, 337));
	assert_true(kver_parse("4.9.337") > kver_parse("4.9.254"));
	assert_true(kver_parse("4.9.337") < kver_parse("4.10.0"));
	assert_true(kver_parse("6.255.0") < kver_parse("7.0.0"));
	assert_int_equal(kver_parse("linux"), 0);
	assert_int_equal(kver_parse(""), 0);
	assert_int_equal(kver_parse(NULL), 0);
	assert_int_equal(kver_parse("6"), 0);
}

static void the_running_kernel_is_unames(void **state)
{
	(void)state;
	assert_true(kver_running() != 0);
	assert_int_equal(kver_running(), kver_parse(kver_release()));
}

/* lab 13's change: 6.12 and before the old way, 6.13 on the new */
static void sides_of_a_change(void **state)
{
	char buf[900];

	(void)state;
	assert_int_equal(kver_has(KVER(6, 1, 192), KVER_UDP_HASH4), 0);
	assert_int_equal(kver_has(KVER(6, 12, 118), KVER_UDP_HASH4), 0);
	/* 6.13 to 6.15 were not run: not known, and said so */
	assert_int_equal(kver_has(KVER(6, 13, 0), KVER_UDP_HASH4), -1);
	assert_int_equal(kver_has(KVER(6, 15, 9), KVER_UDP_HASH4), -1);
	assert_int_equal(kver_has(KVER(6, 16, 3), KVER_UDP_HASH4), 1);
	assert_int_equal(kver_has(KVER(7, 3, 4), KVER_UDP_HASH4), 1);
	assert_int_equal(kver_has(0, KVER_UDP_HASH4), -1);	/* unreadable */
	kver_note(KVER_UDP_HASH4, "6.1.0-57-cloud-amd64", buf, sizeof buf);
	assert_non_null(strstr(buf, "on this kernel (6.1.0-57-cloud-amd64) two UDP sockets"));
	assert_non_null(strstr(buf, "changed in Linux 6.13"));
	kver_note(KVER_UDP_HASH4, "6.18.44-fc-v1272", buf, sizeof buf);
	assert_non_null(strstr(buf, "the socket that connected last"));
	kver_note(KVER_UDP_HASH4, "6.14.2", buf, sizeof buf);
	assert_non_null(strstr(buf, "has not been checked"));
}

/* every entry has its words and a source, and the table is in enum order */
static void every_change_is_sourced(void **state)
{
	size_t n;
	const struct kver_change *c = kver_changes(&n);

	(void)state;
	assert_int_equal(n, KVER_NCHANGES);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(c[i].id, (enum kver_change_id)i);
		assert_ptr_equal(kver_change(c[i].id), &c[i]);
		assert_true(c[i].name && *c[i].name && c[i].before && c[i].after && c[i].source);
		assert_true(c[i].last_old < c[i].since);
	}
	assert_null(kver_change(KVER_NCHANGES));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(releases_parse),
		cmocka_unit_test(the_running_kernel_is_unames),
		cmocka_unit_test(sides_of_a_change),
		cmocka_unit_test(every_change_is_sourced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
