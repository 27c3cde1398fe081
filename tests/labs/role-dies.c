/* A lab whose "server" role crashes in its first block: the runtime must
 * report it as a lab error and the consumer must not hang. */
#include <signal.h>

#include "lab/lab.h"

LAB(98, "role-dies", "A role that dies", "The checker reports a dead role");

int main(void)
{
	ROLE("server") {
		STEP("The server crashes", "on purpose");
		raise(SIGKILL);
	}
	ROLE("client") {
		STEP("The client never gets its turn", "the server never finished");
		EXPECT_OK(0);
	}
	return lab_end();
}
