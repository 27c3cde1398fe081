/* tracer.c — run a program under ptrace and hand over its socket calls
 * (trace.h).  The seccomp filter stops a thread at the entry of a socket
 * call (PTRACE_EVENT_SECCOMP); we read the arguments, let it run to the
 * call's exit (PTRACE_SYSCALL), read the answer, and let it go on
 * (PTRACE_CONT).  Threads and children are followed (PTRACE_O_TRACE*);
 * if socklab dies, they die (PTRACE_O_EXITKILL). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include "inspect/pidfd.h"
#include "proc/proc.h"
#include "trace.h"

#define MAX_TIDS 512
#define MAX_SOCKS 4096

/* A thread stopped inside one of our calls: the call so far. */
static struct tid {
	pid_t tid;
	int started;		/* its first stop (a new thread's SIGSTOP) is past */
	pid_t tgid;		/* read once (/proc), 0 until then */
	char comm[16];		/* read once, again after an exec */
	int in_call;
	struct trace_call call;
} tids[MAX_TIDS];

/* What the trace knows of each socket descriptor of each process. */
static struct sock {
	pid_t tgid;
	int fd, family, type, reuseaddr, reuseport, bound;
} socks[MAX_SOCKS];
static int nsocks;

static struct tid *tid_of(pid_t t, int make)
{
	struct tid *free_slot = NULL;

	for (int i = 0; i < MAX_TIDS; i++) {
		if (tids[i].tid == t)
			return &tids[i];
		if (!tids[i].tid && !free_slot)
			free_slot = &tids[i];
	}
	if (make && free_slot) {
		memset(free_slot, 0, sizeof *free_slot);
		free_slot->tid = t;
	}
	return make ? free_slot : NULL;
}

static struct sock *sock_of(pid_t tgid, int fd, int make)
{
	for (int i = 0; i < nsocks; i++)
		if (socks[i].tgid == tgid && socks[i].fd == fd)
			return &socks[i];
	if (!make || nsocks == MAX_SOCKS)
		return NULL;
	socks[nsocks] = (struct sock){ tgid, fd, 0, 0, -1, -1, 0 };
	return &socks[nsocks++];
}

static void sock_forget(pid_t tgid, int fd)
{
	for (int i = 0; i < nsocks; i++)
		if (socks[i].tgid == tgid && socks[i].fd == fd)
			socks[i] = socks[--nsocks];
}

static pid_t tgid_of(pid_t tid)
{
	char path[64], line[128];
	FILE *f;
	pid_t tgid = tid;

	snprintf(path, sizeof path, "/proc/%d/status", tid);
	if ((f = fopen(path, "re")) == NULL)
		return tid;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

static void comm_of(pid_t tid, char *out, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/comm", tid);
	out[0] = '\0';
	if ((f = fopen(path, "re")) != NULL) {
		if (fgets(out, (int)len, f))
			out[strcspn(out, "\n")] = '\0';
		fclose(f);
	}
}

unsigned long trace_socket_inode(pid_t pid, int fd)
{
	char path[64], link[64];
	unsigned long ino;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%d/fd/%d", pid, fd);
	n = readlink(path, link, sizeof link - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	return sscanf(link, "socket:[%lu]", &ino) == 1 ? ino : 0;
}

/* Is fd of tid a socket? (made before the trace began, or inherited) */
static int is_socket(pid_t tid, int fd)
{
	return trace_socket_inode(tid, fd) != 0;
}

/* A socket the trace did not see made (inherited, made before -p, or
 * before an exec): what it is and its reuse flags, asked of the kernel
 * on a duplicate of the descriptor (pidfd_getfd: the tracer may).  The
 * entry stays unknown (family 0, flags -1) when that fails. */
static struct sock *learn(pid_t tgid, pid_t tid, int fd)
{
	struct sock *s;
	int pfd, dup, v;
	socklen_t len;

	if (!is_socket(tid, fd) || (s = sock_of(tgid, fd, 1)) == NULL)
		return NULL;
	pfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	dup = pfd >= 0 ? (int)syscall(SYS_pidfd_getfd, pfd, fd, 0) : -1;
	if (pfd >= 0)
		close(pfd);
	if (dup < 0)
		return s;
	len = sizeof v;
	if (getsockopt(dup, SOL_SOCKET, SO_DOMAIN, &v, &len) == 0)
		s->family = v;
	len = sizeof v;
	if (getsockopt(dup, SOL_SOCKET, SO_TYPE, &v, &len) == 0)
		s->type = v;
	len = sizeof v;
	if (getsockopt(dup, SOL_SOCKET, SO_REUSEADDR, &v, &len) == 0)
		s->reuseaddr = v != 0;
	len = sizeof v;
	if (getsockopt(dup, SOL_SOCKET, SO_REUSEPORT, &v, &len) == 0)
		s->reuseport = v != 0;
	{
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;

		/* bound already: a port of its own */
		s->bound = getsockname(dup, (struct sockaddr *)&ss, &sl) == 0 &&
			   ((ss.ss_family == AF_INET && ((struct sockaddr_in *)&ss)->sin_port) ||
			    (ss.ss_family == AF_INET6 && ((struct sockaddr_in6 *)&ss)->sin6_port));
	}
	close(dup);
	return s;
}

static size_t peek(pid_t tid, unsigned long addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };
	ssize_t n;

	if (!addr || !len)
		return 0;
	n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	return n > 0 ? (size_t)n : 0;
}

/* A sockaddr at addr of length len (a value, or read from lenp). */
static void read_addr(pid_t tid, struct trace_call *c, unsigned long addr, unsigned long len)
{
	if (len > sizeof c->addr)
		len = sizeof c->addr;
	memset(&c->addr, 0, sizeof c->addr);
	c->addrlen = (socklen_t)peek(tid, addr, &c->addr, len);
}

/* At the call's entry: what the program asks. */
static void on_entry(pid_t tid, struct tid *t, const struct user_regs_struct *r)
{
	struct trace_call *c = &t->call;
	struct sock *s = NULL;

	memset(c, 0, sizeof *c);
	c->pid = tid;
	/* /proc once per thread, not once per call: the calls are many */
	if (!t->tgid) {
		t->tgid = tgid_of(tid);
		comm_of(tid, t->comm, sizeof t->comm);
	}
	c->tgid = t->tgid;
	memcpy(c->comm, t->comm, sizeof c->comm);
	c->nr = (long)r->orig_rax;
	c->kind = trace_kind_of(c->nr);
	c->args[0] = r->rdi;
	c->args[1] = r->rsi;
	c->args[2] = r->rdx;
	c->args[3] = r->r10;
	c->args[4] = r->r8;
	c->args[5] = r->r9;
	c->fd = c->kind == TRACE_SOCKET ? -1 : (int)c->args[0];
	c->reuseaddr = c->reuseport = -1;
	if (c->fd >= 0 && (s = sock_of(c->tgid, c->fd, 0)) == NULL && c->kind != TRACE_CLOSE)
		s = learn(c->tgid, tid, c->fd);
	if (c->fd >= 0 && s != NULL) {
		c->family = s->family;
		c->type = s->type;
		c->reuseaddr = s->reuseaddr;
		c->reuseport = s->reuseport;
		c->was_bound = s->bound;
	}
	switch (c->kind) {
	case TRACE_BIND:
	case TRACE_CONNECT:
		read_addr(tid, c, c->args[1], c->args[2]);
		break;
	case TRACE_SENDTO:
		read_addr(tid, c, c->args[4], c->args[5]);
		break;
	case TRACE_SENDMSG: {
		struct msghdr m;

		if (peek(tid, c->args[1], &m, sizeof m) == sizeof m)
			read_addr(tid, c, (unsigned long)m.msg_name, m.msg_namelen);
		break;
	}
	case TRACE_SETSOCKOPT:
		if (c->args[4] == sizeof(int) && peek(tid, c->args[3], &c->optval, sizeof(int)) == sizeof(int))
			c->optval_known = 1;
		break;
	default:
		break;
	}
}

/* At the call's exit: the answer, and what the trace now knows. */
static void on_exit_call(pid_t tid, struct trace_call *c, long ret)
{
	struct sock *s;

	c->ret = ret;
	if (c->kind == TRACE_ACCEPT && ret >= 0) {
		unsigned int alen = 0;

		if (c->args[2] && peek(tid, c->args[2], &alen, sizeof alen) == sizeof alen)
			read_addr(tid, c, c->args[1], alen);
	}
	if (ret < 0)
		return;
	switch (c->kind) {
	case TRACE_SOCKET:
		if ((s = sock_of(c->tgid, (int)ret, 1)) != NULL) {
			*s = (struct sock){ c->tgid, (int)ret, (int)c->args[0], (int)c->args[1] & 0xf, -1, -1, 0 };
			/* a new socket: both flags off until set */
			s->reuseaddr = s->reuseport = 0;
		}
		c->fd = (int)ret;
		c->family = (int)c->args[0];
		c->type = (int)c->args[1] & 0xf;
		break;
	case TRACE_ACCEPT:
		if ((s = sock_of(c->tgid, (int)ret, 1)) != NULL)
			*s = (struct sock){ c->tgid, (int)ret, c->family, c->type, -1, -1, 1 };
		break;
	case TRACE_SETSOCKOPT:
		if ((s = sock_of(c->tgid, c->fd, 1)) != NULL && c->optval_known && c->args[1] == SOL_SOCKET) {
			if (c->args[2] == SO_REUSEADDR)
				s->reuseaddr = c->optval != 0;
			if (c->args[2] == SO_REUSEPORT)
				s->reuseport = c->optval != 0;
		}
		break;
	case TRACE_BIND:
	case TRACE_CONNECT:
	case TRACE_SENDTO:
	case TRACE_SENDMSG:
	case TRACE_SENDMMSG:
	case TRACE_LISTEN:
		/* a first send, a connect or a listen binds implicitly */
		if ((s = sock_of(c->tgid, c->fd, 1)) != NULL)
			s->bound = 1;
		break;
	case TRACE_CLOSE:
		sock_forget(c->tgid, c->fd);
		break;
	default:
		break;
	}
}

int trace_run(char *const argv[], trace_fn *fn, void *ctx, char *why, size_t len)
{
	return trace_run_stepped(argv, NULL, fn, ctx, why, len);
}

int trace_run_stepped(char *const argv[], trace_fn *entry, trace_fn *fn, void *ctx,
		      char *why, size_t len)
{
#if !defined(__x86_64__)
	(void)argv, (void)entry, (void)fn, (void)ctx;
	snprintf(why, len, "socklab trace reads x86_64 registers only, for now");
	return -1;
#else
	int st, exit_status = 0, errpipe[2], err = 0, forwarded = 0;
	pid_t child;

	memset(tids, 0, sizeof tids);
	nsocks = 0;
	if (pipe2(errpipe, O_CLOEXEC) < 0) {
		snprintf(why, len, "pipe: %s", strerror(errno));
		return -1;
	}
	child = fork();
	if (child < 0) {
		snprintf(why, len, "fork: %s", strerror(errno));
		return -1;
	}
	if (child == 0) {
		close(errpipe[0]);
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0 || raise(SIGSTOP) != 0 ||
		    trace_filter_install() < 0) {
			err = errno;
			if (write(errpipe[1], &err, sizeof err) < 0)
				_exit(127);
			_exit(127);
		}
		execvp(argv[0], argv);
		err = errno;
		if (write(errpipe[1], &err, sizeof err) < 0)
			_exit(127);
		_exit(127);
	}
	close(errpipe[1]);
	if (waitpid(child, &st, __WALL) < 0 || !WIFSTOPPED(st)) {
		snprintf(why, len, "%s: ptrace: the program did not stop for the tracer (%s)", argv[0],
			 errno ? strerror(errno) : "a ptrace limit? kernel.yama.ptrace_scope");
		close(errpipe[0]);
		return -1;
	}
	ptrace(PTRACE_SETOPTIONS, child, 0,
	       PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK |
	       PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL);
	ptrace(PTRACE_CONT, child, 0, 0);
	for (;;) {
		pid_t t;
		struct tid *td;
		int sig = 0, event;

		if (proc_stop_signal() && !forwarded) {
			/* socklab was told to stop (SIGTERM, SIGHUP; a terminal's
			 * SIGINT reached the program already): the program is told
			 * the same, and the trace goes on to its end.  SIGKILL of
			 * socklab kills it (PTRACE_O_EXITKILL). */
			forwarded = 1;
			kill(child, proc_stop_signal());
		}
		t = waitpid(-1, &st, __WALL);
		if (t < 0) {
			if (errno == EINTR)
				continue;
			break;	/* ECHILD: every traced process is gone */
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if ((td = tid_of(t, 0)) != NULL)
				td->tid = 0;
			if (t == child)
				exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		event = (st >> 16) & 0xff;
		td = tid_of(t, 1);
		if (event == PTRACE_EVENT_EXEC && td) {
			/* a new program: its name again; its sockets are those that
			 * survived close-on-exec, learned again when used */
			pid_t g = td->tgid ? td->tgid : t;

			for (int i = 0; i < nsocks; i++)
				if (socks[i].tgid == g)
					socks[i--] = socks[--nsocks];
			td->tgid = 0;
		}
		if (event == PTRACE_EVENT_SECCOMP && td) {
			struct user_regs_struct regs;

			if (ptrace(PTRACE_GETREGS, t, 0, &regs) == 0) {
				on_entry(t, td, &regs);
				/* close of what is not a socket: not ours */
				if (td->call.kind == TRACE_CLOSE && !sock_of(td->call.tgid, td->call.fd, 0) &&
				    !is_socket(t, td->call.fd)) {
					ptrace(PTRACE_CONT, t, 0, 0);
					continue;
				}
				td->in_call = 1;
				if (entry)
					entry(&td->call, ctx);	/* it waits here meanwhile */
				ptrace(PTRACE_SYSCALL, t, 0, 0);	/* on to the call's exit */
				continue;
			}
		} else if (WSTOPSIG(st) == (SIGTRAP | 0x80) && td && td->in_call) {
			struct user_regs_struct regs;

			td->in_call = 0;
			if (ptrace(PTRACE_GETREGS, t, 0, &regs) == 0) {
				on_exit_call(t, &td->call, (long)regs.rax);
				fn(&td->call, ctx);
			}
		} else if (event == 0 && WSTOPSIG(st) != SIGTRAP && WSTOPSIG(st) != (SIGTRAP | 0x80)) {
			/* a signal for the program: deliver it (a new thread's
			 * first SIGSTOP is ours, not the program's) */
			sig = WSTOPSIG(st);
			if (sig == SIGSTOP && td && !td->started && t != child)
				sig = 0;
		}
		if (td)
			td->started = 1;
		ptrace(PTRACE_CONT, t, 0, sig);
	}
	/* exec failed: the child said why */
	if (read(errpipe[0], &err, sizeof err) == (ssize_t)sizeof err && err) {
		snprintf(why, len, "%s: %s", argv[0], err == ENOENT ? "command not found" : strerror(err));
		close(errpipe[0]);
		return -1;
	}
	close(errpipe[0]);
	return exit_status;
#endif
}

/* ---- attach (-p PID) ---------------------------------------------------- */

/* Every thread of pid, seized; 0 or -1 with errno (the first refusal). */
static int seize_all(pid_t pid, pid_t *tl, int *n)
{
	char path[64];
	DIR *d;
	struct dirent *de;
	int err = 0;

	snprintf(path, sizeof path, "/proc/%d/task", pid);
	if ((d = opendir(path)) == NULL) {
		errno = ESRCH;	/* no /proc/PID: no such process */
		return -1;
	}
	*n = 0;
	while ((de = readdir(d)) != NULL && *n < MAX_TIDS) {
		pid_t t = (pid_t)atoi(de->d_name);

		if (t <= 0)
			continue;
		/* no EXITKILL: the program was running before us and goes on after */
		if (ptrace(PTRACE_SEIZE, t, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK |
			   PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC) < 0) {
			if (!err)
				err = errno;
			continue;
		}
		ptrace(PTRACE_INTERRUPT, t, 0, 0);
		tl[(*n)++] = t;
	}
	closedir(d);
	if (*n == 0) {
		errno = err ? err : ESRCH;
		return -1;
	}
	return 0;
}

int trace_attach(pid_t pid, trace_fn *fn, void *ctx, char *why, size_t len)
{
#if !defined(__x86_64__)
	(void)pid, (void)fn, (void)ctx;
	snprintf(why, len, "socklab trace reads x86_64 registers only, for now");
	return -1;
#else
	static pid_t tl[MAX_TIDS];
	int n = 0, st;

	memset(tids, 0, sizeof tids);
	nsocks = 0;
	if (seize_all(pid, tl, &n) < 0) {
		int e = errno;
		FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "re");
		int scope = 0;

		if (f) {
			if (fscanf(f, "%d", &scope) != 1)
				scope = 0;
			fclose(f);
		}
		snprintf(why, len, "cannot attach to %d: %s%s", pid, strerror(e),
			 e == EPERM && scope > 0 ? " (kernel.yama.ptrace_scope is not 0: only root, or "
			 "the process's parent, may trace it)" : "");
		return -1;
	}
	for (;;) {
		pid_t t;
		struct tid *td;
		int sig = 0, event;

		if (proc_stop_signal()) {
			/* ^C: let go of the program, as it was */
			for (int i = 0; i < MAX_TIDS; i++)
				if (tids[i].tid) {
					ptrace(PTRACE_INTERRUPT, tids[i].tid, 0, 0);
					waitpid(tids[i].tid, &st, __WALL);
					ptrace(PTRACE_DETACH, tids[i].tid, 0, 0);
				}
			for (int i = 0; i < n; i++)
				ptrace(PTRACE_DETACH, tl[i], 0, 0);
			return 128 + proc_stop_signal();
		}
		t = waitpid(-1, &st, __WALL);
		if (t < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if ((td = tid_of(t, 0)) != NULL)
				td->tid = 0;
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		event = (st >> 16) & 0xff;
		td = tid_of(t, 1);
		if (td)
			td->started = 1;
		if (WSTOPSIG(st) == (SIGTRAP | 0x80) && td) {
			/* without a filter every call stops here, at its entry
			 * and its exit: only ours are kept */
			struct user_regs_struct regs;

			if (ptrace(PTRACE_GETREGS, t, 0, &regs) == 0) {
				if (!td->in_call && trace_kind_of((long)regs.orig_rax) != TRACE_OTHER &&
				    regs.rax == (unsigned long long)-ENOSYS) {
					on_entry(t, td, &regs);
					td->in_call = !(td->call.kind == TRACE_CLOSE &&
							!sock_of(td->call.tgid, td->call.fd, 0) &&
							!is_socket(t, td->call.fd));
				} else if (td->in_call) {
					td->in_call = 0;
					on_exit_call(t, &td->call, (long)regs.rax);
					fn(&td->call, ctx);
				}
			}
		} else if (event == PTRACE_EVENT_STOP || event == PTRACE_EVENT_EXEC ||
			   event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
			   event == PTRACE_EVENT_CLONE || WSTOPSIG(st) == SIGTRAP) {
			if (event == PTRACE_EVENT_EXEC && td)
				td->tgid = 0;
		} else {
			sig = WSTOPSIG(st);	/* the program's own signal */
		}
		ptrace(PTRACE_SYSCALL, t, 0, sig);
	}
	return 0;
#endif
}
