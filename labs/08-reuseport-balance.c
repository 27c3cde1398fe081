/* Lab 08 — A SO_REUSEPORT group balances by flow.
 *
 * What it shows: four sockets that all set SO_REUSEPORT before bind() share
 * 127.0.0.1:5000 as one group.  Unlike SO_REUSEADDR sharing (lab 06, where
 * the last bound socket gets every unicast datagram), the kernel spreads
 * datagrams over the group: it hashes the flow (source address and port,
 * destination address and port) and picks a member with that hash.  Each
 * datagram goes to exactly one member; a new source port is a new flow and
 * may land elsewhere, while one flow always lands on the same member.
 *
 * The hash picks a slot by the group's size, so the mapping holds only as
 * long as the group does: when a member leaves (or one joins), flows move
 * between the members that stayed, not only off the one that left
 * (measured on 6.18: about half of 40 flows).  A reuseport group is no
 * way to keep a conversation on one socket across a restart.
 *
 * The group has a guard: a socket may join only if it belongs to the same
 * user (effective uid at socket creation) as the group.  A process of
 * another user gets EADDRINUSE.  That part needs a second uid, which an
 * unprivileged sandbox does not have: it is skipped there.
 *
 * Watch the table: four rows on 127.0.0.1:5000 with the flag rp after
 * step 1; the stranger's socket never appears, as it never gets bound. */
#include <poll.h>
#include <stdio.h>

#include "lab/lab.h"

LAB(8, "reuseport-balance", "A SO_REUSEPORT group balances by flow",
    "SO_REUSEPORT group: datagrams spread by flow hash; same uid required");

#define GROUP 4
#define SENDS 200	/* well under what one socket can queue (~256 small datagrams) */
#define FLOWS 40	/* fixed source sockets: one four-tuple each */

/* Which member of the group the flow sender's next datagram reaches:
 * its index, or -1 when it reached none (or more than one) in a second. */
static int member_of(int flow, const int *group, int n, const struct sockaddr_in *a)
{
	struct pollfd pfd[GROUP + 1];
	int seq = 0, who = -1, got = 0;

	if (sendto(flow, &seq, sizeof seq, 0, (const struct sockaddr *)a, sizeof *a) != sizeof seq)
		return -1;
	for (int i = 0; i < n; i++)
		pfd[i] = (struct pollfd){ .fd = group[i], .events = POLLIN };
	if (poll(pfd, (nfds_t)n, 1000) <= 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (group[i] >= 0 && recv(group[i], &seq, sizeof seq, MSG_DONTWAIT) == sizeof seq)
			who = i, got++;
	return got == 1 ? who : -1;
}

/* Read everything queued on the group, waiting up to a second for
 * stragglers while fewer than `want` arrived; count per member. */
static int drain(const int *group, int *count, int *seen, int want)
{
	struct pollfd pfd[GROUP];
	int got = 0, seq;

	for (int i = 0; i < GROUP; i++)
		pfd[i] = (struct pollfd){ .fd = group[i], .events = POLLIN };
	while (got < want && poll(pfd, GROUP, 1000) > 0)
		for (int i = 0; i < GROUP; i++)
			while (recv(group[i], &seq, sizeof seq, MSG_DONTWAIT) == sizeof seq) {
				count[i]++;
				got++;
				if (seen && seq >= 0 && seq < SENDS)
					seen[seq]++;
			}
	return got;
}

int main(void)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int group[GROUP], count[GROUP] = { 0 }, seen[SENDS] = { 0 };
	int on = 1, sent = 0, got, once = 0, used = 0, most = 0;
	int one, stranger, flows[FLOWS], before[FLOWS], after[FLOWS];
	int opened, reached, moved, lost, to_new, stayed;
	int other = lab_other_uid(), me = (int)getuid();

	ROLE("group") {
		STEP("Four sockets set SO_REUSEPORT and bind 127.0.0.1:%d",
		     "every member sets SO_REUSEPORT before bind(): together they form one group",
		     LAB_PORT);
		for (int i = 0; i < GROUP; i++) {
			group[i] = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
			EXPECT_OK(setsockopt(group[i], SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
			EXPECT_OK(bind(group[i], (struct sockaddr *)&a, sizeof a));
		}

		STEP("Send 200 datagrams to 127.0.0.1:%d, each from a new source port",
		     "a fresh socket's first sendto() binds a new ephemeral port: a new flow each time",
		     LAB_PORT);
		CLAIM("reuseport-flow-hash");
		opened = 0;
		for (int seq = 0; seq < SENDS; seq++) {
			int s = socket(AF_INET, SOCK_DGRAM, 0);

			opened += s >= 0;	/* 200 sockets: counted, not one line each */
			if (sendto(s, &seq, sizeof seq, 0, (struct sockaddr *)&a, sizeof a) == sizeof seq)
				sent++;
			close(s);
		}
		EXPECT_TRUE(opened == SENDS);
		EXPECT_TRUE(sent == SENDS);
		got = drain(group, count, seen, sent);
		for (int seq = 0; seq < SENDS; seq++)
			once += seen[seq] == 1;
		for (int i = 0; i < GROUP; i++)
			used += count[i] > 0;
		NOTE("per socket: %d, %d, %d, %d (of %d received)",
		     count[0], count[1], count[2], count[3], got);
		EXPECT_TRUE(got == SENDS && once == SENDS);
		EXPECT_TRUE(used > 1);
		if (AS_EXPECTED())
			NOTE("every datagram reached exactly one member, and %d members shared "
			     "the load: the flow hash chose", used);

		STEP("Send 20 datagrams from one socket, one source port",
		     "same four-tuple, same hash: the same member every time");
		one = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		memset(count, 0, sizeof count);
		sent = 0;
		for (int seq = 0; seq < 20; seq++)
			if (sendto(one, &seq, sizeof seq, 0, (struct sockaddr *)&a, sizeof a) == sizeof seq)
				sent++;
		EXPECT_TRUE(sent == 20);
		got = drain(group, count, NULL, sent);
		for (int i = 0; i < GROUP; i++)
			most = count[i] > most ? count[i] : most;
		NOTE("per socket: %d, %d, %d, %d", count[0], count[1], count[2], count[3]);
		EXPECT_TRUE(got == 20 && most == 20);
		if (AS_EXPECTED())
			NOTE("one flow stays on one member: that keeps a conversation's order");

		STEP("40 fixed senders, one datagram each: note the member each flow reaches",
		     "forty four-tuples, each hashed to one member of the four");
		reached = opened = 0;
		for (int f = 0; f < FLOWS; f++) {
			flows[f] = socket(AF_INET, SOCK_DGRAM, 0);
			opened += flows[f] >= 0;
			before[f] = member_of(flows[f], group, GROUP, &a);
			reached += before[f] >= 0;
		}
		EXPECT_TRUE(opened == FLOWS);
		EXPECT_TRUE(reached == FLOWS);

		STEP("Member 2 leaves the group (close); the same 40 senders send again",
		     "the hash picks a slot by the group's size: a smaller group re-maps flows");
		CLAIM("reuseport-rehash");
		EXPECT_OK(close(group[1]));
		group[1] = -1;
		reached = moved = lost = 0;
		for (int f = 0; f < FLOWS; f++) {
			after[f] = member_of(flows[f], group, GROUP, &a);
			reached += after[f] >= 0;
			if (before[f] == 1)
				lost++;
			else if (after[f] != before[f])
				moved++;
		}
		EXPECT_TRUE(reached == FLOWS);
		NOTE("%d flows were on member 2; of the other %d, %d moved to another member",
		     lost, FLOWS - lost, moved);
		EXPECT_TRUE(moved > 0);
		if (AS_EXPECTED())
			NOTE("flows between members that stayed moved too: the group re-hashed");

		STEP("A new member joins; the same 40 senders send again",
		     "a larger group re-maps flows as well");
		CLAIM("reuseport-rehash");
		group[1] = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(group[1], SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
		EXPECT_OK(bind(group[1], (struct sockaddr *)&a, sizeof a));
		reached = to_new = stayed = 0;
		for (int f = 0; f < FLOWS; f++) {
			before[f] = after[f];
			after[f] = member_of(flows[f], group, GROUP, &a);
			reached += after[f] >= 0;
			to_new += after[f] == 1;
			stayed += after[f] == before[f];
		}
		EXPECT_TRUE(reached == FLOWS);
		NOTE("%d flows went to the newcomer, %d stayed where they were, %d moved "
		     "between the old members", to_new, stayed, FLOWS - to_new - stayed);
		EXPECT_TRUE(to_new > 0 && FLOWS - to_new - stayed > 0);
		for (int f = 0; f < FLOWS; f++)
			close(flows[f]);
	}

	ROLE("stranger") {
		STEP("A process of another user sets SO_REUSEPORT and binds 127.0.0.1:%d",
		     "a reuseport group admits only sockets of the user who owns it", LAB_PORT);
		CLAIM("reuseport-same-uid");
		if (other < 0) {
			SKIP("no second user id: an unprivileged sandbox maps only one "
			     "(run as root to see the uid check)");
			break;
		}
		/* the kernel compares the uid recorded when the socket is created
		 * (sock_i_uid), so switch user first, then create the socket */
		EXPECT_OK(setresuid(other, other, other));
		stranger = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(stranger, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
		EXPECT_ERR(EADDRINUSE, bind(stranger, (struct sockaddr *)&a, sizeof a));
		if (AS_EXPECTED())
			NOTE("uid %d may not join a group of uid %d: otherwise any user could "
			     "bind into a service's group and take a share of its traffic", other, me);
	}

	return lab_end();
}
