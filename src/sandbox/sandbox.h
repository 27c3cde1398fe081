/* sandbox.h — a private network stack for a lab run.
 *
 * sandbox_enter() moves the calling process into a fresh network namespace
 * whose only interface is lo, brought up.  Nothing sent inside it can reach
 * the machine's real interfaces: there are none.  As root it needs only
 * unshare(CLONE_NEWNET); as a normal user it first creates a user namespace
 * (the caller becomes root inside it, and only inside it). */
#ifndef SOCKLAB_SANDBOX_H
#define SOCKLAB_SANDBOX_H

#include <sys/types.h>

/* Returns 0, or -1 with errno; *what names the step that failed
 * ("unshare(CLONE_NEWNET)", "write /proc/self/uid_map", "bring lo up"). */
int sandbox_enter(const char **what);

/* Move the calling process into the network namespace at path (a
 * /run/netns/NAME bind mount or /proc/PID/ns/net).  Needs CAP_SYS_ADMIN
 * over that namespace.  Returns 0, or -1 with errno and *what. */
int sandbox_join(const char *path, const char **what);

/* Move the calling process (single-threaded) into the sandbox process pid
 * is in: its user namespace first when it is not ours (an unprivileged
 * sandbox), then its network namespace.  How the playground joins a
 * running lab.  Returns 0, or -1 with errno and *what. */
int sandbox_join_pid(int pid, const char **what);


/* Run cmd with /bin/sh -c, its stdin, stdout and stderr on /dev/null, and
 * wait for it: how a sandbox's own network is set up (ip link add ...,
 * the grader's uplink).  Returns 0 when it exits 0, else -1 with errno
 * (EIO: it failed; ENOENT: a command of it was not found).  Callers decide where that is allowed: lab_cmd and
 * the uplink refuse outside a sandbox (EPERM), so nothing here touches
 * the machine's real network. */
int sandbox_sh(const char *cmd);

/* The same in the network namespace of process ns_pid (a lab's host:
 * lab/hosts.c), which must be in our user namespace; 0: ours. */
int sandbox_sh_at(int ns_pid, const char *cmd);

/* ---- net.c: a small network inside a sandbox --------------------------
 *
 * A host is a network namespace held by a process of its own, its keeper,
 * which only waits (and dies with its parent); a switch is a bridge in
 * the caller's namespace; a host's interface ethN is one end of a veth
 * pair whose other end, HOST-ethN, is a port of a switch.  Every frame
 * between two hosts crosses the caller's namespace, where a packet socket
 * sees it (wire/wire.h).  Names go into ip(8) command lines: the callers
 * check them.  Each returns 0 (a pid), or -1 with errno. */

/* Fork a keeper in a new network namespace (lo up, IPv6 off on links to
 * come): its pid, whose /proc/PID/ns/net is the host. */
pid_t sandbox_host_new(void);

/* A switch named sw in the caller's namespace (a bridge, up). */
int sandbox_switch(const char *sw);

/* Host (named host, its keeper pid) gets interface eth<n> with address
 * addr ("10.0.0.2/24"), plugged into switch sw as port host-eth<n>. */
int sandbox_plug(const char *host, pid_t pid, int n, const char *sw, const char *addr);

/* The host of keeper pid forwards, and masquerades what it sends out of
 * ifname (nftables): a home router.  ENOENT without nft(8). */
int sandbox_nat(pid_t pid, const char *ifname);

/* Move the calling process into the host of keeper pid (same user
 * namespace): what a role on a host, or a grader looking there, does. */
int sandbox_join_host(pid_t pid);

/* The host's keeper killed and reaped: its namespace goes when the last
 * process and socket in it do. */
void sandbox_host_end(pid_t pid);

/* Interfaces made from now on in the caller's namespace have IPv6 off:
 * its router and neighbour solicitations would fill the wire of an IPv4
 * lab.  lo keeps it. */
void sandbox_links_without_ipv6(void);

/* One line of advice for a failed sandbox_enter (e.g. how to enable
 * unprivileged user namespaces), or NULL.  has_host: the command has
 * --host, so the advice may offer it. */
const char *sandbox_advice(int err, int has_host);

#endif
