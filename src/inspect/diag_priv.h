/* diag_priv.h — shared by diag.c, filter.c and replay.c; not API.
 *
 * diag.c asks the kernel; filter.c turns a struct inspect_filter into what
 * the requests carry (which family/protocol pairs, which states, the port
 * bytecode); replay.c is the only place that receives the kernel's answers,
 * so it can record them to a file or play them back from one
 * (docs/inspect.md). */
#ifndef SOCKLAB_DIAG_PRIV_H
#define SOCKLAB_DIAG_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "inspect.h"

struct nlmsghdr;

/* Large enough that the kernel never truncates a dump datagram: it sizes
 * dump skbs after the reader's buffer, up to this.  Also the largest chunk
 * a replay file may hold. */
#define DIAG_BUF	32768

/* All classic TCP states (ss's "all" before bound-inactive existed). */
#define DIAG_STATES_CLASSIC	((1U << INSPECT_STATE_BOUND_INACTIVE) - 1)

/* --- diag.c ----------------------------------------------------------- */

/* 1 when nlh is a whole message within the len bytes left of a datagram
 * (what mnl_nlmsg_ok() means, but without its cast of nlmsg_len to int:
 * with that, a length of 2 GiB or more from a replay file passes and the
 * walk jumps outside the buffer).  Walk a datagram with this and
 * mnl_nlmsg_next() before handing a message to inspect_parse_msg(). */
int diag_nlmsg_ok(const struct nlmsghdr *nlh, int len);

/* --- filter.c --------------------------------------------------------- */

/* One request: inet_diag answers one family and one protocol at a time. */
struct diag_req {
	uint8_t family;		/* AF_INET, AF_INET6 */
	uint8_t proto;		/* IPPROTO_TCP, IPPROTO_UDP */
};

#define DIAG_MAX_REQS	4

/* The requests f needs, in the order they are sent (IPv4 before IPv6, TCP
 * before UDP within a family); f == NULL asks for all four.  Returns how
 * many were written to req[0..DIAG_MAX_REQS), or -1 with errno = EINVAL
 * for bits outside INSPECT_TCP|INSPECT_UDP or INSPECT_V4|INSPECT_V6. */
int diag_filter_reqs(const struct inspect_filter *f, struct diag_req *req);

/* idiag_states for f: f->states, or ~0U (every state, bound-inactive
 * included) when f is NULL or f->states is 0. */
uint32_t diag_filter_states(const struct inspect_filter *f);

/* Length of the bytecode diag_bc_port() writes. */
#define DIAG_BC_PORT_LEN	20

/* Write to buf (size bytes) the inet_diag bytecode that accepts a socket
 * whose local port or peer port is port (host byte order), as ss's
 * "( sport = :P or dport = :P )".  Pure: touches nothing but buf.
 * Returns the bytecode length, or -1 with errno = EINVAL (port 0) or
 * ENOSPC (size too small). */
int diag_bc_port(void *buf, size_t size, uint16_t port);

/* --- replay.c --------------------------------------------------------- */

/* What one request asked; a replay file stores it before each reply. */
struct diag_ask {
	uint8_t family;
	uint8_t proto;
	uint16_t port;		/* the port filter, 0 none */
	uint32_t states;	/* idiag_states as sent */
	uint32_t seq;		/* nlmsg_seq; replay sets the recorded one */
};

/* The channel of one query: the kernel, the kernel with a recorder, or a
 * replay file.  Chosen by diag_io_begin() from SOCKLAB_DIAG_REPLAY and
 * SOCKLAB_DIAG_RECORD. */
struct diag_io {
	int fd;			/* netlink socket, or the replay file */
	int own;		/* fd was opened by diag_io_begin: close it */
	int replay;		/* 1: read answers from fd, send nothing */
	int rec;		/* record file, -1 when not recording */
	int open;		/* inside a request: its end marker is due */
	int err;		/* errno that broke the channel, 0 while usable */
	unsigned nreq;		/* requests made on this channel so far */
};

/* Start a query on netlink socket nl.  Returns 0, or -1 with errno. */
int diag_io_begin(struct diag_io *io, int nl);

/* Send request nlh (live, record) or find the reply recorded for ask
 * (replay: ask->seq becomes the recorded sequence number).  Returns 0, or
 * -1 with errno: EBADMSG for a malformed replay file, ENOMSG when its next
 * record answers a different request. */
int diag_io_request(struct diag_io *io, const struct nlmsghdr *nlh,
		    struct diag_ask *ask);

/* Every read of the kernel's answers goes through here: one datagram of
 * replies from the kernel (recorded when recording) or the next chunk of
 * the replay file, into buf (DIAG_BUF bytes).  Returns its length (> 0),
 * or -1 with errno (EBADMSG: the recorded reply ended or is corrupt). */
ssize_t diag_io_recv(struct diag_io *io, void *buf);

/* The current request is over (whatever its outcome): write its end
 * marker, or skip to it in the replay file.  Returns 0, or -1 with errno. */
int diag_io_done(struct diag_io *io);

/* End the query (failed: it did not succeed): close what diag_io_begin
 * opened; a failed replay rewinds the replay file so the next query starts
 * from its beginning.  Returns 0, or -1 with errno when the record file
 * could not be completed. */
int diag_io_end(struct diag_io *io, int failed);

/* The file SOCKLAB_DIAG_REPLAY names, or NULL when not replaying. */
const char *diag_replay_path(void);

#endif
