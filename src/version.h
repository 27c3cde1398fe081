/* version.h — socklab --version: what this socklab is and what it can do
 * here.  The version, the kernel it runs on (uname), and each optional
 * feature with a one-word state and the reason, each found by trying it
 * now (a probe per feature, in a table), never by guessing from the
 * kernel's version. */
#ifndef SOCKLAB_VERSION_H
#define SOCKLAB_VERSION_H

#include <stdio.h>

/* Print the whole answer to f.  The probes fork (user namespace) and may
 * load the BPF reader as root; nothing is left behind. */
void version_print(FILE *f, const char *version);

#endif
