/* proc.h — socklab's process plumbing, in one place: the clock, the stop
 * signals and the one way to wait for them, and the kill-and-reap of a
 * process tree.  Every command, the runner, the dashboard and the
 * exercise grader use these; nothing here includes anything of ours.
 *
 * The stop signals are SIGINT, SIGTERM and SIGHUP.  proc_catch_stop()
 * turns them into a flag (proc_stop_signal()) instead of a death, so that
 * whoever started a lab or a program can kill and reap it first.  A flag
 * is only safe to wait on when the check and the wait are one: proc_wait()
 * blocks the stop signals from its check of the flag until ppoll()
 * unblocks them atomically, so a signal that arrives just before the wait
 * still ends it (a plain poll() after the check would sleep through it). */
#ifndef SOCKLAB_PROC_H
#define SOCKLAB_PROC_H

#include <poll.h>
#include <signal.h>
#include <sys/types.h>

/* CLOCK_MONOTONIC in milliseconds (microseconds): every deadline, timeout
 * and interval.  proc_wall_ms() is the wall clock (ms since the epoch),
 * for timestamps a reader sees (watch --json), never for intervals. */
/* In a child socklab forked to run a lab or a producer: a process group
 * of its own, SIGKILL when socklab dies (-1 when it is dead already:
 * the child exits), the stop signals back to their defaults. */
int proc_child_setup(pid_t parent);

/* In a child whose parent owns the terminal (a lab under the dashboard,
 * the playground beside it): stdin, stdout and stderr on /dev/null. */
void proc_stdio_null(void);

long proc_now_ms(void);
long long proc_now_us(void);
long long proc_wall_ms(void);

/* Catch SIGINT, SIGTERM and SIGHUP into the flag (no SA_RESTART: a
 * blocking call returns EINTR), and ignore SIGPIPE (a dead reader is an
 * error from write, not our death). */
void proc_catch_stop(void);

/* The stop signal that came since proc_catch_stop(), or 0. */
int proc_stop_signal(void);

/* The stop signals as a set: to hold them off around work that must not
 * be cut short (e.g. while a temporary file exists). */
void proc_stop_set(sigset_t *set);

/* ppoll() on fds[0..n) for at most timeout_ms (< 0: no limit), the stop
 * signals blocked from the check of the flag until the wait.  Returns
 * ppoll's answer: > 0 ready, 0 timed out, -1 with errno; EINTR either
 * because a stop signal came (proc_stop_signal() is set; it may already
 * have been before the call, then nothing waited) or because another
 * caught signal (SIGWINCH) interrupted the wait. */
int proc_wait(struct pollfd *fds, nfds_t n, long timeout_ms);

/* Kill process group pgrp (SIGKILL) and reap its leader (its wait status
 * in *status when not NULL, 0 if it was not ours to reap), then kill and
 * reap every child we still have (as a subreaper, processes that left the
 * group come back to us) until none is left and the group is gone; gives
 * up after about 1 s.  The caller starts no other children meanwhile:
 * every child of ours counts as the tree's. */
void proc_kill_tree(pid_t pgrp, int *status);

/* A message of len bytes with descriptors fds[0..nfds) (at most 4) over
 * unix socket sock (SCM_RIGHTS): 0, or -1 with errno.  proc_recv_fds
 * receives one: its length (-1 with errno), the descriptors in
 * fds[0..max) (-1 where none came; close-on-exec), any beyond max closed. */
int proc_send_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds);
ssize_t proc_recv_fds(int sock, void *buf, size_t len, int *fds, size_t max);

/* Run tasks 0..n-1, at most jobs at once, each task(i, ctx) in a forked
 * worker (its own process group, dead with us, the stop signals caught so
 * it can clean up) whose stdout and stderr are kept in memory; its return
 * value is its exit status.  As soon as task i and every task before it
 * have ended, done(i, out, err, wait status) is called, in task order; a
 * -1 from done stops the rest (killed with SIGTERM, reaped).  At most
 * 64 tasks run or wait to be told at once (each holds three descriptors
 * until then), whatever jobs says.  A stop
 * signal does the same: -1 with errno EINTR.  Returns 0, or -1 with errno. */
int proc_jobs(size_t n, int jobs, int (*task)(size_t i, void *ctx),
	      int (*done)(size_t i, const char *out, size_t outlen, const char *err,
			  size_t errlen, int status, void *ctx),
	      void *ctx);

#endif
