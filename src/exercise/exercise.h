/* exercise.h — the exercises: a task, a starter that fails for the reason
 * the exercise is about, and a grader that runs the student's program in
 * a sandbox and checks what the kernel saw. */
#ifndef SOCKLAB_EXERCISE_H
#define SOCKLAB_EXERCISE_H

#include <stddef.h>

#define EXERCISE_MAX_CRITERIA 10	/* a grader's own, without compile and off-box */

struct exercise_result {
	const char *criterion;
	int ok;
	char observed[256];
	const char *hint;	/* when it failed */
	int lab;		/* the lab to revisit, 0 none */
	int skip;		/* could not be checked here: observed says why */
};

struct exercise {
	int number;
	const char *slug;
	const char *title;
	/* grade the compiled program exe (in a sandbox already): fill
	 * res[0..) and return how many criteria there are */
	int (*grade)(const char *exe, struct exercise_result *res);
	/* the points of each criterion, in the order check prints them:
	 * "the program compiles", the grader's own, "nothing is sent off
	 * the machine"; criteria says how many (the grader must give as
	 * many: exercise_check() checks it) */
	const unsigned char *points;
	int criteria;
};

size_t exercise_count(void);
const struct exercise *exercise_at(size_t i);
/* "1", "01", "fixed-source-port" or "01-fixed-source-port"; NULL if none */
const struct exercise *exercise_find(const char *key);
/* The points of criterion i of e (0 out of range), and e's total. */
int exercise_points(const struct exercise *e, int i);
int exercise_max_points(const struct exercise *e);

/* an embedded file of exercise e: "README.md" or "starter.c"; NULL if none */
const char *exercise_file(const struct exercise *e, const char *name);

/* When the compiler's messages msg say a socket name (SO_REUSEPORT,
 * struct ip_mreqn, getaddrinfo...) is undeclared or incomplete: why, and
 * the header that declares it, in buf; returns 1.  0 when msg says no
 * such thing. */
int exercise_compile_hint(const char *msg, char *buf, size_t len);

#endif
