/* igmp.c — multicast group memberships from /proc/net/igmp and igmp6.
 *
 * Both files are per network namespace: /proc/net is our own, and
 * /proc/PID/net that of PID.  Their formats (net/ipv4/igmp.c
 * igmp_mc_seq_show, net/ipv6/mcast.c igmp6_mc_seq_show):
 *
 *   igmp:  "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter"
 *          "%d\t%-10s: %5d %7s"                 one line per interface, then
 *          "\t\t\t\t%08X %5d %d:%08lX\t\t%d"    one per group on it
 *   igmp6: "%-4d %-15s %pi6 %5d %08X %ld"       idx dev group users flags timer
 *
 * An interface name longer than ten characters runs into the ':'; names
 * never contain ':' or blanks (dev_valid_name), so the colon still ends it. */
#include "inspect.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IFNAME_MAX 15	/* IFNAMSIZ - 1 */

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly 2 * len hex digits, then a blank or the end, into bytes. */
static int hex_bytes(const char **pp, uint8_t *bytes, size_t len)
{
	const char *p = *pp;
	size_t i;

	for (i = 0; i < len; i++) {
		int hi = hexval(p[2 * i]), lo;

		if (hi < 0)
			return -1;
		lo = hexval(p[2 * i + 1]);
		if (lo < 0)
			return -1;
		bytes[i] = (uint8_t)(hi << 4 | lo);
	}
	p += 2 * len;
	if (*p && *p != ' ' && *p != '\t' && *p != '\n')
		return -1;
	*pp = p;
	return 0;
}

/* A decimal number up to INT_MAX, then a blank, ':' or the end. */
static int decimal(const char **pp, unsigned *v)
{
	const char *p = *pp;
	unsigned long n = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (unsigned long)(*p - '0');
		if (n > INT_MAX)
			return -1;
	}
	if (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != ':')
		return -1;
	*v = (unsigned)n;
	*pp = p;
	return 0;
}

/* An interface name: up to a blank, ':' or the end; 1..15 characters. */
static int ifname(const char **pp, char name[16])
{
	const char *p = *pp;
	size_t len = strcspn(p, " \t\n:");

	if (len == 0 || len > IFNAME_MAX)
		return -1;
	memcpy(name, p, len);
	name[len] = '\0';
	*pp = p + len;
	return 0;
}

static struct inspect_group *add(struct inspect_groups *g)
{
	struct inspect_group *v;

	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 16;

		if (cap > SIZE_MAX / sizeof(*v)) {
			errno = ENOMEM;
			return NULL;
		}
		v = realloc(g->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		g->v = v;
		g->cap = cap;
	}
	v = &g->v[g->n++];
	memset(v, 0, sizeof(*v));
	return v;
}

/* Append a membership: group is len bytes in network order. */
static int put_group(struct inspect_groups *out, const char *dev, uint8_t family,
		     const void *group, size_t len, unsigned users)
{
	struct inspect_group *g = add(out);

	if (!g)
		return -1;
	memcpy(g->ifname, dev, sizeof g->ifname);
	g->family = family;
	memcpy(&g->group, group, len);
	g->users = users;
	return 0;
}

/* One line of /proc/net/igmp; dev holds the interface of the group lines
 * that follow ("" before the first). */
static int igmp_line(const char *line, char dev[16], struct inspect_groups *out)
{
	const char *p = line;
	uint8_t b[4];
	uint32_t addr;
	unsigned idx, users;

	if (!strncmp(p, "Idx", 3))	/* the header */
		return 0;
	if (*p == '\t') {		/* a group of the current interface */
		p = skip_blanks(p);
		if (!dev[0] || hex_bytes(&p, b, 4) < 0)
			return -1;
		p = skip_blanks(p);
		if (decimal(&p, &users) < 0)
			return -1;
		/* The kernel prints the __be32 as a host integer (%08X): on a
		 * little-endian host 239.1.2.3 reads "030201EF".  Storing the
		 * number back as a host integer restores the network-order
		 * bytes on either byte order. */
		addr = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		       (uint32_t)b[2] << 8 | b[3];
		return put_group(out, dev, AF_INET, &addr, 4, users);
	}
	/* "1\tlo        :     2      V3" */
	if (decimal(&p, &idx) < 0)
		return -1;
	p = skip_blanks(p);
	if (ifname(&p, dev) < 0)
		return -1;
	p = skip_blanks(p);
	if (*p != ':') {
		dev[0] = '\0';
		return -1;
	}
	return 0;
}

/* One line of /proc/net/igmp6: "1    lo              ff02...0001     1 0000000C 0". */
static int igmp6_line(const char *line, struct inspect_groups *out)
{
	const char *p = line;
	char dev[16];
	uint8_t b[16];
	unsigned idx, users;

	if (decimal(&p, &idx) < 0)
		return -1;
	p = skip_blanks(p);
	if (ifname(&p, dev) < 0 || (*p != ' ' && *p != '\t'))
		return -1;
	p = skip_blanks(p);
	if (hex_bytes(&p, b, 16) < 0)
		return -1;
	p = skip_blanks(p);
	if (decimal(&p, &users) < 0)
		return -1;
	return put_group(out, dev, AF_INET6, b, 16, users);	/* %pi6: network order */
}

/* Read netfd/name line by line; a missing file (no IPv6, or no multicast
 * in the kernel) has no groups. */
static int parse_file(int netfd, const char *name, int v6, struct inspect_groups *out)
{
	char dev[16] = "", *line = NULL;
	size_t cap = 0;
	FILE *f = NULL;
	int fd, ret = -1, saved;

	fd = openat(netfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	f = fdopen(fd, "r");
	if (!f) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	for (;;) {
		ssize_t len;

		errno = 0;
		len = getline(&line, &cap, f);
		if (len < 0) {
			if (errno)
				goto out;
			break;
		}
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (!len)
			continue;
		if ((v6 ? igmp6_line(line, out) : igmp_line(line, dev, out)) < 0) {
			if (errno != ENOMEM)
				errno = EBADMSG;
			goto out;
		}
	}
	ret = 0;
out:
	saved = errno;
	free(line);
	fclose(f);
	errno = saved;
	return ret;
}

int inspect_igmp(pid_t pid, struct inspect_groups *out)
{
	const char *root = secure_getenv("SOCKLAB_PROC_ROOT");
	char path[PATH_MAX];
	int netfd = -1, ret = -1, saved, len;

	if (!out || pid < 0) {
		errno = EINVAL;
		return -1;
	}
	out->n = 0;
	if (!root || !*root)
		root = "/proc";
	if (pid)
		len = snprintf(path, sizeof(path), "%s/%d/net", root, (int)pid);
	else
		len = snprintf(path, sizeof(path), "%s/net", root);
	if (len < 0 || (size_t)len >= sizeof(path)) {
		errno = ENAMETOOLONG;
		goto out;
	}
	/* Both files through one directory: the same namespace for both,
	 * and a pid that is gone fails here (ENOENT). */
	netfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (netfd < 0)
		goto out;
	if (parse_file(netfd, "igmp", 0, out) < 0 ||
	    parse_file(netfd, "igmp6", 1, out) < 0)
		goto out;
	ret = 0;
out:
	saved = errno;
	if (netfd >= 0)
		close(netfd);
	if (ret < 0)
		inspect_groups_free(out);
	errno = saved;
	return ret;
}

void inspect_groups_free(struct inspect_groups *g)
{
	if (!g)
		return;
	free(g->v);
	g->v = NULL;
	g->n = g->cap = 0;
}
