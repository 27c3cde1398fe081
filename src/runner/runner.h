/* runner.h — socklab's side of a lab run: start the lab in its sandbox,
 * read its events, let the caller look at the kernel while the lab waits,
 * and leave nothing behind. */
#ifndef SOCKLAB_RUNNER_H
#define SOCKLAB_RUNNER_H

#include <sys/types.h>

#include "inspect/inspect.h"
#include "lab/info.h"
#include "lab/proto.h"

#define RUNNER_MAX_PROCS 16

struct runner_proc {
	pid_t pid;
	char name[32];		/* "main" for the lab's first process */
};

struct runner {
	/* set by the caller */
	const struct lab_info *lab;	/* a linked lab ... */
	const char *exec_path;		/* ... or a lab executable */
	int host;			/* 1: the host's stack (loopback only) */
	int port_base;
	int timeout_ms;			/* silence longer than this: the lab hangs
					 * (0: 10 s, a Python lab 30 s) */
	int quiet;			/* 1: the lab's stdin/stdout/stderr are /dev/null
					 * (the dashboard owns the terminal) */
	int want_wire;			/* 1: capture the sandbox's frames (wire/wire.h):
					 * r->wire, read with wire_read() at each pause */
	void (*on_event)(struct runner *r, const struct proto_event *ev);
	/* "step" and "end": the lab waits until this returns; -1 stops the
	 * run (runner_run then fails with ECANCELED) */
	int (*on_pause)(struct runner *r, const struct proto_event *ev);
	/* optional: while a step runs, input_fd readable (or a signal such
	 * as SIGWINCH interrupting the wait) calls on_input; -1 stops the run
	 * (ECANCELED), as on_pause's -1 does */
	int input_fd;
	int (*on_input)(struct runner *r);
	void *ctx;

	/* filled in while running */
	int nl;				/* NETLINK_SOCK_DIAG in the lab's netns */
	int ctl;			/* the control pipe's read end: an on_pause that
					 * waits long can poll it for POLLHUP (events 0):
					 * every lab process died (return 0: the runner
					 * finds out).  Data in it is normal: another
					 * role's event; leave it to the runner */
	int gate;			/* the gate's write end: the runner writes "go"
					 * there; a producer that takes commands between
					 * steps (the playground) reads them there too */
	int wire;			/* want_wire: the packet socket in the lab's
					 * sandbox, -1 when none (wire_err says why:
					 * EPERM on the host's stack, where nothing is
					 * captured) */
	int wire_err;
	pid_t pid;			/* the lab's main process */
	struct runner_proc procs[RUNNER_MAX_PROCS];
	int nprocs;
	int ended;			/* an "end" event arrived */
	int exit_status;		/* the lab's, when it exited */
	char why[256];			/* what went wrong, when runner_run fails */
};

/* Run the lab to its end.  Returns 0 when it ran and exited (its
 * expectations may still have failed: see the events), or -1 with r->why
 * and errno: EPERM/ENOSPC etc. when no sandbox could be made (exit 2
 * material), ETIMEDOUT when it hung, EINTR when a signal stopped us
 * (proc_stop_signal() tells which), EPROTO when it crashed or misbehaved,
 * ENOEXEC when a lab executable could not be started. */
int runner_run(struct runner *r);

/* The lab's socket table now, into *out: every socket of its sandbox (that
 * f lets through; NULL: all), or with --host the sockets of its processes
 * and of its ports (port_base and the 99 above); owners and reuse flags
 * filled in.  0, or -1 with errno. */
int runner_table(const struct runner *r, const struct inspect_filter *f,
		 struct inspect_snap *out);

/* A process of another producer in the lab's sandbox (the playground
 * beside the lab): runner_table looks for owners among it too, and
 * runner_role_of names it.  The runner does not reap it: its starter does. */
void runner_add_proc(struct runner *r, pid_t pid, const char *name);

/* "main", "server", ...; NULL for a pid that is not the lab's. */
const char *runner_role_of(const struct runner *r, pid_t pid);

/* A run stops cleanly on SIGINT, SIGTERM and SIGHUP (the lab is killed
 * and reaped) when the caller has called proc_catch_stop() (proc/proc.h);
 * proc_stop_signal() then says which came. */

#endif
