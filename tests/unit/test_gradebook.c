/* test_gradebook.c — a graded class drawn (render/gradebook.c): what a
 * gradebook and the platforms read must hold whatever a student named a
 * file or a program printed, and the points must add up, a criterion not
 * checked here earning none.  UTF-8 as JSON and XML accept it
 * (json_utf8_len).
 *
 * The class is made by hand: what is tested is the drawing, not the
 * grading (tests/cli/grade.bats grades real programs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "exercise/batch.h"
#include "exercise/exercise.h"
#include "render/gradebook.h"
#include "render/json.h"

/* drawn into a string (caller frees) */
static char *draw(void (*fn)(FILE *, const struct exercise *, const struct batch *),
		  const struct exercise *e, const struct batch *b)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, e, b);
	fclose(f);
	return buf;
}

static char *draw_one(void (*fn)(FILE *, const struct exercise *, const struct batch_sub *),
		      const struct exercise *e, const struct batch_sub *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, e, s);
	fclose(f);
	return buf;
}

static void result(struct batch_sub *s, int i, const char *criterion, int ok, int skip,
		   const char *observed)
{
	s->c.res[i].criterion = criterion;
	s->c.res[i].ok = ok;
	s->c.res[i].skip = skip;
	s->c.res[i].hint = ok ? NULL : "a hint";
	snprintf(s->c.res[i].observed, sizeof s->c.res[i].observed, "%s", observed);
	if (i + 1 > s->c.n)
		s->c.n = i + 1;
}

/* Exercise 01 (points 1, 1, 2, 5, 1): ann met all; =bob failed "from
 * port 5000"; cy did not compile; dan's off-box criterion could not be
 * checked; eve could not be graded. */
static struct batch_sub subs[5];
static struct batch class = { .v = subs, .n = 5, .cap = 5 };

static const struct exercise *setup_class(void)
{
	const struct exercise *e = exercise_find("1");
	const char *names[5] = { "ann", "=bob,\"b\"", "cy", "dan", "eve" };

	assert_non_null(e);
	assert_int_equal(e->criteria, 5);
	memset(subs, 0, sizeof subs);
	for (int k = 0; k < 5; k++) {
		struct batch_sub *s = &subs[k];

		snprintf(s->student, sizeof s->student, "%s", names[k]);
		snprintf(s->file, sizeof s->file, "/c/%s.c", names[k]);
		s->graded = k != 4;
		s->c.max_points = 10;
		if (k == 2) {
			result(s, 0, "the program compiles", 0, 0, "x.c:1: error: \xed\xa0\x80 bad");
			continue;
		}
		if (k == 4)
			continue;
		result(s, 0, "the program compiles", 1, 0, "");
		result(s, 1, "it exits", 1, 0, "exit status 0");
		result(s, 2, "hello arrives", 1, 0, "it did");
		result(s, 3, "from port 5000", k != 1, 0, k == 1 ? "it came from port 48225" : "");
		result(s, 4, "nothing off-box", 1, k == 3, k == 3 ? "no uplink to watch" : "none");
	}
	subs[0].c.points = 10;
	subs[1].c.points = 5;
	subs[3].c.points = 9;	/* off-box not checked: its point not given */
	snprintf(subs[4].why, sizeof subs[4].why, "cannot make a sandbox");
	return e;
}

static void test_utf8_as_json_and_xml_accept_it(void **state)
{
	(void)state;
	assert_int_equal(json_utf8_len((const unsigned char *)"\xc3\xa9"), 2);
	assert_int_equal(json_utf8_len((const unsigned char *)"\xe7\xab\xaf"), 3);
	assert_int_equal(json_utf8_len((const unsigned char *)"\xf0\x9f\x98\x80"), 4);
	/* surrogates, overlongs, beyond U+10FFFF, U+FFFE/FFFF, stray bytes */
	assert_int_equal(json_utf8_len((const unsigned char *)"\xed\xa0\x80"), 0);
	assert_int_equal(json_utf8_len((const unsigned char *)"\xe0\x80\xaf"), 0);
	assert_int_equal(json_utf8_len((const unsigned char *)"\xc0\xaf"), 0);
	assert_int_equal(json_utf8_len((const unsigned char *)"\xf4\x90\x80\x80"), 0);
	assert_int_equal(json_utf8_len((const unsigned char *)"\xef\xbf\xbe"), 0);
	assert_int_equal(json_utf8_len((const unsigned char *)"\xef\xbf\xbf"), 0);
	assert_int_equal(json_utf8_len((const unsigned char *)"\xff\x80\x80"), 0);
	assert_int_equal(json_utf8_len((const unsigned char *)"\xe7\xab"), 0);
}

static void test_csv_quotes_and_defuses_formulas(void **state)
{
	const struct exercise *e = setup_class();
	char *csv = draw(gradebook_csv, e, &class);

	(void)state;
	/* the name is quoted (a comma, quotes doubled) and starts with ' */
	assert_non_null(strstr(csv, "\r\n\"'=bob,\"\"b\"\"\",graded,5,10,4,5,from port 5000,"
				    "it came from port 48225,"));
	assert_non_null(strstr(csv, "\r\nann,graded,10,10,5,5,,,"));
	/* a criterion not checked is not met: 4 of 5, 9 points */
	assert_non_null(strstr(csv, "\r\ndan,graded,9,10,4,5,,,"));
	assert_non_null(strstr(csv, "\r\neve,ungradable,,10,,5,,cannot make a sandbox,"));
	/* the compiler's bad bytes are '?' */
	assert_non_null(strstr(csv, "\r\ncy,graded,0,10,0,5,the program compiles,x.c:1: error: "
				    "??? bad,"));
	free(csv);
}

static void test_junit_counts(void **state)
{
	const struct exercise *e = setup_class();
	char *xml = draw(gradebook_junit, e, &class);

	(void)state;
	/* ann 5, bob 5 (1 failed), cy 2 (both failed: the other 4 unchecked),
	 * dan 5 (1 skipped), eve 1 error */
	assert_non_null(strstr(xml, "tests=\"18\" failures=\"3\" errors=\"1\">"));
	assert_non_null(strstr(xml, "<testsuite name=\"dan\" tests=\"5\" failures=\"0\" errors=\"0\" "
				    "skipped=\"1\""));
	assert_non_null(strstr(xml, "name=\"=bob,&quot;b&quot;\""));
	assert_non_null(strstr(xml, "the other 4 criteria (9 points)"));
	/* the surrogate is U+FFFD, not copied */
	assert_null(strstr(xml, "\xed\xa0\x80"));
	assert_non_null(strstr(xml, "error: \xef\xbf\xbd"));
	free(xml);
}

static void test_gradescope_scores_add_up(void **state)
{
	const struct exercise *e = setup_class();
	char *dan = draw_one(gradebook_gradescope, e, &subs[3]);
	char *cy = draw_one(gradebook_gradescope, e, &subs[2]);
	char *eve = draw_one(gradebook_gradescope, e, &subs[4]);

	(void)state;
	assert_non_null(strstr(dan, "{\"score\":9,"));
	/* not checked: no points, and neither passed nor failed */
	assert_non_null(strstr(dan, "\"name\":\"nothing off-box\",\"score\":0,\"max_score\":1,"
				    "\"output\":\"not checked here: no uplink to watch\""));
	assert_non_null(strstr(dan, "9 of 10 points, 4 of 5 criteria met"));
	assert_non_null(strstr(cy, "0 of 10 points, 0 of 5 criteria met"));
	assert_non_null(strstr(cy, "\"name\":\"the other 4 criteria\",\"score\":0,\"max_score\":9,"));
	assert_non_null(strstr(eve, "{\"score\":0,"));
	assert_non_null(strstr(eve, "not graded: cannot make a sandbox"));
	assert_non_null(strstr(eve, "\"tests\":[\n]}"));
	free(dan);
	free(cy);
	free(eve);
}

static void test_prairielearn_score_is_a_fraction(void **state)
{
	const struct exercise *e = setup_class();
	char *bob = draw_one(gradebook_prairielearn, e, &subs[1]);
	char *eve = draw_one(gradebook_prairielearn, e, &subs[4]);

	(void)state;
	assert_non_null(strstr(bob, "{\"gradable\":true,\"score\":0.5000,"));
	assert_non_null(strstr(eve, "{\"gradable\":false,\"score\":0,\"format_errors\":"
				    "[\"not graded: cannot make a sandbox\"]"));
	free(bob);
	free(eve);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_as_json_and_xml_accept_it),
		cmocka_unit_test(test_csv_quotes_and_defuses_formulas),
		cmocka_unit_test(test_junit_counts),
		cmocka_unit_test(test_gradescope_scores_add_up),
		cmocka_unit_test(test_prairielearn_score_is_a_fraction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
