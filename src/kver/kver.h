/* kver.h — kernel versions, and what socklab knows changed between them.
 *
 * A version is one number, KVER(6, 13, 0), compared with < and >=; 0 is
 * "unknown".  kver_running() is this machine's (uname -r).
 *
 * The changes are a table: each behaviour around ports that differs
 * between the kernels socklab has been checked on (tests/kernels/run.sh,
 * make test-kernels), with what happens before and since, where the fact
 * comes from, and the kernels it was measured on.  Between the newest
 * version measured the old way and the oldest measured the new way a
 * kernel is "not known", and says so.  Labs branch on kver_has() (through
 * lab_kernel_has()) and `socklab matrix` prints the notes for the kernel
 * it runs on.
 *
 * Pure but for uname(). */
#ifndef SOCKLAB_KVER_H
#define SOCKLAB_KVER_H

#include <stddef.h>

/* major and minor up to 255, patch up to 65535 (Debian's 4.9.337 fits) */
#define KVER_CLAMP_(x, max) ((unsigned)(x) > (max) ? (unsigned)(max) : (unsigned)(x))
#define KVER(major, minor, patch) \
	((KVER_CLAMP_(major, 255) << 24) | (KVER_CLAMP_(minor, 255) << 16) | KVER_CLAMP_(patch, 65535))

enum kver_change_id {
	KVER_UDP_HASH4,		/* connected UDP sockets hashed by 4-tuple */
	KVER_NCHANGES
};

struct kver_change {
	enum kver_change_id id;
	const char *name;	/* short, for output and tests: "udp-hash4" */
	unsigned last_old;	/* the newest version known to behave the old way */
	unsigned since;		/* the oldest version known to behave the new way;
				 * between the two: not known (kver_has() -1) */
	const char *before;	/* what kernels up to last_old do */
	const char *after;	/* what `since` and later do */
	const char *source;	/* the release or commit, and the measurements */
};

/* "6.18.44-fc-v1272" -> KVER(6, 18, 44); 0 when it does not start with
 * MAJOR.MINOR. */
unsigned kver_parse(const char *release);

/* This machine's release string ("6.18.44-fc-v1272"), or "unknown". */
const char *kver_release(void);

/* kver_parse(kver_release()). */
unsigned kver_running(void);

/* The table, in enum order; *n is set to its length. */
const struct kver_change *kver_changes(size_t *n);
const struct kver_change *kver_change(enum kver_change_id id);

/* Does kernel v behave the new way: 1 yes, 0 no, -1 not known (v lies
 * between last_old and since, or v is 0). */
int kver_has(unsigned v, enum kver_change_id id);

/* One sentence on change id for the kernel whose uname release is
 * `release`, into buf[len]: which side of the change it is on and what
 * that means, then the source ("on this kernel (6.1.0-57-amd64) two UDP
 * sockets ... (changed in Linux 6.13: ...)").  Returns buf. */
char *kver_note(enum kver_change_id id, const char *release, char *buf, size_t len);

/* kver_note's words apart: its printf format in *fmt and its arguments
 * (each a string: the release, then the side's text and the source; or
 * the release, both sides and the source when this kernel was not
 * checked), for a narrator that sends them apart so that a consumer can
 * translate them (the lab runtime: docs/protocol.md).  Returns how many
 * arguments (0: an unknown id, *fmt says so). */
int kver_note_parts(enum kver_change_id id, const char *release, const char **fmt,
		    const char *args[4]);

#endif
