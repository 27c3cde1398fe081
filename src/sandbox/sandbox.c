/* sandbox.c — enter a fresh network namespace with only lo up, and
 * configure it with ip(8) and friends (sandbox_sh). */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "sandbox.h"

static int write_file(const char *path, const char *text)
{
	int fd, ret = -1;
	size_t len = strlen(text);

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, text, len) == (ssize_t)len)
		ret = 0;
	close(fd);
	return ret;
}

/* Unprivileged: a user namespace owned by us, in which we are root, so the
 * network namespace created with it is ours to configure. */
static int enter_user_ns(const char **what)
{
	char map[64];
	uid_t uid = getuid();
	gid_t gid = getgid();

	*what = "unshare(CLONE_NEWUSER | CLONE_NEWNET)";
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		return -1;
	/* setgroups must be denied before an unprivileged gid_map write */
	*what = "write /proc/self/setgroups";
	if (write_file("/proc/self/setgroups", "deny") < 0 && errno != ENOENT)
		return -1;
	*what = "write /proc/self/uid_map";
	snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
	if (write_file("/proc/self/uid_map", map) < 0)
		return -1;
	*what = "write /proc/self/gid_map";
	snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
	if (write_file("/proc/self/gid_map", map) < 0)
		return -1;
	return 0;
}

/* Bring the loopback interface of the current namespace up. */
static int lo_up(void)
{
	struct ifreq ifr;
	int fd, ret = -1;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		goto out;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		goto out;
	ret = 0;
out:
	{
		int saved = errno;

		close(fd);
		errno = saved;
	}
	return ret;
}

int sandbox_enter(const char **what)
{
	const char *dummy;

	if (what == NULL)
		what = &dummy;
	if (geteuid() == 0) {
		*what = "unshare(CLONE_NEWNET)";
		if (unshare(CLONE_NEWNET) < 0)
			return -1;
	} else if (enter_user_ns(what) < 0) {
		return -1;
	}
	*what = "bring lo up";
	return lo_up();
}

int sandbox_join(const char *path, const char **what)
{
	int fd, ret;

	*what = "open";
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	*what = "setns";
	ret = setns(fd, CLONE_NEWNET);
	if (ret < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	return 0;
}

int sandbox_join_pid(int pid, const char **what)
{
	char path[64];
	struct stat theirs, ours;

	snprintf(path, sizeof path, "/proc/%d/ns/user", pid);
	*what = "stat the user namespaces";
	if (stat(path, &theirs) < 0 || stat("/proc/self/ns/user", &ours) < 0)
		return -1;
	if (theirs.st_ino != ours.st_ino || theirs.st_dev != ours.st_dev) {
		int fd = open(path, O_RDONLY | O_CLOEXEC), ret, saved;

		*what = "setns(CLONE_NEWUSER)";
		if (fd < 0)
			return -1;
		ret = setns(fd, CLONE_NEWUSER);
		saved = errno;
		close(fd);
		errno = saved;
		if (ret < 0)
			return -1;
	}
	snprintf(path, sizeof path, "/proc/%d/ns/net", pid);
	return sandbox_join(path, what);
}

const char *sandbox_advice(int err, int has_host)
{
	if (err != EPERM && err != ENOSPC && err != EACCES && err != EINVAL)
		return NULL;
	if (geteuid() == 0)
		return has_host ? "this looks like a container without CAP_SYS_ADMIN: grant it (docker "
				  "run --cap-add SYS_ADMIN --security-opt seccomp=unconfined "
				  "--security-opt apparmor=unconfined), or use --host for the real "
				  "loopback instead"
				: "this looks like a container without CAP_SYS_ADMIN: grant it (docker "
				  "run --cap-add SYS_ADMIN --security-opt seccomp=unconfined "
				  "--security-opt apparmor=unconfined)";
	/* ENOSPC: user.max_user_namespaces is 0 (or used up); EPERM/EACCES:
	 * kernel.unprivileged_userns_clone=0, or an LSM forbids it (Ubuntu
	 * 24.04's AppArmor: kernel.apparmor_restrict_unprivileged_userns) */
	return has_host ? "unprivileged user namespaces are disabled here: enable them (sysctl "
			  "user.max_user_namespaces > 0, kernel.unprivileged_userns_clone=1, "
			  "kernel.apparmor_restrict_unprivileged_userns=0), run as root, or use --host"
			: "unprivileged user namespaces are disabled here: enable them (sysctl "
			  "user.max_user_namespaces > 0, kernel.unprivileged_userns_clone=1, "
			  "kernel.apparmor_restrict_unprivileged_userns=0), or run as root";
}

/* The sandbox's tools (ip, nft) live in the sbin directories, which a
 * normal user's PATH often lacks (Debian's nft is only /usr/sbin/nft):
 * they go at its end. */
static void path_with_sbin(void)
{
	static const char *const sbin[] = { "/usr/local/sbin", "/usr/sbin", "/sbin" };
	const char *old = getenv("PATH");
	char path[4096];
	size_t n;

	snprintf(path, sizeof path, "%s", old && *old ? old : "/usr/local/bin:/usr/bin:/bin");
	for (size_t i = 0; i < sizeof sbin / sizeof sbin[0]; i++) {
		char with[64];

		snprintf(with, sizeof with, ":%s:", sbin[i]);
		n = strlen(path);
		/* already there: as ":dir:" inside ":PATH:" */
		{
			char framed[sizeof path + 2];

			snprintf(framed, sizeof framed, ":%s:", path);
			if (strstr(framed, with))
				continue;
		}
		snprintf(path + n, sizeof path - n, ":%s", sbin[i]);
	}
	setenv("PATH", path, 1);
}

int sandbox_sh(const char *cmd)
{
	return sandbox_sh_at(0, cmd);
}

int sandbox_sh_at(int ns_pid, const char *cmd)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (ns_pid > 0 && sandbox_join_host(ns_pid) < 0)
			_exit(126);
		path_with_sbin();

		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		/* sh says 127 for a command it did not find (nft not installed) */
		errno = WIFEXITED(st) && WEXITSTATUS(st) == 127 ? ENOENT : EIO;
		return -1;
	}
	return 0;
}
