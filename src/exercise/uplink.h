/* uplink.h — a fake way out of the grader's sandbox, watched.
 *
 * The sandbox has only lo, so a program that sends to an outside address
 * would just get ENETUNREACH and the grader would never know.  uplink_open()
 * gives the sandbox what a real machine has: an interface (veth "up0",
 * 192.0.2.1/24 and 2001:db8::1/64, documentation prefixes) with the
 * default routes through it.  Its other end ("up1") stays in the sandbox
 * too, with a packet socket on it: whatever the program sends toward the
 * outside world arrives there, and nowhere else. */
#ifndef SOCKLAB_UPLINK_H
#define SOCKLAB_UPLINK_H

#include <stddef.h>

struct uplink {
	int fd;			/* AF_PACKET socket on up1, -1 none */
};

/* Build it in the current (sandbox) namespace.  Returns 0, or -1 with
 * errno (EPERM outside a sandbox: never on the host). */
int uplink_open(struct uplink *u, int sandboxed);

/* How many packets went out (link-local housekeeping — IPv6 neighbour
 * discovery, MLD, IGMP to 224.0.0.x — is not counted); the first is
 * described in desc ("UDP to 8.8.8.8:53").  Drains what arrived. */
int uplink_seen(struct uplink *u, char *desc, size_t len);

void uplink_close(struct uplink *u);

/* Describe one Ethernet frame (pure, for tests): 1 and desc filled when it
 * counts, 0 when it is housekeeping or not understood. */
int uplink_describe(const unsigned char *frame, size_t n, char *desc, size_t len);

#endif
