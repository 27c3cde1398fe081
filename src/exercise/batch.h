/* batch.h — a class's submissions for one exercise, found and graded.
 *
 * A submission is one student's program.  A PATH given is either a
 * FILE.c or FILE.py (one student, named by the file without its suffix)
 * or a directory whose entries are students: each FILE.c or FILE.py in
 * it, and each subdirectory holding one source (named by the
 * subdirectory).  Anything else in the directory is reported, not
 * skipped: a student is never dropped silently.  Names starting with '.'
 * are not submissions.
 *
 * Each submission is graded as `exercise check` grades one (check.h): in
 * a forked worker, in a sandbox of its own, several at once.  One that
 * cannot be graded (no source, no compiler, no sandbox, the grading
 * died) says why and is counted, never dropped.
 *
 * Nothing is printed here: render/gradebook.h draws a batch. */
#ifndef SOCKLAB_EXERCISE_BATCH_H
#define SOCKLAB_EXERCISE_BATCH_H

#include <stddef.h>

#include "check.h"

struct batch_sub {
	char student[128];
	char file[1024];	/* the source graded; "" when none was found */
	int graded;		/* 1: c says how it went; 0: why says why not */
	char why[512];
	long ms;		/* the grading's wall time */
	struct exercise_check c;
};

struct batch {
	struct batch_sub *v;	/* in the order found: PATHs as given, a
				 * directory's entries sorted by name */
	size_t n, cap;
	int shared;		/* v is a shared mapping (batch_grade) */
	long wall_ms;		/* batch_grade's wall time */
	int jobs;		/* ... with this many at once */
};

/* The one source (FILE.c or FILE.py) in directory dir, into file: 0, or
 * -1 with why (none, several, dir unreadable).  Of several, the one named
 * exNN.c or exNN.py (N: number) is it. */
int batch_source_in(const char *dir, int number, char *file, size_t len, char *why,
		    size_t wlen);

/* Add the submissions path holds to b.  0, or -1 with errno and a
 * message in err (path is missing or unreadable: bad input). */
int batch_collect(struct batch *b, int number, const char *path, char *err, size_t len);

/* Grade every submission of b for e, at most jobs at once; progress(done,
 * n, arg) after each (in order), when not NULL.  0, or -1 with errno
 * (EINTR: a stop signal came; the workers are stopped and reaped). */
int batch_grade(const struct exercise *e, struct batch *b, int jobs,
		void (*progress)(size_t done, size_t n, void *arg), void *arg);

/* How many of b could not be graded. */
size_t batch_ungradable(const struct batch *b);

void batch_free(struct batch *b);

#endif
