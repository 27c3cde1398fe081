/* observe_tcp.h — inside the exercise module, for the TCP graders
 * (grade_tcp.c): the sockets of the sandbox with who holds them and with
 * which flags, as the kernel says.
 *
 * The grader is the first process of a PID namespace of its own, while
 * /proc is the machine's: a process has one pid in /proc and another in
 * the grader's namespace (the one grader_start() returned; the one
 * pidfd_open() takes).  A view translates: every pid it gives is the
 * grader's.  Not API. */
#ifndef SOCKLAB_OBSERVE_TCP_H
#define SOCKLAB_OBSERVE_TCP_H

#include <sys/types.h>

#include "inspect/inspect.h"

#define OBSERVE_TCP_PROCS 64

struct observe_tcp_view {
	struct inspect_snap snap;	/* rows; pid is the grader's pid, 0 unknown */
	struct {
		pid_t pid, pgrp, proc;	/* grader's pid and group; /proc's pid */
	} procs[OBSERVE_TCP_PROCS];	/* every process of the grading */
	size_t nprocs;
	int owners_err;		/* why owners could not be read, 0 they could */
	int flags_err;		/* why some owned row's flags stayed unknown, 0 none */
};

/* Ask sock_diag for the TCP sockets f lets through, with their owners
 * among the grading's processes and their SO_REUSEADDR/SO_REUSEPORT
 * (pidfd_getfd; -1 where unreadable, with flags_err saying why).  0, or
 * -1 with errno; observe_tcp_free() afterwards either way. */
int observe_tcp_look(const struct inspect_filter *f, struct observe_tcp_view *v);
void observe_tcp_free(struct observe_tcp_view *v);

/* The process group of pid (the grader's pid), -1 when it is not one of
 * the view's processes.  grader_start() puts a run in a group of its own,
 * so a row belongs to a run when its owner's group is the run's pid; a
 * child that called setsid() has left it. */
pid_t observe_tcp_pgrp(const struct observe_tcp_view *v, pid_t pid);

#endif
