/* A lab with a deliberately wrong expectation, to prove the checker can
 * fail: the second bind is expected to succeed, which the kernel refuses
 * (EADDRINUSE).  socklab check must report `not ok` with that answer. */
#include "lab/lab.h"

LAB(99, "wrong-expectation", "A wrong expectation", "The checker must say not ok");

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
	EXPECT_OK(bind(first, (struct sockaddr *)&a, sizeof a));

	STEP("Bind it again, wrongly expecting success", "this expectation is wrong on purpose");
	EXPECT_OK(bind(second, (struct sockaddr *)&a, sizeof a));

	return lab_end();
}
