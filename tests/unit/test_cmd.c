/* test_cmd.c — the command line as cmd_exec() parses it from an entry
 * (options in order, operands, --help, the one-line errors), the option
 * value check, and the lab argument (number, range, name, path). */
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmd.h"
#include "runner/registry.h"

/* ---- what exec saw, and what went to stderr --------------------------- */

static struct {
	int calls;
	int nopts;
	struct cmd_opt opts[8];
	int argc;
	char *argv[8];
	int words;
	long port;
} seen;

static char *err_text;
static size_t err_len;
static FILE *real_stderr;

static void capture_stderr(void)
{
	real_stderr = stderr;
	free(err_text);
	err_text = NULL;
	stderr = open_memstream(&err_text, &err_len);
	assert_non_null(stderr);
}

/* What was written to stderr since capture_stderr(). */
static const char *captured(void)
{
	fclose(stderr);
	stderr = real_stderr;
	return err_text ? err_text : "";
}

enum { OPT_PORT = 256, OPT_FLAG };

static const struct option options[] = {
	{ "port", required_argument, NULL, OPT_PORT },
	{ "flag", no_argument, NULL, OPT_FLAG },
	{ NULL, 0, NULL, 0 }
};

static int fake_exec(const struct cmd_args *a)
{
	seen.calls++;
	seen.nopts = a->nopts;
	seen.words = a->words;
	for (int i = 0; i < a->nopts && i < 8; i++)
		seen.opts[i] = a->opts[i];
	seen.argc = a->argc;
	for (int i = 0; i < a->argc && i < 8; i++)
		seen.argv[i] = a->argv[i];
	CMD_FOR_OPTS(a, o)
		if (o->opt == OPT_PORT && cmd_opt_long(a, o, 1, 65535, "a port 1..65535", &seen.port))
			return CMD_USAGE;
	return 42;
}

static const struct cmd_entry one = {
	.name = "fake",
	.usage = "THING [--port P] [--flag] [-4]",
	.summary = "a command for the tests",
	.help = "  --port P   a port\n",
	.args = { options, "4", 1, "thing" },
	.exec = fake_exec,
};

static const struct cmd_entry none = {
	.name = "bare",
	.usage = "",
	.summary = "takes nothing",
	.exec = fake_exec,
};

/* exec(argv...) of entry e: its status; argv is copied (getopt permutes) */
static int run(const struct cmd_entry *e, ...)
{
	char *argv[16];
	int argc = 0;
	va_list ap;

	memset(&seen, 0, sizeof seen);
	va_start(ap, e);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	return cmd_exec(e, argc, argv);
}

static void options_in_order_operands_after(void **state)
{
	(void)state;
	assert_int_equal(run(&one, "fake", "--flag", "x", "-4", "--po", "5000", NULL), 42);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.nopts, 3);
	assert_int_equal(seen.opts[0].opt, OPT_FLAG);
	assert_null(seen.opts[0].arg);
	assert_int_equal(seen.opts[1].opt, '4');
	assert_string_equal(seen.opts[1].name, "-4");
	/* an abbreviation is named as the table spells it */
	assert_int_equal(seen.opts[2].opt, OPT_PORT);
	assert_string_equal(seen.opts[2].name, "--port");
	assert_string_equal(seen.opts[2].arg, "5000");
	assert_int_equal(seen.opts[2].end, 6);
	assert_int_equal(seen.words, 6);
	assert_int_equal(seen.port, 5000);
	assert_int_equal(seen.argc, 1);
	assert_string_equal(seen.argv[0], "x");
}

static void a_second_command_line_starts_afresh(void **state)
{
	(void)state;
	assert_int_equal(run(&one, "fake", "a", "--flag", NULL), 42);
	assert_int_equal(run(&one, "fake", "--flag", "b", NULL), 42);
	assert_int_equal(seen.nopts, 1);
	assert_int_equal(seen.argc, 1);
	assert_string_equal(seen.argv[0], "b");
}

static void double_dash_ends_the_options(void **state)
{
	(void)state;
	assert_int_equal(run(&one, "fake", "--", "-x", NULL), 42);
	assert_int_equal(seen.nopts, 0);
	assert_int_equal(seen.argc, 1);
	assert_string_equal(seen.argv[0], "-x");
}

static void help_anywhere_before_double_dash_prints_help(void **state)
{
	FILE *out = stdout;
	char *text = NULL;
	size_t len;

	(void)state;
	stdout = open_memstream(&text, &len);
	/* even where it would be --port's value, and with an unknown option */
	assert_int_equal(run(&one, "fake", "--bogus", "--port", "-h", NULL), CMD_OK);
	fclose(stdout);
	stdout = out;
	assert_int_equal(seen.calls, 0);
	assert_non_null(strstr(text, "usage: socklab fake THING"));
	assert_non_null(strstr(text, "--port P   a port"));
	free(text);
}

static void unknown_option_is_one_line(void **state)
{
	(void)state;
	capture_stderr();
	assert_int_equal(run(&one, "fake", "x", "--bogus", NULL), CMD_USAGE);
	assert_string_equal(captured(), "socklab fake: unknown option '--bogus' "
			    "(see 'socklab fake --help')\n");
	assert_int_equal(seen.calls, 0);
	/* a short one inside a cluster is named by itself */
	capture_stderr();
	assert_int_equal(run(&one, "fake", "-4x", NULL), CMD_USAGE);
	assert_string_equal(captured(), "socklab fake: unknown option '-x' "
			    "(see 'socklab fake --help')\n");
	/* no option table at all */
	capture_stderr();
	assert_int_equal(run(&none, "bare", "-1", NULL), CMD_USAGE);
	assert_string_equal(captured(), "socklab bare: unknown option '-1' "
			    "(see 'socklab bare --help')\n");
}

static void missing_value_is_one_line(void **state)
{
	(void)state;
	capture_stderr();
	assert_int_equal(run(&one, "fake", "x", "--port", NULL), CMD_USAGE);
	assert_string_equal(captured(), "socklab fake: option '--port' needs a value\n");
	assert_int_equal(seen.calls, 0);
}

static void too_many_operands_are_one_line(void **state)
{
	(void)state;
	capture_stderr();
	assert_int_equal(run(&one, "fake", "a", "--flag", "b", "c", NULL), CMD_USAGE);
	assert_string_equal(captured(), "socklab fake: one thing at a time, got 'b' too\n");
	capture_stderr();
	assert_int_equal(run(&none, "bare", "", NULL), CMD_USAGE);
	assert_string_equal(captured(), "socklab bare: takes no arguments, got ''\n");
	assert_int_equal(seen.calls, 0);
	assert_int_equal(run(&none, "bare", NULL), 42);
}

static void bad_value_names_the_option(void **state)
{
	(void)state;
	capture_stderr();
	assert_int_equal(run(&one, "fake", "--port=0", NULL), CMD_USAGE);
	assert_string_equal(captured(), "socklab fake: --port wants a port 1..65535, got '0'\n");
	capture_stderr();
	assert_int_equal(run(&one, "fake", "--port", "", NULL), CMD_USAGE);
	assert_string_equal(captured(), "socklab fake: --port wants a port 1..65535, got ''\n");
}

/* ---- the lab argument ---------------------------------------------------- */

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

/* a Python twin of lab 4 (pylabs.h): no main, its slug ends in -py */
static const struct lab_info lab4py = {
	4, "addr-in-use-py", "Address already in use, in Python", "two sockets, one port",
	"04py-addr-in-use.py", NULL
};

static int register_labs(void **state)
{
	(void)state;
	registry_add(&lab4py);	/* before its C twin: the registry sorts */
	registry_add(&lab1);
	registry_add(&lab4);
	return 0;
}

static void lab_by_number_name_and_range(void **state)
{
	struct cmd_lab out[5];
	size_t n = 0;

	(void)state;
	assert_int_equal(cmd_lab_arg(&one, "04", 0, out, 5, &n), 0);
	assert_int_equal(cmd_lab_arg(&one, "first-bind", 0, out, 5, &n), 0);
	assert_int_equal(cmd_lab_arg(&one, "1-4", 1, out, 5, &n), 0);
	assert_int_equal(n, 5);
	assert_ptr_equal(out[0].lab, &lab4);
	assert_ptr_equal(out[1].lab, &lab1);
	/* a range: by number, each C lab before its twins */
	assert_ptr_equal(out[2].lab, &lab1);
	assert_ptr_equal(out[3].lab, &lab4);
	assert_ptr_equal(out[4].lab, &lab4py);
	assert_null(out[0].path);
}

static void a_python_twin_by_its_key_or_slug(void **state)
{
	(void)state;
	/* "4" is the C lab; "04py", "4py" and the slug are the twin */
	assert_ptr_equal(registry_find("4"), &lab4);
	assert_ptr_equal(registry_find("04py"), &lab4py);
	assert_ptr_equal(registry_find("4py"), &lab4py);
	assert_ptr_equal(registry_find("addr-in-use-py"), &lab4py);
	assert_ptr_equal(registry_find("04-addr-in-use-py"), &lab4py);
	assert_null(registry_find("04tw"));
	assert_null(registry_find("01py"));
}

static void lab_errors_are_one_line(void **state)
{
	struct cmd_lab out[2];
	size_t n = 0;

	(void)state;
	capture_stderr();
	assert_int_equal(cmd_lab_arg(&one, "1-4", 0, out, 2, &n), CMD_USAGE);
	assert_string_equal(captured(), "socklab fake: no lab '1-4' (see 'socklab list')\n");
	capture_stderr();
	assert_int_equal(cmd_lab_arg(&one, "4-1", 1, out, 2, &n), CMD_USAGE);
	assert_string_equal(captured(),
			    "socklab fake: '4-1' is not a lab number, range (1-7) or name\n");
	capture_stderr();
	assert_int_equal(cmd_lab_arg(&one, "99", 1, out, 2, &n), CMD_USAGE);
	assert_string_equal(captured(), "socklab fake: no lab '99' (see 'socklab list')\n");
	capture_stderr();
	assert_int_equal(cmd_lab_arg(&one, "1-4", 1, out, 1, &n), CMD_USAGE);
	assert_string_equal(captured(), "socklab fake: more than 1 labs\n");
	assert_int_equal(n, 0);
}

static void lab_path_must_be_an_executable_file(void **state)
{
	struct cmd_lab out[1];
	size_t n = 0;

	(void)state;
	capture_stderr();
	assert_int_equal(cmd_lab_arg(&one, "/nonexistent/lab", 1, out, 1, &n), CMD_USAGE);
	assert_string_equal(captured(), "socklab fake: /nonexistent/lab: No such file or directory\n");
	capture_stderr();
	assert_int_equal(cmd_lab_arg(&one, "/", 1, out, 1, &n), CMD_USAGE);
	assert_string_equal(captured(),
			    "socklab fake: /: not a regular file (a lab executable is expected)\n");
	assert_int_equal(cmd_lab_arg(&one, "/bin/sh", 0, out, 1, &n), 0);
	assert_int_equal(n, 1);
	assert_null(out[0].lab);
	assert_string_equal(out[0].path, "/bin/sh");
	capture_stderr();
	assert_int_equal(cmd_lab_arg(&one, "/bin/sh", 0, out, 1, &n), CMD_USAGE);
	assert_string_equal(captured(), "socklab fake: more than 1 labs\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(options_in_order_operands_after),
		cmocka_unit_test(a_second_command_line_starts_afresh),
		cmocka_unit_test(double_dash_ends_the_options),
		cmocka_unit_test(help_anywhere_before_double_dash_prints_help),
		cmocka_unit_test(unknown_option_is_one_line),
		cmocka_unit_test(missing_value_is_one_line),
		cmocka_unit_test(too_many_operands_are_one_line),
		cmocka_unit_test(bad_value_names_the_option),
		cmocka_unit_test(lab_by_number_name_and_range),
		cmocka_unit_test(a_python_twin_by_its_key_or_slug),
		cmocka_unit_test(lab_errors_are_one_line),
		cmocka_unit_test(lab_path_must_be_an_executable_file),
	};

	return cmocka_run_group_tests(tests, register_labs, NULL);
}
