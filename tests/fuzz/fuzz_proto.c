/* fuzz_proto.c — libFuzzer harness for the control-protocol parser
 * (src/lab/proto.c, docs/protocol.md): the input is what a lab (any
 * program, with a bug or not) writes on the control pipe, cut into lines
 * as the runner does.  Every line that parses must encode to a line that
 * parses again and encodes to the same bytes; every line that does not
 * must fail with EBADMSG. */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "lab/proto.h"

static void one_line(const char *line)
{
	static struct proto_event ev, back;
	static char enc[PROTO_LINE_MAX], enc2[PROTO_LINE_MAX];
	size_t n, n2;

	errno = 0;
	if (proto_parse(line, &ev) < 0) {
		FUZZ_CHECK(errno == EBADMSG);
		return;
	}
	FUZZ_CHECK((unsigned)ev.kind < PROTO_NKINDS);
	FUZZ_CHECK(strcmp(proto_kind_name(ev.kind), "?") != 0);
	/* strings are NUL-terminated inside their buffers */
	FUZZ_CHECK(memchr(ev.text, 0, sizeof ev.text) && memchr(ev.expr, 0, sizeof ev.expr));
	FUZZ_CHECK(memchr(ev.why, 0, sizeof ev.why) && memchr(ev.title, 0, sizeof ev.title));
	FUZZ_CHECK(memchr(ev.file, 0, sizeof ev.file) && memchr(ev.slug, 0, sizeof ev.slug));
	FUZZ_CHECK(memchr(ev.name, 0, sizeof ev.name) && memchr(ev.role, 0, sizeof ev.role));

	n = proto_encode(enc, sizeof enc, &ev);
	FUZZ_CHECK(n > 0 && n < sizeof enc && enc[n - 1] == '\n' && enc[n] == '\0');
	FUZZ_CHECK(strlen(enc) == n && memchr(enc, '\n', n) == enc + n - 1);
	FUZZ_CHECK(proto_parse(enc, &back) == 0);
	FUZZ_CHECK(back.kind == ev.kind);
	n2 = proto_encode(enc2, sizeof enc2, &back);
	FUZZ_CHECK(n2 == n && memcmp(enc, enc2, n) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), *p, *nl;

	if (s == NULL)
		return 0;
	/* one line at a time, each handed over without its '\n' (the runner)
	 * and the first one with it as well */
	for (p = s; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL) {
			one_line(p);
			break;
		}
		if (p == s) {
			char saved = nl[1];

			nl[1] = '\0';
			one_line(p);
			nl[1] = saved;
		}
		*nl = '\0';
		one_line(p);
	}
	free(s);
	return 0;
}
