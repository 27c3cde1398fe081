/* probe.h — what the host says about a bind on one port: the sockets
 * already on it (from the inspector), the host's part of the decision
 * (privileged ports, the capability, local addresses, nonlocal bind), and
 * the real bind itself, for `socklab why --try` to hold the model against.
 *
 * The doctor's only part that asks the machine (the model, rules.h, is
 * pure; advise.h reasons over what this reads).  Uses the inspector
 * (inspect/inspect.h) for the sockets, /proc (or SOCKLAB_PROC_ROOT, as the
 * inspector) for the sysctls, getifaddrs() for the addresses.  Prints
 * nothing. */
#ifndef SOCKLAB_PROBE_H
#define SOCKLAB_PROBE_H

#include <stddef.h>
#include <netinet/in.h>

#include "inspect/inspect.h"
#include "rules.h"

#define PROBE_MAX_ADDRS 256

/* The sockets on one local port, as the inspector read them and as the
 * model wants them: in the order they were bound (oldest first). */
struct probe_port {
	struct inspect_snap snap;	/* the rows, owners and flags read */
	struct rules_sock *ex;		/* the same for the model, oldest first */
	size_t *row;			/* ex[i] is snap.v[row[i]] */
	size_t n;
};

/* Read the sockets whose local port is cand's (its protocol only), their
 * owners and flags, in the caller's network namespace, and index them
 * (probe_port_index).  Returns 0, or -1 with errno; free *p either way. */
int probe_read_port(const struct rules_sock *cand, struct probe_port *p);

/* Index p->snap as it stands (pure, for tests too): sorted by inode, the
 * creation order (TIME_WAIT rows have none: older than any live socket),
 * each row turned into a rules_sock.  Returns 0, or -1 (ENOMEM). */
int probe_port_index(struct probe_port *p);

/* The inspector's row for ex[i]. */
const struct inspect_sock *probe_port_row(const struct probe_port *p, size_t i);

void probe_port_free(struct probe_port *p);

/* The host's part, for cand: host.addrs and host.lo_nets point into the
 * arrays beside it (do not copy host alone). */
struct probe_host {
	struct rules_host host;
	struct in6_addr addrs[PROBE_MAX_ADDRS];
	struct in_addr lo_nets[PROBE_MAX_ADDRS], lo_masks[PROBE_MAX_ADDRS];
};

/* This namespace's addresses, privileged port start, nonlocal bind (the
 * sysctl that applies to cand's address) and whether cand's uid may bind
 * below the start.  Without an address list the model does not judge
 * addresses. */
void probe_read_host(const struct rules_sock *cand, struct probe_host *h);

/* The real bind (and listen, for TCP) as cand says, from socket() on as
 * cand's uid (setresuid of the effective uid; root for another uid), then
 * closed.  Returns 0 or the errno the kernel answered. */
int probe_bind(const struct rules_sock *cand, int listen_too);

#endif
