/* gradebook.c — a graded class drawn as a roster, CSV, JSON, JUnit XML,
 * and the results.json of Gradescope and PrairieLearn (gradebook.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "gradebook.h"
#include "i18n.h"
#include "json.h"
#include "runner/registry.h"
#include "width.h"

/* ---- what one submission says -------------------------------------------- */

static int met(const struct batch_sub *s)
{
	int n = 0;

	for (int i = 0; i < s->c.n; i++)
		n += s->c.res[i].ok && !s->c.res[i].skip;
	return n;
}

/* The first criterion s failed, or NULL. */
static const struct exercise_result *first_failed(const struct batch_sub *s)
{
	for (int i = 0; i < s->c.n; i++)
		if (!s->c.res[i].ok)
			return &s->c.res[i];
	return NULL;
}

/* Criteria failed (a criterion not checked here is neither met nor
 * failed: it earns no points, and says why) */
static int failed(const struct batch_sub *s)
{
	int n = 0;

	for (int i = 0; i < s->c.n; i++)
		n += !s->c.res[i].ok;
	return n;
}

/* Criteria the grading never reached (it did not compile), and their points. */
static int unchecked(const struct exercise *e, const struct batch_sub *s, int *points)
{
	*points = 0;
	for (int i = s->c.n; i < e->criteria; i++)
		*points += exercise_points(e, i);
	return e->criteria - s->c.n;
}

void gradebook_score(char *buf, size_t len, const struct exercise *e, const struct batch_sub *s)
{
	if (!s->graded)
		snprintf(buf, len, "not graded: %s", s->why);
	else
		snprintf(buf, len, "%d of %d points, %d of %d criteria met", s->c.points,
			 s->c.max_points, met(s), e->criteria);
}

/* "observed: ...", the hint and the lab to revisit, one per line. */
static void explain(char *buf, size_t len, const struct exercise_result *r)
{
	const struct lab_info *l = NULL;
	char num[8];
	size_t at;

	buf[0] = '\0';
	at = r->observed[0] ? (size_t)snprintf(buf, len, "%s: %s", r->skip ? "not checked here"
					       : "observed", r->observed) : 0;
	if (!r->ok && r->hint && at < len)
		at += (size_t)snprintf(buf + at, len - at, "%shint: %s", at ? "\n" : "", r->hint);
	snprintf(num, sizeof num, "%d", r->lab);
	if (!r->ok && r->lab && at < len && (l = registry_find(num)) != NULL)
		snprintf(buf + at, len - at, "\nrevisit: socklab run %d (%s)", l->number, l->slug);
}

#define NOT_CHECKED "not checked: the program does not compile"

/* ---- the instructor's view ----------------------------------------------- */

static const struct batch *sorting;

/* by points (most first), then ungradable last, then by name */
static int by_score(const void *a, const void *b)
{
	const struct batch_sub *x = &sorting->v[*(const size_t *)a];
	const struct batch_sub *y = &sorting->v[*(const size_t *)b];

	if (x->graded != y->graded)
		return y->graded - x->graded;
	if (x->graded && x->c.points != y->c.points)
		return y->c.points - x->c.points;
	return strcmp(x->student, y->student);
}

/* An observation with its digits masked: "it came from port 48225" and
 * "... 51003" are the same mistake. */
static void mistake(char *key, size_t len, const char *observed)
{
	size_t at = 0;

	for (const char *p = observed; *p && at + 1 < len; p++) {
		if (isdigit((unsigned char)*p)) {
			while (isdigit((unsigned char)p[1]))
				p++;
			key[at++] = '#';
		} else {
			key[at++] = *p;
		}
	}
	key[at] = '\0';
}

/* Criterion i over the graded: how many reached it and how many failed
 * it, and the most common observation of the failures (its first
 * instance, and how many share its shape). */
struct tally {
	const char *name;
	int reached, failed, skipped, common_n;
	const char *common;
};

static void tally(const struct batch *b, int i, struct tally *t)
{
	char key[256], other[256];

	memset(t, 0, sizeof *t);
	for (size_t k = 0; k < b->n; k++) {
		const struct batch_sub *s = &b->v[k];
		const struct exercise_result *r = &s->c.res[i];
		int same = 0;

		if (!s->graded || i >= s->c.n)
			continue;
		/* the first is "the program compiles (cc ...)" or "(python3 ...)"
		 * as the submission was C or Python: one name for both */
		t->name = i == 0 ? _("the program compiles") : t->name ? t->name : r->criterion;
		t->reached++;
		t->skipped += r->skip;
		if (r->ok)
			continue;
		t->failed++;
		/* how many failures look like this one */
		mistake(key, sizeof key, r->observed);
		for (size_t m = 0; m < b->n; m++) {
			const struct batch_sub *o = &b->v[m];

			if (!o->graded || i >= o->c.n || o->c.res[i].ok)
				continue;
			mistake(other, sizeof other, o->c.res[i].observed);
			same += strcmp(key, other) == 0;
		}
		if (same > t->common_n) {
			t->common_n = same;
			t->common = r->observed;
		}
	}
}

/* ---- text that came from students: escaped for each reader ------------- */

/* s through map: each ASCII byte as map says (NULL: as it is), each valid
 * UTF-8 character as it is, any other byte as bad; at most max screen
 * columns (0: all; a Chinese character takes two).  What a student's
 * program printed, or a file's name, can hold any bytes.  Returns the
 * columns written. */
static int escaped(FILE *f, const char *s, const char *(*map)(unsigned char c), const char *bad,
		   int max)
{
	const unsigned char *p = (const unsigned char *)s;
	int cols = 0;

	while (*p) {
		/* what stands for this character, its bytes and its columns */
		const char *out = (const char *)p;
		int n = *p < 0x80 ? 0 : json_utf8_len(p), w;
		size_t len = 1, k;

		if (*p < 0x80 && map(*p))
			len = strlen(out = map(*p));
		else if (n > 0)
			len = (size_t)n;
		else if (*p >= 0x80)
			len = strlen(out = bad);
		w = n > 0 ? width_char((const char *)p, &k) : (int)len;
		if (max && cols + w > max)
			break;
		fwrite(out, 1, len, f);
		cols += w;
		p += n > 0 ? (size_t)n : 1;
	}
	return cols;
}

/* a terminal: a line end is a space, another control character (ESC
 * would clear the instructor's screen) a '?' */
static const char *for_terminal(unsigned char c)
{
	return c == '\n' || c == '\t' ? " " : c < 0x20 || c == 0x7f ? "?" : NULL;
}

/* a Markdown table's cell: and no '|' ending it, no HTML */
static const char *for_markdown(unsigned char c)
{
	return c == '|' ? "\\|" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;"
	     : for_terminal(c);
}

/* a CSV field (RFC 4180): quotes doubled, line ends kept (the field is
 * quoted), other control characters '?' */
static const char *for_csv(unsigned char c)
{
	return c == '"' ? "\"\"" : c == '\n' ? NULL : c < 0x20 || c == 0x7f ? "?" : NULL;
}

/* XML character data and attribute values: markup escaped, the control
 * characters XML 1.0 forbids as U+FFFD */
static const char *for_xml(unsigned char c)
{
	return c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;"
	     : c == '\n' || c == '\t' ? NULL : c < 0x20 || c == 0x7f ? "\xef\xbf\xbd" : NULL;
}

/* s for a terminal or a Markdown page, at most width screen columns (0:
 * all) and padded to width. */
static void cell(FILE *f, const char *s, int markdown, int width)
{
	int chars = escaped(f, s, markdown ? for_markdown : for_terminal, "?", width);

	for (; chars < width; chars++)
		fputc(' ', f);
}

void gradebook_roster(FILE *f, const struct exercise *e, const struct batch *b, int markdown)
{
	size_t *order = malloc((b->n ? b->n : 1) * sizeof *order), graded = 0;
	int w = 7;
	long ms = 0;

	if (order == NULL)
		return;
	for (size_t i = 0; i < b->n; i++) {
		int len = width_str(b->v[i].student);

		order[i] = i;
		w = len > w ? (len < 32 ? len : 32) : w;
		graded += b->v[i].graded;
		ms += b->v[i].ms;
	}
	sorting = b;
	qsort(order, b->n, sizeof *order, by_score);
	fprintf(f, P_("%sexercise %02d %s: %zu submission, %zu graded, %zu ungradable\n\n",
		      "%sexercise %02d %s: %zu submissions, %zu graded, %zu ungradable\n\n", b->n),
		markdown ? "## " : "", e->number, e->slug, b->n, graded, b->n - graded);
	if (markdown)
		fprintf(f, "| student | points | criteria | time | first failed: observed |\n"
			   "|---|---:|---:|---:|---|\n");
	else
		fprintf(f, "%-*s  POINTS  CRITERIA   TIME  FIRST FAILED: OBSERVED\n", w, "STUDENT");
	for (size_t k = 0; k < b->n; k++) {
		const struct batch_sub *s = &b->v[order[k]];
		const struct exercise_result *r = first_failed(s);
		char pts[16] = "-", crit[16] = "-", text[600];

		if (s->graded) {
			snprintf(pts, sizeof pts, "%d/%d", s->c.points, s->c.max_points);
			snprintf(crit, sizeof crit, "%d/%d", met(s), e->criteria);
		}
		if (!s->graded)
			snprintf(text, sizeof text, _("UNGRADABLE: %s"), s->why);
		else if (r)
			snprintf(text, sizeof text, "%s: %s", r->criterion, r->observed);
		else
			snprintf(text, sizeof text, "-");
		if (markdown) {
			fputs("| ", f);
			cell(f, s->student, 1, 0);
			fprintf(f, " | %s | %s | %.1f s | ", pts, crit, s->ms / 1000.0);
			cell(f, text, 1, 0);
			fputs(" |\n", f);
		} else {
			cell(f, s->student, 0, w);
			fprintf(f, "  %6s  %8s  %4.1fs  ", pts, crit, s->ms / 1000.0);
			cell(f, text, 0, 0);
			fputc('\n', f);
		}
	}
	free(order);
	fprintf(f, _("\n%scriteria (of %zu graded; points each):\n\n"), markdown ? "### " : "", graded);
	if (markdown)
		fprintf(f, "| # | criterion | points | failed | most common observation |\n"
			   "|---:|---|---:|---:|---|\n");
	for (int i = 0; i < e->criteria; i++) {
		struct tally t;
		char failed[48], common[400] = "";

		tally(b, i, &t);
		snprintf(failed, sizeof failed, _("%d of %d"), t.failed, t.reached);
		if (t.common)
			snprintf(common, sizeof common, _("%d of them: '%s'"), t.common_n, t.common);
		if (t.skipped)
			snprintf(common + strlen(common), sizeof common - strlen(common),
				 _("%s%d not checked here"), common[0] ? "; " : "", t.skipped);
		if (markdown) {
			fprintf(f, "| %d | ", i + 1);
			cell(f, t.name ? t.name : _("(no submission reached it)"), 1, 0);
			fprintf(f, " | %d | %s | ", exercise_points(e, i), failed);
			cell(f, common, 1, 0);
			fputs(" |\n", f);
		} else {
			fprintf(f, "  %2d. ", i + 1);
			cell(f, t.name ? t.name : _("(no submission reached it)"), 0, 0);
			fprintf(f, P_(" (%d pt)\n      %s failed%s", " (%d pts)\n      %s failed%s",
				      exercise_points(e, i)),
				exercise_points(e, i), failed, common[0] ? "; " : "");
			cell(f, common, 0, 0);
			fputc('\n', f);
		}
	}
	if (b->wall_ms > 0)
		fprintf(f, P_("\ngraded in %.1f s with %d job: %.1f s per submission, %.0f per "
			      "minute\n",
			      "\ngraded in %.1f s with %d jobs: %.1f s per submission, %.0f per "
			      "minute\n", b->jobs), b->wall_ms / 1000.0, b->jobs,
			ms / 1000.0 / (double)(b->n ? b->n : 1),
			60000.0 * (double)b->n / (double)b->wall_ms);
}

/* ---- CSV and JSON: gradebooks -------------------------------------------- */

/* RFC 4180: quoted when it holds a comma, a quote or a line end.  A
 * field a spreadsheet would take for a formula (=, +, -, @ first: a
 * student may name a file so) starts with a ' (OWASP's advice). */
static void csv_field(FILE *f, const char *s)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		fputc('"', f);
	if (*s && strchr("=+-@", *s))
		fputc('\'', f);
	escaped(f, s, for_csv, "?", 0);
	if (quote)
		fputc('"', f);
}

void gradebook_csv(FILE *f, const struct exercise *e, const struct batch *b)
{
	fputs("student,status,points,max_points,criteria_met,criteria,first_failed,observed,"
	      "seconds,file\r\n", f);
	for (size_t i = 0; i < b->n; i++) {
		const struct batch_sub *s = &b->v[i];
		const struct exercise_result *r = first_failed(s);

		csv_field(f, s->student);
		if (s->graded)
			fprintf(f, ",graded,%d,%d,%d,%d,", s->c.points, s->c.max_points, met(s),
				e->criteria);
		else
			fprintf(f, ",ungradable,,%d,,%d,", exercise_max_points(e), e->criteria);
		csv_field(f, r && s->graded ? r->criterion : "");
		fputc(',', f);
		csv_field(f, !s->graded ? s->why : r ? r->observed : "");
		fprintf(f, ",%.2f,", s->ms / 1000.0);
		csv_field(f, s->file);
		fputs("\r\n", f);
	}
}

static void json_result(FILE *f, const struct exercise *e, int i, const struct exercise_result *r)
{
	fputs("{\"criterion\":", f);
	json_string(f, r->criterion);
	fprintf(f, ",\"met\":%s,\"points\":%d,\"max_points\":%d,\"observed\":",
		r->skip ? "null" : r->ok ? "true" : "false",
		r->ok && !r->skip ? exercise_points(e, i) : 0, exercise_points(e, i));
	json_string(f, r->observed);
	fputs(",\"hint\":", f);
	if (r->hint && !r->ok)
		json_string(f, r->hint);
	else
		fputs("null", f);
	if (r->lab && !r->ok)
		fprintf(f, ",\"lab\":%d}", r->lab);
	else
		fputs(",\"lab\":null}", f);
}

void gradebook_json(FILE *f, const struct exercise *e, const struct batch *b)
{
	fprintf(f, "{\"exercise\":{\"number\":%d,\"slug\":", e->number);
	json_string(f, e->slug);
	fputs(",\"title\":", f);
	json_string(f, e->title);
	fprintf(f, ",\"criteria\":%d,\"max_points\":%d},\"submissions\":[", e->criteria,
		exercise_max_points(e));
	for (size_t k = 0; k < b->n; k++) {
		const struct batch_sub *s = &b->v[k];
		int up;

		fputs(k ? ",\n{\"student\":" : "\n{\"student\":", f);
		json_string(f, s->student);
		fputs(",\"file\":", f);
		json_string(f, s->file);
		fprintf(f, ",\"seconds\":%.2f", s->ms / 1000.0);
		if (!s->graded) {
			fputs(",\"status\":\"ungradable\",\"reason\":", f);
			json_string(f, s->why);
			fputs("}", f);
			continue;
		}
		fprintf(f, ",\"status\":\"graded\",\"points\":%d,\"max_points\":%d,"
			   "\"criteria_met\":%d,\"results\":[", s->c.points, s->c.max_points, met(s));
		for (int i = 0; i < s->c.n; i++) {
			if (i)
				fputc(',', f);
			json_result(f, e, i, &s->c.res[i]);
		}
		fprintf(f, "],\"unchecked\":%d", unchecked(e, s, &up));
		fputs(",\"compiler\":", f);
		json_string(f, s->c.compiler);
		fputs("}", f);
	}
	fprintf(f, "\n],\"graded\":%zu,\"ungradable\":%zu}\n", b->n - batch_ungradable(b),
		batch_ungradable(b));
}

/* ---- JUnit XML ----------------------------------------------------------- */

static void xml(FILE *f, const char *s)
{
	escaped(f, s, for_xml, "\xef\xbf\xbd", 0);
}

/* <testcase name="NAME" classname="exerciseNN.STUDENT" time="0"> */
static void testcase(FILE *f, const struct exercise *e, const struct batch_sub *s, const char *name)
{
	fputs("    <testcase name=\"", f);
	xml(f, name);
	fprintf(f, "\" classname=\"exercise%02d.", e->number);
	xml(f, s->student);
	fputs("\" time=\"0\">", f);
}

static void junit_suite(FILE *f, const struct exercise *e, const struct batch_sub *s)
{
	int up, left = s->graded ? unchecked(e, s, &up) : 0;
	int nfailed = s->graded ? failed(s) + (left > 0) : 0, skipped = 0;
	char text[1024];

	for (int i = 0; s->graded && i < s->c.n; i++)
		skipped += s->c.res[i].skip;
	fputs("  <testsuite name=\"", f);
	xml(f, s->student);
	fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">\n",
		s->graded ? s->c.n + (left > 0) : 1, nfailed, !s->graded, skipped, s->ms / 1000.0);
	if (s->graded) {
		fprintf(f, "    <properties><property name=\"points\" value=\"%d\"/>"
			   "<property name=\"max_points\" value=\"%d\"/></properties>\n",
			s->c.points, s->c.max_points);
	}
	if (!s->graded) {
		testcase(f, e, s, "graded");
		fputs("\n      <error type=\"ungradable\" message=\"", f);
		xml(f, s->why);
		fputs("\"/>\n    </testcase>\n  </testsuite>\n", f);
		return;
	}
	for (int i = 0; i < s->c.n; i++) {
		const struct exercise_result *r = &s->c.res[i];

		testcase(f, e, s, r->criterion);
		explain(text, sizeof text, r);
		if (r->skip) {
			fputs("\n      <skipped message=\"", f);
			xml(f, r->observed);
			fputs("\"/>\n    ", f);
		} else if (!r->ok) {
			fputs("\n      <failure type=\"criterion\" message=\"", f);
			xml(f, r->observed);
			fputs("\">", f);
			xml(f, text);
			if (i == 0 && s->c.compiler[0]) {
				fputs("\n\n", f);
				xml(f, s->c.compiler);
			}
			fputs("</failure>\n    ", f);
		}
		fputs("</testcase>\n", f);
	}
	if (left) {
		snprintf(text, sizeof text, "the other %d criteria (%d points)", left, up);
		testcase(f, e, s, text);
		fputs("\n      <failure type=\"criterion\" message=\"" NOT_CHECKED "\"/>\n"
		      "    </testcase>\n", f);
	}
	fputs("  </testsuite>\n", f);
}

void gradebook_junit(FILE *f, const struct exercise *e, const struct batch *b)
{
	int tests = 0, failures = 0, errors = 0;

	for (size_t k = 0; k < b->n; k++) {
		const struct batch_sub *s = &b->v[k];
		int up, left = s->graded ? unchecked(e, s, &up) : 0;

		tests += s->graded ? s->c.n + (left > 0) : 1;
		failures += s->graded ? failed(s) + (left > 0) : 0;
		errors += !s->graded;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"socklab "
		   "exercise %02d %s\" tests=\"%d\" failures=\"%d\" errors=\"%d\">\n", e->number,
		e->slug, tests, failures, errors);
	for (size_t k = 0; k < b->n; k++)
		junit_suite(f, e, &b->v[k]);
	fputs("</testsuites>\n", f);
}

/* ---- one submission, for the platforms ----------------------------------- */

void gradebook_gradescope(FILE *f, const struct exercise *e, const struct batch_sub *s)
{
	char text[10240], line[700];
	int up, left;

	gradebook_score(line, sizeof line, e, s);
	fprintf(f, "{\"score\":%d,\"execution_time\":%ld,\"output\":", s->graded ? s->c.points : 0,
		(s->ms + 999) / 1000);
	snprintf(text, sizeof text, "exercise %02d %s: %s", e->number, e->slug, line);
	json_string(f, text);
	fputs(",\"output_format\":\"text\",\"test_output_format\":\"text\","
	      "\"visibility\":\"visible\",\"stdout_visibility\":\"hidden\",\"tests\":[", f);
	for (int i = 0; s->graded && i < s->c.n; i++) {
		const struct exercise_result *r = &s->c.res[i];

		fprintf(f, "%s\n{\"number\":\"%d\",\"name\":", i ? "," : "", i + 1);
		json_string(f, r->criterion);
		/* one not checked here has no status: neither passed nor failed */
		fprintf(f, ",\"score\":%d,\"max_score\":%d%s%s%s,\"output\":",
			r->ok && !r->skip ? exercise_points(e, i) : 0, exercise_points(e, i),
			r->skip ? "" : ",\"status\":\"", r->skip ? "" : r->ok ? "passed" : "failed",
			r->skip ? "" : "\"");
		explain(text, sizeof text, r);
		if (i == 0 && !r->ok)
			snprintf(text + strlen(text), sizeof text - strlen(text), "\n\n%s",
				 s->c.compiler);
		json_string(f, text);
		fputs(",\"visibility\":\"visible\"}", f);
	}
	if (s->graded && (left = unchecked(e, s, &up)) > 0) {
		fprintf(f, ",\n{\"number\":\"%d\",\"name\":\"the other %d criteria\",\"score\":0,"
			   "\"max_score\":%d,\"status\":\"failed\",\"output\":\"" NOT_CHECKED "\","
			   "\"visibility\":\"visible\"}", s->c.n + 1, left, up);
	}
	fputs("\n]}\n", f);
}

void gradebook_prairielearn(FILE *f, const struct exercise *e, const struct batch_sub *s)
{
	char text[10240], line[700];
	int up, left;

	gradebook_score(line, sizeof line, e, s);
	if (!s->graded) {
		/* not the student's fault: PrairieLearn does not count it */
		fputs("{\"gradable\":false,\"score\":0,\"format_errors\":[", f);
		json_string(f, line);
		fputs("],\"message\":", f);
		json_string(f, line);
		fputs("}\n", f);
		return;
	}
	fprintf(f, "{\"gradable\":true,\"score\":%.4f,\"message\":",
		s->c.max_points ? (double)s->c.points / s->c.max_points : 0.0);
	snprintf(text, sizeof text, "exercise %02d %s: %s", e->number, e->slug, line);
	json_string(f, text);
	fputs(",\"output\":", f);
	json_string(f, s->c.compiler);
	fputs(",\"tests\":[", f);
	for (int i = 0; i < s->c.n; i++) {
		const struct exercise_result *r = &s->c.res[i];

		fputs(i ? ",\n{\"name\":" : "\n{\"name\":", f);
		json_string(f, r->criterion);
		fprintf(f, ",\"description\":\"criterion %d of %d\",\"points\":%d,\"max_points\":%d,"
			   "\"message\":", i + 1, e->criteria, r->ok && !r->skip ? exercise_points(e, i) : 0,
			exercise_points(e, i));
		explain(text, sizeof text, r);
		json_string(f, text);
		fputs("}", f);
	}
	if ((left = unchecked(e, s, &up)) > 0)
		fprintf(f, ",\n{\"name\":\"the other %d criteria\",\"description\":\"criteria %d to "
			   "%d\",\"points\":0,\"max_points\":%d,\"message\":\"" NOT_CHECKED "\"}",
			left, s->c.n + 1, e->criteria, up);
	fputs("\n]}\n", f);
}
