/* termguard.h — the terminal comes back even when socklab cannot do it.
 *
 * A full-screen command (dash, watch) changes the terminal's modes and
 * screen.  On a normal exit, and on the signals it can catch, it restores
 * them itself.  SIGKILL cannot be caught, so termguard_start() leaves a
 * small watcher behind: a process (not our child: it is handed to init)
 * that holds the saved modes and the bytes that undo ours, and waits on a
 * socket whose other end only we hold.  When we are gone and it closes
 * without our "done", it restores the terminal and exits.
 *
 * Start it before this process becomes a child subreaper (the lab runner
 * does that): a subreaper would get the watcher back as its child. */
#ifndef SOCKLAB_TERMGUARD_H
#define SOCKLAB_TERMGUARD_H

#include <stddef.h>
#include <termios.h>

/* saved: the modes to restore on stdin; reset: bytes for stdout.  Returns
 * 0, or -1 with errno (EBUSY: we are a subreaper already). */
int termguard_start(const struct termios *saved, const char *reset, size_t len);

/* We restored the terminal ourselves: the watcher exits, touching nothing. */
void termguard_stop(void);

#endif
