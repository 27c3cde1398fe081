/* test_probe.c — what the doctor reads from the host: the sysctls (from
 * a proc root made here), the sockets on a port (this process's own, on
 * loopback), and the real bind the kernel answers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "doctor/probe.h"

static struct rules_sock udp_lo(uint16_t port)
{
	struct rules_sock c;

	memset(&c, 0, sizeof c);
	c.family = AF_INET;
	c.proto = IPPROTO_UDP;
	c.state = TCP_CLOSE;
	inet_pton(AF_INET, "127.0.0.1", &c.addr);
	c.port = port;
	c.uid = (uint32_t)geteuid();
	return c;
}

/* A UDP socket on 127.0.0.1, port chosen by the kernel; *port its port. */
static int bound_udp(int reuseaddr, uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), on = 1;

	assert_true(fd >= 0);
	if (reuseaddr)
		assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on), 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* the sysctls come from the proc root (as the inspector's /proc does);
 * the IPv6 nonlocal bind applies to a real IPv6 address only */
static void host_sysctls_from_the_proc_root(void **state)
{
	char root[] = "/tmp/test_probe.XXXXXX", d[600];
	struct rules_sock c = udp_lo(5000);
	static struct probe_host h;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(d, sizeof d, "%s/sys", root);
	mkdir(d, 0700);
	snprintf(d, sizeof d, "%s/sys/net", root);
	mkdir(d, 0700);
	snprintf(d, sizeof d, "%s/sys/net/ipv4", root);
	mkdir(d, 0700);
	put(d, "ip_unprivileged_port_start", "80\n");
	put(d, "ip_nonlocal_bind", "1\n");
	setenv("SOCKLAB_PROC_ROOT", root, 1);
	memset(&h, 0, sizeof h);
	probe_read_host(&c, &h);
	assert_int_equal(h.host.unprivileged_port_start, 80);
	assert_int_equal(h.host.freebind, 1);
	assert_true(h.host.naddrs <= PROBE_MAX_ADDRS);
	assert_true(h.host.addrs == NULL || h.host.addrs == h.addrs);
	c.family = AF_INET6;
	inet_pton(AF_INET6, "::1", &c.addr);
	memset(&h, 0, sizeof h);
	probe_read_host(&c, &h);
	assert_int_equal(h.host.freebind, 0);	/* no net/ipv6/ip_nonlocal_bind: off */
	unsetenv("SOCKLAB_PROC_ROOT");
	put(d, "ip_unprivileged_port_start", "");	/* unreadable: the default */
	setenv("SOCKLAB_PROC_ROOT", root, 1);
	memset(&h, 0, sizeof h);
	probe_read_host(&c, &h);
	assert_int_equal(h.host.unprivileged_port_start, 1024);
	unsetenv("SOCKLAB_PROC_ROOT");
	snprintf(d, sizeof d, "rm -r '%s'", root);
	assert_int_equal(system(d), 0);
}

/* our own socket on the port: found, owned by us, flags read; the bind
 * beside it is the kernel's EADDRINUSE, on a free port success */
static void our_socket_on_the_port_and_the_real_bind(void **state)
{
	struct probe_port p = { 0 };
	uint16_t port;
	int fd, nl = inspect_open();
	struct rules_sock c;

	(void)state;
	if (nl < 0)
		skip();		/* no sock_diag here (test_inspect says why) */
	close(nl);
	fd = bound_udp(0, &port);
	c = udp_lo(port);
	assert_int_equal(probe_read_port(&c, &p), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.ex[0].port, port);
	assert_int_equal(p.ex[0].reuseaddr, probe_port_row(&p, 0)->reuseaddr);
	assert_int_equal(probe_port_row(&p, 0)->pid, getpid());
	assert_int_equal(probe_port_row(&p, 0)->fd, fd);
	probe_port_free(&p);
	assert_int_equal(probe_bind(&c, 0), EADDRINUSE);
	c.reuseaddr = 1;
	assert_int_equal(probe_bind(&c, 0), EADDRINUSE);	/* this side alone */
	close(fd);
	assert_int_equal(probe_bind(&c, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(host_sysctls_from_the_proc_root),
		cmocka_unit_test(our_socket_on_the_port_and_the_real_bind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
