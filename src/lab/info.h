/* info.h — what a lab is called and where its source is: the part of a
 * lab the consumers (runner, registry, dashboard) need, without lab.h's
 * vocabulary (whose macros are for a lab's own source file). */
#ifndef SOCKLAB_LAB_INFO_H
#define SOCKLAB_LAB_INFO_H

struct lab_info {
	int number;
	const char *slug;
	const char *title;
	const char *summary;
	const char *file;	/* __FILE__, to find and highlight the source */
	int (*main)(void);
};

#endif
