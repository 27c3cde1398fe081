/* A lab whose claimed step fails, to prove that a claim is decided by
 * the kernel's answers: step 1's claim holds (the first bind works), step
 * 2's does not (it wrongly expects the second bind to work: the kernel
 * answers EADDRINUSE), step 3 claims something it never checks, and the
 * claim after the return is never reached.  socklab check must report
 * claim-proven ok and the other three not ok. */
#include "lab/lab.h"

LAB(98, "claim-fails", "A claim that fails", "The checker must say not ok for a claim");

int main(void)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int first = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int second = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));

	STEP("Bind the port", "free");
	CLAIM("test-claim-proven");
	EXPECT_OK(bind(first, (struct sockaddr *)&a, sizeof a));

	STEP("Bind it again, wrongly expecting success", "this expectation is wrong on purpose");
	CLAIM("test-claim-wrong");
	EXPECT_OK(bind(second, (struct sockaddr *)&a, sizeof a));

	STEP("Claim without checking", "a claim needs at least one expectation");
	CLAIM("test-claim-unchecked");
	NOTE("nothing checked here");

	if (lab_end() >= 0)
		return 1;
	STEP("Never reached", "the lab returned above");
	CLAIM("test-claim-unreached");
	EXPECT_OK(close(first));
	return 1;
}
