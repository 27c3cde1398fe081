/* errtab.h — what socklab knows about socket error codes: the Linux name
 * and number, the Windows Sockets equivalent, and one line of meaning. */
#ifndef SOCKLAB_ERRTAB_H
#define SOCKLAB_ERRTAB_H

#define ERRTAB_MAX_LIST 5

struct errtab_entry {
	int linux_errno;	/* on this system's build */
	const char *name;	/* "EADDRINUSE" */
	int win_code;		/* 10048, 0 when Windows has none */
	const char *win_name;	/* "WSAEADDRINUSE", NULL when none */
	const char *meaning;	/* one line, about sockets: what run and dash show */
	/* the rest is for `socklab explain`; NULL/0 where there is nothing
	 * to say.  What it means when bind(), connect(), sendto() return it: */
	const char *bind, *connect, *sendto;
	const char *causes[ERRTAB_MAX_LIST];	/* the usual ones */
	const char *fixes[ERRTAB_MAX_LIST];
	const char *windows;	/* when Windows returns its code, if not as Linux */
	const char *on_linux;	/* what Linux answers in those cases instead */
	int labs[ERRTAB_MAX_LIST];		/* labs that show it, 0-terminated */
};

/* By Linux errno; NULL when unknown. */
const struct errtab_entry *errtab_by_errno(int err);

/* By any spelling a user may type: "EADDRINUSE", "eaddrinuse", "98",
 * "WSAEADDRINUSE", "10048".  NULL when unknown. */
const struct errtab_entry *errtab_lookup(const char *key);

/* The whole table, NULL-name terminated. */
extern const struct errtab_entry errtab_entries[];

#endif
