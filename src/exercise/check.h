/* check.h — grade a student's FILE.c against an exercise: compile it
 * (GRADER_CC, as uid 65534 when we are root; a FILE.py: python3 checks
 * its syntax, then runs it) in a throwaway directory that
 * is gone before the program runs, then run the exercise's grader in a
 * sandbox of its own (a fresh network namespace with a watched uplink, a
 * PID namespace whose first process is the grader: when it ends, the
 * kernel kills whatever the program left), and say what was met.
 *
 * Nothing is printed here: the caller (socklab exercise check) prints the
 * criteria and decides the exit status.  If socklab dies, even by
 * SIGKILL, the grading dies with it. */
#ifndef SOCKLAB_EXERCISE_CHECK_H
#define SOCKLAB_EXERCISE_CHECK_H

#include "exercise.h"

struct exercise_check {
	/* res[0]: the program compiles; then the exercise's own criteria;
	 * last: nothing left the machine.  Only res[0] when it did not
	 * compile. */
	struct exercise_result res[EXERCISE_MAX_CRITERIA + 2];
	int n;				/* criteria in res */
	int points, max_points;		/* the points of the criteria met (one
					 * not checked here, skip, earns none),
					 * of all (the exercise's spec) */
	char compiler[8192];		/* the compiler's messages, in full */
	char why[512];			/* when exercise_check() fails ("" when
					 * there is nothing to add) */
	/* what res[i].criterion and .hint point to: a grader may build
	 * them in the sandboxed child's memory, so they come back as text */
	char text[EXERCISE_MAX_CRITERIA + 2][2][512];
};

/* Grade file (a regular FILE.c or FILE.py the caller has checked) for exercise e
 * into *out.  Returns 0 when it was graded (out->res says how it went),
 * or -1: the grading could not run here (no temporary directory, no
 * sandbox, the grader failed), out->why says why: bad-input material,
 * not the student's fault; or the grader gave another number of
 * criteria than the exercise's spec lists, a bug of socklab's).  SIGINT, SIGTERM and SIGHUP wait while the
 * copy and the program are on disk. */
int exercise_check(const struct exercise *e, const char *file, struct exercise_check *out);

#endif
