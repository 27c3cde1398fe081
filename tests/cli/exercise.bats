#!/usr/bin/env bats
# exercise.bats — the exercises and their grader: the starter fails for the
# reason the exercise is about, the reference solution passes, and hostile
# or broken programs fail cleanly within the time limit, leaving nothing.

load helpers

setup() {
	common_setup
	command -v cc >/dev/null || skip "no C compiler"
	T="$BATS_TEST_TMPDIR"
}

# no process runs from the grader's copy of our program NAME (the grader
# names it after the source file)
no_program_left() {
	! pgrep -f "/tmp/socklab-exercise-.*/$1\$" >/dev/null || {
		ps -ef | grep '[s]ocklab-exercise' >&2; false; }
}

@test "exercise list, show and start" {
	run "$SOCKLAB" exercise list
	[ "$status" -eq 0 ]
	[[ "$output" == *"01  fixed-source-port"* ]]
	run "$SOCKLAB" exercise show 1
	[ "$status" -eq 0 ]
	[[ "$output" == *"What the grader checks"* ]]
	run "$SOCKLAB" exercise start 1 "$T"
	[ "$status" -eq 0 ]
	[ -f "$T/ex01.c" ]
	run --separate-stderr "$SOCKLAB" exercise start 1 "$T"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"not overwriting"* ]]
}

@test "exercise 01: the starter fails on the source port (the kernel picked one), the solution passes" {
	"$SOCKLAB" exercise start 1 "$T" >/dev/null
	run "$SOCKLAB" exercise check 1 "$T/ex01.c"
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"✔ a datagram \"hello\" arrives at 127.0.0.1:6000"* ]]
	[[ "$output" == *"✘ it comes from port 5000"* ]]
	[[ "$output" =~ observed:\ it\ came\ from\ 127\.0\.0\.1:([0-9]+) ]]
	[ "${BASH_REMATCH[1]}" -ne 5000 ]
	[[ "$output" == *"revisit: socklab run 2 (implicit-bind)"* ]]
	run "$SOCKLAB" exercise check 1 exercises/solutions/01-fixed-source-port.c --tap
	[ "$status" -eq 0 ] || { show_output; false; }
	[ "$(grep -c "^ok " <<< "$output")" -eq 5 ]
	! grep -q '^not ok' <<< "$output" || false
}

@test "exercise 02: the starter's second bind fails (EADDRINUSE, in its own words), the solution passes" {
	run "$SOCKLAB" exercise check 2 exercises/02-two-sockets-one-port/starter.c
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"✘ the program exits with status 0 within 5 s"* ]]
	[[ "$output" == *"observed: exit status 1; it said: bind second: Address already in use"* ]]
	[[ "$output" == *"✘ \"two\" arrives at 127.0.0.1:6000 from port 5000"* ]]
	[[ "$output" == *"✘ two sockets of the program hold port 5000 at the same time"* ]]
	[[ "$output" == *"revisit: socklab run 6 (reuse-both-sides)"* ]]
	# the true rule, nowhere the old one
	[[ "$output" != *"on both sockets before either binds"* ]] || { show_output; false; }
	run "$SOCKLAB" exercise check 2 exercises/solutions/02-two-sockets-one-port.c
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "${lines[-1]}" == "6 of 6 criteria met, 10 of 10 points (exercise 02 two-sockets-one-port)" ]]
}

@test "exercise 02: the sockets held at once and their flags come from the kernel" {
	# one socket sending both datagrams: the kernel shows one socket, flags off
	run "$SOCKLAB" exercise check 2 tests/exercises/02-two-sockets-one-port/wrong-one-socket.c
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"✔ \"two\" arrives at 127.0.0.1:6000 from port 5000"* ]]
	[[ "$output" == *"1 socket of the program on port 5000: 127.0.0.1:5000 (fd 3: SO_REUSEADDR off, SO_REUSEPORT off)"* ]] ||
		{ show_output; false; }
}

# Exercises 03-08: the starter fails the criterion the exercise is about,
# with what the kernel showed; the instructor's solution meets them all.
# Copies under names of this test's own, so no_program_left looks at ours.
# exercise_case N 'criterion the starter fails' 'what the grader observed'...
exercise_case() {
	local n=$1 dir name
	shift
	dir=$(cd exercises && echo "$n"-*)
	name="ex$n-$$"
	cp "exercises/$dir/starter.c" "$T/$name.c"
	run "$SOCKLAB" exercise check "$n" "$T/$name.c"
	[ "$status" -eq 1 ] || { show_output; false; }
	for want in "$@"; do
		[[ "$output" == *"$want"* ]] || { echo "missing: $want"; show_output; false; }
	done
	[[ "$output" == *"revisit: socklab run "* ]] || { show_output; false; }
	no_program_left "$name"
	cp "exercises/solutions/$dir.c" "$T/$name-solved.c"
	run "$SOCKLAB" exercise check "$n" "$T/$name-solved.c" --tap
	[ "$status" -eq 0 ] || { show_output; false; }
	[ "$(grep -c '^not ok' <<< "$output")" -eq 0 ] || { show_output; false; }
	[[ "$output" == *"ok "*" - nothing is sent off the machine"* ]]
	no_program_left "$name-solved"
}

@test "exercise 03: the second receiver cannot bind, one echo per datagram; the solution passes" {
	exercise_case 03 "✘ instance B exits with status 0" "it said: bind: Address already in use" \
		"✘ each instance holds its own socket on port 7000, a member of 239.1.2.3 on lo" \
		"observed: B holds no socket on it; A fd 3: lo" \
		"✘ the stream reaches both instances' sockets" "copies queued for: A yes, B no" \
		"✘ each datagram of the stream is echoed twice" "echoes: m1: 1, m2: 1, m3: 1" \
		"✔ instance A exits with status 0"
}

@test "exercise 09: exercise 03's receiver on two hosts hears nothing: joined on lo, no report, no echo" {
	exercise_case 09 "✘ on each host the program holds a socket on port 7000, a member of 239.1.2.3 on eth0" \
		"observed: h1: lo; h2: lo" \
		"✘ each host told the link it joined" "reports seen: h1 no, h2 no" \
		"✘ each datagram of the stream is echoed once from each host" \
		"echoes on the wire: h1 m1: 0, h1 m2: 0, h1 m3: 0, h2 m1: 0"
}

@test "exercise 10: the story's two sockets: the tracker learns the client's port; the solution passes" {
	command -v nft >/dev/null || skip "no nft(8) here (nftables): the grader's router needs it"
	exercise_case 10 "✘ the program holds one UDP socket, bound to port 6881" \
		"observed: 2 UDP sockets: 0.0.0.0:6881, 0.0.0.0:" \
		"✘ the tracker saw the announce come from port 6881" "observed: the tracker saw 10.1.0.1:" \
		"✘ every datagram the program sent left alice from port 6881" \
		"✔ the peer got hello from the address and port the tracker saw" \
		"✔ the program exits with status 0"
}

@test "exercise 03: a join on no interface is named: the kernel put it on up0" {
	run "$SOCKLAB" exercise check 3 tests/exercises/03-multicast-two-receivers/wrong-join-any-interface.c
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" =~ observed:\ (A|B)\ fd\ [0-9]+:\ up0\;\ (A|B)\ fd\ [0-9]+:\ up0 ]] || { show_output; false; }
	[[ "$output" == *"the join went to another interface"* ]]
}

@test "exercise 04: the story's client-only SO_REUSEADDR: the kernel shows the server without it; one socket passes" {
	exercise_case 04 "✘ the request \"hello\" arrives at 127.0.0.1:6000 from port 5000" \
		"observed: nothing arrived; it said: client bind: Address already in use" \
		"the kernel shows the server's socket holding 0.0.0.0:5000 with SO_REUSEADDR off" \
		"revisit: socklab run 7 (the-story)" \
		"✔ no socket of the program on port 5000 sets SO_REUSEADDR"
}

@test "exercise 04: the story's own fix (SO_REUSEADDR on both) fails, naming the flag the kernel holds" {
	run "$SOCKLAB" exercise check 4 tests/exercises/04-the-story/wrong-reuseaddr-both.c
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"✔ the request \"hello\" arrives at 127.0.0.1:6000 from port 5000"* ]]
	[[ "$output" == *"✘ no socket of the program on port 5000 sets SO_REUSEADDR"*"observed: 0.0.0.0:5000 (fd 3: SO_REUSEADDR on, SO_REUSEPORT off)"* ]] ||
		{ show_output; false; }
	[[ "$output" == *"revisit: socklab run 9 (port-hijack)"* ]]
}

@test "exercise 04: a socket whose flags cannot be read is \"unknown\", neither passed nor failed" {
	# the service socket sent into a unix socket and closed: it lives on
	# in flight, in no process's descriptor table, so no flag can be read
	cat > "$T/hide-$$.c" <<'C'
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
int main(void)
{
	struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(5000) };
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons(6000),
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_DGRAM, 0), on = 1, pair[2];
	char c = 0, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof ctl };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	bind(s, (struct sockaddr *)&any, sizeof any);
	sendto(s, "hello", 5, 0, (struct sockaddr *)&peer, sizeof peer);
	/* the socket in flight, in no descriptor table: nobody owns it */
	socketpair(AF_UNIX, SOCK_DGRAM, 0, pair);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &s, sizeof s);
	sendmsg(pair[0], &m, 0);
	close(s);
	sleep(1);
	return 0;
}
C
	run "$SOCKLAB" exercise check 4 "$T/hide-$$.c"
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"- no socket of the program on port 5000 sets SO_REUSEADDR"*"(not checked: unknown: 1 socket on port 5000 could not be read (no process of the sandbox has it open))"* ]] ||
		{ show_output; false; }
	[[ "$output" != *"✔ no socket of the program on port 5000 sets SO_REUSEADDR"* ]]
	no_program_left "hide-$$"
}

@test "exercise 05: SO_REUSEADDR gives every datagram to one worker; the solution spreads them" {
	exercise_case 05 "✘ four sockets of the program share 127.0.0.1:7000, each with SO_REUSEPORT" \
		"fd 3: SO_REUSEPORT off, SO_REUSEADDR on" "✔ all 64 queries are answered" \
		"✘ the kernel spread them: each of the four sockets' receive queues took some" \
		"observed: queries queued per socket: fd 3 0, fd 4 0, fd 5 0, fd 6 64"
}

@test "exercise 06: the restart's bind fails during TIME-WAIT, the first run's flag named; the solution restarts" {
	exercise_case 06 "✔ its connection is in TIME-WAIT on port 7100 when the second run starts" \
		"✔ nothing of the first run listens on 7100 once it has exited" \
		"✘ the second run listens on 7100 at once" \
		"the first run's listener had SO_REUSEADDR off (kernel), so its TIME-WAIT inherited off" \
		"Connection refused" "it said: bind: Address already in use"
}

@test "exercise 07: 0.0.0.0 and [::] on one port collide; the solution takes both families" {
	exercise_case 07 "✘ an IPv6 client ([::1]:7200) reads \"hi\"" \
		"it said: bind [::]:7200: Address already in use" "listening: no listener" \
		"- with net.ipv6.bindv6only = 1 too"
}

@test "exercise 08: the fifth bind(127.0.0.2:0) fails with four ports; the solution opens eight" {
	exercise_case 08 "✘ four connections reach each server at once" \
		"observed: 2 on :7300, 2 on :7301, from 4 source ports" "✔ every connection comes from 127.0.0.2" \
		"✔ every source port is one of ip_local_port_range" \
		"✘ eight connections from the program are open at the same time" \
		"bind 127.0.0.2:0: Address already in use"
}

@test "a submission that loops forever fails within the time limit and leaves nothing" {
	printf 'int main(void) { for (;;) ; }\n' > "$T/loop-$$.c"
	start=$(date +%s)
	run "$SOCKLAB" exercise check 1 "$T/loop-$$.c"
	[ "$status" -eq 1 ] || { show_output; false; }
	[ $(( $(date +%s) - start )) -le 10 ]
	[[ "$output" == *"✘ the program exits with status 0 within 5 s"*"still running after 5 s: killed"* ]]
	no_program_left "loop-$$"
}

@test "a submission that sleeps, in every exercise, is stopped at the time limit and reported late" {
	# not CPU (RLIMIT_CPU would not stop it): the grader's own deadline,
	# in the loops that drive a running program too (04 waits for a
	# datagram, 08 accepts connections, 03 and 06 run it twice)
	cat > "$T/sleeper-$$.c" <<'C'
#include <unistd.h>
int main(void)
{
	sleep(30);
	return 0;
}
C
	start=$(date +%s)
	for n in 1 2 3 4 5 6 7 8 9 10; do
		"$SOCKLAB" exercise check $n "$T/sleeper-$$.c" > "$T/out-$n" 2>&1 &
	done
	wait
	[ $(( $(date +%s) - start )) -le 20 ]
	for n in 1 2 3 4 5 6 7 8 9 10; do
		grep -q 'within 5 s' "$T/out-$n" || { cat "$T/out-$n"; false; }
		! grep -q '✔ .*exits with status 0 within 5 s' "$T/out-$n" || { cat "$T/out-$n"; false; }
		grep -q 'still running after 5 s: killed' "$T/out-$n" || { cat "$T/out-$n"; false; }
	done
	no_program_left "sleeper-$$"
}

@test "the grader leaves nothing in /tmp, and the program inherits no descriptor of ours" {
	cat > "$T/fds-$$.c" <<'C'
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int extra = 0;

	while ((e = readdir(d)) != NULL)
		if (atoi(e->d_name) > 2 && atoi(e->d_name) != dirfd(d))
			printf("fd %s ", e->d_name), extra++;
	return extra ? 3 : 0;
}
C
	before=$(ls -d /tmp/socklab-exercise-* 2>/dev/null | wc -l)
	# an extra descriptor of the caller's must not reach the program
	run "$SOCKLAB" exercise check 1 "$T/fds-$$.c" 7< /dev/null 9> "$T/junk"
	[[ "$output" == *"✔ the program exits with status 0 within 5 s"* ]] || { show_output; false; }
	after=$(ls -d /tmp/socklab-exercise-* 2>/dev/null | wc -l)
	[ "$after" -le "$before" ]
}

@test "a crashing submission fails with the signal named" {
	printf 'int main(void) { volatile int *p = 0; return *p; }\n' > "$T/crash-$$.c"
	run "$SOCKLAB" exercise check 1 "$T/crash-$$.c"
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"killed by signal 11"* ]]
	no_program_left "crash-$$"
}

@test "a forking submission (children that outlive it, a new session) leaves nothing" {
	cat > "$T/forks-$$.c" <<'C'
#include <unistd.h>
int main(void)
{
	for (int i = 0; i < 200; i++)
		if (fork() == 0) {
			setsid();
			for (;;)
				pause();
		}
	return 0;
}
C
	run "$SOCKLAB" exercise check 1 "$T/forks-$$.c"
	[ "$status" -eq 1 ] || { show_output; false; }
	sleep 0.2
	no_program_left "forks-$$"
}

@test "a submission that floods its output is cut, graded on what it did, and fast" {
	cat > "$T/spam-$$.c" <<'C'
#include <stdio.h>
int main(void)
{
	for (long i = 0; i < 10000000; i++)
		puts("spam spam spam");
	return 3;
}
C
	start=$(date +%s)
	run "$SOCKLAB" exercise check 1 "$T/spam-$$.c"
	[ "$status" -eq 1 ] || { show_output; false; }
	[ $(( $(date +%s) - start )) -le 10 ]
	[[ "$output" == *"observed: exit status 3; it said: spam spam"* ]]
	[ "${#output}" -lt 4000 ]
	no_program_left "spam-$$"
}

@test "a submission that does not compile: the compiler's messages, exit 1" {
	printf 'int main(void) { return nope; }\n' > "$T/broken.c"
	run "$SOCKLAB" exercise check 1 "$T/broken.c"
	[ "$status" -eq 1 ]
	[[ "$output" == *"nope"* ]]
	[[ "$output" == *"✘ the program compiles"* ]]
	[[ "$output" == *"observed: $T/broken.c:1:"*"error:"*"nope"* ]]
}

@test "exercise with bad input: one line on stderr, exit 2" {
	printf 'hello\n' > "$T/notc.txt"
	for args in "" "bogus" "show" "show 99" "check 1" "check 99 x.c" "check 1 $T/missing.c" \
		"check 1 $T/notc.txt" "check 1 $T" "list extra" "start" "check 1 x.c --tap extra"; do
		run --separate-stderr "$SOCKLAB" exercise $args
		[ "$status" -eq 2 ] || { echo "args: $args"; show_output; false; }
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || { echo "args: $args"; show_output; false; }
	done
}

@test "a submission that sends off the machine fails 'nothing is sent off the machine', naming the packet" {
	cat > "$T/leak.c" <<'C'
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
int main(void)
{
	struct sockaddr_in d = { .sin_family = AF_INET, .sin_port = htons(53) };
	struct sockaddr_in6 d6 = { .sin6_family = AF_INET6, .sin6_port = htons(443) };
	int s = socket(AF_INET, SOCK_DGRAM, 0), s6 = socket(AF_INET6, SOCK_DGRAM, 0);

	inet_pton(AF_INET, "198.51.100.7", &d.sin_addr);
	inet_pton(AF_INET6, "2001:db8:5::7", &d6.sin6_addr);
	sendto(s, "x", 1, 0, (struct sockaddr *)&d, sizeof d);
	sendto(s6, "x", 1, 0, (struct sockaddr *)&d6, sizeof d6);
	return 0;
}
C
	run "$SOCKLAB" exercise check 1 "$T/leak.c" --tap
	[ "$status" -eq 1 ] || { show_output; false; }
	[[ "$output" == *"not ok 5 - nothing is sent off the machine"*": 2 packets left: the first UDP to 198.51.100.7:53"* ]]
	# and the reference solution sends nothing there
	run "$SOCKLAB" exercise check 1 exercises/solutions/01-fixed-source-port.c --tap
	[[ "$output" == *"ok 5 - nothing is sent off the machine"* ]]
	[[ "$output" != *"# SKIP"* ]]
}

@test "exercise check without a C compiler: one line, exit 2, not a failed criterion" {
	mkdir -p "$BATS_TEST_TMPDIR/ex"
	cp exercises/01-*/starter.c "$BATS_TEST_TMPDIR/ex/x.c"
	run --separate-stderr env PATH="$BATS_TEST_TMPDIR/nothing" "$SOCKLAB" exercise check 1 "$BATS_TEST_TMPDIR/ex/x.c"
	[ "$status" -eq 2 ] || { show_output; false; }
	[ "$stderr" = "socklab exercise: no C compiler: cc is not on PATH (Debian: apt-get install gcc libc6-dev)" ]
	[ -z "$output" ]
}
