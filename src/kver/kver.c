/* kver.c — kernel versions, and the table of what changed between them
 * (kver.h).  Every entry was measured by tests/kernels/run.sh on the
 * kernels it names (Debian's, booted in a VM) and on the machine's own. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>

#include "kver.h"

static const struct kver_change changes[KVER_NCHANGES] = {
	[KVER_UDP_HASH4] = {
		KVER_UDP_HASH4, "udp-hash4", KVER(6, 12, 255), KVER(6, 13, 0),
		"two UDP sockets connected on one four-tuple score alike; the one whose last "
		"datagram was handled on the CPU handling this one wins, so either can get it "
		"(compute_score()'s sk_incoming_cpu point)",
		"a connected UDP socket is also hashed by its four-tuple, newest first: the "
		"socket that connected last gets every datagram of that peer",
		"Linux 6.13, \"udp: Add 4-tuple hash for connected socket\"; measured in VMs: "
		"6.1.192 and 6.12.118 gave it to either, 6.16.3 to 7.3.4 to the newer",
	},
};

unsigned kver_parse(const char *release)
{
	unsigned major, minor, patch = 0;
	int n;

	if (!release || sscanf(release, "%u.%u%n", &major, &minor, &n) != 2 || major > 255 ||
	    minor > 255)
		return 0;
	if (release[n] == '.')
		sscanf(release + n + 1, "%u", &patch);
	return KVER(major, minor, patch);
}

const char *kver_release(void)
{
	static struct utsname u;
	const char *env = getenv("SOCKLAB_KERNEL");

	if (env && *env)
		return env;
	if (!u.release[0] && uname(&u) < 0)
		return "unknown";
	return u.release;
}

unsigned kver_running(void)
{
	return kver_parse(kver_release());
}

char *kver_format(unsigned v, char *buf, size_t len)
{
	if (v == 0)
		snprintf(buf, len, "unknown");
	else
		snprintf(buf, len, "%u.%u.%u", v >> 16, (v >> 8) & 255, v & 255);
	return buf;
}

char *kver_note(enum kver_change_id id, unsigned v, char *buf, size_t len)
{
	const struct kver_change *c = kver_change(id);
	char ver[32];
	int has = kver_has(v, id);

	kver_format(v, ver, sizeof ver);
	if (!c)
		snprintf(buf, len, "unknown change %d", (int)id);
	else if (has < 0)
		snprintf(buf, len, "this kernel (%s) has not been checked for this: before the change %s; "
			 "since, %s (%s)", ver, c->before, c->after, c->source);
	else
		snprintf(buf, len, "on this kernel (%s) %s (%s)", ver, has ? c->after : c->before, c->source);
	return buf;
}

const struct kver_change *kver_changes(size_t *n)
{
	*n = KVER_NCHANGES;
	return changes;
}

const struct kver_change *kver_change(enum kver_change_id id)
{
	return id < KVER_NCHANGES ? &changes[id] : NULL;
}

int kver_has(unsigned v, enum kver_change_id id)
{
	if (v == 0 || id >= KVER_NCHANGES || v >= changes[id].since)
		return 1;
	return v <= changes[id].last_old ? 0 : -1;
}
