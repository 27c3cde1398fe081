/* probe.c — the sockets on a port, the host's facts, and the real bind,
 * for the bind model (moved here from cmd_why.c). */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "probe.h"
#include "udpwalk.h"

/* ---- what is there ------------------------------------------------------ */

static void to_rules(const struct inspect_sock *s, struct rules_sock *r)
{
	memset(r, 0, sizeof *r);
	r->family = s->family;
	r->proto = s->proto;
	r->state = s->state;
	r->v6only = s->v6only;
	r->addr = s->laddr;
	r->port = s->lport;
	r->reuseaddr = s->reuseaddr;
	r->reuseport = s->reuseport;
	r->uid = s->uid;
	r->ifindex = s->ifindex;
}

static struct inspect_snap *sort_snap;

/* The model wants the order the sockets were bound in; inode numbers
 * grow with creation (roughly: they are handed out per CPU in batches).
 * TIME_WAIT sockets have none: they are older than any live socket. */
static int by_inode(const void *a, const void *b)
{
	uint32_t x = sort_snap->v[*(const size_t *)a].inode;
	uint32_t y = sort_snap->v[*(const size_t *)b].inode;

	return x < y ? -1 : x > y;
}

int probe_port_index(struct probe_port *p)
{
	free(p->ex);
	free(p->row);
	p->ex = calloc(p->snap.n + 1, sizeof *p->ex);
	p->row = calloc(p->snap.n + 1, sizeof *p->row);
	p->n = 0;
	if (p->ex == NULL || p->row == NULL)
		return -1;
	for (size_t i = 0; i < p->snap.n; i++)
		p->row[i] = i;
	sort_snap = &p->snap;
	qsort(p->row, p->snap.n, sizeof *p->row, by_inode);
	for (size_t i = 0; i < p->snap.n; i++)
		to_rules(&p->snap.v[p->row[i]], &p->ex[i]);
	p->n = p->snap.n;
	return 0;
}

int probe_read_port(const struct rules_sock *cand, struct probe_port *p)
{
	struct inspect_filter f = {
		.protos = cand->proto == IPPROTO_TCP ? INSPECT_TCP : INSPECT_UDP,
		.port = cand->port,
	};
	int nl = inspect_open();
	size_t keep = 0;

	if (nl < 0)
		return -1;
	if (inspect_query(nl, &f, &p->snap) < 0) {
		int err = errno;

		close(nl);
		errno = err;
		return -1;
	}
	close(nl);
	/* the filter lets the peer port through too: only local ports count */
	for (size_t i = 0; i < p->snap.n; i++)
		if (p->snap.v[i].lport == cand->port)
			p->snap.v[keep++] = p->snap.v[i];
	p->snap.n = keep;
	inspect_owners(&p->snap, NULL, 0);
	inspect_flags(&p->snap);
	return probe_port_index(p);
}

const struct inspect_sock *probe_port_row(const struct probe_port *p, size_t i)
{
	return &p->snap.v[p->row[i]];
}

void probe_port_free(struct probe_port *p)
{
	inspect_free(&p->snap);
	free(p->ex);
	free(p->row);
	p->ex = NULL;
	p->row = NULL;
	p->n = 0;
}

/* ---- the host --------------------------------------------------------------- */

/* A sysctl of this network namespace (/proc/sys/NAME), or of the proc
 * root SOCKLAB_PROC_ROOT names, as the inspector reads /proc (tests). */
static int sysctl_int(const char *name, int dflt)
{
	const char *root = secure_getenv("SOCKLAB_PROC_ROOT");
	char path[4096];
	FILE *f;
	int v = dflt;

	snprintf(path, sizeof path, "%s/sys/%s", root && *root ? root : "/proc", name);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = dflt;
		fclose(f);
	}
	return v;
}

/* CAP_NET_BIND_SERVICE in our effective set (root without it binds no
 * port below ip_unprivileged_port_start either). */
static int has_bind_cap(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long eff = 0;

	if (f == NULL)
		return geteuid() == 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff >> 10) & 1;		/* CAP_NET_BIND_SERVICE is 10 */
}

/* This namespace's addresses, privileged ports, and whether the uid
 * may bind below them (root in this user namespace). */
void probe_read_host(const struct rules_sock *cand, struct probe_host *h)
{
	struct ifaddrs *ifa, *i;
	size_t n = 0;

	h->host.udp_bind_all = cand->proto == IPPROTO_UDP && udpwalk_bind_all() == 1;
	h->host.unprivileged_port_start = sysctl_int("net/ipv4/ip_unprivileged_port_start", 1024);
	h->host.cap_net_bind_service = cand->uid == geteuid() ? has_bind_cap() : cand->uid == 0;
	/* __inet6_bind(): a v4-mapped address follows the IPv4 sysctl, a real
	 * IPv6 address ipv6_can_nonlocal_bind(), the IPv6 one */
	h->host.freebind = sysctl_int(cand->family == AF_INET6 && !IN6_IS_ADDR_V4MAPPED(&cand->addr) ?
				      "net/ipv6/ip_nonlocal_bind" : "net/ipv4/ip_nonlocal_bind", 0) == 1;
	if (getifaddrs(&ifa) < 0)
		return;		/* no list: the model does not judge addresses */
	for (i = ifa; i && n < PROBE_MAX_ADDRS; i = i->ifa_next) {
		if (i->ifa_addr == NULL)
			continue;
		if (i->ifa_addr->sa_family == AF_INET && (i->ifa_flags & IFF_LOOPBACK) &&
		    i->ifa_netmask && h->host.nlo < PROBE_MAX_ADDRS) {
			/* a loopback prefix is local as a whole */
			h->lo_nets[h->host.nlo] = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
			h->lo_masks[h->host.nlo++] = ((struct sockaddr_in *)i->ifa_netmask)->sin_addr;
		}
		if (i->ifa_addr->sa_family == AF_INET) {
			memset(&h->addrs[n], 0, sizeof h->addrs[n]);
			h->addrs[n].s6_addr[10] = h->addrs[n].s6_addr[11] = 0xff;
			memcpy(h->addrs[n].s6_addr + 12,
			       &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
			n++;
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			h->addrs[n++] = ((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
		}
	}
	freeifaddrs(ifa);
	h->host.addrs = h->addrs;
	h->host.naddrs = n;
	h->host.lo_nets = h->host.nlo ? h->lo_nets : NULL;
	h->host.lo_masks = h->lo_masks;
	/* a namespace whose lo never came up has no IPv4 local table: the
	 * kernel then binds any IPv4 address (measured) */
	h->host.v4_unconfigured = 1;
	for (size_t k = 0; k < n; k++)
		if (IN6_IS_ADDR_V4MAPPED(&h->addrs[k]))
			h->host.v4_unconfigured = 0;
}

/* ---- the real bind -------------------------------------------------------------- */

/* The real bind, as the candidate says (its uid: the socket's owner is
 * the fsuid at socket()).  0 or the errno. */
int probe_bind(const struct rules_sock *cand, int listen_too)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int on = 1, fd, err = 0;
	uid_t me = geteuid();

	memset(&ss, 0, sizeof ss);
	if (cand->family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(cand->port);
		memcpy(&a->sin_addr, &cand->addr, 4);
		len = sizeof *a;
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(cand->port);
		a->sin6_addr = cand->addr;
		len = sizeof *a;
	}
	/* as that uid from socket() to listen(): it owns the socket, and
	 * loses root's capabilities for bind() */
	if (cand->uid != me && setresuid((uid_t)-1, cand->uid, (uid_t)-1) < 0)
		return errno;
	fd = socket(cand->family, cand->proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0) {
		err = errno;
		goto out;
	}
	if (cand->reuseaddr)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (cand->reuseport)
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
	if (cand->family == AF_INET6) {
		int v6 = cand->v6only;

		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6, sizeof v6);
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    (listen_too && cand->proto == IPPROTO_TCP && listen(fd, 1) < 0))
		err = errno;
	close(fd);
out:
	if (cand->uid != me && setresuid((uid_t)-1, me, (uid_t)-1) < 0)
		abort();	/* cannot happen: we were this uid a moment ago */
	return err;
}
