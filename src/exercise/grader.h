/* grader.h — building and running a student's program, safely: compiled
 * with the system compiler, run in the caller's (sandbox) network
 * namespace under limits (wall time, CPU, memory, file size, processes,
 * output), as uid 65534 when we are root, in a process group of its own
 * that is killed and reaped to the last process afterwards. */
#ifndef SOCKLAB_GRADER_H
#define SOCKLAB_GRADER_H

#include <stddef.h>

#define GRADER_TIMEOUT_MS 5000
#define GRADER_OUTPUT_MAX 4096	/* kept of the program's output */

struct grader_run {
	int exited;		/* 1: exited (status), 0: killed (signal) */
	int status;
	int signal;
	int timed_out;		/* still running at the time limit: killed */
	char output[GRADER_OUTPUT_MAX + 1];	/* stdout and stderr, the first bytes */
	size_t output_len;
	int output_cut;		/* it wrote more */
};

/* cc -std=c11 -Wall -o exe src.  0, or -1: the compiler's messages (or
 * why it could not run) in msg. */
int grader_compile(const char *src, const char *exe, char *msg, size_t len);

/* Run exe (no arguments) until it exits or timeout_ms passes.  Returns 0,
 * or -1 with errno when it could not be started. */
int grader_exec(const char *exe, int timeout_ms, struct grader_run *out);

#endif
