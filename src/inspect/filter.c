/* filter.c — a struct inspect_filter as the kernel wants it: which
 * family/protocol requests to send, which idiag_states, and the inet_diag
 * bytecode for a port (INET_DIAG_REQ_BYTECODE), as ss(8) builds it.
 *
 * Bytecode, as the kernel runs it (net/ipv4/inet_diag.c): a sequence of
 * struct inet_diag_bc_op { code, yes, no } read from offset 0.  After an op,
 * execution moves on by `yes` bytes when the op matched and by `no` bytes
 * when it did not, both counted from the start of that op.  Landing exactly
 * on the end of the bytecode accepts the socket; going past it (by
 * convention `no` = remaining length + 4) rejects it.  JMP never matches, so
 * it always takes `no`.  A port comparison (S_EQ: local port == P, D_EQ:
 * peer port == P) occupies two ops: the second only carries P, host byte
 * order, in its `no` field, so `yes` of the first is 8.  The kernel audits
 * the bytecode before a dump: every `yes` chain must walk op boundaries to
 * exactly the end, and every `no` must land on such a boundary, on the end,
 * or 4 past it. */
#include "diag_priv.h"

#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>

int diag_filter_reqs(const struct inspect_filter *f, struct diag_req *req)
{
	static const struct { uint8_t bit, family; } fams[] = {
		{ INSPECT_V4, AF_INET }, { INSPECT_V6, AF_INET6 },
	};
	static const struct { uint8_t bit, proto; } protos[] = {
		{ INSPECT_TCP, IPPROTO_TCP }, { INSPECT_UDP, IPPROTO_UDP },
	};
	uint8_t fbits = INSPECT_V4 | INSPECT_V6, pbits = INSPECT_TCP | INSPECT_UDP;
	size_t i, j;
	int n = 0;

	if (f) {
		if ((f->families & ~fbits) || (f->protos & ~pbits)) {
			errno = EINVAL;
			return -1;
		}
		if (f->families)
			fbits = f->families;
		if (f->protos)
			pbits = f->protos;
	}
	for (i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		if (!(fbits & fams[i].bit))
			continue;
		for (j = 0; j < sizeof(protos) / sizeof(protos[0]); j++) {
			if (!(pbits & protos[j].bit))
				continue;
			req[n].family = fams[i].family;
			req[n].proto = protos[j].proto;
			n++;
		}
	}
	return n;
}

uint32_t diag_filter_states(const struct inspect_filter *f)
{
	/* ~0U asks for bound-inactive TCP sockets too (6.7+); older kernels
	 * ignore the extra bits (diag.c falls back if one refuses them). */
	if (!f || !f->states)
		return ~0U;
	return f->states;
}

static void put_op(unsigned char *at, uint8_t code, uint8_t yes, uint16_t no)
{
	struct inet_diag_bc_op op = { .code = code, .yes = yes, .no = no };

	memcpy(at, &op, sizeof(op));	/* at need not be aligned */
}

/* Layout (offsets in bytes, 20 in all):
 *    0  S_EQ  yes  8 -> 8 (JMP)         no 12 -> 12 (try the peer port)
 *    4        port
 *    8  JMP   yes  4 (never taken)      no 12 -> 20 = end: accept
 *   12  D_EQ  yes  8 -> 20 = end: accept no 12 -> 24 = past end: reject
 *   16        port
 * The `yes` chain 0 -> 8 -> 12 -> 20 visits every op, as the audit wants;
 * ss builds "A or B" the same way: A, a JMP over B, B. */
int diag_bc_port(void *buf, size_t size, uint16_t port)
{
	unsigned char *bc = buf;

	if (!port) {
		errno = EINVAL;
		return -1;
	}
	if (!buf || size < DIAG_BC_PORT_LEN) {
		errno = ENOSPC;
		return -1;
	}
	put_op(bc + 0, INET_DIAG_BC_S_EQ, 8, 12);
	put_op(bc + 4, 0, 0, port);
	put_op(bc + 8, INET_DIAG_BC_JMP, 4, 12);
	put_op(bc + 12, INET_DIAG_BC_D_EQ, 8, 12);
	put_op(bc + 16, 0, 0, port);
	return DIAG_BC_PORT_LEN;
}
