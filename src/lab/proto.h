/* proto.h — the control protocol between a running lab and its consumer.
 *
 * One event per line, lab -> consumer:  KIND key=value key=value...\n
 * Values are %XX-escaped (any byte outside '!'..'~', and '%' and '=').
 * The consumer answers each "step" and "end" event with "go\n" on the gate.
 * docs/protocol.md is the reference. */
#ifndef SOCKLAB_PROTO_H
#define SOCKLAB_PROTO_H

#include <stddef.h>

enum proto_kind {
	PROTO_LAB,	/* the lab starts: num pid port sandbox slug file title text(summary) */
	PROTO_ROLE,	/* a role process exists: name pid line host ("" the sandbox) */
	PROTO_STEP,	/* a step begins (lab waits for go): step pid role line title why ask */
	PROTO_CALL,	/* EXPECT_OK/EXPECT_ERR: pid role line expr ret err want ok */
	PROTO_CHECK,	/* EXPECT_TRUE: pid role line expr ok */
	PROTO_NOTE,	/* NOTE: pid role line text */
	PROTO_ERROR,	/* the lab itself went wrong: pid role line text */
	PROTO_END,	/* lab_end (lab waits for go): pass fail errors skip */
	PROTO_SKIP,	/* SKIP: the rest of the lab cannot run here: pid role line text */
	PROTO_CLAIM,	/* CLAIM: this step proves rule id (claim.h decides): pid line step role id */
	PROTO_HOST,	/* lab_host: host has interface ifname, address addr, on
			 * switch link; pid is its keeper (its namespace) */
	PROTO_NKINDS
};

/* want: for PROTO_CALL, 0 = success expected, else the errno expected.
 * ok: 1 when the outcome matched the expectation. */
struct proto_event {
	enum proto_kind kind;
	long num, pid, line, step, ret, err, want, ok, pass, fail, errors, skip, port, sandbox;
	char role[32];
	char name[32];
	char id[64];		/* PROTO_CLAIM: the rule's id in docs/claims.md */
	char slug[64];
	char file[256];
	char title[256];
	char why[512];
	char ask[256];		/* PROTO_STEP: the question before it (ASK), "" none */
	char expr[512];
	char text[1024];
	/* PROTO_CALL of a receive (recv, recvfrom): what arrived, as text
	 * (printable ASCII kept, others \xNN, cut: lab.h), and from whom
	 * ("127.0.0.1:5001"); "" when not a receive or not known */
	char data[96];
	char from[64];
	/* PROTO_HOST (and PROTO_ROLE's host): lab/hosts.c */
	char host[16];		/* "alice" */
	char ifname[16];	/* "eth0" */
	char addr[64];		/* "10.0.0.2/24" */
	char link[16];		/* the switch: "lan" */
	long observe;		/* PROTO_CALL: 1, no expectation (the playground):
				 * what the kernel answered, neither met nor missed */
	/* The lab's own words before printf filled them, for a consumer that
	 * translates (runner/labtext.h): fmt is the format of text (STEP: of
	 * title and why, joined by PROTO_SEP), askfmt that of ask; args and
	 * askargs their arguments, each formatted alone, joined by PROTO_SEP.
	 * "" when the format is the text itself (no conversions). */
	char fmt[768];
	char args[1024];
	char askfmt[256];
	char askargs[128];
};

#define PROTO_SEP '\x1f'	/* between the parts of fmt and args */

#define PROTO_LINE_MAX 4096	/* <= PIPE_BUF: one write() is one atomic line */

/* Encode ev as one line ending in '\n' into buf (len >= PROTO_LINE_MAX is
 * always enough: long strings are cut).  Returns the line's length. */
size_t proto_encode(char *buf, size_t len, const struct proto_event *ev);

/* Parse one line (without or with its '\n').  Unknown keys are ignored,
 * so newer labs work with older consumers.  Returns 0, or -1 with
 * errno = EBADMSG on an unknown kind or a malformed field. */
int proto_parse(const char *line, struct proto_event *ev);

const char *proto_kind_name(enum proto_kind kind);

/* A value as the protocol writes it (%XX escapes), NUL-terminated in
 * buf[len], cut before an escape that would not fit.  Returns its length.
 * proto_unescape reads one back into out[size] (cut to fit): 0, or -1 on
 * a malformed escape.  The playground's gate lines use them. */
size_t proto_escape(char *buf, size_t len, const char *src);
int proto_unescape(const char *src, char *out, size_t size);

/* 1 for the kinds that are a step's outcomes (call, check, note, error,
 * skip, host): what a consumer files under the step before them. */
int proto_is_outcome(enum proto_kind kind);

#endif
