/* fuzz_replay.c — libFuzzer harness for the sock_diag replay reader
 * (src/inspect/replay.c, format in docs/inspect.md) and what reads
 * through it (diag.c's dump loop): the input is a SOCKLAB_DIAG_REPLAY
 * file.  It lives in a memfd, never on disk, and is queried as socklab
 * does: unfiltered, with a port filter, and again, on one descriptor.
 * A query either fails with errno set or returns sorted rows. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <netinet/in.h>

#include "fuzz.h"
#include "inspect/inspect.h"

static int memfd = -1;

static void setup(void)
{
	char path[64];

	memfd = memfd_create("socklab-fuzz-replay", MFD_CLOEXEC);
	FUZZ_CHECK(memfd >= 0);
	snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
	FUZZ_CHECK(setenv("SOCKLAB_DIAG_REPLAY", path, 1) == 0);
	FUZZ_CHECK(unsetenv("SOCKLAB_DIAG_RECORD") == 0);
}

static void query(int nl, const struct inspect_filter *f)
{
	struct inspect_snap snap = { 0 };

	errno = 0;
	if (inspect_query(nl, f, &snap) < 0) {
		FUZZ_CHECK(errno != 0);
		FUZZ_CHECK(snap.v == NULL && snap.n == 0);
		return;
	}
	FUZZ_CHECK(snap.n <= snap.cap);
	for (size_t i = 0; i < snap.n; i++) {
		const struct inspect_sock *s = &snap.v[i];

		FUZZ_CHECK(s->family == AF_INET || s->family == AF_INET6);
		FUZZ_CHECK(s->proto == IPPROTO_TCP || s->proto == IPPROTO_UDP);
		if (i > 0)	/* sorted by protocol, then local port */
			FUZZ_CHECK(s[-1].proto < s->proto ||
				   (s[-1].proto == s->proto && s[-1].lport <= s->lport));
	}
	inspect_free(&snap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct inspect_filter port6000 = { .port = 6000 };
	int nl;

	if (memfd < 0)
		setup();
	FUZZ_CHECK(ftruncate(memfd, 0) == 0);
	if (size && pwrite(memfd, data, size, 0) != (ssize_t)size)
		return 0;
	nl = inspect_open();
	FUZZ_CHECK(nl >= 0);
	query(nl, NULL);
	query(nl, &port6000);
	query(nl, NULL);
	close(nl);
	return 0;
}
