/* snoop.c — socklab trace --all: load snoop.bpf.c, check it reads the
 * flags right, then hand on each bind, listen and connect it reports.
 *
 * Contract in trace.h (trace_all).  The object is embedded (snoop_obj.c)
 * and loaded from memory; its six programs attach to the system-call
 * tracepoints by their SEC names; the events come through a BPF ring
 * buffer, polled with a timeout so that a stop signal is seen at once.
 *
 * The check: before anything is handed on, socklab binds two UDP sockets
 * of its own to 127.0.0.1 port 0 (no packet is sent), one with
 * SO_REUSEADDR, SO_REUSEPORT, IP_FREEBIND and IP_BIND_ADDRESS_NO_PORT set
 * and one with none, and reads their events back.  A flag whose reading
 * does not give 1 for the first and 0 for the second is not trusted on
 * this kernel: it is handed on as not known (-1), said "?".  The kernel is
 * the oracle of the reader too. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "proc/proc.h"
#include "snoop.h"
#include "trace.h"

/* snoop_obj.c: the object clang -target bpf made, as bytes */
extern const unsigned char trace_snoop_obj[], trace_snoop_obj_end[];

static const char *const progs[] = {
	"snoop_enter_bind", "snoop_exit_bind", "snoop_enter_listen",
	"snoop_exit_listen", "snoop_enter_connect", "snoop_exit_connect",
};
#define NPROGS (sizeof progs / sizeof progs[0])

struct snoop {
	unsigned long netns;
	trace_fn *fn;
	void *ctx;
	unsigned trust;			/* SNOOP_KNOWN_* bits the check confirmed */
	/* the check: our two sockets' inodes, and what was read of them */
	unsigned long long ino[2];
	struct snoop_event seen[2];
	int nseen;
	int checking;
	unsigned self;			/* our tgid as the kernel counts it */
};

/* libbpf's own messages: its warnings under SOCKLAB_DEBUG, else nothing */
static int on_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || !getenv("SOCKLAB_DEBUG"))
		return 0;
	fputs("socklab: libbpf: ", stderr);
	return vfprintf(stderr, fmt, ap);
}

/* The event as the ptrace tracer's calls are: one struct trace_call. */
static void to_call(const struct snoop_event *e, unsigned trust, struct trace_call *c)
{
	unsigned known = e->known & trust;

	memset(c, 0, sizeof *c);
	c->pid = (pid_t)e->pid;
	c->tgid = (pid_t)e->tgid;
	memcpy(c->comm, e->comm, sizeof c->comm);
	c->comm[sizeof c->comm - 1] = '\0';
	c->kind = e->call == SNOOP_BIND ? TRACE_BIND : e->call == SNOOP_LISTEN ? TRACE_LISTEN :
								 TRACE_CONNECT;
	c->nr = e->call == SNOOP_BIND ? SYS_bind : e->call == SNOOP_LISTEN ? SYS_listen :
									SYS_connect;
	c->fd = e->fd;
	c->args[0] = (unsigned long)e->fd;
	c->args[1] = (unsigned long)e->backlog;
	c->ret = e->ret;
	c->family = e->family;
	c->type = e->type;
	if (e->addrlen) {
		memcpy(&c->addr, e->addr, e->addrlen < sizeof e->addr ? e->addrlen : sizeof e->addr);
		c->addrlen = e->addrlen;
	}
	c->reuseaddr = known & SNOOP_KNOWN_REUSE ? e->reuse != 0 : -1;
	c->reuseport = known & SNOOP_KNOWN_REUSE ? e->reuseport : -1;
	c->freebind = known & SNOOP_KNOWN_FREEBIND ? e->freebind : -1;
	c->bind_no_port = known & SNOOP_KNOWN_NOPORT ? e->bind_no_port : -1;
	c->v6only = e->family == AF_INET6 && e->v6only;
	c->from_kernel = 1;
	c->uid = e->uid;
	c->netns = e->netns;
	c->inode = (unsigned long)e->ino;
	if (e->lport || e->call == SNOOP_BIND) {
		if (e->family == AF_INET6) {
			struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&c->local;

			in6->sin6_family = AF_INET6;
			memcpy(&in6->sin6_addr, e->laddr, 16);
			in6->sin6_port = htons(e->lport);
		} else {
			struct sockaddr_in *in = (struct sockaddr_in *)&c->local;

			in->sin_family = AF_INET;
			memcpy(&in->sin_addr, e->laddr, 4);
			in->sin_port = htons(e->lport);
		}
		c->local_known = 1;
	}
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct snoop *s = ctx;
	const struct snoop_event *e = data;
	struct trace_call c;

	if (size < sizeof *e)
		return 0;
	if (s->checking) {
		/* the check's two binds, known by their sockets' inodes: the
		 * kernel's tgid is not getpid() inside a pid namespace, so
		 * ours is learnt from them */
		for (int i = 0; i < 2; i++)
			if (e->ino == s->ino[i] && e->call == SNOOP_BIND) {
				s->seen[i] = *e;
				s->nseen |= 1 << i;
				s->self = e->tgid;
			}
		return 0;
	}
	if (e->tgid == s->self || (s->netns && e->netns != s->netns))
		return 0;	/* ours (the doctor's probes), or another namespace */
	to_call(e, s->trust, &c);
	s->fn(&c, s->ctx);
	return 0;
}

/* One UDP socket of ours on 127.0.0.1 port 0, every flag on or off. */
static int check_socket(int on, unsigned long long *ino)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct stat st;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (on && (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0 ||
		   setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) < 0 ||
		   setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &on, sizeof on) < 0 ||
		   setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on) < 0)) {
		close(fd);
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || fstat(fd, &st) < 0) {
		close(fd);
		return -1;
	}
	*ino = st.st_ino;
	return fd;
}

/* Bind our two sockets and read their events: s->trust.  0; 1 when a
 * stop signal came first; -1 with why. */
static int check(struct snoop *s, struct ring_buffer *rb, char *why, size_t len)
{
	int fd[2];
	long long until;

	s->checking = 1;
	fd[0] = check_socket(1, &s->ino[0]);
	fd[1] = check_socket(0, &s->ino[1]);
	if (fd[0] < 0 || fd[1] < 0) {
		snprintf(why, len, "--all: the check's bind on 127.0.0.1 failed: %s", strerror(errno));
		if (fd[0] >= 0)
			close(fd[0]);
		if (fd[1] >= 0)
			close(fd[1]);
		return -1;
	}
	until = proc_now_ms() + 2000;
	while (s->nseen != 3 && proc_now_ms() < until && !proc_stop_signal())
		ring_buffer__poll(rb, 100);
	close(fd[0]);
	close(fd[1]);
	s->checking = 0;
	if (proc_stop_signal())
		return 1;	/* ^C before it began: nothing to say */
	if (s->nseen != 3) {
		snprintf(why, len, "--all: the BPF programs are attached but did not see socklab's "
			 "own bind (do this kernel's syscalls:sys_exit_bind events fire?)");
		return -1;
	}
	s->trust = 0;
	if ((s->seen[0].known & SNOOP_KNOWN_REUSE) && s->seen[0].reuse == 1 &&
	    s->seen[0].reuseport == 1 && s->seen[1].reuse == 0 && s->seen[1].reuseport == 0)
		s->trust |= SNOOP_KNOWN_REUSE;
	if ((s->seen[0].known & SNOOP_KNOWN_FREEBIND) && s->seen[0].freebind == 1 &&
	    s->seen[1].freebind == 0)
		s->trust |= SNOOP_KNOWN_FREEBIND;
	if ((s->seen[0].known & SNOOP_KNOWN_NOPORT) && s->seen[0].bind_no_port == 1 &&
	    s->seen[1].bind_no_port == 0)
		s->trust |= SNOOP_KNOWN_NOPORT;
	return 0;
}

/* The .bss counter of events the ring buffer had no room for. */
static unsigned long read_lost(struct bpf_object *obj)
{
	struct bpf_map *bss = bpf_object__find_map_by_name(obj, ".bss");
	unsigned long long v[8] = { 0 };
	int key = 0;

	if (!bss || bpf_map__value_size(bss) > sizeof v ||
	    bpf_map_lookup_elem(bpf_map__fd(bss), &key, v) < 0)
		return 0;
	return (unsigned long)v[0];
}

int trace_all(unsigned long netns, trace_fn *fn, void (*note)(void *ctx, const char *what),
	      void *ctx, unsigned long *lost, char *why, size_t len)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "socklab_snoop");
	struct snoop s = { .netns = netns, .fn = fn, .ctx = ctx };
	struct bpf_link *link[NPROGS] = { 0 };
	struct ring_buffer *rb = NULL;
	struct bpf_object *obj;
	char what[200];
	int ret = -1;

	*lost = 0;
	if (geteuid() != 0) {
		snprintf(why, len, "--all needs root: BPF programs that watch every process load "
			 "only with CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)");
		return -1;
	}
	libbpf_set_print(on_libbpf_print);
	obj = bpf_object__open_mem(trace_snoop_obj, (size_t)(trace_snoop_obj_end - trace_snoop_obj),
				   &opts);
	if (!obj) {
		snprintf(why, len, "--all: the embedded BPF object does not open: %s", strerror(errno));
		return -1;
	}
	if (bpf_object__load(obj) < 0) {
		snprintf(why, len, "--all: the kernel refused the BPF program: %s (%s; it needs BTF at "
			 "/sys/kernel/btf/vmlinux, and root of the initial user namespace; "
			 "SOCKLAB_DEBUG=1 shows libbpf's reasons)", strerrorname_np(errno) ?
			 strerrorname_np(errno) : "?", strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < NPROGS; i++) {
		struct bpf_program *p = bpf_object__find_program_by_name(obj, progs[i]);

		if (!p || !(link[i] = bpf_program__attach(p))) {
			snprintf(why, len, "--all: the tracepoint of %s does not attach: %s (is tracefs "
				 "there, with the syscalls events?)", progs[i], strerror(errno));
			goto out;
		}
	}
	rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj, "events")), on_event,
			      &s, NULL);
	if (!rb) {
		snprintf(why, len, "--all: the ring buffer does not open: %s", strerror(errno));
		goto out;
	}
	switch (check(&s, rb, why, len)) {
	case -1:
		goto out;
	case 1:
		ret = 0;
		goto out;
	}
	if (note) {
		snprintf(what, sizeof what, "every bind, listen and connect of an IPv4 or IPv6 "
			 "socket, %s%s", netns ? "in one network namespace" : "by any process",
			 (s.trust & (SNOOP_KNOWN_FREEBIND | SNOOP_KNOWN_NOPORT)) ==
					 (SNOOP_KNOWN_FREEBIND | SNOOP_KNOWN_NOPORT) ? "" :
				 " (IP_FREEBIND or IP_BIND_ADDRESS_NO_PORT do not read right on "
				 "this kernel: said ?)");
		note(ctx, what);
	}
	while (!proc_stop_signal()) {
		int n = ring_buffer__poll(rb, 200);

		if (n < 0 && n != -EINTR) {
			snprintf(why, len, "--all: reading the ring buffer: %s", strerror(-n));
			goto out;
		}
	}
	ring_buffer__consume(rb);	/* what came before the stop */
	*lost = read_lost(obj);
	ret = 0;
out:
	ring_buffer__free(rb);
	for (size_t i = 0; i < NPROGS; i++)
		bpf_link__destroy(link[i]);
	bpf_object__close(obj);
	return ret;
}
