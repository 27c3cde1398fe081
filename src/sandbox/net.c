/* net.c — a small network inside a sandbox: hosts (network namespaces
 * held by keeper processes), switches (bridges in the caller's namespace)
 * and the veth pairs between them (sandbox.h).  lab/hosts.c gives labs
 * these with names and events; the exercise graders use them as they
 * are. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "sandbox.h"

void sandbox_links_without_ipv6(void)
{
	int fd = open("/proc/sys/net/ipv6/conf/default/disable_ipv6", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;	/* no IPv6 here at all */
	if (write(fd, "1", 1) != 1) {
		/* the links then carry IPv6's chatter too: noise, no error */
	}
	close(fd);
}

pid_t sandbox_host_new(void)
{
	pid_t parent = getpid(), pid;
	int ready[2], err = 0;

	if (pipe2(ready, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(ready[0]);
		close(ready[1]);
		errno = err;
		return -1;
	}
	if (pid == 0) {
		const char *what;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		if (sandbox_enter(&what) < 0)
			err = errno;
		else
			sandbox_links_without_ipv6();
		if (write(ready[1], &err, sizeof err) != sizeof err || err)
			_exit(1);
		/* hold nothing of the caller's: a pipe's EOF (a lab's control
		 * pipe) must not wait for a keeper */
		close_range(3, ~0U, 0);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (read(ready[0], &err, sizeof err) != sizeof err)
		err = ECHILD;
	close(ready[0]);
	if (err) {
		waitpid(pid, NULL, 0);
		errno = err;
		return -1;
	}
	return pid;
}

int sandbox_switch(const char *sw)
{
	char cmd[160];

	/* a bridge's ports forward at once: no spanning tree unless asked */
	snprintf(cmd, sizeof cmd, "ip link add %s type bridge && ip link set %s up", sw, sw);
	return sandbox_sh(cmd);
}

/* Wait (up to 5 s) until switch port ifname runs: the kernel's link
 * watcher has seen both ends up and the bridge forwards on it.  Until
 * then the bridge drops what the port carries; on a loaded machine the
 * watcher runs late, and a lab's first datagram was lost (30 checks at
 * once on 2 cores: about one in fifteen runs of lab 22). */
static int port_running(const char *ifname)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = -1;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	errno = ETIMEDOUT;	/* unless an ioctl says otherwise */
	for (int i = 0; i < 1000; i++) {
		if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
			break;
		if (ifr.ifr_flags & IFF_RUNNING) {
			/* the watcher sets the flag and tells the bridge under one
			 * hold of the RTNL lock: setting the flags again waits for
			 * that hold to end */
			ret = ioctl(fd, SIOCSIFFLAGS, &ifr);
			break;
		}
		usleep(5000);
		errno = ETIMEDOUT;
	}
	{
		int err = errno;

		close(fd);
		errno = err;
	}
	return ret;
}

int sandbox_plug(const char *host, pid_t pid, int n, const char *sw, const char *addr)
{
	char cmd[320], port[IFNAMSIZ];

	snprintf(cmd, sizeof cmd,
		 "ip link add %s-eth%d type veth peer name eth%d netns %d && "
		 "ip link set %s-eth%d master %s up", host, n, n, (int)pid, host, n, sw);
	if (sandbox_sh(cmd) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "ip addr add %s dev eth%d && ip link set eth%d up", addr, n, n);
	if (sandbox_sh_at(pid, cmd) < 0)
		return -1;
	snprintf(port, sizeof port, "%s-eth%d", host, n);
	return port_running(port);
}

int sandbox_nat(pid_t pid, const char *ifname)
{
	char cmd[320];

	/* forwarding on in the host's own copy of the setting, then one
	 * nftables rule: what leaves ifname takes the host's address there */
	snprintf(cmd, sizeof cmd, "echo 1 > /proc/sys/net/ipv4/ip_forward && "
		 "nft 'add table ip socklab; "
		 "add chain ip socklab post { type nat hook postrouting priority 100; }; "
		 "add rule ip socklab post oifname %s masquerade'", ifname);
	return sandbox_sh_at(pid, cmd);
}

int sandbox_join_host(pid_t pid)
{
	char path[64];
	const char *what;
	int fd = (int)syscall(SYS_pidfd_open, pid, 0), ret;

	/* a pidfd names the process in our PID namespace, whatever /proc
	 * shows (a grader is PID 1 of its own, under the host's /proc);
	 * setns() takes one since Linux 5.8 */
	if (fd >= 0) {
		ret = setns(fd, CLONE_NEWNET);
		close(fd);
		if (ret == 0 || errno != EINVAL)
			return ret;
	}
	snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
	return sandbox_join(path, &what);
}

void sandbox_host_end(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}
