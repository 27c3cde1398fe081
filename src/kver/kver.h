/* kver.h — kernel versions, and what socklab knows changed between them.
 *
 * A version is one number, KVER(6, 13, 0), compared with < and >=; 0 is
 * "unknown" and means the newest behaviour socklab knows.  kver_running()
 * is this machine's (uname -r), or SOCKLAB_KERNEL's when that is set, so
 * that tests can ask "what would a 6.1 kernel do" of the model.
 *
 * The changes are a table: each behaviour around ports that differs
 * between the kernels socklab has been checked on (tests/kernels/run.sh),
 * with what happens before and since, where the fact comes from, and the
 * kernels it was measured on.  Labs branch on kver_has() (through
 * lab_kernel_has()), the bind model on its host's version, and `why` and
 * `matrix` print the entries that concern the kernel they model.
 *
 * Pure but for kver_running(): no other kernel calls. */
#ifndef SOCKLAB_KVER_H
#define SOCKLAB_KVER_H

#include <stddef.h>

#define KVER(major, minor, patch) \
	(((unsigned)(major) << 16) | ((unsigned)(minor) << 8) | \
	 ((unsigned)(patch) > 255 ? 255u : (unsigned)(patch)))

enum kver_change_id {
	KVER_UDP_HASH4,		/* connected UDP sockets hashed by 4-tuple */
	KVER_NCHANGES
};

struct kver_change {
	enum kver_change_id id;
	const char *name;	/* short, for JSON and tests: "udp-hash4" */
	unsigned last_old;	/* the newest version known to behave the old way */
	unsigned since;		/* the oldest version known to behave the new way;
				 * between the two: not known (kver_has() -1) */
	const char *before;	/* what kernels before `since` do */
	const char *after;	/* what `since` and later do */
	const char *source;	/* the release or commit, or the measurement */
};

/* "6.18.44-fc-v1272" -> KVER(6, 18, 44); 0 when it does not start with
 * MAJOR.MINOR. */
unsigned kver_parse(const char *release);

/* This machine's kernel (uname), or $SOCKLAB_KERNEL (a release string
 * such as 6.1.0) when set; 0 when neither can be read. */
unsigned kver_running(void);

/* The release string kver_running() read ("6.18.44-fc-v1272"), or
 * "unknown". */
const char *kver_release(void);

/* "6.18.44" (or "unknown" for 0) into buf[len]; returns buf. */
char *kver_format(unsigned v, char *buf, size_t len);

/* One sentence on change id for kernel v, into buf[len]: which side of it
 * v is on and what that means, with the source ("on this kernel (6.1.192)
 * two UDP sockets ... (Linux 6.13, ...)").  Returns buf. */
char *kver_note(enum kver_change_id id, unsigned v, char *buf, size_t len);

/* The table, in enum order; *n is set to its length. */
const struct kver_change *kver_changes(size_t *n);
const struct kver_change *kver_change(enum kver_change_id id);

/* Does kernel v behave the new way: 1 yes, 0 no, -1 not known (v lies
 * between last_old and since).  An unknown kernel (0) gets 1: socklab
 * describes the newest behaviour it knows. */
int kver_has(unsigned v, enum kver_change_id id);

#endif
