/* outcome.h — one vocabulary for what an expectation came to.
 *
 * Every narrator of a lab's events takes its words here: run's report
 * (render/report.c), check (cmd_check.c), the dashboard (tui/panes.c)
 * and a lab running on its own (runtime.c).  So it is linked into every
 * lab binary (the Makefile's RUNTIME_SRCS) and depends on proto.h alone.
 * Two things stay with the caller: how an errno is spelled (socklab:
 * errtab's "EADDRINUSE 98 / WSAEADDRINUSE 10048"; a lab alone, which has
 * no errtab: "EADDRINUSE 98") and how the marks are drawn (socklab:
 * render/glyphs.h, ✔ and ✘ by the locale; a lab alone: always their
 * ASCII forms below, which socklab also falls back to).
 *
 * The sentence for a wrong expectation is "expected X; the kernel
 * answered Y": the kernel is the oracle, as `why --try` says it. */
#ifndef SOCKLAB_OUTCOME_H
#define SOCKLAB_OUTCOME_H

#include <stddef.h>

#include "lab/proto.h"

/* ✔ and ✘ where a byte >= 0x80 may not be written */
#define OUTCOME_PASS_ASCII "ok"
#define OUTCOME_FAIL_ASCII "FAIL"

/* The words before a skip's reason and a lab error's text. */
#define OUTCOME_SKIPPED outcome_tr("skipped here")
#define OUTCOME_LAB_ERROR outcome_tr("lab error")

/* How an errno is spelled; err 0 must come out as "success". */
/* The words are English.  A consumer that speaks the reader's language
 * hands its translator (i18n_tr) here once, first thing; a lab running
 * alone never does, and narrates in English.  outcome_tr(msgid) is the
 * translation (po/extract.sh extracts its argument); claim.c's words go
 * through it too. */
void outcome_translate_with(const char *(*tr)(const char *msgid));
const char *outcome_tr(const char *msgid) __attribute__((format_arg(1)));

typedef void outcome_spell_fn(char *buf, size_t len, int err);

/* A CALL's result: "0", "3", "-1 EADDRINUSE 98"; a receive's with what it
 * got: "4: \"pong\" from 127.0.0.1:5001". */
void outcome_result(char *buf, size_t len, const struct proto_event *ev,
		    outcome_spell_fn *spell);

/* A receive's payload as one line of text into buf: printable ASCII as it
 * is (a quote and a backslash escaped), other bytes as \n \t \r or \xNN;
 * cut where the next character would not fit, "..." then. */
void outcome_payload(char *buf, size_t len, const void *data, size_t n);

/* A socket address as people write it: "127.0.0.1:5001", "[::1]:5001",
 * "unix:/path", "unix:@abstract", "unix:(unnamed)"; "" for an empty or
 * unknown one. */
void outcome_address(char *buf, size_t len, const void *sa, size_t salen);

/* What a receive got, after its result: ": \"pong\" from 127.0.0.1:5001";
 * "" when the event carries no delivery (not a receive, or it failed). */
void outcome_delivery(char *buf, size_t len, const struct proto_event *ev);

/* A CALL that missed: "expected EADDRINUSE 98; the kernel answered success". */
void outcome_mismatch(char *buf, size_t len, const struct proto_event *ev,
		      outcome_spell_fn *spell);

/* A CHECK: "holds", "does NOT hold". */
const char *outcome_check(int ok);

/* A claim's outcome (claim.h; as an event: ok and skip):
 * "proven", "NOT proven", "skipped". */
const char *outcome_claim(int proven, int skipped);

/* A host event (lab_host): "host alice: eth0 10.0.0.2/24 on switch lan". */
void outcome_host(char *buf, size_t len, const struct proto_event *ev);

/* A run's tally: "3 of 4 expectations met". */
void outcome_total(char *buf, size_t len, long pass, long fail);

#endif
