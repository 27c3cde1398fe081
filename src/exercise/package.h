/* package.h — an exercise packed for a course platform: the scripts the
 * platform runs, which install socklab from its source tarball and grade
 * one submission with `socklab exercise check N DIR --gradescope FILE`
 * (or --prairielearn).  The tarball itself (socklab-src.tar.gz) is put
 * beside them by `make gradescope` / `make prairielearn`; docs/grading.md
 * has the steps.
 *
 *   gradescope   DIR/setup.sh, DIR/run_autograder (zip DIR's files:
 *                Gradescope wants them at the zip's root)
 *   prairielearn DIR/Dockerfile, DIR/socklab-grade (the entrypoint),
 *                DIR/info.json (the question's externalGradingOptions) */
#ifndef SOCKLAB_EXERCISE_PACKAGE_H
#define SOCKLAB_EXERCISE_PACKAGE_H

#include <stddef.h>

#include "exercise.h"

enum package_platform { PACKAGE_GRADESCOPE, PACKAGE_PRAIRIELEARN };

/* Write the platform's files for e into the directory dir (existing
 * files of those names are replaced).  0, or -1 with errno and a message
 * in err.  The names written, one per line, in written. */
int package_write(const struct exercise *e, enum package_platform p, const char *dir,
		  char *written, size_t wlen, char *err, size_t elen);

#endif
