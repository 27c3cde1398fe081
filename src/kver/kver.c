/* kver.c — kernel versions, and the table of what changed between them
 * (kver.h).  Each entry gives its source: the release that brought the
 * change, and the kernels tests/kernels/run.sh measured on each side. */
#include <stdio.h>
#include <sys/utsname.h>

#include "kver.h"

/* Marks a message for the translators (po/extract.sh): a narrator that
 * speaks the reader's language translates it where it prints it (a lab's
 * note: runner/labtext.c).  kver/ includes nothing of ours. */
#define N_(s) s

static const struct kver_change changes[KVER_NCHANGES] = {
	[KVER_UDP_HASH4] = {
		KVER_UDP_HASH4, "udp-hash4", KVER(6, 12, 65535), KVER(6, 16, 0),
		N_("two UDP sockets connected on one four-tuple score alike; the one whose last "
		   "datagram was handled on the CPU handling this one gets a point more "
		   "(compute_score()'s sk_incoming_cpu), so either can get a datagram"),
		N_("a connected UDP socket is also hashed by its four-tuple, newest first: the "
		   "socket that connected last gets every datagram of that peer"),
		N_("changed in Linux 6.13, \"udp: Add 4-tuple hash for connected socket\"; measured "
		   "in VMs: 6.1.192 and 6.12.118 the old way, 6.16.3 to 7.3.4 the new; 6.13 to "
		   "6.15 not run here"),
	},
};

unsigned kver_parse(const char *release)
{
	unsigned major, minor, patch = 0;
	int n;

	if (!release || sscanf(release, "%u.%u%n", &major, &minor, &n) != 2)
		return 0;
	if (release[n] == '.')
		sscanf(release + n + 1, "%u", &patch);
	return KVER(major, minor, patch);
}

const char *kver_release(void)
{
	static struct utsname u;

	if (!u.release[0] && uname(&u) < 0)
		return "unknown";
	return u.release[0] ? u.release : "unknown";
}

unsigned kver_running(void)
{
	return kver_parse(kver_release());
}

const struct kver_change *kver_changes(size_t *n)
{
	*n = KVER_NCHANGES;
	return changes;
}

const struct kver_change *kver_change(enum kver_change_id id)
{
	return (unsigned)id < KVER_NCHANGES ? &changes[id] : NULL;
}

int kver_has(unsigned v, enum kver_change_id id)
{
	const struct kver_change *c = kver_change(id);

	if (!c || v == 0)
		return -1;
	if (v >= c->since)
		return 1;
	return v <= c->last_old ? 0 : -1;
}

int kver_note_parts(enum kver_change_id id, const char *release, const char **fmt,
		    const char *args[4])
{
	const struct kver_change *c = kver_change(id);
	int has = kver_has(kver_parse(release), id);

	if (!c) {
		*fmt = "unknown change";
		return 0;
	}
	args[0] = release;
	if (has < 0) {
		*fmt = N_("this kernel (%s) has not been checked for this: on older kernels %s; "
			  "on newer ones %s (%s)");
		args[1] = c->before;
		args[2] = c->after;
		args[3] = c->source;
		return 4;
	}
	*fmt = N_("on this kernel (%s) %s (%s)");
	args[1] = has ? c->after : c->before;
	args[2] = c->source;
	return 3;
}

char *kver_note(enum kver_change_id id, const char *release, char *buf, size_t len)
{
	const char *fmt, *a[4];
	int n = kver_note_parts(id, release, &fmt, a);

	if (n == 4)
		snprintf(buf, len, fmt, a[0], a[1], a[2], a[3]);
	else if (n == 3)
		snprintf(buf, len, fmt, a[0], a[1], a[2]);
	else
		snprintf(buf, len, "%s", fmt);
	return buf;
}
