/* test_sockrow.c — the one writer of a socket row's cells
 * (render/sockrow.c), in each of its three forms.  Rows made by hand:
 * the words are tested, the kernel is the CLI tests'. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <cmocka.h>

#include "render/sockrow.h"

static struct inspect_sock timewait_row(void)
{
	struct inspect_sock s = {
		.family = AF_INET, .proto = IPPROTO_TCP, .state = TCP_TIME_WAIT,
		.lport = 5000, .rport = 41234, .timer = INSPECT_TIMER_TIMEWAIT,
		.expires_ms = 59150, .fd = -1, .reuseaddr = 1, .reuseport = 0,
		.broadcast = -1, .inherited = 1,
	};
	uint32_t a = htonl(0x7f000001);

	memcpy(&s.laddr, &a, 4);
	memcpy(&s.raddr, &a, 4);
	return s;
}

static const char *label(const void *ctx, int pid)
{
	(void)ctx;
	return pid == 42 ? "server" : NULL;
}

static const char *cell(enum sockrow_col k, const struct inspect_sock *s,
			const struct sockrow_opts *o)
{
	static char buf[128];

	sockrow_cell(buf, sizeof buf, k, s, 0, o);
	return buf;
}

static void a_timewait_row_in_each_form(void **state)
{
	struct inspect_sock s = timewait_row();
	struct sockrow_opts o = { .form = SOCKROW_LONG, .show_pids = 1 };

	(void)state;
	assert_string_equal(cell(SOCKROW_NET, &s, &o), "TCP");
	assert_string_equal(cell(SOCKROW_STATE, &s, &o), "TIME-WAIT");
	assert_string_equal(cell(SOCKROW_LOCAL, &s, &o), "127.0.0.1:5000");
	assert_string_equal(cell(SOCKROW_FLAGS, &s, &o), "reuseaddr,broadcast?,inherited");
	assert_string_equal(cell(SOCKROW_TIMER, &s, &o), "timewait 59.1s");
	assert_string_equal(cell(SOCKROW_OWNER, &s, &o), "-");
	o.form = SOCKROW_SHORT;
	assert_string_equal(cell(SOCKROW_FLAGS, &s, &o), "ra,bc?,inh");
	assert_string_equal(cell(SOCKROW_TIMER, &s, &o), "tw 59.1s");
	/* the dashboard: its legend's words, the countdown as it runs on */
	o.form = SOCKROW_PANE;
	o.ran_ms = 1000;
	assert_string_equal(cell(SOCKROW_NET, &s, &o), "tcp");
	assert_string_equal(cell(SOCKROW_FLAGS, &s, &o), "ra bc? inh");
	assert_string_equal(cell(SOCKROW_TIMER, &s, &o), "58.1s");
	assert_string_equal(cell(SOCKROW_OWNER, &s, &o), "(kernel)");
	o.ran_ms = 70000;
	assert_string_equal(cell(SOCKROW_TIMER, &s, &o), "0.0s");
	assert_string_equal(sockrow_timer_id(&s), "timewait");
	assert_string_equal(sockrow_net_id(&s), "tcp");
	assert_string_equal(sockrow_family_id(&s), "inet");
}

/* the interface a row is bound to, as the inspector named it when it
 * read the row; its number when the name was gone by then */
static void a_bound_device(void **state)
{
	struct inspect_sock s = timewait_row();
	struct sockrow_opts o = { .form = SOCKROW_LONG };

	(void)state;
	s.ifindex = 1;
	snprintf(s.ifname, sizeof s.ifname, "lo");
	assert_string_equal(cell(SOCKROW_FLAGS, &s, &o), "reuseaddr,broadcast?,inherited,dev=lo");
	s.ifname[0] = '\0';
	assert_string_equal(cell(SOCKROW_FLAGS, &s, &o), "reuseaddr,broadcast?,inherited,dev=1");
	o.form = SOCKROW_PANE;	/* the dashboard's column has no room for it */
	assert_string_equal(cell(SOCKROW_FLAGS, &s, &o), "ra bc? inh");
}

static void owners_and_marks(void **state)
{
	struct inspect_sock s = timewait_row();
	struct sockrow_opts o = { .form = SOCKROW_LONG, .show_pids = 1, .label = label };

	(void)state;
	s.pid = 42;
	s.fd = 3;
	s.timer = INSPECT_TIMER_NONE;
	snprintf(s.comm, sizeof s.comm, "sock\x01mix");
	assert_string_equal(cell(SOCKROW_OWNER, &s, &o), "server pid 42 fd 3");
	assert_string_equal(cell(SOCKROW_TIMER, &s, &o), "");
	assert_null(sockrow_timer_id(&s));
	o.form = SOCKROW_SHORT;
	assert_string_equal(cell(SOCKROW_OWNER, &s, &o), "server 42");
	s.pid = 7;	/* not a role: its command, one byte a column when asked */
	o.one_byte = 1;
	assert_string_equal(cell(SOCKROW_OWNER, &s, &o), "sock?mix 7");
	o.show_pids = 0;
	o.one_byte = 0;
	assert_string_equal(cell(SOCKROW_OWNER, &s, &o), "sock\x01mix");
	s.mark = INSPECT_NEW;
	assert_string_equal(cell(SOCKROW_MARK, &s, &o), "+");
	{
		char gone[8];

		sockrow_cell(gone, sizeof gone, SOCKROW_MARK, &s, 1, &o);
		assert_string_equal(gone, "-");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_timewait_row_in_each_form),
		cmocka_unit_test(owners_and_marks),
		cmocka_unit_test(a_bound_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
