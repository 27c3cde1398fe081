/* fuzz_play.c — libFuzzer harness for the playground's line parser
 * (src/play/parse.c): whatever a user types or a script holds.  Besides
 * crashes it checks the contract: -1 comes with a reason, 0 only for a
 * blank or comment line, and a parsed line's statement parses again to
 * the same call with the same arguments; completion never runs past its
 * matches. */
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "play/play.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	struct play_cmd c, again;
	char why[256] = "", line[PLAY_LINE + 64];
	int k;

	if (s == NULL)
		return 0;
	k = play_parse(s, &c, why, sizeof why);
	FUZZ_CHECK(k >= -1 && k <= 1);
	if (k < 0)
		FUZZ_CHECK(why[0] != '\0');
	if (k > 0) {
		FUZZ_CHECK(c.call >= 0 && c.call < PLAY_NCALLS);
		FUZZ_CHECK(c.nargs >= 0 && c.nargs <= PLAY_MAX_ARGS);
		/* the statement as kept, with its role, reads the same */
		snprintf(line, sizeof line, "%s: %s", c.role, c.text);
		if (c.uid < 0 && strlen(line) < PLAY_LINE) {
			FUZZ_CHECK(play_parse(line, &again, why, sizeof why) == 1);
			FUZZ_CHECK(again.call == c.call && again.nargs == c.nargs);
			FUZZ_CHECK(strcmp(again.var, c.var) == 0 && strcmp(again.role, c.role) == 0);
		}
	}
	for (int i = 0; i < 64; i++) {
		const char *w = play_complete(s, i);

		if (w == NULL)
			break;
		FUZZ_CHECK(strncasecmp(w, s, strlen(s)) == 0);
	}
	free(s);
	return 0;
}
