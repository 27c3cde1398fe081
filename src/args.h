/* args.h — parsing of command-line values, strict: all or nothing. */
#ifndef SOCKLAB_ARGS_H
#define SOCKLAB_ARGS_H

/* A non-negative decimal integer in [lo, hi], nothing else ("", "12x",
 * "-1", " 1", "+3" are refused: every value socklab takes is a count, a
 * port or a time).  Returns 0, or -1 with errno = EINVAL or ERANGE. */
int args_int(const char *s, long lo, long hi, long *out);

/* A port number, 1..65535.  Returns 0, or -1 with errno. */
int args_port(const char *s, int *out);

/* "N" or "N-M" with lo <= N <= M <= hi.  Returns 0, or -1 with errno. */
int args_range(const char *s, long lo, long hi, long *first, long *last);

/* A socket address as a user types it: "127.0.0.1:5000", "[::1]:5000",
 * "[::]:5000", and "*:5000" or ":5000" for 0.0.0.0.  *family is AF_INET
 * or AF_INET6, *addr the address (AF_INET: its first 4 bytes), *port
 * 1..65535.  Returns 0, or -1 with errno = EINVAL or ERANGE. */
struct in6_addr;
int args_sockaddr(const char *s, int *family, struct in6_addr *addr, int *port);

#endif
