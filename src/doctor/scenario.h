/* scenario.h — bind scenarios run for real: a few sockets brought to a
 * state on one port (bound, listening, connected, TIME_WAIT; with
 * SO_REUSEADDR/SO_REUSEPORT, an owner uid, an address), then a candidate
 * bind (and listen), in the caller's network namespace.  Each returns what
 * the kernel did and what the model (rules.h) predicted.  Used by
 * `socklab matrix` and by the property test (tests/tools/bindprop). */
#ifndef SOCKLAB_SCENARIO_H
#define SOCKLAB_SCENARIO_H

#include "rules.h"

#define SCENARIO_MAX_EXISTING 3
#define SCENARIO_HELPER_PORT 9000	/* helpers on 9000.. (one per existing socket) */

enum { SCENARIO_BOUND, SCENARIO_LISTEN, SCENARIO_CONNECTED, SCENARIO_TIMEWAIT };

/* One socket.  addr indexes scenario_v4_addrs / scenario_v6_addrs. */
struct scenario_spec {
	int family, v6only, addr, reuseaddr, reuseport, other_uid, state;
};

struct scenario {
	int proto;		/* IPPROTO_UDP, IPPROTO_TCP */
	int n;
	struct scenario_spec s[SCENARIO_MAX_EXISTING];
	struct scenario_spec cand;
	int listen;		/* TCP: the candidate listens too */
};

extern const char *const scenario_v4_addrs[3];	/* 0.0.0.0 127.0.0.1 127.0.0.2 */
extern const char *const scenario_v6_addrs[3];	/* :: ::1 ::ffff:127.0.0.1 */
extern const char *const scenario_state_names[4];

/* Set up in the current (fresh) namespace: lo is up, helper listeners
 * (TCP and UDP, dual-stack) for the connected and TIME_WAIT states.
 * *other_uid: 1 when sockets of uid 65534 can be made (root).  0 or -1. */
int scenario_setup(int *other_uid);

/* Run sc on port (a port no earlier scenario used: TIME_WAIT lingers).
 * *kernel: 0 or the errno of bind()/listen(); *model: the prediction.
 * An existing socket the kernel refuses on the way is left out, of the
 * scenario and of the model's view alike.  Returns 0. */
int scenario_run(const struct scenario *sc, int port, int *kernel, struct rules_result *model);

/* "tcp [127.0.0.1] ra timewait | candidate [0.0.0.0] rp listen" */
void scenario_describe(char *buf, size_t len, const struct scenario *sc);

#endif
