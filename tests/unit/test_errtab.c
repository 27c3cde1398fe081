/* test_errtab.c — the error-code table behind `socklab explain`. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "errtab/errtab.h"

/* errtab_lookup(key) finds the entry named want. */
static void finds(const char *key, const char *want)
{
	const struct errtab_entry *e = errtab_lookup(key);

	if (e == NULL)
		fail_msg("errtab_lookup(\"%s\") is NULL, want %s", key, want);
	assert_string_equal(e->name, want);
}

static void finds_nothing(const char *key)
{
	const struct errtab_entry *e = errtab_lookup(key);

	if (e != NULL)
		fail_msg("errtab_lookup(\"%s\") found %s, want NULL", key ? key : "(null)", e->name);
}

/* The decimal spelling of n, as a user would type it. */
static const char *dec(int n)
{
	static char buf[4][16];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%d", n);
	return buf[i];
}

static size_t table_size(void)
{
	size_t n = 0;

	while (errtab_entries[n].name)
		n++;
	return n;
}

/* Every piece of text `explain` prints for e, in print order. */
static int entry_texts(const struct errtab_entry *e, const char *out[], int max)
{
	int n = 0;

	out[n++] = e->meaning;
	if (e->bind) out[n++] = e->bind;
	if (e->connect) out[n++] = e->connect;
	if (e->sendto) out[n++] = e->sendto;
	for (int i = 0; i < ERRTAB_MAX_LIST && e->causes[i] && n < max; i++)
		out[n++] = e->causes[i];
	for (int i = 0; i < ERRTAB_MAX_LIST && e->fixes[i] && n < max; i++)
		out[n++] = e->fixes[i];
	if (e->windows && n < max) out[n++] = e->windows;
	if (e->on_linux && n < max) out[n++] = e->on_linux;
	return n;
}

/* Some text of e contains needle. */
static int entry_says(const struct errtab_entry *e, const char *needle)
{
	const char *t[32];
	int n = entry_texts(e, t, 32);

	for (int i = 0; i < n; i++)
		if (strstr(t[i], needle))
			return 1;
	return 0;
}

static void says(int err, const char *needle)
{
	const struct errtab_entry *e = errtab_by_errno(err);

	assert_non_null(e);
	if (!entry_says(e, needle))
		fail_msg("%s does not say \"%s\"", e->name, needle);
}

static void never_says(int err, const char *needle)
{
	const struct errtab_entry *e = errtab_by_errno(err);

	assert_non_null(e);
	if (entry_says(e, needle))
		fail_msg("%s still says \"%s\"", e->name, needle);
}

static void lookup_by_name_ignores_case(void **state)
{
	(void)state;
	finds("EADDRINUSE", "EADDRINUSE");
	finds("eaddrinuse", "EADDRINUSE");
	finds("EAddrInUse", "EADDRINUSE");
	finds("EACCES", "EACCES");
	finds("einval", "EINVAL");
	finds("EPIPE", "EPIPE");
}

static void lookup_by_linux_number(void **state)
{
	(void)state;
	finds(dec(EADDRINUSE), "EADDRINUSE");
	finds(dec(EACCES), "EACCES");
	finds(dec(EINVAL), "EINVAL");
	finds("22", "EINVAL");
	finds("13", "EACCES");
#if EADDRINUSE == 98	/* the number the story's users see on x86, arm, ... */
	finds("98", "EADDRINUSE");
#endif
}

static void lookup_by_windows_name_ignores_case(void **state)
{
	(void)state;
	finds("WSAEADDRINUSE", "EADDRINUSE");
	finds("wsaeaddrinuse", "EADDRINUSE");
	finds("WSAEACCES", "EACCES");
	finds("WSAEINVAL", "EINVAL");
}

static void lookup_by_windows_number(void **state)
{
	(void)state;
	finds("10048", "EADDRINUSE");
	finds("10013", "EACCES");
	finds("10022", "EINVAL");
	finds("10035", "EAGAIN");
}

static void windows_codes_of_the_story_are_right(void **state)
{
	const struct errtab_entry *e;

	(void)state;
	e = errtab_by_errno(EADDRINUSE);
	assert_non_null(e);
	assert_int_equal(e->win_code, 10048);
	assert_string_equal(e->win_name, "WSAEADDRINUSE");
	e = errtab_by_errno(EACCES);
	assert_non_null(e);
	assert_int_equal(e->win_code, 10013);
	assert_string_equal(e->win_name, "WSAEACCES");
	e = errtab_by_errno(EINVAL);
	assert_non_null(e);
	assert_int_equal(e->win_code, 10022);
	assert_string_equal(e->win_name, "WSAEINVAL");
}

static void ewouldblock_is_eagain(void **state)
{
	const struct errtab_entry *eagain = errtab_by_errno(EAGAIN);

	(void)state;
	assert_non_null(eagain);
	assert_string_equal(eagain->name, "EAGAIN");
	assert_ptr_equal(errtab_lookup("EWOULDBLOCK"), eagain);
	assert_ptr_equal(errtab_lookup("ewouldblock"), eagain);
	assert_ptr_equal(errtab_lookup("WSAEWOULDBLOCK"), eagain);
	assert_ptr_equal(errtab_lookup(dec(EWOULDBLOCK)), eagain);
	assert_ptr_equal(errtab_by_errno(EWOULDBLOCK), eagain);
	assert_ptr_equal(errtab_lookup("EAGAIN"), eagain);
}

static void unknown_names_and_numbers_give_null(void **state)
{
	(void)state;
	finds_nothing("EFOO");
	finds_nothing("WSAEFOO");
	finds_nothing("E");
	finds_nothing("WSA");
	finds_nothing("ADDRINUSE");
	finds_nothing("EADDRINUSE ");
	finds_nothing("EADDRINUSEX");
	finds_nothing("WSAEPIPE");	/* EPIPE has no Windows name */
	finds_nothing("0");		/* 0 is no error, and no Windows code either */
	finds_nothing("12345");
	finds_nothing("9999");
	finds_nothing("10000");
	finds_nothing("99999999999999999999");
	assert_null(errtab_by_errno(0));
	assert_null(errtab_by_errno(-1));
	assert_null(errtab_by_errno(100000));
	assert_null(errtab_by_errno(10048));	/* a Windows code is no errno */
}

static void empty_and_null_keys_give_null(void **state)
{
	(void)state;
	finds_nothing("");
	finds_nothing(NULL);
}

static void numbers_with_trailing_or_leading_junk_give_null(void **state)
{
	(void)state;
	finds_nothing("98x");
	finds_nothing("10048x");
	finds_nothing("98 ");
	finds_nothing(" 98");
	finds_nothing("+98");
	finds_nothing("-98");
	finds_nothing("0x62");
	finds_nothing("98.0");
}

static void every_entry_has_name_and_one_line_meaning(void **state)
{
	(void)state;
	assert_true(table_size() > 0);
	for (const struct errtab_entry *e = errtab_entries; e->name; e++) {
		assert_true(e->name[0] == 'E' && strlen(e->name) > 1);
		assert_true(e->linux_errno > 0);
		assert_non_null(e->meaning);
		assert_true(strlen(e->meaning) > 0);
		assert_null(strchr(e->meaning, '\n'));
	}
	/* the terminator is all zero */
	assert_int_equal(errtab_entries[table_size()].linux_errno, 0);
	assert_null(errtab_entries[table_size()].meaning);
}

static void windows_codes_are_wsa_range_or_zero(void **state)
{
	(void)state;
	for (const struct errtab_entry *e = errtab_entries; e->name; e++) {
		if (e->win_code == 0) {
			assert_null(e->win_name);
			continue;
		}
		if (e->win_code < 10000 || e->win_code > 11999)
			fail_msg("%s: Windows code %d is no WSA code", e->name, e->win_code);
		assert_non_null(e->win_name);
		assert_int_equal(strncmp(e->win_name, "WSAE", 4), 0);
	}
}

static void no_two_entries_share_a_linux_errno_or_windows_code(void **state)
{
	(void)state;
	for (const struct errtab_entry *a = errtab_entries; a->name; a++)
		for (const struct errtab_entry *b = a + 1; b->name; b++) {
			if (a->linux_errno == b->linux_errno)
				fail_msg("%s and %s share errno %d", a->name, b->name, a->linux_errno);
			if (a->win_code && a->win_code == b->win_code)
				fail_msg("%s and %s share Windows code %d", a->name, b->name, a->win_code);
			assert_true(strcmp(a->name, b->name) != 0);
		}
}

static void every_entry_is_found_by_each_of_its_spellings(void **state)
{
	(void)state;
	for (const struct errtab_entry *e = errtab_entries; e->name; e++) {
		assert_ptr_equal(errtab_by_errno(e->linux_errno), e);
		assert_ptr_equal(errtab_lookup(e->name), e);
		assert_ptr_equal(errtab_lookup(dec(e->linux_errno)), e);
		if (e->win_code) {
			assert_ptr_equal(errtab_lookup(e->win_name), e);
			assert_ptr_equal(errtab_lookup(dec(e->win_code)), e);
		}
	}
}

/* The kernel reads the holder's SO_REUSEADDR/SO_REUSEPORT when the
 * newcomer binds (lab 06): only the newcomer must set it before its
 * bind().  The old text said both must, before bind(). */
static void eaddrinuse_says_the_holder_may_set_its_flag_late(void **state)
{
	(void)state;
	never_says(EADDRINUSE, "both must, before bind()");
	never_says(EADDRINUSE, "on every socket that shares the port, before bind()");
	says(EADDRINUSE, "the holder may set it even after its own bind()");
	says(EADDRINUSE, "the newcomer's option alone is not enough");
	says(EADDRINUSE, "send from the server's own socket");
	for (const struct errtab_entry *e = errtab_entries; e->name; e++)
		if (entry_says(e, "both must"))
			fail_msg("%s says \"both must\"", e->name);
}

/* Windows texts say which Windows they are about and where they come
 * from: socklab measures Linux only. */
static void windows_texts_name_their_windows_and_source(void **state)
{
	(void)state;
	for (const struct errtab_entry *e = errtab_entries; e->name; e++) {
		if (e->windows == NULL || e->win_code == 10035)
			continue;
		if (!strstr(e->windows, "Windows Server 2003 and later"))
			fail_msg("%s: Windows text names no Windows version", e->name);
		if (!strstr(e->windows, "Microsoft's documentation"))
			fail_msg("%s: Windows text names no source", e->name);
		if (strstr(e->windows, "measured") && !strstr(e->windows, "not measured"))
			fail_msg("%s: a Windows text cannot be measured here", e->name);
	}
	says(EAGAIN, "Microsoft's");
}

/* 10013 today: consent, not privilege; excluded port ranges. */
static void wsaeacces_covers_administrator_and_excluded_ranges(void **state)
{
	(void)state;
	says(EACCES, "running as Administrator does not help");
	says(EACCES, "netsh int ipv4 show excludedportrange protocol=udp");
	says(EACCES, "Hyper-V");
	says(EACCES, "Windows XP and earlier");
	never_says(EACCES, "share a port only between sockets that all set SO_REUSEADDR");
}

/* 255.255.255.255 needs a route only from an unbound sender (lab 12). */
static void enetunreach_says_a_bound_sender_needs_no_route(void **state)
{
	(void)state;
	says(ENETUNREACH, "from an unbound socket");
	says(ENETUNREACH, "bind the sender to a local address");
	says(ENETUNREACH, "SO_BINDTODEVICE");
}

/* A socket's port is not "for life": connect(AF_UNSPEC) frees an
 * implicit one (lab 02); writing ip_nonlocal_bind needs privilege. */
static void einval_and_eaddrnotavail_state_the_smaller_rules(void **state)
{
	(void)state;
	says(EINVAL, "connect(AF_UNSPEC)");
	says(EADDRNOTAVAIL, "writing it needs privilege");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookup_by_name_ignores_case),
		cmocka_unit_test(lookup_by_linux_number),
		cmocka_unit_test(lookup_by_windows_name_ignores_case),
		cmocka_unit_test(lookup_by_windows_number),
		cmocka_unit_test(windows_codes_of_the_story_are_right),
		cmocka_unit_test(ewouldblock_is_eagain),
		cmocka_unit_test(unknown_names_and_numbers_give_null),
		cmocka_unit_test(empty_and_null_keys_give_null),
		cmocka_unit_test(numbers_with_trailing_or_leading_junk_give_null),
		cmocka_unit_test(every_entry_has_name_and_one_line_meaning),
		cmocka_unit_test(windows_codes_are_wsa_range_or_zero),
		cmocka_unit_test(no_two_entries_share_a_linux_errno_or_windows_code),
		cmocka_unit_test(every_entry_is_found_by_each_of_its_spellings),
		cmocka_unit_test(eaddrinuse_says_the_holder_may_set_its_flag_late),
		cmocka_unit_test(windows_texts_name_their_windows_and_source),
		cmocka_unit_test(wsaeacces_covers_administrator_and_excluded_ranges),
		cmocka_unit_test(enetunreach_says_a_bound_sender_needs_no_route),
		cmocka_unit_test(einval_and_eaddrnotavail_state_the_smaller_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
