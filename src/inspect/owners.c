/* owners.c — which (pid, fd) holds each socket, from /proc/PID/fd. */
#include "inspect.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A pid that exited while we looked is simply not an owner. */
static int gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

/* "socket:[1234]" -> 1234; 0 for anything else (inode 0 is never a socket). */
static uint32_t socket_inode(const char *link)
{
	static const char prefix[] = "socket:[";
	unsigned long ino;
	char *end;

	if (strncmp(link, prefix, sizeof(prefix) - 1))
		return 0;
	link += sizeof(prefix) - 1;
	if (*link < '0' || *link > '9')
		return 0;
	errno = 0;
	ino = strtoul(link, &end, 10);
	if (errno || end[0] != ']' || end[1] || ino > UINT32_MAX)
		return 0;
	return (uint32_t)ino;
}

/* Give the first unowned row with this inode its owner; returns 1 if one
 * was claimed.  Snapshots are small, so a linear scan is enough. */
static int claim(struct inspect_snap *snap, uint32_t ino, pid_t pid, int fd)
{
	size_t i;

	for (i = 0; i < snap->n; i++) {
		struct inspect_sock *s = &snap->v[i];

		if (s->inode == ino && s->pid == 0) {
			s->pid = pid;
			s->fd = fd;
			return 1;
		}
	}
	return 0;
}

/* Scan one /proc/PID/fd; *left counts rows still without an owner. */
static int scan_pid(const char *root, pid_t pid, struct inspect_snap *snap,
		    size_t *left)
{
	char path[PATH_MAX], link[64];
	struct dirent *de;
	DIR *dir;
	int dfd, ret = -1, saved;

	if (snprintf(path, sizeof(path), "%s/%d/fd", root, (int)pid) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return gone(errno) ? 0 : -1;
	dir = fdopendir(dfd);
	if (!dir) {
		saved = errno;
		close(dfd);
		errno = saved;
		return -1;
	}
	while (*left) {
		ssize_t n;
		uint32_t ino;
		char *end;
		long fd;

		errno = 0;
		de = readdir(dir);
		if (!de) {
			if (errno && !gone(errno))
				goto out;
			break;
		}
		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(dfd, de->d_name, link, sizeof(link) - 1);
		if (n < 0) {
			if (gone(errno))	/* fd closed or pid exited meanwhile */
				continue;
			goto out;
		}
		link[n] = '\0';
		ino = socket_inode(link);
		if (!ino)
			continue;
		fd = strtol(de->d_name, &end, 10);
		if (*end || fd < 0 || fd > INT_MAX)
			continue;
		if (claim(snap, ino, pid, (int)fd))
			--*left;
	}
	ret = 0;
out:
	saved = errno;
	closedir(dir);
	errno = saved;
	return ret;
}

int inspect_owners(struct inspect_snap *snap, const pid_t *pids, size_t n)
{
	const char *root = secure_getenv("SOCKLAB_PROC_ROOT");
	size_t i, left = 0;

	if (!root || !*root)
		root = "/proc";
	for (i = 0; i < snap->n; i++)
		if (snap->v[i].inode && snap->v[i].pid == 0)
			left++;
	for (i = 0; i < n && left; i++)
		if (scan_pid(root, pids[i], snap, &left) < 0)
			return -1;
	return 0;
}
