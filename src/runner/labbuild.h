/* labbuild.h — a lab given as a .c file, compiled as README's one-liner
 * compiles one: the lab's source with the lab runtime, which socklab
 * carries inside it (the Makefile embeds RUNTIME_SRCS and their headers),
 * so an installed socklab can build a lab with nothing but cc.
 *
 *   cc -std=c11 -D_GNU_SOURCE -Wall -I DIR/src -o DIR/lab LAB.c DIR/src/lab/runtime.c ...
 *
 * DIR is a private directory made at the first build (mkdtemp, under
 * TMPDIR) and removed by labbuild_cleanup().  The dashboard builds at
 * start and again on r, so a lab edited in another window runs as edited. */
#ifndef SOCKLAB_LABBUILD_H
#define SOCKLAB_LABBUILD_H

#include <stddef.h>

/* 1 when path names a lab's C source (it ends in ".c"). */
int labbuild_is_source(const char *path);

/* Compile src; the executable's path into exe (DIR/NAME, NAME from src's
 * file name; the same src builds to the same path again).  Returns 0, or
 * -1 with one line in why: what failed (the compiler's first error, or
 * why it could not run).  The first build registers labbuild_cleanup()
 * with atexit (it acts only in the process that made DIR). */
int labbuild_build(const char *src, char *exe, size_t exelen, char *why, size_t len);

/* Remove the build directory and all in it; safe to call twice. */
void labbuild_cleanup(void);

#endif
