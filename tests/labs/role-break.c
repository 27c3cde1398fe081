/* A lab that leaves a ROLE block with break: the block must still end,
 * so the next block gets its turn and the lab does not hang. */
#include "lab/lab.h"

LAB(95, "role-break", "Break out of a ROLE block", "The next block still runs");

int main(void)
{
	ROLE("server") {
		STEP("The server leaves its block early", "break ends the block too");
		EXPECT_OK(0);
		break;
	}
	ROLE("client") {
		STEP("The client runs next", "its turn came");
		EXPECT_OK(0);
	}
	return lab_end();
}
