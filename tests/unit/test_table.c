/* test_table.c — the socket table's columns (render/table.c) and the gone
 * rows watch holds (inspect_held_*, inspect/diff.c).
 *
 * The rows are made by hand: what is tested is the layout, not the
 * kernel (the CLI tests read the kernel). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "inspect/inspect.h"
#include "render/table.h"

#define UDP_UNCONN 7

static struct inspect_sock row(uint16_t lport, uint16_t rport, int ra, int rp, uint64_t cookie)
{
	struct inspect_sock s = {
		.family = AF_INET, .proto = IPPROTO_UDP, .state = UDP_UNCONN,
		.lport = lport, .rport = rport, .uid = 65534, .inode = 1000 + lport,
		.cookie = cookie, .pid = 4242, .fd = 7, .comm = "sockmix",
		.reuseaddr = (int8_t)ra, .reuseport = (int8_t)rp, .broadcast = 0,
	};
	uint32_t a = htonl(0x7f000001);

	memcpy(&s.laddr, &a, 4);
	if (rport)
		memcpy(&s.raddr, &a, 4);
	return s;
}

/* table_print of snap into a string (caller frees). */
static char *print(const struct inspect_snap *snap, const struct inspect_snap *gone, int width)
{
	struct table_opts o = {
		.show_sendq = 1, .show_uid = 1, .show_owner = 1, .show_flags = 1,
		.show_timer = 1, .show_pids = 1, .width = width,
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	table_print(f, snap, gone, &o);
	fclose(f);
	return buf;
}

static int longest_line(const char *text)
{
	int best = 0, n = 0;

	for (; *text; text++, n++)
		if (*text == '\n') {
			if (n > best)
				best = n;
			n = -1;
		}
	return best;
}

static struct inspect_sock rows[3];
static struct inspect_snap snap = { rows, 3, 3 };

static void setup_rows(void)
{
	rows[0] = row(6100, 0, 1, 0, 1);
	rows[1] = row(6101, 0, 0, 1, 2);
	rows[2] = row(45678, 6200, 1, 1, 3);
}

/* No width (a pipe): the fixed layout scripts read, as it always was. */
static void test_no_width_is_the_full_layout(void **state)
{
	char *out;

	(void)state;
	setup_rows();
	out = print(&snap, NULL, 0);
	assert_non_null(strstr(out, "  NET  STATE      LOCAL                    PEER                     "
				    "RECV-Q SEND-Q   UID  OWNER                    FLAGS TIMER\n"));
	assert_non_null(strstr(out, "  UDP  UNCONN     127.0.0.1:6100           0.0.0.0:*                "
				    "     0      0 65534  sockmix pid 4242 fd 7    reuseaddr\n"));
	assert_non_null(strstr(out, "reuseaddr,reuseport\n"));
	free(out);
}

/* 80 columns: every line fits, the header whole; UID, OWNER, FLAGS kept,
 * the flags in their short form. */
static void test_80_columns_keep_uid_owner_flags(void **state)
{
	char *out, *nl;

	(void)state;
	setup_rows();
	out = print(&snap, NULL, 80);
	assert_true(longest_line(out) <= 80);
	nl = strchr(out, '\n');
	assert_non_null(nl);
	*nl = '\0';
	assert_non_null(strstr(out, "UID"));
	assert_non_null(strstr(out, "OWNER"));
	assert_non_null(strstr(out, "FLAGS"));
	*nl = '\n';
	assert_non_null(strstr(out, "65534"));
	assert_non_null(strstr(out, "sockmix"));
	assert_non_null(strstr(out, " ra\n"));
	assert_non_null(strstr(out, " rp\n"));
	assert_non_null(strstr(out, " ra,rp\n"));
	assert_null(strstr(out, "reuseaddr"));
	free(out);
}

/* Narrower still: columns go by rank (SEND-Q first), addresses are cut
 * keeping their port, the flags stay. */
static void test_narrow_cuts_addresses_keeps_flags(void **state)
{
	char *out;

	(void)state;
	setup_rows();
	out = print(&snap, NULL, 60);
	assert_true(longest_line(out) <= 60);
	assert_null(strstr(out, "SEND-Q"));
	assert_non_null(strstr(out, "FLAGS"));
	assert_non_null(strstr(out, ":45678"));
	assert_non_null(strstr(out, " ra,rp\n"));
	free(out);
}

/* A gone row is drawn with its - mark after the live ones. */
static void test_gone_rows_marked(void **state)
{
	struct inspect_sock g = row(6300, 0, 0, 0, 9);
	struct inspect_snap gone = { &g, 1, 1 };
	char *out;

	(void)state;
	setup_rows();
	out = print(&snap, &gone, 80);
	assert_non_null(strstr(out, "\n- UDP"));
	free(out);
}

/* Held gone rows: one per socket; let go when back or drawn long enough. */
static void test_held_rows(void **state)
{
	struct inspect_held h = { 0 };
	struct inspect_sock a = row(6100, 0, 1, 0, 11), b = row(6101, 0, 0, 1, 12);
	struct inspect_sock tw = row(6101, 0, 0, 1, 12);
	struct inspect_snap cur = { &tw, 1, 1 }, empty = { 0 };

	(void)state;
	tw.inode = 0;	/* a TIME-WAIT successor: same cookie, no file */
	assert_int_equal(inspect_held_add(&h, &a), 0);
	assert_int_equal(inspect_held_add(&h, &a), 0);
	assert_int_equal(h.rows.n, 1);
	assert_int_equal(inspect_held_add(&h, &b), 0);
	assert_int_equal(h.rows.n, 2);
	/* b's socket is in cur again: let go; a drawn now */
	inspect_held_update(&h, &cur, 10000, 2000);
	assert_int_equal(h.rows.n, 1);
	assert_int_equal(h.rows.v[0].lport, 6100);
	/* still there 1.9 s after its first frame, gone at 2 s */
	inspect_held_update(&h, &empty, 11900, 2000);
	assert_int_equal(h.rows.n, 1);
	inspect_held_update(&h, &empty, 12000, 2000);
	assert_int_equal(h.rows.n, 0);
	inspect_held_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_width_is_the_full_layout),
		cmocka_unit_test(test_80_columns_keep_uid_owner_flags),
		cmocka_unit_test(test_narrow_cuts_addresses_keeps_flags),
		cmocka_unit_test(test_gone_rows_marked),
		cmocka_unit_test(test_held_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
