/* scenario.c — bind scenarios run for real, beside the model's answer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "scenario.h"
#include "udpwalk.h"

const char *const scenario_v4_addrs[3] = { "0.0.0.0", "127.0.0.1", "127.0.0.2" };
const char *const scenario_v6_addrs[3] = { "::", "::1", "::ffff:127.0.0.1" };
const char *const scenario_state_names[4] = { "bound", "listen", "connected", "timewait" };

static int helpers[SCENARIO_MAX_EXISTING];

static socklen_t sockaddr_of(struct sockaddr_storage *ss, int family, const char *addr, int port)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, addr, &a->sin_addr);
		return sizeof *a;
	}
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

	a->sin6_family = AF_INET6;
	a->sin6_port = htons((uint16_t)port);
	inet_pton(AF_INET6, addr, &a->sin6_addr);
	return sizeof *a;
}

/* A socket as the spec says, owned by its uid; bound to port.  -1 and
 * errno when the kernel refuses (then it is not part of the scenario). */
static int open_bound(const struct scenario_spec *sp, int proto, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(&ss, sp->family,
				    sp->family == AF_INET ? scenario_v4_addrs[sp->addr] : scenario_v6_addrs[sp->addr], port);
	int fd, err;

	/* the socket's owner is the fsuid at socket(): that is what the
	 * SO_REUSEPORT uid rule compares */
	if (sp->other_uid && setresuid(-1, 65534, -1) < 0)
		return -1;
	fd = socket(sp->family, proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM, 0);
	err = errno;
	if (sp->other_uid && setresuid(-1, 0, -1) < 0)
		abort();
	if (fd < 0) {
		errno = err;
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &sp->reuseaddr, sizeof sp->reuseaddr);
	setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &sp->reuseport, sizeof sp->reuseport);
	if (sp->family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &sp->v6only, sizeof sp->v6only);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* Bring an existing socket to its state; fills *rs as the inspector
 * would report it.  Returns the fd (or, for TIME_WAIT, -2: only the
 * kernel holds it now), -1 when the kernel refused on the way. */
static int realize(const struct scenario_spec *sp, int proto, int port, int helper, int helper_port,
		   struct rules_sock *rs)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = open_bound(sp, proto, port);

	if (fd < 0)
		return -1;
	if (sp->state == SCENARIO_LISTEN && listen(fd, 8) < 0) {
		close(fd);
		return -1;
	}
	if (sp->state == SCENARIO_CONNECTED || sp->state == SCENARIO_TIMEWAIT) {
		/* to the helper, in the socket's own family (v4-mapped: v4) */
		int v4 = sp->family == AF_INET || sp->addr == 2;
		socklen_t tl = sockaddr_of(&ss, sp->family,
					   sp->family == AF_INET ? "127.0.0.1" : v4 ? "::ffff:127.0.0.1" : "::1",
					   helper_port);

		if (connect(fd, (struct sockaddr *)&ss, tl) < 0) {
			close(fd);
			return -1;
		}
		if (proto == IPPROTO_TCP) {
			int c = accept(helper, NULL, NULL);

			if (c >= 0 && sp->state == SCENARIO_TIMEWAIT) {
				/* we close first: TIME_WAIT stays on our side */
				len = sizeof ss;
				getsockname(fd, (struct sockaddr *)&ss, &len);
				close(fd);
				fd = -2;
				close(c);
			} else if (c >= 0) {
				close(c);	/* the peer goes; ours stays ESTABLISHED-ish (CLOSE_WAIT) */
			}
		}
	}
	memset(rs, 0, sizeof *rs);
	if (fd >= 0) {
		len = sizeof ss;
		getsockname(fd, (struct sockaddr *)&ss, &len);
	}
	rs->family = (uint8_t)sp->family;
	rs->proto = (uint8_t)proto;
	/* as sock_diag reports it: bind() to ::1 made it IPv6-only */
	rs->v6only = (uint8_t)(sp->v6only || (sp->family == AF_INET6 && sp->addr == 1));
	rs->port = (uint16_t)port;
	if (sp->family == AF_INET)
		memcpy(&rs->addr, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	else
		rs->addr = ((struct sockaddr_in6 *)&ss)->sin6_addr;
	rs->bind_addr_known = 1;
	if (sp->family == AF_INET)
		inet_pton(AF_INET, scenario_v4_addrs[sp->addr], &rs->bind_addr);
	else
		inet_pton(AF_INET6, scenario_v6_addrs[sp->addr], &rs->bind_addr);
	rs->reuseaddr = (int8_t)sp->reuseaddr;
	rs->reuseport = (int8_t)sp->reuseport;
	rs->uid = sp->other_uid ? 65534 : 0;
	rs->state = sp->state == SCENARIO_LISTEN ? TCP_LISTEN : sp->state == SCENARIO_TIMEWAIT ? TCP_TIME_WAIT :
		    sp->state == SCENARIO_CONNECTED ? TCP_ESTABLISHED : TCP_CLOSE;
	return fd;
}

static int helper_listener(int family, int hport)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(&ss, family, family == AF_INET6 ? "::" : "0.0.0.0", hport);
	int fd = socket(family, SOCK_STREAM, 0), off = 0;

	if (fd < 0)
		return -1;
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 64) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

void scenario_describe(char *buf, size_t len, const struct scenario *sc)
{
	size_t n = (size_t)snprintf(buf, len, "%s", sc->proto == IPPROTO_TCP ? "tcp" : "udp");

	for (int i = 0; i <= sc->n && n < len; i++) {
		const struct scenario_spec *sp = i < sc->n ? &sc->s[i] : &sc->cand;

		n += (size_t)snprintf(buf + n, len - n, " %s[%s]%s%s%s%s %s",
				      i < sc->n ? "" : "| candidate ",
				      sp->family == AF_INET ? scenario_v4_addrs[sp->addr] : scenario_v6_addrs[sp->addr],
				      sp->v6only ? " v6only" : "", sp->reuseaddr ? " ra" : "",
				      sp->reuseport ? " rp" : "", sp->other_uid ? " uid65534" : "",
				      i < sc->n ? scenario_state_names[sp->state] : sc->listen ? "listen" : "bind");
	}
}


int scenario_setup(int *other_uid)
{
	*other_uid = geteuid() == 0 && setresuid(-1, 65534, -1) == 0 && setresuid(-1, 0, -1) == 0;
	for (int i = 0; i < SCENARIO_MAX_EXISTING; i++) {
		struct sockaddr_in6 a = { .sin6_family = AF_INET6,
					  .sin6_port = htons((uint16_t)(SCENARIO_HELPER_PORT + i)),
					  .sin6_addr = IN6ADDR_ANY_INIT };
		int u = socket(AF_INET6, SOCK_DGRAM, 0);

		helpers[i] = helper_listener(AF_INET6, SCENARIO_HELPER_PORT + i);
		if (helpers[i] < 0 || u < 0 || bind(u, (struct sockaddr *)&a, sizeof a) < 0)
			return -1;
	}
	return 0;
}

int scenario_run(const struct scenario *sc, int port, int *kernel, struct rules_result *model)
{
	struct rules_sock ex[SCENARIO_MAX_EXISTING], cand = { 0 };
	struct rules_host host = { .unprivileged_port_start = 1024, .cap_net_bind_service = 1,
				   .udp_bind_all = udpwalk_bind_all() == 1 };
	int fds[SCENARIO_MAX_EXISTING], n = 0, fd;

	*kernel = 0;
	for (int i = 0; i < sc->n; i++) {
		int f = realize(&sc->s[i], sc->proto, port, helpers[i], SCENARIO_HELPER_PORT + i, &ex[n]);

		if (f == -1)
			continue;	/* refused: not on the port, not in the scenario */
		fds[n++] = f;
	}
	cand.family = (uint8_t)sc->cand.family;
	cand.proto = (uint8_t)sc->proto;
	cand.v6only = (uint8_t)sc->cand.v6only;
	cand.port = (uint16_t)port;
	if (sc->cand.family == AF_INET)
		inet_pton(AF_INET, scenario_v4_addrs[sc->cand.addr], &cand.addr);
	else
		inet_pton(AF_INET6, scenario_v6_addrs[sc->cand.addr], &cand.addr);
	cand.reuseaddr = (int8_t)sc->cand.reuseaddr;
	cand.reuseport = (int8_t)sc->cand.reuseport;
	cand.uid = sc->cand.other_uid ? 65534 : 0;
	cand.state = TCP_CLOSE;
	rules_predict(&cand, sc->listen, ex, (size_t)n, &host, model);

	fd = open_bound(&sc->cand, sc->proto, port);
	if (fd < 0)
		*kernel = errno;
	else if (sc->listen && listen(fd, 8) < 0)
		*kernel = errno;
	if (fd >= 0)
		close(fd);
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return 0;
}
