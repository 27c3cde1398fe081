/* hosts.c — the lab's hosts as the runner sees them (runner.h).
 *
 * A "host" event (lab/hosts.c) names a host and the keeper process that
 * holds its network namespace.  The socket table needs a
 * NETLINK_SOCK_DIAG socket opened inside that namespace; an unprivileged
 * runner cannot setns() there itself without leaving its own user
 * namespace for good, so a short-lived child joins the keeper's
 * namespaces (sandbox_join_pid), opens the socket and hands it back, as
 * the lab's first process does for the sandbox (runner.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "inspect/inspect.h"
#include "proc/proc.h"
#include "runner.h"
#include "sandbox/sandbox.h"
#include "wire/wire.h"

/* NETLINK_SOCK_DIAG in pid's network namespace, or -1 with errno. */
static int diag_in(pid_t pid)
{
	int sv[2], fd = -1, err = 0;
	pid_t child;

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	child = fork();
	if (child < 0) {
		err = errno;
		close(sv[0]);
		close(sv[1]);
		errno = err;
		return -1;
	}
	if (child == 0) {
		const char *what;
		int nl = -1;

		close(sv[0]);
		if (sandbox_join_pid(pid, &what) < 0 || (nl = inspect_open()) < 0)
			err = errno;
		proc_send_fds(sv[1], &err, sizeof err, &nl, nl >= 0 ? 1 : 0);
		_exit(0);
	}
	close(sv[1]);
	if (proc_recv_fds(sv[0], &err, sizeof err, &fd, 1) != (ssize_t)sizeof err)
		err = err ? err : ECHILD;
	close(sv[0]);
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
	if (fd < 0) {
		errno = err ? err : ECHILD;
		return -1;
	}
	return fd;
}

static struct runner_host *find(struct runner *r, const char *name)
{
	for (int i = 0; i < r->nhosts; i++)
		if (strcmp(r->hosts[i].name, name) == 0)
			return &r->hosts[i];
	return NULL;
}

/* A switch's frames are each port's, again: its own index is skipped */
static void add_link(struct runner *r, const char *link)
{
	struct ifreq ifr;

	for (int i = 0; i < r->nlinks; i++)
		if (strcmp(r->links[i].name, link) == 0)
			return;
	if (r->nlinks == RUNNER_MAX_LINKS)
		return;
	snprintf(r->links[r->nlinks].name, sizeof r->links[0].name, "%s", link);
	r->links[r->nlinks].ifindex = 0;
	/* the packet socket lives in the sandbox: ask there, not here */
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", link);
	if (r->wire >= 0 && ioctl(r->wire, SIOCGIFINDEX, &ifr) == 0)
		r->links[r->nlinks].ifindex = ifr.ifr_ifindex;
	r->nlinks++;
}

void runner_add_host(struct runner *r, const struct proto_event *ev)
{
	struct runner_host *h = find(r, ev->host);
	char addr[sizeof ev->addr], *slash;

	if (h == NULL) {
		if (r->nhosts == RUNNER_MAX_HOSTS || ev->host[0] == '\0')
			return;
		h = &r->hosts[r->nhosts++];
		memset(h, 0, sizeof *h);
		snprintf(h->name, sizeof h->name, "%s", ev->host);
		h->pid = (pid_t)ev->pid;
		/* the host's sockets: unknown (no table rows) when this fails */
		h->nl = r->host ? -1 : diag_in(h->pid);
	}
	snprintf(addr, sizeof addr, "%s", ev->addr);
	if ((slash = strchr(addr, '/')) != NULL)
		*slash = '\0';
	if (h->naddr < RUNNER_HOST_ADDRS &&
	    inet_pton(AF_INET, addr, &h->addr[h->naddr]) == 1)
		h->naddr++;
	if (ev->link[0])
		add_link(r, ev->link);
}

const char *runner_host_of(const struct runner *r, const struct in_addr *a)
{
	for (int i = 0; i < r->nhosts; i++)
		for (int k = 0; k < r->hosts[i].naddr; k++)
			if (r->hosts[i].addr[k].s_addr == a->s_addr)
				return r->hosts[i].name;
	return NULL;
}

void runner_wire_name(const struct runner *r, struct wire_pkt *p)
{
	const char *h;

	if (p->family != AF_INET && p->kind != WIRE_ARP)
		return;
	if ((h = runner_host_of(r, (const struct in_addr *)&p->src)) != NULL)
		snprintf(p->src_host, sizeof p->src_host, "%s", h);
	if ((h = runner_host_of(r, (const struct in_addr *)&p->dst)) != NULL)
		snprintf(p->dst_host, sizeof p->dst_host, "%s", h);
}

int runner_wire_keep(const struct runner *r, int ifindex)
{
	for (int i = 0; i < r->nlinks; i++)
		if (r->links[i].ifindex && r->links[i].ifindex == ifindex)
			return 0;
	return 1;
}

void runner_hosts_close(struct runner *r)
{
	for (int i = 0; i < r->nhosts; i++)
		if (r->hosts[i].nl >= 0)
			close(r->hosts[i].nl);
	r->nhosts = 0;
	r->nlinks = 0;
}
