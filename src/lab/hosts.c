/* hosts.c — a lab's hosts: a small network inside its sandbox (lab.h).
 *
 * A host is a network namespace, held by a process of its own, the host's
 * keeper, which does nothing but wait for the lab to end (Mininet's
 * design: a host is a process).  The sandbox's own namespace is the
 * wiring closet: each switch is a bridge there, and each interface of a
 * host (eth0, eth1, ...) is one end of a veth pair whose other end,
 * HOST-ethN, is a port of that bridge:
 *
 *      host alice            sandbox                  host bob
 *   ┌──────────────┐   ┌──────────────────────┐   ┌──────────────┐
 *   │ eth0 10.0.0.2├───┤alice-eth0  lan  bob-eth0├───┤eth0 10.0.0.3 │
 *   └──────────────┘   └──────────────────────┘   └──────────────┘
 *
 * So every frame between two hosts crosses the sandbox's namespace, where
 * the wire is captured (wire/wire.h): once, as a port receives it.  A
 * router is a host on two switches that forwards (lab_host_sysctl) and may
 * masquerade (lab_nat, nftables).  Nothing here leaves the sandbox: a
 * switch has no port outside it.
 *
 * The plumbing is sandbox/net.c's (ip(8)), and nft(8) for a NAT, run
 * in the namespace it configures: what a lab page can show a reader to
 * type.  Here: names, the lab's table of hosts, the events. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "hosts.h"
#include "lab.h"
#include "proto.h"
#include "runtime.h"
#include "sandbox/sandbox.h"

#define MAX_HOSTS 8
#define MAX_SWITCHES 8

static struct host {
	char name[LAB_HOST_NAME_MAX + 1];
	pid_t pid;		/* its keeper, whose network namespace is the host */
	int nif;		/* eth0 .. eth(nif-1) */
} hosts[MAX_HOSTS];
static int nhosts;
static char switches[MAX_SWITCHES][LAB_HOST_NAME_MAX + 5];
static int nswitches;

/* Names go into ip(8) command lines and interface names (15 bytes:
 * "alice-eth0"): short, lower case letters, digits and '-'. */
static int valid_name(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      (i > 0 && s[i] == '-')))
			return 0;
	return 1;
}

/* "10.0.0.2/24", "fd00::2/64": what ip addr add takes, nothing else */
static int valid_addr(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 48 || !strchr(s, '/'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF.:/", s[i]))
			return 0;
	return 1;
}

static struct host *find(const char *name)
{
	for (int i = 0; name && i < nhosts; i++)
		if (strcmp(hosts[i].name, name) == 0)
			return &hosts[i];
	return NULL;
}

pid_t lab_hosts_pid(const char *name)
{
	struct host *h = find(name);

	return h ? h->pid : 0;
}

int lab_hosts_enter(const char *name)
{
	struct host *h = find(name);

	if (h == NULL) {
		errno = ENOENT;
		return -1;
	}
	return sandbox_join_host(h->pid);
}

/* A switch is made at its first use */
static int switch_up(const char *sw)
{
	for (int i = 0; i < nswitches; i++)
		if (strcmp(switches[i], sw) == 0)
			return 0;
	if (nswitches == MAX_SWITCHES) {
		errno = ENOSPC;
		return -1;
	}
	if (sandbox_switch(sw) < 0)
		return -1;
	snprintf(switches[nswitches++], sizeof switches[0], "%s", sw);
	return 0;
}

static void announce(const struct host *h, const char *sw, const char *addr, int line)
{
	struct proto_event ev = { .kind = PROTO_HOST, .line = line };

	snprintf(ev.host, sizeof ev.host, "%s", h->name);
	snprintf(ev.ifname, sizeof ev.ifname, "eth%d", h->nif - 1);
	snprintf(ev.addr, sizeof ev.addr, "%s", addr);
	snprintf(ev.link, sizeof ev.link, "%s", sw);
	lab_emit_about(&ev, h->pid);
}

int lab_host_(int line, const char *name, const char *sw, const char *addr)
{
	struct host *h;

	if (!lab_sandboxed() || !lab_is_main_()) {
		errno = EPERM;	/* links belong in a sandbox, made by main */
		return -1;
	}
	if (!valid_name(name, LAB_HOST_NAME_MAX) || !valid_name(sw, LAB_HOST_NAME_MAX + 4) ||
	    !valid_addr(addr)) {
		errno = EINVAL;
		return -1;
	}
	if ((h = find(name)) == NULL) {
		if (nhosts == MAX_HOSTS) {
			errno = ENOSPC;
			return -1;
		}
		if (nhosts == 0 && nswitches == 0)
			sandbox_links_without_ipv6();
		h = &hosts[nhosts];
		if ((h->pid = sandbox_host_new()) < 0)
			return -1;
		snprintf(h->name, sizeof h->name, "%s", name);
		h->nif = 0;
		nhosts++;
	}
	if (h->nif == 10) {
		errno = ENOSPC;
		return -1;
	}
	if (switch_up(sw) < 0 || sandbox_plug(name, h->pid, h->nif, sw, addr) < 0)
		return -1;
	h->nif++;
	announce(h, sw, addr, line);
	return 0;
}

int lab_hosts_supported(void)
{
	static int known = -1;

	/* a veth pair, made and gone (the peer goes with it), and a bridge
	 * the kernel would make (its ioctl, no exec): what every host needs */
	if (known < 0) {
		int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

		known = lab_sandboxed() && fd >= 0 && ioctl(fd, SIOCBRADDBR, "sl-probe") == 0 &&
			ioctl(fd, SIOCBRDELBR, "sl-probe") == 0 &&
			sandbox_sh("ip link add sl-probe type veth peer name sl-probe1 && "
				   "ip link del sl-probe") == 0;
		if (fd >= 0)
			close(fd);
	}
	return known;
}

/* The host a command may run on: NULL with errno EPERM outside a sandbox,
 * ENOENT when there is no such host. */
static struct host *host_to_run_on(const char *name)
{
	struct host *h = find(name);

	errno = !lab_sandboxed() ? EPERM : h == NULL ? ENOENT : 0;
	return errno ? NULL : h;
}

int lab_host_cmd(const char *name, const char *fmt, ...)
{
	struct host *h = host_to_run_on(name);
	char cmd[512];
	va_list ap;

	if (h == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return sandbox_sh_at(h->pid, cmd);
}

int lab_host_sysctl(const char *name, const char *key, const char *value)
{
	pid_t pid;
	int st;

	if (host_to_run_on(name) == NULL)
		return -1;
	/* lab_sysctl's rules (net.* only), from inside the host */
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		errno = 0;
		if (lab_hosts_enter(name) < 0 || lab_sysctl(key, value) < 0)
			_exit(errno ? errno : EIO);	/* a short write says nothing */
		_exit(0);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		errno = WIFEXITED(st) ? WEXITSTATUS(st) : EIO;
		return -1;
	}
	return 0;
}

int lab_nat(const char *name, const char *ifname)
{
	struct host *h = host_to_run_on(name);

	if (h == NULL)
		return -1;
	if (!valid_name(ifname, 15)) {
		errno = EINVAL;
		return -1;
	}
	return sandbox_nat(h->pid, ifname);
}

void lab_hosts_end(void)
{
	for (int i = 0; i < nhosts; i++)
		sandbox_host_end(hosts[i].pid);
	nhosts = 0;
}
