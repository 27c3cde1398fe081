/* exec.c — a playground line's call, made in the role's process: the
 * same syscalls a lab makes, with errno kept as the kernel gave it. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "lab/lab.h"
#include "lab/outcome.h"
#include "play.h"

static int *slot(struct play_vars *vars, const char *name)
{
	for (int i = 0; i < vars->n; i++)
		if (strcmp(vars->v[i].name, name) == 0)
			return &vars->v[i].fd;
	return NULL;
}

/* var = fd (a new name, or the old name for a new descriptor: said, for
 * the old one stays open) */
static void keep(struct play_vars *vars, const char *name, int fd, struct play_result *res)
{
	int *s = slot(vars, name);

	if (s && *s >= 0)
		snprintf(res->note, sizeof res->note, "%s now names the new socket; the old one (fd %d) "
			 "stays open, out of reach: close(%s) first to close it", name, *s, name);
	if (!s && vars->n < (int)(sizeof vars->v / sizeof vars->v[0])) {
		snprintf(vars->v[vars->n].name, sizeof vars->v[0].name, "%s", name);
		s = &vars->v[vars->n++].fd;
	}
	if (s)
		*s = fd;
}

static void addr_note(struct play_result *res, const char *what, const struct sockaddr_storage *ss,
		      socklen_t len)
{
	outcome_address(res->from, sizeof res->from, ss, len);
	snprintf(res->note, sizeof res->note, "%s %s", what, res->from[0] ? res->from : "(none)");
}

/* Wait up to ms for fd to be readable (0: not at all). */
static void wait_readable(int fd, long ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (ms > 0)
		while (poll(&p, 1, (int)ms) < 0 && errno == EINTR)
			;
}

static void receive(int fd, const struct play_cmd *c, struct play_result *res)
{
	char buf[2048];
	struct sockaddr_storage from;
	socklen_t flen = sizeof from;
	ssize_t n;

	wait_readable(fd, c->nargs > 1 ? c->args[1].num : 0);
	/* recvfrom, not recv: the sender comes with the datagram */
	/* (recvfrom): the call itself, not lab.h's watched one */
	n = (recvfrom)(fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
	res->ret = n;
	res->err = n < 0 ? errno : 0;
	if (n < 0)
		return;
	outcome_payload(res->data, sizeof res->data, buf, (size_t)n);
	/* a stream socket names no sender: its peer is the one */
	if (flen == 0) {
		flen = sizeof from;
		if (getpeername(fd, (struct sockaddr *)&from, &flen) < 0)
			flen = 0;
	}
	outcome_address(res->from, sizeof res->from, &from, flen);
}

static void option(int fd, const struct play_cmd *c, struct play_result *res)
{
	const struct play_option *o = &play_options[c->args[1].opt];
	int v = 0, r;

	if (c->call == PLAY_GETSOCKOPT) {
		char ifname[IF_NAMESIZE + 1] = "";
		struct timeval tv = { 0 };
		socklen_t len = o->val == PLAY_OPT_MS ? sizeof tv : o->val == PLAY_OPT_IFNAME ?
				sizeof ifname - 1 : sizeof v;

		r = getsockopt(fd, o->level, o->optname,
			       o->val == PLAY_OPT_MS ? (void *)&tv : o->val == PLAY_OPT_IFNAME ?
			       (void *)ifname : (void *)&v, &len);
		res->ret = r;
		res->err = r < 0 ? errno : 0;
		if (r == 0 && o->val == PLAY_OPT_MS)
			snprintf(res->note, sizeof res->note, "%s of %s is %ld ms", o->name,
				 c->args[0].text, (long)tv.tv_sec * 1000 + (long)tv.tv_usec / 1000);
		else if (r == 0 && o->val == PLAY_OPT_IFINDEX)
			snprintf(res->note, sizeof res->note, "%s of %s is set (the kernel keeps an address: %s)",
				 o->name, c->args[0].text, "see getsockopt(2)");
		else if (r == 0 && o->val == PLAY_OPT_IFNAME)
			snprintf(res->note, sizeof res->note, "%s of %s is \"%s\"", o->name,
				 c->args[0].text, ifname);
		else if (r == 0)
			snprintf(res->note, sizeof res->note, "%s of %s is %d", o->name, c->args[0].text, v);
		return;
	}
	if (o->val == PLAY_OPT_IFNAME) {
		r = setsockopt(fd, o->level, o->optname, c->args[2].text,
			       (socklen_t)strlen(c->args[2].text));
	} else if (o->val == PLAY_OPT_IFINDEX) {
		struct ip_mreqn m = { .imr_ifindex = (int)if_nametoindex(c->args[2].text) };

		if (m.imr_ifindex == 0) {
			res->ret = -1;
			res->err = ENODEV;
			snprintf(res->note, sizeof res->note, "no interface \"%s\" here", c->args[2].text);
			return;
		}
		r = setsockopt(fd, o->level, o->optname, &m, sizeof m);
	} else if (o->val == PLAY_OPT_MS) {
		struct timeval tv = { c->args[2].num / 1000, (c->args[2].num % 1000) * 1000 };

		r = setsockopt(fd, o->level, o->optname, &tv, sizeof tv);
	} else {
		v = (int)c->args[2].num;
		r = setsockopt(fd, o->level, o->optname, &v, sizeof v);
	}
	res->ret = r;
	res->err = r < 0 ? errno : 0;
}

static void group(int fd, const struct play_cmd *c, struct play_result *res)
{
	const struct sockaddr_in *g = (const struct sockaddr_in *)&c->args[1].addr;
	struct ip_mreq m = { .imr_multiaddr = g->sin_addr, .imr_interface.s_addr = htonl(INADDR_ANY) };
	int r;

	if (g->sin_family != AF_INET) {
		res->ret = -1;
		res->err = EAFNOSUPPORT;
		snprintf(res->note, sizeof res->note, "join and leave take an IPv4 group here");
		return;
	}
	if (c->nargs > 2)
		m.imr_interface = ((const struct sockaddr_in *)&c->args[2].addr)->sin_addr;
	r = setsockopt(fd, IPPROTO_IP, c->call == PLAY_JOIN ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP,
		       &m, sizeof m);
	res->ret = r;
	res->err = r < 0 ? errno : 0;
}

void play_exec(const struct play_cmd *c, struct play_vars *vars, struct play_result *res)
{
	int fd = -1, *s = NULL, r = 0;

	memset(res, 0, sizeof *res);
	if (c->call != PLAY_SOCKET) {
		if (c->nargs == 0 || c->args[0].kind != PLAY_ARG_VAR ||
		    !(s = slot(vars, c->args[0].text))) {
			res->ret = -1;
			res->err = EBADF;
			snprintf(res->note, sizeof res->note, "%s has no socket called '%s'", c->role,
				 c->nargs ? c->args[0].text : "");
			return;
		}
		fd = *s;
	}
	errno = 0;
	switch (c->call) {
	case PLAY_SOCKET:
		for (size_t i = 0; i < play_ntypes; i++)
			if (strcasecmp(c->args[0].text, play_types[i].name) == 0)
				r = socket(play_types[i].family, play_types[i].type, 0);
		if (r >= 0 && c->var[0])
			keep(vars, c->var, r, res);
		break;
	case PLAY_SETSOCKOPT:
	case PLAY_GETSOCKOPT:
		option(fd, c, res);
		return;
	case PLAY_BIND:
		r = bind(fd, (const struct sockaddr *)&c->args[1].addr, c->args[1].addrlen);
		break;
	case PLAY_CONNECT:
		if (c->args[1].kind == PLAY_ARG_WORD) {	/* AF_UNSPEC: dissolve the association */
			struct sockaddr sa = { .sa_family = AF_UNSPEC };

			r = connect(fd, &sa, sizeof sa);
		} else {
			/* a TCP connect waits for the handshake, and a full accept
			 * queue makes that forever: at most PLAY_CONNECT_MS, after
			 * which the kernel answers EINPROGRESS (SO_SNDTIMEO) */
			struct timeval old, cap = { PLAY_CONNECT_MS / 1000, 0 };
			socklen_t olen = sizeof old;
			int had = getsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &old, &olen) == 0;

			setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &cap, sizeof cap);
			r = connect(fd, (const struct sockaddr *)&c->args[1].addr, c->args[1].addrlen);
			if (r < 0 && errno == EINPROGRESS)
				snprintf(res->note, sizeof res->note, "still connecting after %d ms: the "
					 "handshake waits (a full accept queue?)", PLAY_CONNECT_MS);
			if (had) {
				int saved = errno;

				setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &old, sizeof old);
				errno = saved;
			}
		}
		break;
	case PLAY_LISTEN:
		r = listen(fd, c->nargs > 1 ? (int)c->args[1].num : 16);
		break;
	case PLAY_ACCEPT: {
		/* nothing queued: the kernel's EAGAIN, never a wait the user did
		 * not ask for (the listener is non-blocking from now on) */
		int fl = fcntl(fd, F_GETFL);

		wait_readable(fd, c->nargs > 1 ? c->args[1].num : 0);
		if (fl >= 0)
			fcntl(fd, F_SETFL, fl | O_NONBLOCK);
		errno = 0;
		r = accept4(fd, NULL, NULL, SOCK_NONBLOCK);
		if (r >= 0 && c->var[0])
			keep(vars, c->var, r, res);
		break;
	}
	case PLAY_SEND:
		r = (int)send(fd, c->args[1].text, (size_t)c->args[1].num, MSG_DONTWAIT | MSG_NOSIGNAL);
		break;
	case PLAY_SENDTO:
		r = (int)sendto(fd, c->args[1].text, (size_t)c->args[1].num, MSG_DONTWAIT | MSG_NOSIGNAL,
				(const struct sockaddr *)&c->args[2].addr, c->args[2].addrlen);
		break;
	case PLAY_RECV:
	case PLAY_RECVFROM:
		receive(fd, c, res);
		return;
	case PLAY_CLOSE:
		r = close(fd);
		if (r == 0)
			*s = -1;
		break;
	case PLAY_SHUTDOWN:
		r = shutdown(fd, c->nargs < 2 || strcmp(c->args[1].text, "SHUT_RDWR") == 0 ? SHUT_RDWR :
			     strcmp(c->args[1].text, "SHUT_RD") == 0 ? SHUT_RD : SHUT_WR);
		break;
	case PLAY_JOIN:
	case PLAY_LEAVE:
		group(fd, c, res);
		return;
	case PLAY_GETSOCKNAME:
	case PLAY_GETPEERNAME: {
		struct sockaddr_storage ss;
		socklen_t len = sizeof ss;

		r = c->call == PLAY_GETSOCKNAME ? getsockname(fd, (struct sockaddr *)&ss, &len) :
		    getpeername(fd, (struct sockaddr *)&ss, &len);
		if (r == 0)
			addr_note(res, c->call == PLAY_GETSOCKNAME ? "bound to" : "connected to", &ss, len);
		if (r == 0 && c->call == PLAY_GETSOCKNAME && strstr(res->from, ":0") &&
		    res->from[strlen(res->from) - 2] == ':')
			snprintf(res->note + strlen(res->note), sizeof res->note - strlen(res->note),
				 " (port 0: not bound yet)");
		break;
	}
	case PLAY_SYSCTL:
	case PLAY_IP:
	case PLAY_NCALLS:
		r = -1;
		errno = EINVAL;
		break;
	}
	res->ret = r;
	res->err = r < 0 ? errno : 0;
}

void play_sysctl(const struct play_cmd *c, struct play_result *res)
{
	char value[128];
	int r;

	memset(res, 0, sizeof *res);
	if (c->args[1].kind == PLAY_ARG_INT)
		snprintf(value, sizeof value, "%ld", c->args[1].num);
	else
		snprintf(value, sizeof value, "%s", c->args[1].text);
	r = lab_sysctl(c->args[0].text, value);
	res->ret = r;
	res->err = r < 0 ? errno : 0;
	if (r == 0 && lab_read_sysctl(c->args[0].text, value, sizeof value) == 0)
		snprintf(res->note, sizeof res->note, "%s is now %s", c->args[0].text, value);
}

void play_ip(const struct play_cmd *c, struct play_result *res)
{
	char words[sizeof c->args[0].text], *argv[40], err[256] = "";
	int argc = 0, pfd[2], st = 0;
	pid_t pid;
	ssize_t n;

	memset(res, 0, sizeof *res);
	if (!lab_sandboxed()) {
		res->ret = -1;
		res->err = EPERM;	/* never the host's own network */
		return;
	}
	/* ip(8) itself, its words as arguments: no shell reads them */
	snprintf(words, sizeof words, "%s", c->args[0].text);
	argv[argc++] = "ip";
	for (char *w = strtok(words, " "); w && argc < 39; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	if (pipe2(pfd, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		res->ret = -1;
		res->err = errno;
		return;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
		}
		dup2(pfd[1], STDERR_FILENO);
		execvp("ip", argv);
		dprintf(STDERR_FILENO, "cannot run ip: %s (install iproute2)", strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	n = read(pfd[0], err, sizeof err - 1);
	err[n > 0 ? n : 0] = '\0';
	close(pfd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	/* ip's exit status, not an errno: 0 done, else what ip said */
	res->ret = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (res->ret != 0)
		snprintf(res->note, sizeof res->note, "ip exited %ld: %.*s", res->ret,
			 (int)strcspn(err, "\n"), err[0] ? err : "(no message)");
}
