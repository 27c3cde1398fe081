/* The hosts runtime held to the kernel: what lab_host() refuses, that a
 * role on a host sees that host's interfaces only, that two hosts on one
 * switch reach each other.  Run by tests/cli/hosts.bats. */
#include <ifaddrs.h>
#include <net/if.h>
#include <sys/time.h>

#include "lab/lab.h"

LAB(97, "hosts", "The hosts runtime", "lab_host's errors, a host's own interfaces, one switch");

/* How many interfaces this process's namespace has up, lo included */
static int interfaces_up(void)
{
	struct ifaddrs *ifs, *ifa;
	int n = 0;

	if (getifaddrs(&ifs) < 0)
		return -1;
	for (ifa = ifs; ifa; ifa = ifa->ifa_next)
		if (ifa->ifa_addr && ifa->ifa_addr->sa_family == AF_INET &&
		    (ifa->ifa_flags & IFF_UP))
			n++;
	freeifaddrs(ifs);
	return n;
}

int main(void)
{
	struct sockaddr_in b = { .sin_family = AF_INET, .sin_port = htons(LAB_PORT) };
	struct timeval wait = { 1, 0 };
	char buf[16];
	int fd = -1;

	if (!lab_sandboxed()) {
		EXPECT_ERR(EPERM, lab_host("a", "lan", "10.9.0.1/24"));
		SKIP("hosts are made in a sandbox only");
		return lab_end();
	}
	STEP("lab_host refuses what ip(8) must never see", "names and addresses are checked");
	EXPECT_ERR(EINVAL, lab_host("Bad!", "lan", "10.9.0.1/24"));
	EXPECT_ERR(EINVAL, lab_host("toolongname", "lan", "10.9.0.1/24"));
	EXPECT_ERR(EINVAL, lab_host("a", "lan;x", "10.9.0.1/24"));
	EXPECT_ERR(EINVAL, lab_host("a", "lan", "10.9.0.1"));
	EXPECT_ERR(EINVAL, lab_host("a", "lan", "10.9.0.1/24; reboot"));
	EXPECT_ERR(ENOENT, lab_host_cmd("nobody", "true"));
	EXPECT_ERR(ENOENT, lab_host_sysctl("nobody", "net.ipv4.ip_forward", "1"));

	STEP("Two hosts on one switch", "each its own namespace, one interface each");
	EXPECT_OK(lab_host("a", "lan", "10.9.0.1/24"));
	EXPECT_OK(lab_host("b", "lan", "10.9.0.2/24"));
	EXPECT_ERR(ENOENT, lab_host_cmd("a", "no-such-command-here"));
	EXPECT_ERR(EIO, lab_host_cmd("a", "false"));
	EXPECT_ERR(EPERM, lab_host_sysctl("a", "kernel.hostname", "x"));
	/* the sandbox itself has lo only up: the hosts' ends are ports */
	EXPECT_TRUE(interfaces_up() == 1);

	ROLE_ON("b", "server") {
		STEP("b binds 10.9.0.2:%d", "b's own address, in b's namespace", LAB_PORT);
		EXPECT_TRUE(interfaces_up() == 2);	/* lo and eth0 */
		fd = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
		inet_pton(AF_INET, "10.9.0.2", &b.sin_addr);
		EXPECT_OK(bind(fd, (struct sockaddr *)&b, sizeof b));
	}
	ROLE_ON("a", "client") {
		STEP("a sends to b; 10.9.0.2 is not a's", "the switch carries it");
		EXPECT_TRUE(interfaces_up() == 2);
		fd = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		inet_pton(AF_INET, "10.9.0.2", &b.sin_addr);
		EXPECT_ERR(EADDRNOTAVAIL, bind(fd, (struct sockaddr *)&b, sizeof b));
		EXPECT_OK(sendto(fd, "hi", 2, 0, (struct sockaddr *)&b, sizeof b));
	}
	ROLE_ON("b", "server") {
		STEP("b reads it", "from a's address");
		EXPECT_OK(recv(fd, buf, sizeof buf, 0));
	}
	return lab_end();
}
