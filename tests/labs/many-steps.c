/* A lab with more steps than the dashboard lists (70 > MODEL_MAX_STEPS)
 * and text that is wider on screen than it is long in bytes (CJK, a
 * combining accent, Latin-1 bytes that are not UTF-8): stepping must go on
 * to the end, and no pane may spill into its neighbour. */
#include "lab/lab.h"

LAB(96, "many-steps", "Many steps: 漢字 wide, re\xcc\x81seau combining, r\xe9seau Latin-1",
    "70 steps in a loop, wide and broken text");

int main(void)
{
	char buf[8];
	int s = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));

	for (int i = 1; i <= 70; i++) {
		STEP("A step in a loop: 漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字",
		     "r\xe9seau, d\xe9j\xe0 vu: bytes that are not UTF-8");
		EXPECT_ERR(EAGAIN, recv(s, buf, sizeof buf, MSG_DONTWAIT));
	}
	return lab_end();
}
