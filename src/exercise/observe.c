/* observe.c — what the graders share: the kernel's view of the sandbox
 * (sock_diag, /proc/net/igmp), the grader's own sockets, and the
 * wording of "did it run". */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "graders.h"
#include "i18n.h"
#include "inspect/inspect.h"
#include "proc/proc.h"

void observe_say(struct exercise_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->observed, sizeof res->observed, i18n_tr(fmt), ap);
	va_end(ap);
}

void observe_ran_ok(const struct grader_run *r, const char *criterion, struct exercise_result *res)
{
	res->criterion = criterion;
	res->ok = r->exited && r->status == 0;
	if (r->timed_out)
		observe_say(res, "still running after %d s: killed", GRADER_TIMEOUT_MS / 1000);
	else if (!r->exited)
		observe_say(res, "killed by signal %d (%s)", r->signal, strsignal(r->signal));
	else {
		char words[121];

		/* its words on one line (a Python traceback: its exception) */
		observe_words(r, words, sizeof words);
		observe_say(res, "exit status %d%s%s", r->status, *words ? _("; it said: ") : "", words);
	}
	res->hint = r->exited && !r->timed_out ? _("it stopped with an error: read what it said") :
		    _("it must finish by itself: no endless loop, no crash");
}

int observe_count(uint8_t proto, uint16_t port, int state)
{
	struct inspect_filter f = { .protos = proto == IPPROTO_TCP ? INSPECT_TCP : INSPECT_UDP,
				    .port = port };
	static int nl = -1;	/* one, for the grading: the waits poll every 10 ms */
	struct inspect_snap snap = { 0 };
	int n = 0;

	if (nl < 0 && (nl = inspect_open()) < 0)
		return -1;
	if (state >= 0)
		f.states = 1U << state;
	if (inspect_query(nl, &f, &snap) < 0) {
		int err = errno;

		close(nl);	/* the next count starts on a fresh socket */
		nl = -1;
		errno = err;
		return -1;
	}
	for (size_t i = 0; i < snap.n; i++)
		n += snap.v[i].lport == port;	/* the filter also lets peer ports through */
	inspect_free(&snap);
	return n;
}

struct count_arg {
	uint8_t proto;
	uint16_t port;
	int state, want, last;
};

static int count_reached(void *arg)
{
	struct count_arg *c = arg;

	c->last = observe_count(c->proto, c->port, c->state);
	return c->last >= c->want;
}

int observe_wait_count(struct grader_proc *p, uint8_t proto, uint16_t port, int state,
		       int want, int ms)
{
	struct count_arg c = { proto, port, state, want, 0 };

	grader_wait_for(p, count_reached, &c, ms);
	return c.last;
}

int observe_igmp_users(const char *ifname, const char *group)
{
	struct inspect_groups g = { 0 };
	struct in_addr want;
	int users = 0;

	if (inet_pton(AF_INET, group, &want) != 1 || inspect_igmp(0, &g) < 0)
		return -1;
	for (size_t i = 0; i < g.n; i++)
		if (g.v[i].family == AF_INET && strcmp(g.v[i].ifname, ifname) == 0 &&
		    memcmp(&g.v[i].group, &want, sizeof want) == 0)
			users += (int)g.v[i].users;
	inspect_groups_free(&g);
	return users;
}

/* ip:port into *ss; its length, or 0 when ip is no literal. */
static socklen_t sockaddr_of(const char *ip, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, ip, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		return sizeof *in;
	}
	if (inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		return sizeof *in6;
	}
	errno = EINVAL;
	return 0;
}

int observe_socket(int type, const char *ip, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(ip, port, &ss);
	int s, on = 1;

	if (len == 0)
		return -1;
	s = socket(ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	/* the grader's listeners may follow one another on a port.  Never
	 * with port 0: two UDP sockets that both set SO_REUSEADDR may be
	 * given the same ephemeral port (udp_lib_get_port() lets them share),
	 * and a reply to one then lands on the other; exercise 05's 64
	 * clients met it about once in a dozen gradings */
	if (port != 0)
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (ss.ss_family == AF_INET6)
		setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
	if (bind(s, (struct sockaddr *)&ss, len) < 0 ||
	    (type == SOCK_STREAM && listen(s, 64) < 0)) {
		int err = errno;

		close(s);
		errno = err;
		return -1;
	}
	return s;
}

int observe_fetch(const char *ip, uint16_t port, char *buf, size_t len, int reset)
{
	struct sockaddr_storage ss;
	socklen_t alen = sockaddr_of(ip, port, &ss);
	struct timeval tv = { 2, 0 };
	struct linger rst = { 1, 0 };
	size_t got = 0;
	int s, err;

	if (alen == 0)
		return -1;
	if ((s = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(s, (struct sockaddr *)&ss, alen) < 0)
		goto fail;
	while (got + 1 < len) {
		ssize_t n = read(s, buf + got, len - 1 - got);

		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	/* after the server's close its side keeps the TIME-WAIT, unless we
	 * reset ours (SO_LINGER 0): then the server's end is gone at once */
	if (reset)
		setsockopt(s, SOL_SOCKET, SO_LINGER, &rst, sizeof rst);
	close(s);
	return (int)got;
fail:
	err = errno;
	if (reset)
		setsockopt(s, SOL_SOCKET, SO_LINGER, &rst, sizeof rst);
	close(s);
	errno = err;
	return -1;
}

ssize_t observe_recv(int s, int ms, char *buf, size_t len, unsigned *port)
{
	struct sockaddr_storage from;
	socklen_t flen = sizeof from;
	struct pollfd p = { .fd = s, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return -1;
	n = recvfrom(s, buf, len - 1, MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	if (port)
		*port = from.ss_family == AF_INET6 ?
			ntohs(((const struct sockaddr_in6 *)&from)->sin6_port) :
			ntohs(((const struct sockaddr_in *)&from)->sin_port);
	return n;
}

/* ---- held sockets (exercises 01-05) -------------------------------------
 *
 * The grader is the first process of its PID namespace (check.c),
 * so every process of the sandbox descends from it; but /proc is the
 * host's, where the same processes have other numbers.  The tree is read
 * from /proc/self/task/TID/children (host pids), and each pid's last NSpid
 * is its number here, the one pidfd_open() wants. */

#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "inspect/pidfd.h"

#define TREE_MAX 128

struct tree {
	pid_t host[TREE_MAX], here[TREE_MAX];
	int prog[TREE_MAX];
	size_t n;
};

/* The last NSpid of host pid pid (its number in the grader's namespace);
 * 0 when it cannot be read. */
static pid_t pid_here(pid_t pid)
{
	char path[48], line[256];
	pid_t here = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "NSpid:", 6) == 0) {
			char *tok = strtok(line + 6, " \t\n");

			for (; tok; tok = strtok(NULL, " \t\n"))
				here = (pid_t)atoi(tok);
			break;
		}
	fclose(f);
	return here;
}

/* Append host pid's children (every thread's) to t, from index prog. */
static void tree_children(struct tree *t, pid_t pid, int prog)
{
	char path[64];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char file[384];
		FILE *f;
		int child;

		if (de->d_name[0] == '.')
			continue;
		snprintf(file, sizeof file, "%s/%s/children", path, de->d_name);
		if ((f = fopen(file, "re")) == NULL)
			continue;
		while (t->n < TREE_MAX && fscanf(f, "%d", &child) == 1) {
			t->host[t->n] = child;
			t->here[t->n] = pid_here(child);
			t->prog[t->n] = prog;
			t->n++;
		}
		fclose(f);
	}
	closedir(d);
}

/* Every process of the sandbox, with the program (index in procs) it
 * descends from; -1 for orphans that came back to the grader. */
static void tree_read(struct tree *t, const struct grader_proc *procs, int nprocs)
{
	char self[32];
	ssize_t len = readlink("/proc/self", self, sizeof self - 1);

	t->n = 0;
	if (len <= 0)
		return;
	self[len] = '\0';
	tree_children(t, (pid_t)atoi(self), -1);
	for (size_t i = 0; i < t->n; i++) {
		if (t->prog[i] < 0)
			for (int k = 0; k < nprocs; k++)
				if (procs[k].pid > 0 && procs[k].pid == t->here[i])
					t->prog[i] = k;
		tree_children(t, t->host[i], t->prog[i]);	/* grows t: breadth first */
	}
}

/* 'T' (stopped), 'Z'/'X' (gone) or another state letter of host pid. */
static char proc_state(pid_t pid)
{
	char path[48], buf[512], *close_paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 'X';
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 'X';
	buf[n] = '\0';
	close_paren = strrchr(buf, ')');
	return close_paren && close_paren[1] == ' ' ? close_paren[2] : 'X';
}

void observe_hold(int stop)
{
	static long since = -1;	/* when they were stopped, -1 running */
	struct tree t;
	long until = proc_now_ms() + 200;

	/* the first process of the namespace: -1 is everyone else in it */
	if (getpid() != 1)
		return;
	kill(-1, stop ? SIGSTOP : SIGCONT);
	if (!stop) {
		if (since >= 0)
			grader_held(proc_now_ms() - since);	/* not their time */
		since = -1;
		return;
	}
	if (since < 0)
		since = proc_now_ms();
	tree_read(&t, NULL, 0);
	for (size_t i = 0; i < t.n; i++)
		while (!strchr("TtZX", proc_state(t.host[i])) && proc_now_ms() < until)
			usleep(1000);
}

int observe_sockets(struct grader_proc *procs, int nprocs, uint8_t proto, uint16_t port,
		    struct observe_socks *out)
{
	struct inspect_filter f = { .protos = proto == IPPROTO_TCP ? INSPECT_TCP : INSPECT_UDP,
				    .port = port };
	struct inspect_snap snap = { 0 };
	struct tree t;
	int nl = inspect_open(), err = 0;

	memset(out, 0, sizeof *out);
	if (nl < 0)
		return -1;
	if (inspect_query(nl, port ? &f : NULL, &snap) < 0) {
		err = errno;
		close(nl);
		errno = err;
		return -1;
	}
	close(nl);
	tree_read(&t, procs, nprocs);
	if (t.n && inspect_owners(&snap, t.host, t.n) < 0)
		err = errno;
	/* host pids to ours, for pidfd_open() in inspect_flags() */
	for (size_t i = 0; i < snap.n; i++) {
		struct inspect_sock *s = &snap.v[i];
		pid_t host = s->pid;

		s->pid = 0;
		for (size_t k = 0; host && k < t.n; k++)
			if (t.host[k] == host)
				s->pid = t.here[k];
		if (!s->pid)
			s->fd = -1;
	}
	errno = 0;
	inspect_flags(&snap);
	if (errno)
		err = errno;
	for (size_t i = 0; i < snap.n && out->n < OBSERVE_MAX_SOCKS; i++) {
		struct observe_sock *o = &out->v[out->n];

		if (port && snap.v[i].lport != port)	/* the filter lets peer ports through */
			continue;
		o->k = snap.v[i];
		o->prog = -1;
		for (size_t k = 0; o->k.pid && k < t.n; k++)
			if (t.here[k] == o->k.pid)
				o->prog = t.prog[k] >= 0 ? t.prog[k] : nprocs;	/* an orphan: a program's */
		if (o->prog >= 0 && (o->k.reuseaddr < 0 || o->k.reuseport < 0) && !err)
			err = EPERM;
		out->n++;
	}
	inspect_free(&snap);
	out->err = err;
	return 0;
}

int observe_owned(const struct observe_socks *out, int *idx, int max)
{
	int n = 0;

	for (int i = 0; i < out->n && n < max; i++)
		if (out->v[i].prog >= 0)
			idx[n++] = i;
	return n;
}

int observe_joined(const struct observe_sock *s, const char *group, unsigned ifindex)
{
	struct group_filter gf;
	struct sockaddr_in *g = (struct sockaddr_in *)&gf.gf_group;
	socklen_t len = sizeof gf;
	int pidfd, fd, ret = -1, err;

	if (s->k.pid <= 0 || s->k.fd < 0) {
		errno = ESRCH;
		return -1;
	}
	if ((pidfd = (int)syscall(SYS_pidfd_open, s->k.pid, 0)) < 0)
		return -1;
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, s->k.fd, 0);
	err = errno;
	close(pidfd);
	if (fd < 0) {
		errno = err;
		return -1;
	}
	memset(&gf, 0, sizeof gf);
	gf.gf_interface = ifindex;
	g->sin_family = AF_INET;
	inet_pton(AF_INET, group, &g->sin_addr);
	/* the kernel finds the socket's membership of (group, ifindex), or
	 * answers EADDRNOTAVAIL: it has none */
	if (getsockopt(fd, IPPROTO_IP, MCAST_MSFILTER, &gf, &len) == 0)
		ret = 1;
	else if (errno == EADDRNOTAVAIL)
		ret = 0;
	err = errno;
	close(fd);
	errno = err;
	return ret;
}

const char *observe_flag(int8_t v)
{
	return v < 0 ? "unknown" : v ? "on" : "off";
}

/* Where a Python traceback's last line, the exception, starts in out
 * (what a student needs first: "OSError: [Errno 98] Address already in
 * use"), or 0: no traceback, or cut before its end. */
static size_t exception_line(const struct grader_run *run)
{
	size_t end = run->output_len, start;

	if (run->output_cut || !strstr(run->output, "Traceback (most recent call last):"))
		return 0;
	while (end && (run->output[end - 1] == '\n' || run->output[end - 1] == ' '))
		end--;
	for (start = end; start && run->output[start - 1] != '\n'; start--)
		;
	return start;
}

void observe_words(const struct grader_run *run, char *buf, size_t len)
{
	size_t at = 0;

	for (size_t i = exception_line(run); i < run->output_len && at + 1 < len; i++) {
		char c = run->output[i];

		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
		if (c == ' ' && (at == 0 || buf[at - 1] == ' '))
			continue;
		buf[at++] = c;
	}
	while (at && buf[at - 1] == ' ')
		at--;
	buf[at] = '\0';
}
