/* kver.c — kernel versions, and the table of what changed between them
 * (kver.h).  Each entry gives its source: the release that brought the
 * change, and the kernels tests/kernels/run.sh measured on each side. */
#include <stdio.h>
#include <sys/utsname.h>

#include "kver.h"

static const struct kver_change changes[KVER_NCHANGES] = {
	[KVER_UDP_HASH4] = {
		KVER_UDP_HASH4, "udp-hash4", KVER(6, 12, 65535), KVER(6, 16, 0),
		"two UDP sockets connected on one four-tuple score alike; the one whose last "
		"datagram was handled on the CPU handling this one gets a point more "
		"(compute_score()'s sk_incoming_cpu), so either can get a datagram",
		"a connected UDP socket is also hashed by its four-tuple, newest first: the "
		"socket that connected last gets every datagram of that peer",
		"changed in Linux 6.13, \"udp: Add 4-tuple hash for connected socket\"; measured "
		"in VMs: 6.1.192 and 6.12.118 the old way, 6.16.3 to 7.3.4 the new; 6.13 to "
		"6.15 not run here",
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

char *kver_note(enum kver_change_id id, const char *release, char *buf, size_t len)
{
	const struct kver_change *c = kver_change(id);
	int has = kver_has(kver_parse(release), id);

	if (!c)
		snprintf(buf, len, "unknown change %d", (int)id);
	else if (has < 0)
		snprintf(buf, len, "this kernel (%s) has not been checked for this: on older kernels "
			 "%s; on newer ones %s (%s)", release, c->before, c->after, c->source);
	else
		snprintf(buf, len, "on this kernel (%s) %s (%s)", release, has ? c->after : c->before,
			 c->source);
	return buf;
}
