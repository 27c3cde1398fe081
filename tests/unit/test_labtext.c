/* test_labtext.c — a lab's narration translated by its consumer
 * (runner/labtext.h), and i18n_fill, which puts the lab's own arguments
 * into a translated format (i18n.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "i18n.h"
#include "runner/labtext.h"

/* A catalog of three messages, as po/zh_CN.po would have them. */
static const char *catalog(const char *msgid)
{
	static const char *const pairs[][2] = {
		{ "The server binds 127.0.0.1:%d the listenUDP way", "服务器以 listenUDP 的方式绑定 127.0.0.1:%d" },
		{ "reactor.listenUDP(%d, proto) sets no options", "reactor.listenUDP(%d, proto) 不设置任何选项" },
		{ "%s sends from port %d", "从端口 %2$d 发送的是 %1$s" },
		{ "a note", "一条备注" },
	};

	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		if (strcmp(msgid, pairs[i][0]) == 0)
			return pairs[i][1];
	return msgid;
}

static struct proto_event step(const char *title, const char *why, const char *fmt,
			       const char *args)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = PROTO_STEP;
	snprintf(ev.title, sizeof ev.title, "%s", title);
	snprintf(ev.why, sizeof ev.why, "%s", why);
	snprintf(ev.fmt, sizeof ev.fmt, "%s", fmt);
	snprintf(ev.args, sizeof ev.args, "%s", args);
	return ev;
}

static void fill_in_order_by_position_and_percent(void **state)
{
	const char *args[] = { "the client", "5000" };
	char out[64];

	(void)state;
	assert_int_equal(i18n_fill(out, sizeof out, "%s on %d", args, 2), 0);
	assert_string_equal(out, "the client on 5000");
	assert_int_equal(i18n_fill(out, sizeof out, "%2$d: %1$s, 100%%", args, 2), 0);
	assert_string_equal(out, "5000: the client, 100%");
	/* the conversion's flags were the lab's: the argument comes as printed */
	assert_int_equal(i18n_fill(out, sizeof out, "[%-8s]", args, 1), 0);
	assert_string_equal(out, "[the client]");
}

static void fill_refuses_a_missing_argument_or_a_star(void **state)
{
	const char *args[] = { "5000" };
	char out[64];

	(void)state;
	assert_int_equal(i18n_fill(out, sizeof out, "%d and %d", args, 1), -1);
	assert_int_equal(i18n_fill(out, sizeof out, "%3$d", args, 1), -1);
	assert_int_equal(i18n_fill(out, sizeof out, "%*d", args, 1), -1);
	assert_int_equal(i18n_nargs("%*d"), -1);
	assert_int_equal(i18n_nargs("no conversion, 100%%"), 0);
	assert_int_equal(i18n_nargs("%2$s %1$d"), 2);
}

static void fill_cuts_between_characters(void **state)
{
	const char *args[] = { "端口" };	/* 6 bytes */
	char out[6];

	(void)state;
	assert_int_equal(i18n_fill(out, sizeof out, "a%s", args, 1), 0);
	assert_string_equal(out, "a端");	/* not half of 口 */
}

static void a_step_is_translated_with_the_labs_own_arguments(void **state)
{
	struct proto_event ev = step("The server binds 127.0.0.1:5000 the listenUDP way",
				     "reactor.listenUDP(5000, proto) sets no options",
				     "The server binds 127.0.0.1:%d the listenUDP way\x1f"
				     "reactor.listenUDP(%d, proto) sets no options",
				     "5000\x1f" "5000");

	(void)state;
	labtext_translate_with(&ev, catalog);
	assert_string_equal(ev.title, "服务器以 listenUDP 的方式绑定 127.0.0.1:5000");
	assert_string_equal(ev.why, "reactor.listenUDP(5000, proto) 不设置任何选项");
}

static void untranslated_or_unfit_texts_stay_as_the_lab_printed_them(void **state)
{
	/* no translation: the text as printed, byte for byte */
	struct proto_event ev = step("Something else on 5001", "", "Something else on %d\x1f", "5001");
	struct proto_event bad = step("The server binds 127.0.0.1:5000 the listenUDP way", "",
				      "The server binds 127.0.0.1:%d the listenUDP way\x1f", "");
	struct proto_event note;

	(void)state;
	labtext_translate_with(&ev, catalog);
	assert_string_equal(ev.title, "Something else on 5001");
	/* the arguments do not fit the format (an older or broken lab) */
	labtext_translate_with(&bad, catalog);
	assert_string_equal(bad.title, "The server binds 127.0.0.1:5000 the listenUDP way");
	/* a note without a format: the text is its own msgid */
	memset(&note, 0, sizeof note);
	note.kind = PROTO_NOTE;
	snprintf(note.text, sizeof note.text, "a note");
	labtext_translate_with(&note, catalog);
	assert_string_equal(note.text, "一条备注");
	/* positions in the translation */
	snprintf(note.text, sizeof note.text, "the client sends from port 5000");
	snprintf(note.fmt, sizeof note.fmt, "%%s sends from port %%d");
	snprintf(note.args, sizeof note.args, "the client\x1f" "5000");
	labtext_translate_with(&note, catalog);
	assert_string_equal(note.text, "从端口 5000 发送的是 the client");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fill_in_order_by_position_and_percent),
		cmocka_unit_test(fill_refuses_a_missing_argument_or_a_star),
		cmocka_unit_test(fill_cuts_between_characters),
		cmocka_unit_test(a_step_is_translated_with_the_labs_own_arguments),
		cmocka_unit_test(untranslated_or_unfit_texts_stay_as_the_lab_printed_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
