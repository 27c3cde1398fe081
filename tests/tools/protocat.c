/* protocat — the C side of the protocol (src/lab/proto.c) over lines
 * another producer wrote: each line of stdin is parsed and encoded again,
 * and printed.  tests/cli/pylabs.bats diffs a Python lab's transcript with
 * this: the same bytes back means the Python runtime writes exactly what
 * the C runtime would.  Exit status 1 at the first line that does not
 * parse (named on stderr). */
#include <stdio.h>
#include <string.h>

#include "lab/proto.h"

int main(void)
{
	char line[PROTO_LINE_MAX + 2], out[PROTO_LINE_MAX];
	struct proto_event ev;
	long n = 0;

	while (fgets(line, sizeof line, stdin)) {
		n++;
		line[strcspn(line, "\n")] = '\0';
		if (proto_parse(line, &ev) < 0) {
			fprintf(stderr, "protocat: line %ld does not parse: %s\n", n, line);
			return 1;
		}
		proto_encode(out, sizeof out, &ev);
		fputs(out, stdout);
	}
	return 0;
}
