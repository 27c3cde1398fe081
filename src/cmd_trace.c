/* cmd_trace.c — socklab trace -- CMD: run CMD and say each socket call it
 * makes, in the labs' words, with the kernel's answer; the port a first
 * send or connect bound implicitly (read back with the inspector); and,
 * when a bind fails, the bind doctor's diagnosis on the spot: who holds
 * the port and the smallest fix, from the traced socket's own flags. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <netinet/in.h>

#include "args.h"
#include "cmd.h"
#include "i18n.h"
#include "inspect/inspect.h"
#include "lab/outcome.h"
#include "proc/proc.h"
#include "render/glyphs.h"
#include "render/report.h"
#include "trace/trace.h"

struct trace_ctx {
	FILE *out;
	unsigned show;			/* --calls: bit (1 << enum trace_kind) shown */
	int json;
	int table;			/* --table */
	int calls;
	pid_t pids[1024];		/* the traced processes seen so far */
	size_t npids;
	struct inspect_snap prev, snap, gone;
	int nl;
	int netns_fd;			/* --all --netns: that namespace, for the doctor */
	int broken;			/* the output's reader is gone */
};

static void remember_pid(struct trace_ctx *x, pid_t tgid)
{
	for (size_t i = 0; i < x->npids; i++)
		if (x->pids[i] == tgid)
			return;
	if (x->npids < sizeof x->pids / sizeof x->pids[0])
		x->pids[x->npids++] = tgid;
}

/* --table: the program's sockets now (rows its processes own), marked
 * against the last table. */
static void show_table(struct trace_ctx *x)
{
	struct report rp = { .out = x->out, .style = REPORT_TEXT };
	struct inspect_snap tmp;
	size_t keep = 0;

	if (x->nl < 0 && (x->nl = inspect_open()) < 0)
		return;
	if (inspect_query(x->nl, NULL, &x->snap) < 0)
		return;
	inspect_owners(&x->snap, x->pids, x->npids);
	for (size_t i = 0; i < x->snap.n; i++)
		if (x->snap.v[i].pid)
			x->snap.v[keep++] = x->snap.v[i];
	x->snap.n = keep;
	inspect_flags(&x->snap);
	if (inspect_diff(&x->prev, &x->snap, &x->gone) < 0)
		x->gone.n = 0;
	{
		int changed = x->gone.n > 0;

		for (size_t i = 0; i < x->snap.n && !changed; i++)
			changed = x->snap.v[i].mark != 0;
		if (changed)	/* only a table that says something new */
			report_table(&rp, &x->snap, &x->gone, NULL, "the program's sockets");
	}
	tmp = x->prev;
	x->prev = x->snap;
	x->snap = tmp;
}

static unsigned long our_netns(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) == 0 ? (unsigned long)st.st_ino : 0;
}

/* Is pid in our network namespace?  (The inspector reads ours.) */
static int same_netns(pid_t pid)
{
	char path[64];
	struct stat a, b;

	snprintf(path, sizeof path, "/proc/%d/ns/net", pid);
	return stat(path, &a) == 0 && stat("/proc/self/ns/net", &b) == 0 && a.st_ino == b.st_ino &&
	       a.st_dev == b.st_dev;
}

/* The local address the kernel gave pid's socket fd: its row, by inode. */
static int local_of(pid_t pid, int fd, char *buf, size_t len)
{
	unsigned long ino = trace_socket_inode(pid, fd);
	struct inspect_snap snap = { 0 };
	int nl, found = 0;

	if (ino == 0 || (nl = inspect_open()) < 0)
		return 0;
	if (inspect_query(nl, NULL, &snap) == 0)
		for (size_t i = 0; i < snap.n && !found; i++)
			if (snap.v[i].inode == ino) {
				struct sockaddr_storage ss = { 0 };

				if (snap.v[i].family == AF_INET) {
					struct sockaddr_in *in = (struct sockaddr_in *)&ss;

					in->sin_family = AF_INET;
					memcpy(&in->sin_addr, &snap.v[i].laddr, 4);
					in->sin_port = htons(snap.v[i].lport);
				} else {
					struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

					in6->sin6_family = AF_INET6;
					in6->sin6_addr = snap.v[i].laddr;
					in6->sin6_port = htons(snap.v[i].lport);
				}
				outcome_address(buf, len, &ss, sizeof ss);
				found = 1;
			}
	inspect_free(&snap);
	close(nl);
	return found;
}

static const char *flag(int v)
{
	return v < 0 ? "?" : v ? "1" : "0";
}

static const char *json_flag(int v)
{
	return v < 0 ? "null" : v ? "1" : "0";
}

/* A bind the kernel refused: the doctor's lines, indented under the call. */
static void diagnose(struct trace_ctx *x, const struct trace_call *c)
{
	char text[2048];
	const char *l = text;

	if (trace_diagnose(c, text, sizeof text) == 0 &&
	    (c->family == AF_INET || c->family == AF_INET6))	/* not a unix socket's */
		fprintf(x->out, "    (its address was not read: no diagnosis)\n");
	while (*l) {
		size_t n = strcspn(l, "\n");

		fprintf(x->out, "    %.*s\n", (int)n, l);
		l += n + (l[n] == '\n');
	}
}

/* The network namespace of a call read by --all, entered for the doctor:
 * the --netns one, or its process's while it lives.  The fd to go back
 * to, or -1 (*said: why not, on the trace). */
static int enter_netns(struct trace_ctx *x, const struct trace_call *c)
{
	char path[64];
	struct stat st;
	int fd, self;

	if (x->netns_fd >= 0) {
		fd = dup(x->netns_fd);
	} else {
		snprintf(path, sizeof path, "/proc/%d/ns/net", c->tgid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && (fstat(fd, &st) < 0 || st.st_ino != c->netns)) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0) {
		fprintf(x->out, "    (pid %d is gone, or no longer in net:[%lu]: no diagnosis)\n",
			c->tgid, c->netns);
		return -1;
	}
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0 || setns(fd, CLONE_NEWNET) < 0) {
		fprintf(x->out, "    (its network namespace cannot be entered: %s; no diagnosis)\n",
			strerror(errno));
		if (self >= 0)
			close(self);
		close(fd);
		return -1;
	}
	close(fd);
	return self;
}

static void leave_netns(int self)
{
	/* as inspect/bpf.c: back home cannot fail short of the kernel's
	 * memory, and going on in another namespace would be a lie */
	if (setns(self, CLONE_NEWNET) < 0) {
		perror("socklab: setns back to our network namespace");
		abort();
	}
	close(self);
}

/* A refused bind, diagnosed where its socket lives. */
static void diagnose_call(struct trace_ctx *x, const struct trace_call *c)
{
	int self;

	if (!c->from_kernel) {
		if (same_netns(c->pid))
			diagnose(x, c);
		else
			fprintf(x->out, "    (the program is in another network namespace: no diagnosis)\n");
		return;
	}
	if (c->netns == our_netns()) {
		diagnose(x, c);
		return;
	}
	if ((self = enter_netns(x, c)) < 0)
		return;
	diagnose(x, c);
	leave_netns(self);
}

/* The port a bind or connect asked for (host order); -1: no inet address. */
static int asked_port(const struct trace_call *c)
{
	if (c->addrlen >= sizeof(struct sockaddr_in) && c->addr.ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)&c->addr)->sin_port);
	if (c->addrlen >= sizeof(struct sockaddr_in6) && c->addr.ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)&c->addr)->sin6_port);
	return -1;
}

/* --all: what the kernel held of the socket at the call. */
static void kernel_part(struct trace_ctx *x, const struct trace_call *c)
{
	char local[96];

	fprintf(x->out, "    flags: SO_REUSEADDR %s, SO_REUSEPORT %s, IP_FREEBIND %s, "
		"IP_BIND_ADDRESS_NO_PORT %s; uid %u", flag(c->reuseaddr), flag(c->reuseport),
		flag(c->freebind), flag(c->bind_no_port), c->uid);
	if (c->netns != our_netns())
		fprintf(x->out, "; network namespace net:[%lu]", c->netns);
	fputc('\n', x->out);
	if (!c->local_known || c->ret < 0)
		return;
	outcome_address(local, sizeof local, &c->local, sizeof c->local);
	if (c->kind == TRACE_CONNECT)
		fprintf(x->out, "    the socket's local address: %s\n", local);
	else if (c->kind == TRACE_BIND && asked_port(c) == 0)
		fprintf(x->out, "    the kernel picked the port: %s\n", local);
}

/* Out with the lines; when nobody reads them any more (EPIPE: socklab
 * trace --all | head), stop as ^C stops, the stop signals' one way. */
static void written(struct trace_ctx *x)
{
	if ((fflush(x->out) == EOF || ferror(x->out)) && !x->broken) {
		x->broken = 1;
		kill(getpid(), SIGTERM);
	}
}

static void on_call(const struct trace_call *c, void *ctx)
{
	struct trace_ctx *x = ctx;
	char what[320], answer[160], local[96];

	x->calls++;
	remember_pid(x, c->tgid);
	if (!(x->show & (1u << c->kind)))
		return;	/* --calls: not one of those asked for */
	trace_describe(c, what, sizeof what);
	if (c->ret < 0)
		report_errno_text(answer, sizeof answer, (int)-c->ret);
	else if (c->kind == TRACE_SOCKET || c->kind == TRACE_ACCEPT)
		snprintf(answer, sizeof answer, "fd %ld", c->ret);
	else
		snprintf(answer, sizeof answer, "%ld", c->ret);
	if (x->json) {
		char esc[2][640];

		/* minimal JSON: strings the describer made are ASCII without quotes
		 * except addresses and names, escaped here */
		char comm[40];

		for (int k = 0; k < 3; k++) {
			const char *src = k == 2 ? c->comm : k ? answer : what;
			char *dst = k == 2 ? comm : esc[k];
			size_t cap = k == 2 ? sizeof comm : sizeof esc[0];
			size_t n = 0;

			for (; *src && n + 7 < cap; src++) {
				if (*src == '"' || *src == '\\')
					dst[n++] = '\\';
				if ((unsigned char)*src < 0x20)	/* a control character */
					n += (size_t)snprintf(dst + n, cap - n, "\\u%04x", *src);
				else
					dst[n++] = *src;
			}
			dst[n] = '\0';
		}
		fprintf(x->out, "{\"pid\":%d,\"comm\":\"%s\",\"call\":\"%s\",\"ret\":%ld,\"errno\":%ld,"
			"\"answer\":\"%s\"", c->pid, comm, esc[0], c->ret < 0 ? -1 : c->ret,
			c->ret < 0 ? -c->ret : 0, esc[1]);
		if (c->from_kernel)	/* --all: the kernel's flags; null where not known */
			fprintf(x->out, ",\"flags\":{\"SO_REUSEADDR\":%s,\"SO_REUSEPORT\":%s,"
				"\"IP_FREEBIND\":%s,\"IP_BIND_ADDRESS_NO_PORT\":%s},\"uid\":%u,"
				"\"netns\":%lu,\"inode\":%lu", json_flag(c->reuseaddr),
				json_flag(c->reuseport), json_flag(c->freebind),
				json_flag(c->bind_no_port), c->uid, c->netns, c->inode);
		fputs("}\n", x->out);
		written(x);
		return;
	}
	if (c->pid != c->tgid && c->tgid)	/* a thread of process tgid */
		fprintf(x->out, "pid %d %s [thread %d]  %s  %s %s\n", c->tgid, c->comm, c->pid, what,
			glyph(GLYPH_ARROW), answer);
	else
		fprintf(x->out, "pid %d %-10s %s  %s %s\n", c->pid, c->comm, what,
			glyph(GLYPH_ARROW), answer);
	if (c->from_kernel)
		kernel_part(x, c);
	/* the implicit bind of a first send or connect: the port the kernel picked */
	if ((c->ret >= 0 || (c->kind == TRACE_CONNECT && c->ret == -EINPROGRESS)) && !c->was_bound &&
	    (c->family == AF_INET || c->family == AF_INET6) &&
	    (((c->kind == TRACE_SENDTO || c->kind == TRACE_SENDMSG || c->kind == TRACE_SENDMMSG) &&
	      c->type == SOCK_DGRAM) || c->kind == TRACE_CONNECT) &&
	    !c->from_kernel && same_netns(c->pid) && local_of(c->pid, c->fd, local, sizeof local))
		fprintf(x->out, "    the kernel bound fd %d to %s (an implicit bind)\n", c->fd, local);
	if (c->kind == TRACE_BIND && (c->ret == -EADDRINUSE || c->ret == -EACCES))
		diagnose_call(x, c);
	/* what may change the table: a bind, explicit or not, a listen, a
	 * connection, a close */
	if (x->table && !c->from_kernel && c->ret >= 0 && same_netns(c->pid) &&
	    (c->kind == TRACE_BIND || c->kind == TRACE_LISTEN || c->kind == TRACE_CONNECT ||
	     c->kind == TRACE_ACCEPT || c->kind == TRACE_CLOSE || c->kind == TRACE_SHUTDOWN ||
	     (!c->was_bound && (c->kind == TRACE_SENDTO || c->kind == TRACE_SENDMSG))))
		show_table(x);
	written(x);
}

static const char help[] =
	N_("Runs CMD (any program: C, Python, ...) and says each socket call it and\n"
	"its children and threads make, with the kernel's answer:\n"
	"    pid 4242 python3    bind(fd 5 udp, 0.0.0.0:5000)  -> EADDRINUSE 98 / ...\n"
	"A first send or connect that bound the socket implicitly says the port the\n"
	"kernel picked; a refused bind is diagnosed at once (who holds the port, with\n"
	"which flags, and the smallest fix).  The program stops only at its socket\n"
	"calls (a seccomp filter); everything else runs at full speed.  A socket the\n"
	"trace did not see made (inherited, or made before -p) is asked of the\n"
	"kernel.  The trace goes to stdout with the program's own output (-o keeps\n"
	"them apart); it ends when the program and every process it made are gone.\n"
	"\n"
	"  -o FILE    write the trace there (the program's own output stays)\n"
	"  -p PID     follow a running process instead (where ptrace permits);\n"
	"             every call of it stops then, so it runs slower; ^C lets it go\n"
	"  --json     one JSON object per call (docs/trace-json.md)\n"
	"  --calls LIST  only these calls: socket, setsockopt, getsockopt, bind,\n"
	"             connect, listen, accept, send, recv, shutdown, close (bind,connect)\n"
	"  --table    after each call that changed them, the program's sockets (the\n"
	"             inspector's rows: state, flags, owner), + new, ~ changed, - gone\n"
	"\n"
	"  --all      (root) every bind, listen and connect of an IPv4 or IPv6 socket\n"
	"             by any process of the host, read in the kernel by BPF, with the\n"
	"             socket's SO_REUSEADDR, SO_REUSEPORT, IP_FREEBIND and\n"
	"             IP_BIND_ADDRESS_NO_PORT at that moment; a refused bind is\n"
	"             diagnosed in its own network namespace.  Until ^C.\n"
	"  --netns NS with --all: only the calls on sockets of that network namespace\n"
	"             (a path such as /proc/PID/ns/net, or a name of ip netns)\n"
	"\n"
	"The dashboard steps through a trace too, a call a step (socklab help dash).\n"
	"The ptrace tracer reads x86_64's registers only.\n"
	"\n"
	"Exit status: CMD's own (128+N when signal N ended it), or 2 when CMD\n"
	"cannot be run or traced (or --all cannot load, and why).  SIGTERM or\n"
	"SIGHUP to socklab is passed to CMD; with --all they end the trace (0).\n");

enum { OPT_JSON = 256, OPT_TABLE, OPT_CALLS, OPT_ALL, OPT_NETNS };

/* --calls: the names a user writes, and the kinds each shows */
static const struct {
	const char *name;
	unsigned kinds;
} call_names[] = {
	{ "socket", 1u << TRACE_SOCKET },
	{ "setsockopt", 1u << TRACE_SETSOCKOPT }, { "getsockopt", 1u << TRACE_GETSOCKOPT },
	{ "bind", 1u << TRACE_BIND }, { "connect", 1u << TRACE_CONNECT },
	{ "listen", 1u << TRACE_LISTEN }, { "accept", 1u << TRACE_ACCEPT },
	{ "send", 1u << TRACE_SENDTO | 1u << TRACE_SENDMSG | 1u << TRACE_SENDMMSG },
	{ "recv", 1u << TRACE_RECVFROM | 1u << TRACE_RECVMSG },
	{ "shutdown", 1u << TRACE_SHUTDOWN }, { "close", 1u << TRACE_CLOSE },
};

/* "bind,connect" into kind bits; 0 when a name is unknown (*bad: it) */
static unsigned parse_calls(const char *list, char *bad, size_t len)
{
	unsigned bits = 0;
	char buf[256], *save = NULL;

	snprintf(bad, len, "%s", list);	/* nothing named at all: the list itself */
	snprintf(buf, sizeof buf, "%s", list);
	for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		unsigned k = 0;

		for (size_t i = 0; i < sizeof call_names / sizeof call_names[0]; i++)
			if (strcmp(w, call_names[i].name) == 0)
				k = call_names[i].kinds;
		if (!k) {
			snprintf(bad, len, "%s", w);
			return 0;
		}
		bits |= k;
	}
	return bits;
}

static const char shortopts[] = "o:p:";

static const struct option options[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "table", no_argument, NULL, OPT_TABLE },
	{ "calls", required_argument, NULL, OPT_CALLS },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "output", required_argument, NULL, 'o' },
	{ "pid", required_argument, NULL, 'p' },
	{ NULL, 0, NULL, 0 }
};

/* --netns NS: a path to a namespace file, or a name of ip netns.  An fd
 * of it and its inode, or -1 (why). */
static int open_netns(const char *ns, unsigned long *ino, char *why, size_t len)
{
	char path[256];
	struct statfs sf;
	struct stat st;
	int fd;

	if (strchr(ns, '/'))
		snprintf(path, sizeof path, "%s", ns);
	else
		snprintf(path, sizeof path, "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, len, "--netns %.100s: %.120s: %s", ns, path, strerror(errno));
		return -1;
	}
	/* a namespace file is of nsfs, and is a network one when setns
	 * would take it as one: NS_GET_NSTYPE says without entering */
	if (fstatfs(fd, &sf) < 0 || sf.f_type != NSFS_MAGIC || fstat(fd, &st) < 0 ||
	    ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET) {
		snprintf(why, len, "--netns %.100s: not a network namespace (/proc/PID/ns/net, "
			 "/run/netns/NAME, or a name of ip netns)", ns);
		close(fd);
		return -1;
	}
	*ino = (unsigned long)st.st_ino;
	return fd;
}

static void say_ready(void *ctx, const char *what)
{
	struct trace_ctx *x = ctx;

	/* -o FILE was opened without emptying it: a --all that cannot load
	 * leaves an earlier trace there; now it is this trace's */
	if (x->out != stdout && ftruncate(fileno(x->out), 0) < 0)
		fprintf(stderr, "socklab: -o: %s\n", strerror(errno));
	fprintf(stderr, "socklab: tracing %s; ^C ends\n", what);
}

/* socklab trace --all: until a stop signal */
static int trace_every(const struct cmd_entry *self, struct trace_ctx *x, const char *netns)
{
	unsigned long ino = 0, lost;
	char why[400];
	int ret;

	if (netns && (x->netns_fd = open_netns(netns, &ino, why, sizeof why)) < 0)
		return cmd_usage_error(self, "%s", why);
	/* the flags reader loaded now, not at the first refused bind: the
	 * program does not wait for the diagnosis, and its blocker may be
	 * gone by then */
	inspect_flags_prepare();
	ret = trace_all(ino, on_call, say_ready, x, &lost, why, sizeof why);
	if (x->netns_fd >= 0)
		close(x->netns_fd);
	if (ret < 0)
		return cmd_usage_error(self, "%s", why);
	if (lost)
		fprintf(stderr, P_("socklab: %lu call was lost: the kernel's ring buffer was full\n",
				   "socklab: %lu calls were lost: the kernel's ring buffer was full\n", lost),
			lost);
	return 0;
}

static int cmd_trace(const struct cmd_args *a)
{
	const struct cmd_entry *self = a->cmd;
	struct trace_ctx x = { .out = stdout, .nl = -1, .show = ~0u, .netns_fd = -1 };
	const char *outpath = NULL, *netns = NULL;
	long attach = 0;
	char why[320];
	int ret, all = 0;

	CMD_FOR_OPTS(a, opt) {
		if (opt->opt == OPT_JSON)
			x.json = 1;
		else if (opt->opt == OPT_TABLE)
			x.table = 1;
		else if (opt->opt == OPT_CALLS && (x.show = parse_calls(opt->arg, why, sizeof why)) == 0)
			return cmd_usage_error(self, "--calls: '%s' is not socket, setsockopt, getsockopt, "
					       "bind, connect, listen, accept, send, recv, shutdown or close",
					       why);
		else if (opt->opt == OPT_ALL)
			all = 1;
		else if (opt->opt == OPT_NETNS)
			netns = opt->arg;
		else if (opt->opt == 'o')
			outpath = opt->arg;
		else if (opt->opt == 'p' && args_int(opt->arg, 1, 4194304, &attach) < 0)
			return cmd_usage_error(self, "-p %s: a process id", opt->arg);
	}
	if (all && (a->argc || attach || x.table))
		return cmd_usage_error(self, "--all traces every process: no command, -p or --table with it");
	if (netns && !all)
		return cmd_usage_error(self, "--netns goes with --all");
	if (all && (x.show & ~(1u << TRACE_BIND | 1u << TRACE_LISTEN | 1u << TRACE_CONNECT)) &&
	    x.show != ~0u)
		return cmd_usage_error(self, "--all sees bind, listen and connect only: --calls "
				       "takes those three with it");
	if (a->argc == 0 && !attach && !all)
		return cmd_usage_error(self, "which program? socklab trace -- CMD [ARGS...], -p PID, or --all");
	if (a->argc && attach)
		return cmd_usage_error(self, "-p PID or a command, not both");
	if (outpath && (x.out = fopen(outpath, all ? "ae" : "we")) == NULL)
		return cmd_usage_error(self, "%s: %s", outpath, strerror(errno));
	proc_catch_stop();
	if (all) {
		ret = trace_every(self, &x, netns);
		if (x.out != stdout)
			fclose(x.out);
		return ret;
	}
	ret = attach ? trace_attach((pid_t)attach, on_call, &x, why, sizeof why) :
		       trace_run(a->argv, on_call, &x, why, sizeof why);
	if (x.out != stdout)
		fclose(x.out);
	if (x.nl >= 0)
		close(x.nl);
	inspect_free(&x.prev);
	inspect_free(&x.snap);
	inspect_free(&x.gone);
	if (ret < 0)
		return cmd_usage_error(self, "%s", why);
	return ret;
}

const struct cmd_entry cmd_trace_entry = {
	.name = "trace",
	.usage = "[OPTIONS] -- CMD [ARGS...] | -p PID | --all",
	.summary = N_("run a program and explain each socket call it makes"),
	.help = help,
	.args = { .options = options, .shortopts = shortopts, .max = CMD_ANY, .operand = N_("command") },
	.exec = cmd_trace,
};
