/* diagnose.c — a refused bind put to the bind doctor the moment the trace
 * sees it (trace.h: trace_diagnose), for socklab trace's lines and the
 * dashboard's narration of a traced program alike. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>

#include "doctor/advise.h"
#include "doctor/probe.h"
#include "doctor/rules.h"
#include "i18n.h"
#include "lab/outcome.h"
#include "trace.h"

struct text {
	char *buf;
	size_t len, used, lines;
};

static void say(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->used >= t->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->used, t->len - t->used, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	t->used += (size_t)n < t->len - t->used ? (size_t)n : t->len - t->used - 1;
	t->lines++;
}

static const char *flag(int v)
{
	return v < 0 ? "?" : v ? "1" : "0";
}

static unsigned uid_of(pid_t pid)
{
	char path[64], line[128];
	unsigned uid = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", pid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Uid: %*u %u", &uid) == 1)
			break;
	fclose(f);
	return uid;
}

/* A row's local address as the labs write it. */
static void row_address(const struct inspect_sock *b, char *buf, size_t len)
{
	struct sockaddr_storage ss = { 0 };

	if (b->family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		in->sin_family = AF_INET;
		memcpy(&in->sin_addr, &b->laddr, 4);
		in->sin_port = htons(b->lport);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_addr = b->laddr;
		in6->sin6_port = htons(b->lport);
	}
	outcome_address(buf, len, &ss, sizeof ss);
}

size_t trace_diagnose(const struct trace_call *c, char *buf, size_t len)
{
	struct text t = { .buf = buf, .len = len };
	struct rules_sock cand = { 0 };
	struct probe_port port = { 0 };
	struct probe_host host;
	struct rules_result res;
	struct rules_outcomes outs;
	struct advise_fixes fx;
	struct advise_case ac;

	if (len)
		buf[0] = '\0';
	if ((c->family != AF_INET && c->family != AF_INET6) || c->addrlen == 0 ||
	    (c->addr.ss_family != AF_INET && c->addr.ss_family != AF_INET6))
		return 0;
	cand.family = (uint8_t)c->family;
	cand.proto = c->type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
	cand.state = 7;	/* TCP_CLOSE */
	if (c->addr.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&c->addr;

		memcpy(&cand.addr, &in->sin_addr, 4);
		cand.port = ntohs(in->sin_port);
	} else {
		const struct sockaddr_in6 *in6 = (const void *)&c->addr;

		cand.addr = in6->sin6_addr;
		cand.port = ntohs(in6->sin6_port);
	}
	/* the flags the trace saw it set, or the kernel's under --all;
	 * unknown (-1) for a socket made before the trace began: said, not
	 * guessed */
	cand.reuseaddr = (int8_t)c->reuseaddr;
	cand.reuseport = (int8_t)c->reuseport;
	cand.v6only = (uint8_t)(c->v6only > 0);
	cand.uid = c->from_kernel ? c->uid : uid_of(c->pid);
	if (probe_read_port(&cand, &port) < 0) {
		say(&t, _("(the port's sockets could not be read: %s)\n"), strerror(errno));
		probe_port_free(&port);
		return t.lines;
	}
	probe_read_host(&cand, &host);
	ac = (struct advise_case){ .cand = &cand, .port = &port, .host = &host.host };
	advise_predict(&ac, &res, &outs);
	say(&t, _("this socket: SO_REUSEADDR %s, SO_REUSEPORT %s (%s)\n"), flag(c->reuseaddr),
	    flag(c->reuseport), c->from_kernel ? "the kernel's, at the call" : "as traced");
	for (size_t i = 0; i < res.nblockers; i++) {
		const struct inspect_sock *b = probe_port_row(&port, res.blockers[i]);
		char where[96];

		row_address(b, where, sizeof where);
		if (b->pid)
			say(&t, _("blocked by pid %d %s fd %d on %s: SO_REUSEADDR %s, SO_REUSEPORT %s\n"),
			    b->pid, b->comm, b->fd, where, flag(b->reuseaddr), flag(b->reuseport));
		else
			say(&t, _("blocked by a socket on %s with no owner%s: "
				  "SO_REUSEADDR %s, SO_REUSEPORT %s\n"), where,
			    b->proto == IPPROTO_TCP ? " (TIME_WAIT?)" : "", flag(b->reuseaddr),
			    flag(b->reuseport));
	}
	if (res.nblockers == 0 && c->from_kernel && c->ret == -EADDRINUSE) {
		/* the program did not wait for us: what held the port is gone */
		say(&t, "%s", _("(the socket that held the port was gone when socklab looked: "
				"no diagnosis)\n"));
		probe_port_free(&port);
		return t.lines;
	}
	if (res.why)
		say(&t, _("why: %s\n"), i18n_tr(res.why));
	advise_fixes(&ac, &res, &outs, &fx);
	if (fx.n)
		say(&t, _("fix: %s\n"), fx.fixes[0]);
	probe_port_free(&port);
	return t.lines;
}
