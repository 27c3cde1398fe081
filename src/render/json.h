/* json.h — a socket snapshot as JSON (schema: docs/watch-json.md). */
#ifndef SOCKLAB_JSON_H
#define SOCKLAB_JSON_H

#include <stdio.h>

#include "inspect/inspect.h"

struct json_meta {
	const char *netns;	/* "host", or the path/pid given */
	long long time_ms;	/* wall clock, ms since the epoch */
	int owners;		/* owners (and flags) were looked up */
};

/* One JSON object on one line, then '\n'.  groups may be NULL. */
void json_snapshot(FILE *f, const struct json_meta *m, const struct inspect_snap *snap,
		   const struct inspect_groups *groups);

/* Bytes of the valid UTF-8 sequence at s, 0 when it is not one (or is
 * a surrogate, an overlong form, beyond U+10FFFF, U+FFFE or U+FFFF). */
int json_utf8_len(const unsigned char *s);

/* s as a JSON string, quotes included. */
void json_string(FILE *f, const char *s);

#endif
