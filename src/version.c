/* version.c — the features socklab may use, probed where it runs (version.h). */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "i18n.h"
#include "inspect/bpf_priv.h"
#include "inspect/inspect.h"
#include "inspect/pidfd.h"
#include "version.h"

/* A probe: 1 available, 0 not; why[] says so in a few words either way. */
typedef int (*probe_fn)(char *why, size_t len);

/* A knob of /proc/sys as a number, or -1 when it is not there. */
static long sysctl_num(const char *path)
{
	FILE *f = fopen(path, "re");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* Run unshare(flags) in a forked child: 0, or its errno. */
static int unshare_in_child(int flags)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(unshare(flags) == 0 ? 0 : errno & 0x7f);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
}

/* Why the kernel refuses this user a user namespace, from its knobs. */
static void userns_refusal(char *why, size_t len, int err)
{
	if (sysctl_num("/proc/sys/user/max_user_namespaces") == 0)
		snprintf(why, len, _("%s: user.max_user_namespaces is 0"), strerrorname_np(err));
	else if (sysctl_num("/proc/sys/kernel/unprivileged_userns_clone") == 0)
		snprintf(why, len, _("%s: kernel.unprivileged_userns_clone is 0"), strerrorname_np(err));
	else if (sysctl_num("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1)
		snprintf(why, len, _("%s: AppArmor restricts unprivileged user namespaces "
			 "(kernel.apparmor_restrict_unprivileged_userns)"), strerrorname_np(err));
	else
		snprintf(why, len, _("unshare(CLONE_NEWUSER): %s (%s)"), strerrorname_np(err),
			 strerror(err));
}

static int probe_userns(char *why, size_t len)
{
	int err = unshare_in_child(CLONE_NEWUSER);

	if (err == 0) {
		snprintf(why, len, _("this user can create one now (unshare(CLONE_NEWUSER) in a child)"));
		return 1;
	}
	userns_refusal(why, len, err);
	return 0;
}

/* The sandbox itself: a network namespace, through a user namespace
 * unless we are root (src/sandbox). */
static int probe_netns(char *why, size_t len)
{
	int root = geteuid() == 0;
	int err = unshare_in_child(root ? CLONE_NEWNET : CLONE_NEWUSER | CLONE_NEWNET);

	if (err == 0) {
		snprintf(why, len, _("a lab's sandbox can be made (%s)"),
			 root ? _("as root: unshare(CLONE_NEWNET)") :
			 _("unshare(CLONE_NEWUSER | CLONE_NEWNET)"));
		return 1;
	}
	if (root)
		snprintf(why, len, _("unshare(CLONE_NEWNET): %s (%s); labs need --host"), strerrorname_np(err),
			 strerror(err));
	else
		userns_refusal(why, len, err);
	return 0;
}

/* pidfd_getfd on ourselves: a socket of ours borrowed through our pidfd. */
static int probe_pidfd_getfd(char *why, size_t len)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int pidfd = -1, fd = -1, err = 0;
	const char *what = "socket";

	if (s >= 0) {
		what = "pidfd_open";
		pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	}
	if (pidfd >= 0) {
		what = "pidfd_getfd";
		fd = (int)syscall(SYS_pidfd_getfd, pidfd, s, 0);
	}
	if (fd < 0)
		err = errno;
	if (fd >= 0)
		close(fd);
	if (pidfd >= 0)
		close(pidfd);
	if (s >= 0)
		close(s);
	if (err == 0) {
		snprintf(why, len, _("borrowed a socket of its own: reads the reuse flags of the "
			 "sockets this user may ptrace"));
		return 1;
	}
	if (err == ENOSYS)
		snprintf(why, len, _("%s: ENOSYS (this kernel has no %s; Linux 5.6 added it)"), what, what);
	else
		snprintf(why, len, _("%s on itself: %s (%s)"), what, strerrorname_np(err), strerror(err));
	return 0;
}

/* The BPF flags reader: compiled in, and loadable by this user, now. */
static int probe_bpf(char *why, size_t len)
{
	struct sockflags_rec *v;
	size_t n;

	if (!inspect_bpf_built()) {
		snprintf(why, len, _("not built in: socklab was compiled without it"));
		return 0;
	}
	if (!inspect_bpf_usable()) {
		if (geteuid() != 0)
			snprintf(why, len, _("built in, not usable as uid %u: needs root "
				 "(uid 0 of the initial user namespace)"), (unsigned)geteuid());
		else
			snprintf(why, len, _("built in, not usable: root here is not root of the "
				 "initial user namespace"));
		return 0;
	}
	if (inspect_bpf_read(-1, &v, &n) < 0) {
		snprintf(why, len, _("built in, failed to load: %s (%s)"),
			 strerrorname_np(errno) ? strerrorname_np(errno) : "?", strerror(errno));
		return 0;
	}
	free(v);
	snprintf(why, len, P_("built in and loaded: read the flags of %zu socket of this "
			      "namespace, every user's and TIME_WAIT's",
			      "built in and loaded: read the flags of %zu sockets of this "
			      "namespace, every user's and TIME_WAIT's", n), n);
	return 1;
}

static const struct {
	const char *name;
	probe_fn probe;
} features[] = {
	{ "user-namespaces", probe_userns },
	{ "sandbox", probe_netns },
	{ "pidfd_getfd", probe_pidfd_getfd },
	{ "bpf-flags", probe_bpf },
};

void version_print(FILE *f, const char *version)
{
	struct utsname u;

	fprintf(f, "socklab %s\n", version);
	if (uname(&u) == 0)
		fprintf(f, _("kernel: %s %s %s\n"), u.sysname, u.release, u.machine);
	else
		fprintf(f, _("kernel: unknown (uname: %s)\n"), strerror(errno));
	fprintf(f, _("features (probed now, as uid %u):\n"), (unsigned)geteuid());
	fflush(f);	/* the probes fork */
	for (size_t i = 0; i < sizeof features / sizeof features[0]; i++) {
		char why[256];
		int on = features[i].probe(why, sizeof why);

		fprintf(f, "  %-16s %-3s  %s\n", features[i].name, on ? "yes" : "no", why);
	}
}
