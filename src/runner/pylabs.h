/* pylabs.h — the Python labs (labs/py/NNxx-slug.py): registered beside
 * the C labs, run by the interpreter.
 *
 * A Python lab is a lab_info whose main is NULL and whose file is the
 * script's name; its slug ends in "-py" (the socket module) or "-tw"
 * (Twisted), so `socklab list` shows both twins and "07py", "07tw",
 * "the-story-py" name one (registry_find).  The scripts and their
 * runtime (socklab_lab.py, standard library only) are found, in order,
 * in $SOCKLAB_PYLABS, in the source tree socklab was built from, and in
 * ../share/socklab/py beside the installed executable. */
#ifndef SOCKLAB_PYLABS_H
#define SOCKLAB_PYLABS_H

#include <stddef.h>

#include "lab/info.h"

/* Add the Python labs to the registry (main() does, once; a unit test's
 * registry has only its own fake labs). */
void pylabs_register(void);

/* 1 for a Python lab of the registry, or a path that names a .py file. */
int pylabs_is_python(const struct lab_info *lab);
int pylabs_is_script(const char *path);

/* The directory of the scripts and the runtime into buf: 0, or -1 when
 * none of the places has socklab_lab.py. */
int pylabs_dir(char *buf, size_t len);

/* 1 when a Python lab can run here: its runtime is found and an
 * interpreter is; else 0 and why (check skips the Python labs then). */
int pylabs_available(char *why, size_t len);

/* The interpreter: $SOCKLAB_PYTHON, else /usr/bin/python3 when it is
 * there (Debian's, with python3-twisted), else python3 from PATH. */
const char *pylabs_python(void);

/* In a runner's child, after the sandbox: exec the interpreter on the
 * lab's script (a registry lab, or the path of a user's .py), with the
 * runtime's directory on PYTHONPATH.  Returns only on failure (errno). */
void pylabs_exec(const struct lab_info *lab, const char *path);

#endif
