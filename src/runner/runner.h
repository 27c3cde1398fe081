/* runner.h — socklab's side of a lab run: start the lab in its sandbox,
 * read its events, let the caller look at the kernel while the lab waits,
 * and leave nothing behind. */
#ifndef SOCKLAB_RUNNER_H
#define SOCKLAB_RUNNER_H

#include <sys/types.h>
#include <netinet/in.h>

#include "inspect/inspect.h"
#include "lab/info.h"
#include "lab/proto.h"

#define RUNNER_MAX_PROCS 16

struct runner_proc {
	pid_t pid;
	char name[32];		/* "main" for the lab's first process */
};

/* A host of the lab (lab_host, lab/hosts.c): its name, the keeper that
 * holds its namespace, a sock_diag socket in there, its IPv4 addresses
 * (how the wire names who sent a packet). */
#define RUNNER_MAX_HOSTS 8
#define RUNNER_HOST_ADDRS 4
#define RUNNER_MAX_LINKS 8
struct runner_host {
	char name[16];
	pid_t pid;
	int nl;			/* -1: its sockets cannot be read (why: errno lost) */
	struct in_addr addr[RUNNER_HOST_ADDRS];
	int naddr;
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
	struct runner_host hosts[RUNNER_MAX_HOSTS];
	int nhosts;
	struct {
		char name[16];		/* a switch: a bridge in the sandbox */
		int ifindex;		/* there; 0 unknown */
	} links[RUNNER_MAX_LINKS];
	int nlinks;
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
 * f lets through; NULL: all), then of each of its hosts in the order they
 * were made, each row's host named; or with --host the sockets of its
 * processes and of its ports (port_base and the 99 above); owners and
 * reuse flags filled in.  0, or -1 with errno. */
int runner_table(const struct runner *r, const struct inspect_filter *f,
		 struct inspect_snap *out);

/* A process of another producer in the lab's sandbox (the playground
 * beside the lab): runner_table looks for owners among it too, and
 * runner_role_of names it.  The runner does not reap it: its starter does. */
void runner_add_proc(struct runner *r, pid_t pid, const char *name);

/* A "host" event: the runner learns the host (hosts.c), opens a socket
 * table reader in its namespace, and the switch it is plugged into. */
void runner_add_host(struct runner *r, const struct proto_event *ev);

/* The host that holds IPv4 address a, or NULL. */
const char *runner_host_of(const struct runner *r, const struct in_addr *a);

/* 0 for a frame captured on a switch itself (each of its frames is also
 * a port's: the port's copy is the one kept), 1 otherwise. */
int runner_wire_keep(const struct runner *r, int ifindex);

/* Name the hosts that hold a packet's addresses (wire.h's src_host,
 * dst_host), where the lab has hosts. */
struct wire_pkt;
void runner_wire_name(const struct runner *r, struct wire_pkt *p);

/* The hosts' readers closed (the end of a run). */
void runner_hosts_close(struct runner *r);

/* "main", "server", ...; NULL for a pid that is not the lab's. */
const char *runner_role_of(const struct runner *r, pid_t pid);

/* A run stops cleanly on SIGINT, SIGTERM and SIGHUP (the lab is killed
 * and reaped) when the caller has called proc_catch_stop() (proc/proc.h);
 * proc_stop_signal() then says which came. */

#endif
