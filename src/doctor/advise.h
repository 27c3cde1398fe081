/* advise.h — the doctor's answer to "would this bind work here, and if
 * not, what would": the model's verdict on a bind next to the sockets a
 * probe read (every verdict, where flags socklab cannot read decide), the
 * smallest changes the model says would work, what sharing the port would
 * do to delivery, and whether the kernel's real answer fits the verdict.
 *
 * Pure: no kernel calls (probe.h reads the host, rules.h is the model);
 * the words are the doctor's, the caller lays them out.  Used by
 * `socklab why`. */
#ifndef SOCKLAB_ADVISE_H
#define SOCKLAB_ADVISE_H

#include <stddef.h>

#include "probe.h"
#include "rules.h"

#define ADVISE_MAX_FIXES 8
#define ADVISE_FIX_LEN 400
#define ADVISE_MAX_NOTES 5

/* What the advice is about: the bind asked for, the sockets on its port
 * (a probe_port, indexed), the host's part. */
struct advise_case {
	const struct rules_sock *cand;
	int listen;			/* TCP: it will listen() too */
	const struct probe_port *port;
	const struct rules_host *host;
};

/* The changes that would work, one sentence each, smallest first (the
 * last: another port), and the notes on sharing, each said once, in a
 * fixed order. */
struct advise_fixes {
	const char *fixes[ADVISE_MAX_FIXES];	/* fixes[i] is text[i] */
	size_t n;
	const char *notes[ADVISE_MAX_NOTES];
	size_t nnotes;
	char text[ADVISE_MAX_FIXES][ADVISE_FIX_LEN];
};

/* The verdict (*res: unknown flags counted as off) and every verdict the
 * unknown flags allow (*out).  Returns 1 when socklab cannot tell which
 * (the flags decide, or the order UDP meets the sockets in), 0 when it
 * can, -1 (ENOMEM). */
int advise_predict(const struct advise_case *c, struct rules_result *res,
		   struct rules_outcomes *out);

/* The fixes for a bind that fails with EADDRINUSE (in *res, or in one of
 * *out's outcomes), each checked with the model, and the sharing notes
 * for one that may succeed.  *fx is emptied first. */
void advise_fixes(const struct advise_case *c, const struct rules_result *res,
		  const struct rules_outcomes *out, struct advise_fixes *fx);

/* Does the kernel's answer err (0 or an errno) contradict the verdict?
 * With unknown flags any outcome given fits; where the order UDP meets the
 * sockets in decides, success and EADDRINUSE both fit.  1 or 0. */
int advise_contradicted(const struct rules_result *res, const struct rules_outcomes *out, int err);

/* The outcome whose errno is err (0: success), or NULL: none fits. */
const struct rules_outcome *advise_outcome_of(const struct rules_outcomes *out, int err);

/* The bind asked for, as the verdict names it: "udp 0.0.0.0:5000
 * SO_REUSEADDR as uid 1000", "tcp [::]:80 IPV6_V6ONLY +listen as uid 0". */
void advise_bind_text(const struct advise_case *c, char *buf, size_t len);

/* Who holds ex[i]: "pid 42 (server)", "a TIME_WAIT connection (the
 * kernel's, no process)", "a socket of uid 1000 whose process socklab
 * may not see". */
const char *advise_owner(const struct advise_case *c, size_t i, char *buf, size_t len);

/* The sockets whose unknown flags decide: "the TIME_WAIT connection
 * 127.0.0.1:5000 -> 127.0.0.1:41234", "the 3 TIME_WAIT connections". */
const char *advise_unknown_who(const struct advise_case *c, const struct rules_outcomes *out,
			       char *buf, size_t len);

/* Which flags decide, and why socklab cannot read them: "the
 * SO_REUSEADDR/SO_REUSEPORT of the TIME_WAIT connection ...: a TIME_WAIT
 * connection keeps the flags its socket had ...". */
void advise_unknown_text(const struct advise_case *c, const struct rules_outcomes *out,
			 char *buf, size_t len);

/* What the unknown sockets have in outcome o (one of out's): "has
 * SO_REUSEADDR", "have SO_REUSEPORT", "have some mix of flags". */
const char *advise_outcome_flags(const struct rules_outcomes *out, const struct rules_outcome *o);

/* An outcome's condition: "if it has SO_REUSEADDR", "if they all have
 * SO_REUSEADDR", "with some mix of their flags" (set, mixed: as in a
 * rules_outcome). */
void advise_condition(const struct rules_outcomes *out, unsigned set, int mixed, char *buf, size_t len);

/* The kernel the model describes, in one sentence into buf[len]: its
 * release and, for a UDP bind, how it walks the port's sockets (walk:
 * udpwalk_bind_all()'s 1, 0 or -1), the one bind rule socklab has seen
 * differ between kernels. */
void advise_kernel_text(int proto, int walk, const char *release, char *buf, size_t len);

#endif
