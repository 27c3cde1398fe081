/* clock.c — the monotonic clock and the wall clock (proc.h). */
#include <time.h>

#include "proc.h"

long long proc_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

long proc_now_ms(void)
{
	return (long)(proc_now_us() / 1000);
}

long long proc_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}
