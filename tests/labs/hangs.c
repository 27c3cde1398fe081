/* A lab that blocks forever in recv(): the consumer's timeout must stop
 * it and say so, and nothing may be left running. */
#include "lab/lab.h"

LAB(97, "hangs", "A lab that hangs", "The checker times it out");

int main(void)
{
	char buf[8];
	int s = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));

	STEP("Wait for a datagram nobody sends", "blocking recv without a timeout");
	EXPECT_OK(recv(s, buf, sizeof buf, 0));
	return lab_end();
}
