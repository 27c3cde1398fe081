/* gradebook.h — a graded class (exercise/batch.h) drawn for the people
 * and the platforms that read it.  One place decides what a submission's
 * line says: its points, its first failed criterion and what the kernel
 * showed, or why it could not be graded.
 *
 *   gradebook_roster       the instructor's view: the roster sorted by
 *                          score, then per criterion how many failed and
 *                          the most common observation (text or Markdown)
 *   gradebook_csv/_json    one row/object per student, in the order found
 *   gradebook_junit        JUnit XML: a testsuite per student, a testcase
 *                          per criterion (GitHub Classroom, any CI)
 *   gradebook_gradescope   Gradescope's results.json, one submission
 *   gradebook_prairielearn PrairieLearn's results.json, one submission
 *
 * A submission that did not compile has its other criteria unchecked:
 * they appear as one failed entry worth their points, so every format's
 * maximum is the exercise's. */
#ifndef SOCKLAB_GRADEBOOK_H
#define SOCKLAB_GRADEBOOK_H

#include <stdio.h>

#include "exercise/batch.h"

void gradebook_roster(FILE *f, const struct exercise *e, const struct batch *b, int markdown);
void gradebook_csv(FILE *f, const struct exercise *e, const struct batch *b);
void gradebook_json(FILE *f, const struct exercise *e, const struct batch *b);
void gradebook_junit(FILE *f, const struct exercise *e, const struct batch *b);
void gradebook_gradescope(FILE *f, const struct exercise *e, const struct batch_sub *s);
void gradebook_prairielearn(FILE *f, const struct exercise *e, const struct batch_sub *s);

/* "%d of %d points, %d of %d criteria met" and the like, for a line. */
void gradebook_score(char *buf, size_t len, const struct exercise *e, const struct batch_sub *s);

#endif
