/* trace.h — follow a program's socket calls (socklab trace -- CMD).
 *
 * The program runs under ptrace with a seccomp filter (filter.c) that
 * stops it only at the socket-related system calls; everything else runs
 * at full speed (strace --seccomp-bpf's way).  Its children and threads
 * are followed.  At each stop the call's arguments are read from the
 * program's memory and, once the kernel has answered, handed to the
 * caller decoded (decode.c): what the program asked, what the kernel
 * said.  x86_64 only for now (the registers of other machines are not
 * read yet: trace_start says so).
 *
 * No output here: the caller (cmd_trace.c) says it. */
#ifndef SOCKLAB_TRACE_H
#define SOCKLAB_TRACE_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "lab/info.h"

enum trace_kind {
	TRACE_SOCKET, TRACE_SETSOCKOPT, TRACE_GETSOCKOPT, TRACE_BIND, TRACE_CONNECT,
	TRACE_LISTEN, TRACE_ACCEPT, TRACE_SENDTO, TRACE_SENDMSG, TRACE_SENDMMSG,
	TRACE_RECVFROM, TRACE_RECVMSG, TRACE_SHUTDOWN, TRACE_CLOSE, TRACE_OTHER,
};

/* One socket call as it happened. */
struct trace_call {
	pid_t pid, tgid;
	char comm[16];
	enum trace_kind kind;
	long nr;			/* the system call's number */
	unsigned long args[6];
	long ret;			/* the kernel's answer: >= 0, or -errno */
	/* what was read of the program's memory */
	struct sockaddr_storage addr;	/* bind/connect/sendto's, accept/recvfrom's */
	socklen_t addrlen;		/* 0: none, or not read */
	int optval;			/* setsockopt: an int value, when it was one */
	int optval_known;
	/* the socket the call is about (fd argument), as traced so far */
	int fd;
	int family, type;		/* 0: not known (made before the trace) */
	int reuseaddr, reuseport;	/* -1 not known, else as traced */
	int was_bound;			/* a local port before this call (traced) */
	/* read in the kernel, when the call came from --all (snoop.c) */
	int from_kernel;		/* 1: the flags are the kernel's at the call */
	int freebind, bind_no_port;	/* IP_FREEBIND, IP_BIND_ADDRESS_NO_PORT: -1 not known */
	int v6only;			/* IPV6_V6ONLY; 0 as well when not read (ptrace) */
	unsigned uid;			/* the socket's owner */
	unsigned long netns;		/* its network namespace's inode */
	unsigned long inode;		/* the socket's inode (the inspector's rows) */
	struct sockaddr_storage local;	/* its local address after the call */
	int local_known;
};

/* The callback: one call, after the kernel answered. */
typedef void trace_fn(const struct trace_call *c, void *ctx);

/* Run argv under the tracer, calling fn for each socket call, until the
 * program and every process it made are gone.  Returns the program's exit
 * status as a shell reports it (0-255, 128+N for signal N), or -1 with
 * why (no such command, ptrace or seccomp refused, not x86_64). */
int trace_run(char *const argv[], trace_fn *fn, void *ctx, char *why, size_t len);

/* The same, and entry (when not NULL) at each call's entry, before the
 * kernel runs it: the arguments are read, the answer not yet (ret 0).
 * The program waits while entry runs: the dashboard's stepping. */
int trace_run_stepped(char *const argv[], trace_fn *entry, trace_fn *fn, void *ctx,
		      char *why, size_t len);

/* The tracer as a lab the runner can run (host mode): each socket call of
 * the program set by trace_lab_argv() is a step (title: the call; the
 * program waits at it for the consumer's go) and a call event with
 * observe=1 after it; each process of the program a role named by its
 * command.  One more producer of docs/protocol.md's events (produce.c). */
extern const struct lab_info trace_lab;
void trace_lab_argv(char *const argv[]);

/* Attach to the running process pid (every thread; its children and
 * threads from now on) and follow it until it exits, or until a stop
 * signal (proc_catch_stop), when it is let go as it was.  Every system
 * call stops it then (no filter can be added to a running program): it
 * runs slower while traced.  Returns 0 (128+N after signal N), or -1
 * with why (no such process, ptrace refused and why). */
int trace_attach(pid_t pid, trace_fn *fn, void *ctx, char *why, size_t len);

/* socklab trace --all (snoop.c): every bind, listen and connect of an
 * IPv4 or IPv6 socket by any process of the host, read in the kernel by
 * BPF at the system-call tracepoints, each handed to fn with its socket's
 * flags at that moment (from_kernel set).  netns, when not 0, keeps the
 * calls of that network namespace (its inode) only.  Before the first
 * call is handed on, the flags' reading is checked on a bind of socklab's
 * own: a flag it does not read right on this kernel is not known (-1).
 * note, when not NULL, is told once what is being traced (ready).  Runs
 * until a stop signal (proc_catch_stop()): returns 0, or -1 with why (not
 * built, not root, the kernel refused the program and why).  *lost: the
 * calls the kernel could not hand over (a full ring buffer). */
int trace_all(unsigned long netns, trace_fn *fn, void (*note)(void *ctx, const char *what),
	      void *ctx, unsigned long *lost, char *why, size_t len);

/* A bind the kernel refused (EADDRINUSE, EACCES), put to the bind doctor
 * now, in the caller's network namespace, with the socket's flags as c
 * carries them (traced, or the kernel's under --all; -1 is said "?"):
 * "this socket: ...", "blocked by pid ...", "why: ...", "fix: ...", each
 * line ending in '\n', into buf (diagnose.c).  Returns the number of
 * lines; 0 when there is nothing to diagnose (not an inet address). */
size_t trace_diagnose(const struct trace_call *c, char *buf, size_t len);

/* The call as one line in the labs' words, without its answer:
 * "bind(fd 5 udp, 0.0.0.0:5000)", "setsockopt(fd 5, SO_REUSEADDR, 1)". */
void trace_describe(const struct trace_call *c, char *buf, size_t len);

/* The seccomp filter's program (filter.c): RET_TRACE for the socket calls,
 * RET_ALLOW for the rest.  Installs it in the calling process (after
 * PR_SET_NO_NEW_PRIVS).  0, or -1 with errno. */
int trace_filter_install(void);

/* The inode of pid's descriptor fd when it is a socket (its row in the
 * inspector's table), 0 when it is not one or is gone. */
unsigned long trace_socket_inode(pid_t pid, int fd);

/* The kind of system call nr (TRACE_OTHER for none of ours). */
enum trace_kind trace_kind_of(long nr);

#endif
