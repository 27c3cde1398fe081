/* test_proto.c — control protocol: encoding, parsing, escaping, cutting. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lab/proto.h"

/* Every awkward byte a value can hold: space, '%', '=', newline, tab,
 * CR, DEL, a control byte, UTF-8 (é, €) and a lone high byte. */
#define NASTY "a b%c=d\ne\tf\rg\x7fh\x01i \xc3\xa9 \xe2\x82\xac \xff!~"

static struct proto_event blank(enum proto_kind kind)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);	/* padding too: events are compared whole */
	ev.kind = kind;
	return ev;
}

static void set(char *dst, size_t size, const char *src)
{
	assert_true(strlen(src) < size);
	memcpy(dst, src, strlen(src) + 1);
}

/* The line is one protocol line: fits, ends in its only '\n', and every
 * byte of it is printable ASCII or the single spaces between fields. */
static void assert_wire_line(const char *buf, size_t n)
{
	assert_int_equal(n, strlen(buf));
	assert_true(n > 0);
	assert_true(n < PROTO_LINE_MAX);
	assert_int_equal(buf[n - 1], '\n');
	for (size_t i = 0; i + 1 < n; i++) {
		unsigned char c = (unsigned char)buf[i];

		assert_true(c == ' ' || (c >= '!' && c <= '~'));
		if (c == '%') {	/* never a half escape */
			assert_true(i + 2 < n - 1);
			assert_non_null(strchr("0123456789ABCDEF", buf[i + 1]));
			assert_non_null(strchr("0123456789ABCDEF", buf[i + 2]));
		}
	}
}

static void assert_event_equal(const struct proto_event *a, const struct proto_event *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->num, b->num);
	assert_int_equal(a->pid, b->pid);
	assert_int_equal(a->line, b->line);
	assert_int_equal(a->step, b->step);
	assert_int_equal(a->ret, b->ret);
	assert_int_equal(a->err, b->err);
	assert_int_equal(a->want, b->want);
	assert_int_equal(a->ok, b->ok);
	assert_int_equal(a->pass, b->pass);
	assert_int_equal(a->fail, b->fail);
	assert_int_equal(a->port, b->port);
	assert_int_equal(a->sandbox, b->sandbox);
	assert_string_equal(a->role, b->role);
	assert_string_equal(a->name, b->name);
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->slug, b->slug);
	assert_string_equal(a->file, b->file);
	assert_string_equal(a->title, b->title);
	assert_string_equal(a->why, b->why);
	assert_string_equal(a->expr, b->expr);
	assert_string_equal(a->text, b->text);
	assert_string_equal(a->data, b->data);
	assert_string_equal(a->from, b->from);
	/* and nothing else: the parser leaves the rest zero */
	assert_memory_equal(a, b, sizeof *a);
}

/* Encode ev, check the wire form, parse it back, compare. */
static void round_trip(const struct proto_event *ev)
{
	char buf[PROTO_LINE_MAX];
	struct proto_event back;
	size_t n;

	n = proto_encode(buf, sizeof buf, ev);
	assert_wire_line(buf, n);
	memset(&back, 0xA5, sizeof back);
	assert_int_equal(proto_parse(buf, &back), 0);
	assert_event_equal(&back, ev);
}

static void lab_event_round_trips_all_fields(void **state)
{
	struct proto_event ev = blank(PROTO_LAB);

	(void)state;
	ev.num = 4;
	ev.pid = LONG_MAX;
	ev.port = 65535;
	ev.sandbox = 1;
	set(ev.slug, sizeof ev.slug, "addr-in-use");
	set(ev.file, sizeof ev.file, "/home/a user/100% labs/04=x.c");
	set(ev.title, sizeof ev.title, NASTY);
	set(ev.text, sizeof ev.text, "Two sockets,\none port: \xc3\xa9t\xc3\xa9");
	round_trip(&ev);
}

static void role_event_round_trips_all_fields(void **state)
{
	struct proto_event ev = blank(PROTO_ROLE);

	(void)state;
	ev.pid = 4121;
	ev.line = 42;
	set(ev.name, sizeof ev.name, "ser ver%=\t\n");
	set(ev.host, sizeof ev.host, "alice");
	round_trip(&ev);
}

static void host_event_round_trips_all_fields(void **state)
{
	struct proto_event ev = blank(PROTO_HOST);

	(void)state;
	ev.pid = 77;
	ev.line = 64;
	set(ev.host, sizeof ev.host, "r");
	set(ev.ifname, sizeof ev.ifname, "eth1");
	set(ev.addr, sizeof ev.addr, "10.1.0.1/24");
	set(ev.link, sizeof ev.link, "wan");
	round_trip(&ev);
	assert_true(proto_is_outcome(PROTO_HOST));
}

static void step_event_round_trips_all_fields(void **state)
{
	struct proto_event ev = blank(PROTO_STEP);

	(void)state;
	ev.step = 12;
	ev.pid = 1;
	ev.line = 999999;
	set(ev.role, sizeof ev.role, "client");
	set(ev.title, sizeof ev.title, "The first socket binds 127.0.0.1:5000");
	set(ev.why, sizeof ev.why, NASTY);
	round_trip(&ev);
}

static void call_event_round_trips_negative_and_extreme_numbers(void **state)
{
	struct proto_event ev = blank(PROTO_CALL);

	(void)state;
	ev.pid = 4120;
	ev.line = 31;
	ev.ret = -1;
	ev.err = 98;
	ev.want = 98;
	ev.ok = 1;
	set(ev.role, sizeof ev.role, "peer");
	set(ev.expr, sizeof ev.expr, "bind(second, (struct sockaddr *)&a, sizeof a) == 0 % 2");
	round_trip(&ev);

	ev.ret = LONG_MIN;
	ev.err = LONG_MAX;
	ev.want = -98;
	ev.ok = 0;
	ev.pid = -1;
	ev.line = 0;
	round_trip(&ev);

	/* a receive: what it got and from whom */
	ev.ret = 5;
	set(ev.data, sizeof ev.data, "re\\x00ply \\\"%=");
	set(ev.from, sizeof ev.from, "[::1]:5001");
	round_trip(&ev);
}

static void check_event_round_trips_all_fields(void **state)
{
	struct proto_event ev = blank(PROTO_CHECK);

	(void)state;
	ev.pid = 77;
	ev.line = 8;
	ev.ok = 1;
	set(ev.role, sizeof ev.role, "server");
	set(ev.expr, sizeof ev.expr, "n == 5 && buf[0] == '%'");
	round_trip(&ev);
}

static void note_event_round_trips_all_fields(void **state)
{
	struct proto_event ev = blank(PROTO_NOTE);

	(void)state;
	ev.pid = 3;
	ev.line = 4;
	set(ev.role, sizeof ev.role, "\xe2\x82\xac");
	set(ev.text, sizeof ev.text, NASTY);
	round_trip(&ev);
}

static void error_event_round_trips_all_fields(void **state)
{
	struct proto_event ev = blank(PROTO_ERROR);

	(void)state;
	ev.pid = 5;
	ev.line = -7;
	set(ev.role, sizeof ev.role, "r");
	set(ev.text, sizeof ev.text, "role 'server' died: signal 9 (Killed)\n");
	round_trip(&ev);
}

static void end_event_round_trips_all_fields(void **state)
{
	struct proto_event ev = blank(PROTO_END);

	(void)state;
	ev.pass = 2;
	ev.fail = 0;
	round_trip(&ev);
	ev.pass = LONG_MAX;
	ev.fail = LONG_MIN;
	round_trip(&ev);
}

static void claim_event_round_trips_all_fields(void **state)
{
	struct proto_event ev = blank(PROTO_CLAIM);
	char buf[PROTO_LINE_MAX];

	(void)state;
	ev.pid = 4120;
	ev.line = 61;
	ev.step = 5;
	set(ev.role, sizeof ev.role, "holder");
	set(ev.id, sizeof ev.id, "holder-flag-read-late");
	round_trip(&ev);
	/* the documented wire form, in the documented order */
	proto_encode(buf, sizeof buf, &ev);
	assert_string_equal(buf, "claim pid=4120 line=61 step=5 role=holder id=holder-flag-read-late\n");
	/* step 0: a CLAIM() the run never reached */
	ev.step = 0;
	memset(ev.role, 0, sizeof ev.role);
	round_trip(&ev);
}

static void empty_strings_are_left_out_and_read_back_empty(void **state)
{
	struct proto_event ev = blank(PROTO_NOTE);
	char buf[PROTO_LINE_MAX];
	size_t n;

	(void)state;
	ev.pid = 9;
	ev.line = 10;
	n = proto_encode(buf, sizeof buf, &ev);
	assert_string_equal(buf, "note pid=9 line=10\n");
	assert_int_equal(n, strlen("note pid=9 line=10\n"));
	round_trip(&ev);

	ev = blank(PROTO_LAB);	/* every string of the kind empty */
	round_trip(&ev);
	ev = blank(PROTO_STEP);
	round_trip(&ev);
	ev = blank(PROTO_CALL);
	round_trip(&ev);
}

static void encode_escapes_exactly_the_documented_bytes(void **state)
{
	struct proto_event ev = blank(PROTO_NOTE);
	char buf[PROTO_LINE_MAX];

	(void)state;
	ev.pid = -12;
	ev.line = 3;
	set(ev.role, sizeof ev.role, "a=b");
	set(ev.text, sizeof ev.text, "! ~%=\n\t\x7f\xc3\xa9\x01");
	proto_encode(buf, sizeof buf, &ev);
	assert_string_equal(buf,
		"note pid=-12 line=3 role=a%3Db text=!%20~%25%3D%0A%09%7F%C3%A9%01\n");
}

static void fields_of_other_kinds_are_not_encoded(void **state)
{
	struct proto_event ev = blank(PROTO_END);
	char buf[PROTO_LINE_MAX];

	(void)state;
	ev.pass = 1;
	ev.fail = 2;
	ev.pid = 3;
	ev.num = 4;
	set(ev.text, sizeof ev.text, "not an end field");
	proto_encode(buf, sizeof buf, &ev);
	assert_string_equal(buf, "end pass=1 fail=2 errors=0 skip=0\n");
}

static void parse_accepts_line_with_and_without_newline(void **state)
{
	struct proto_event ev;

	(void)state;
	assert_int_equal(proto_parse("end pass=2 fail=1\n", &ev), 0);
	assert_int_equal(ev.kind, PROTO_END);
	assert_int_equal(ev.pass, 2);
	assert_int_equal(ev.fail, 1);

	assert_int_equal(proto_parse("end pass=2 fail=1", &ev), 0);
	assert_int_equal(ev.kind, PROTO_END);
	assert_int_equal(ev.pass, 2);
	assert_int_equal(ev.fail, 1);

	assert_int_equal(proto_parse("end\n", &ev), 0);	/* no fields at all */
	assert_int_equal(ev.kind, PROTO_END);
	assert_int_equal(ev.pass, 0);
	assert_int_equal(proto_parse("end", &ev), 0);
}

static void parse_clears_fields_absent_from_the_line(void **state)
{
	struct proto_event ev;

	(void)state;
	memset(&ev, 0x5A, sizeof ev);
	assert_int_equal(proto_parse("note pid=1\n", &ev), 0);
	assert_int_equal(ev.pid, 1);
	assert_int_equal(ev.line, 0);
	assert_string_equal(ev.role, "");
	assert_string_equal(ev.text, "");
}

static void parse_ignores_unknown_keys(void **state)
{
	struct proto_event ev;

	(void)state;
	assert_int_equal(proto_parse("note colour=blue pid=1 future=a%20b line=2 "
				     "text=hi zz=\n", &ev), 0);
	assert_int_equal(ev.kind, PROTO_NOTE);
	assert_int_equal(ev.pid, 1);
	assert_int_equal(ev.line, 2);
	assert_string_equal(ev.text, "hi");
}

static void parse_accepts_lowercase_hex_escapes(void **state)
{
	struct proto_event ev;

	(void)state;
	assert_int_equal(proto_parse("note text=a%3db%c3%a9", &ev), 0);
	assert_string_equal(ev.text, "a=b\xc3\xa9");
}

static void parse_cuts_strings_longer_than_their_field(void **state)
{
	struct proto_event ev;
	char line[128];

	(void)state;
	/* role is 32 bytes: 40 characters keep 31 and the NUL */
	snprintf(line, sizeof line, "note role=%s pid=7\n",
		 "0123456789012345678901234567890123456789");
	assert_int_equal(proto_parse(line, &ev), 0);
	assert_string_equal(ev.role, "0123456789012345678901234567890");
	assert_int_equal(ev.pid, 7);
}

static void assert_bad(const char *line)
{
	struct proto_event ev;

	errno = 0;
	if (proto_parse(line, &ev) != -1 || errno != EBADMSG)
		fail_msg("proto_parse(\"%s\") should fail with EBADMSG (errno %d)", line, errno);
}

static void parse_rejects_unknown_kind(void **state)
{
	(void)state;
	assert_bad("bogus pid=1\n");
	assert_bad("NOTE pid=1\n");	/* kinds are lower case */
	assert_bad("notes pid=1\n");
	assert_bad("not pid=1\n");
	assert_bad("go\n");
	assert_bad("");
	assert_bad("\n");
	assert_bad(" note pid=1\n");
}

static void parse_rejects_key_without_value_separator(void **state)
{
	(void)state;
	assert_bad("note pid\n");
	assert_bad("note pid=1 line\n");
	assert_bad("note unknownkey\n");	/* even an unknown key needs '=' */
}

static void parse_rejects_empty_key(void **state)
{
	(void)state;
	assert_bad("note =5\n");
	assert_bad("note pid=1 =x\n");
	assert_bad("note =\n");
}

static void parse_rejects_bad_spacing(void **state)
{
	(void)state;
	assert_bad("note  pid=1\n");	/* fields are separated by one space */
	assert_bad("note pid=1 \n");
	assert_bad("note pid=1 ");
}

static void parse_rejects_bad_escape(void **state)
{
	(void)state;
	assert_bad("note text=%G1\n");
	assert_bad("note text=%1G\n");
	assert_bad("note text=%4\n");
	assert_bad("note text=%4");
	assert_bad("note text=abc%\n");
	assert_bad("note text=abc%");
	assert_bad("note text=% 1\n");
	assert_bad("lab slug=a%zzb\n");
}

static void parse_rejects_non_numeric_value_for_numeric_key(void **state)
{
	(void)state;
	assert_bad("note pid=abc\n");
	assert_bad("note pid=12x\n");
	assert_bad("note pid=x12\n");
	assert_bad("note pid=\n");
	assert_bad("note pid=-\n");
	assert_bad("note pid=0x10\n");
	assert_bad("note pid=1.5\n");
	assert_bad("note pid=%31\n");	/* numbers are never escaped */
	assert_bad("end pass=1 fail=two\n");
}

static void parse_rejects_numeric_overflow(void **state)
{
	char line[64];

	(void)state;
	assert_bad("note pid=9223372036854775808\n");	/* LONG_MAX + 1 on LP64 */
	assert_bad("note pid=-9223372036854775809\n");
	assert_bad("note pid=99999999999999999999\n");
	assert_bad("note pid=99999999999999999999999999999999999999999\n");
	snprintf(line, sizeof line, "note pid=%ld1\n", LONG_MAX);
	assert_bad(line);
}

static void parse_accepts_numeric_extremes(void **state)
{
	struct proto_event ev;
	char line[96];

	(void)state;
	snprintf(line, sizeof line, "call ret=%ld err=%ld\n", LONG_MIN, LONG_MAX);
	assert_int_equal(proto_parse(line, &ev), 0);
	assert_int_equal(ev.ret, LONG_MIN);
	assert_int_equal(ev.err, LONG_MAX);
}

static void parse_rejects_garbage_after_the_line(void **state)
{
	(void)state;
	assert_bad("note pid=1\ngarbage");
	assert_bad("note pid=1\n\n");
	assert_bad("note pid=1\nnote pid=2\n");
	assert_bad("end\nx");
	assert_bad("end\n ");
}

/* A lab event whose strings are as long as their fields and made of bytes
 * that each need a 3-byte escape: the line must be cut.  prefix plain bytes
 * in front of text shift where the cut falls relative to the escapes. */
static void check_cut_lab_event(size_t prefix)
{
	struct proto_event ev = blank(PROTO_LAB), back;
	char buf[PROTO_LINE_MAX];
	size_t n, got;

	ev.num = 7;
	ev.pid = LONG_MIN;
	ev.port = 5000;
	ev.sandbox = 1;
	memset(ev.slug, '%', sizeof ev.slug - 1);
	memset(ev.file, '=', sizeof ev.file - 1);
	memset(ev.title, '\n', sizeof ev.title - 1);
	memset(ev.text, '%', sizeof ev.text - 1);
	memset(ev.text, 'x', prefix);

	memset(buf, 0x55, sizeof buf);
	n = proto_encode(buf, sizeof buf, &ev);
	assert_wire_line(buf, n);
	/* cut as late as possible: at most an escape's worth left unused */
	assert_true(n >= PROTO_LINE_MAX - 4);

	assert_int_equal(proto_parse(buf, &back), 0);
	assert_int_equal(back.kind, PROTO_LAB);
	assert_int_equal(back.num, 7);
	assert_int_equal(back.pid, LONG_MIN);
	assert_int_equal(back.port, 5000);
	assert_int_equal(back.sandbox, 1);
	assert_string_equal(back.slug, ev.slug);	/* numbers and earlier */
	assert_string_equal(back.file, ev.file);	/* strings survive whole */
	assert_string_equal(back.title, ev.title);
	got = strlen(back.text);
	assert_true(got > prefix);
	assert_true(got < strlen(ev.text));
	assert_memory_equal(back.text, ev.text, got);	/* a prefix of it */
}

static void long_lab_event_is_cut_below_line_max_and_still_parses(void **state)
{
	(void)state;
	check_cut_lab_event(0);
}

static void cut_never_splits_an_escape_whatever_the_alignment(void **state)
{
	(void)state;
	check_cut_lab_event(1);
	check_cut_lab_event(2);
	check_cut_lab_event(3);
}

static void encode_into_short_buffers_cuts_at_escape_boundaries(void **state)
{
	struct proto_event ev = blank(PROTO_NOTE), back;
	char buf[512];

	(void)state;
	ev.pid = 1;
	ev.line = 2;
	set(ev.text, sizeof ev.text,
	    "ab%c d\xc3\xa9=e\n\tfgh%%%ijk==l m n o p q r s t u v w x y z 0123456789"
	    "%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%"
	    "abcdefghijklmnopqrstuvwxyz%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%");
	for (size_t len = 24; len <= sizeof buf; len++) {
		size_t n;

		memset(buf, 0x55, sizeof buf);
		n = proto_encode(buf, len, &ev);
		assert_wire_line(buf, n);
		assert_true(n < len);
		for (size_t i = n + 1; i < sizeof buf; i++)	/* nothing written past NUL */
			assert_int_equal((unsigned char)buf[i], 0x55);
		assert_int_equal(proto_parse(buf, &back), 0);
		assert_int_equal(back.pid, 1);
		assert_int_equal(back.line, 2);
		assert_memory_equal(back.text, ev.text, strlen(back.text));
	}
}

static void largest_step_call_and_note_events_are_not_cut(void **state)
{
	struct proto_event ev;

	(void)state;
	ev = blank(PROTO_STEP);	/* every string full and all escapes */
	ev.step = LONG_MIN;
	ev.pid = LONG_MIN;
	ev.line = LONG_MIN;
	memset(ev.role, '%', sizeof ev.role - 1);
	memset(ev.title, '\xff', sizeof ev.title - 1);
	memset(ev.why, ' ', sizeof ev.why - 1);
	round_trip(&ev);

	ev = blank(PROTO_CALL);
	ev.pid = ev.line = ev.ret = ev.err = ev.want = ev.ok = LONG_MIN;
	memset(ev.role, '=', sizeof ev.role - 1);
	memset(ev.expr, '\t', sizeof ev.expr - 1);
	round_trip(&ev);

	ev = blank(PROTO_NOTE);
	ev.pid = ev.line = LONG_MIN;
	memset(ev.role, '\n', sizeof ev.role - 1);
	memset(ev.text, '%', sizeof ev.text - 1);
	round_trip(&ev);

	ev = blank(PROTO_ERROR);
	ev.pid = ev.line = LONG_MIN;
	memset(ev.role, '\n', sizeof ev.role - 1);
	memset(ev.text, '\x80', sizeof ev.text - 1);
	round_trip(&ev);
}

static void encode_of_invalid_kind_writes_nothing(void **state)
{
	struct proto_event ev = blank(PROTO_NKINDS);
	char buf[PROTO_LINE_MAX];

	(void)state;
	assert_int_equal(proto_encode(buf, sizeof buf, &ev), 0);
}

static void kind_names_match_the_wire_and_parse_back(void **state)
{
	static const char *const want[PROTO_NKINDS] = {
		[PROTO_LAB] = "lab", [PROTO_ROLE] = "role", [PROTO_STEP] = "step",
		[PROTO_CALL] = "call", [PROTO_CHECK] = "check", [PROTO_NOTE] = "note",
		[PROTO_ERROR] = "error", [PROTO_END] = "end", [PROTO_SKIP] = "skip",
		[PROTO_CLAIM] = "claim", [PROTO_HOST] = "host",
	};

	(void)state;
	for (int k = 0; k < PROTO_NKINDS; k++) {
		struct proto_event ev = blank((enum proto_kind)k), back;
		char buf[PROTO_LINE_MAX];

		assert_string_equal(proto_kind_name((enum proto_kind)k), want[k]);
		proto_encode(buf, sizeof buf, &ev);
		assert_int_equal(strncmp(buf, want[k], strlen(want[k])), 0);
		assert_int_equal(proto_parse(want[k], &back), 0);
		assert_int_equal(back.kind, k);
	}
	assert_string_equal(proto_kind_name(PROTO_NKINDS), "?");
	assert_string_equal(proto_kind_name((enum proto_kind)-1), "?");
	assert_string_equal(proto_kind_name((enum proto_kind)1000), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lab_event_round_trips_all_fields),
		cmocka_unit_test(role_event_round_trips_all_fields),
		cmocka_unit_test(host_event_round_trips_all_fields),
		cmocka_unit_test(step_event_round_trips_all_fields),
		cmocka_unit_test(call_event_round_trips_negative_and_extreme_numbers),
		cmocka_unit_test(check_event_round_trips_all_fields),
		cmocka_unit_test(note_event_round_trips_all_fields),
		cmocka_unit_test(error_event_round_trips_all_fields),
		cmocka_unit_test(end_event_round_trips_all_fields),
		cmocka_unit_test(claim_event_round_trips_all_fields),
		cmocka_unit_test(empty_strings_are_left_out_and_read_back_empty),
		cmocka_unit_test(encode_escapes_exactly_the_documented_bytes),
		cmocka_unit_test(fields_of_other_kinds_are_not_encoded),
		cmocka_unit_test(parse_accepts_line_with_and_without_newline),
		cmocka_unit_test(parse_clears_fields_absent_from_the_line),
		cmocka_unit_test(parse_ignores_unknown_keys),
		cmocka_unit_test(parse_accepts_lowercase_hex_escapes),
		cmocka_unit_test(parse_cuts_strings_longer_than_their_field),
		cmocka_unit_test(parse_rejects_unknown_kind),
		cmocka_unit_test(parse_rejects_key_without_value_separator),
		cmocka_unit_test(parse_rejects_empty_key),
		cmocka_unit_test(parse_rejects_bad_spacing),
		cmocka_unit_test(parse_rejects_bad_escape),
		cmocka_unit_test(parse_rejects_non_numeric_value_for_numeric_key),
		cmocka_unit_test(parse_rejects_numeric_overflow),
		cmocka_unit_test(parse_accepts_numeric_extremes),
		cmocka_unit_test(parse_rejects_garbage_after_the_line),
		cmocka_unit_test(long_lab_event_is_cut_below_line_max_and_still_parses),
		cmocka_unit_test(cut_never_splits_an_escape_whatever_the_alignment),
		cmocka_unit_test(encode_into_short_buffers_cuts_at_escape_boundaries),
		cmocka_unit_test(largest_step_call_and_note_events_are_not_cut),
		cmocka_unit_test(encode_of_invalid_kind_writes_nothing),
		cmocka_unit_test(kind_names_match_the_wire_and_parse_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
