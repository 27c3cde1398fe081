/* grader.h — building and running a student's program, safely: compiled
 * with the system compiler, run in the caller's (sandbox) network
 * namespace under limits (wall time, CPU, memory, file size, processes,
 * output), as uid 65534 when we are root, in a process group of its own
 * that is killed and reaped to the last process afterwards. */
#ifndef SOCKLAB_GRADER_H
#define SOCKLAB_GRADER_H

#include <stddef.h>
#include <sys/types.h>

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

/* How a submission is compiled: as the labs are (-D_GNU_SOURCE declares
 * SO_REUSEPORT, struct ip_mreqn, getaddrinfo under -std=c11).  Every
 * text that tells a student how to build (task, starter, criterion)
 * says this. */
#define GRADER_CC "cc -std=c11 -D_GNU_SOURCE -Wall"

/* GRADER_CC -o exe src, as uid 65534 when we are root (src and
 * the directory of exe must be open to it).  0, or -1: the compiler's
 * messages (or why it could not run) in msg. */
int grader_compile(const char *src, const char *exe, char *msg, size_t len);

/* 1 when GRADER_CC's "cc" is an executable on PATH.  Without one the
 * grader cannot run at all: that is the machine's fault, not the
 * student's, and `exercise check` says so (exit 2) instead of failing
 * "the program compiles". */
int grader_have_cc(void);

/* The program that grader_start() runs from now on: opened here (as
 * O_PATH), so the caller may remove the file at once.  0, or -1 with
 * errno. */
int grader_open_program(const char *exe);

/* A Python submission: python3 (SOCKLAB_PYTHON, else Debian's
 * /usr/bin/python3, else PATH's) checks its syntax, as uid 65534 when we
 * are root: 0, or -1 with Python's own message (the SyntaxError and the
 * line, under the file name name) in msg. */
int grader_check_python(const char *src, const char *name, char *msg, size_t len);

/* 1 when there is a python3 to run Python submissions with. */
int grader_have_python(void);

/* From now on grader_start() runs the Python program src (opened here:
 * the file may be removed at once) with the interpreter, as
 * `python3 NAME` would, under the same limits.  0, or -1 with errno. */
int grader_open_script(const char *src, const char *name);

/* A running program (grader_start .. grader_wait). */
struct grader_proc {
	pid_t pid;		/* its process group too; 0 once waited for */
	int rd;			/* its output, -1 at EOF */
	long deadline;		/* CLOCK_MONOTONIC ms: killed then, plus the time
				 * the grader held it stopped since (grader_held) */
	long held_base;		/* grader_held's total when it started */
	int reaped, st;
	int late;		/* still running at the deadline: killed */
	struct grader_run run;
};

#define GRADER_MAX_PROCS 8	/* started per grading */

/* The grader held the programs stopped (SIGSTOP, observe_hold) for ms:
 * that time is not theirs, so every running program's deadline moves by
 * it.  A slow grader (valgrind, a loaded machine) reads the kernel while
 * they are stopped; without this a right program ran out of its 5 s. */
void grader_held(long ms);

/* Start exe (no arguments) under the limits; it is killed timeout_ms from
 * now at the latest.  Returns 0, or -1 with errno. */
int grader_start(const char *exe, int timeout_ms, struct grader_proc *p);

/* Collect its output so far; 1 while it runs, 0 once it has ended. */
int grader_running(struct grader_proc *p);

/* Poll ready(arg) every 10 ms until it returns nonzero, p ends, ms pass or
 * p's deadline comes; returns ready's last answer. */
int grader_wait_for(struct grader_proc *p, int (*ready)(void *), void *arg, int ms);

/* Wait for p to end (until its deadline), kill its group, reap it, and
 * say how it went in *out. */
void grader_wait(struct grader_proc *p, struct grader_run *out);

/* grader_start + grader_wait. */
int grader_exec(const char *exe, int timeout_ms, struct grader_run *out);

/* Kill every group started and reap whatever they left (children that
 * moved to a session of their own come back to us, the subreaper). */
void grader_cleanup(void);

#endif
