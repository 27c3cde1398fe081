/* width.h — how many screen columns text takes, for the renderers that
 * line text up (wrap, the roster, tables): a Chinese character takes two,
 * a combining accent none.  The locale's LC_CTYPE decides (mbrtowc,
 * wcwidth): in a locale that is not UTF-8, or for bytes that are not a
 * character of it, each byte is one column. */
#ifndef SOCKLAB_WIDTH_H
#define SOCKLAB_WIDTH_H

#include <stddef.h>

/* The columns of the character s starts with (s not ""), its bytes in *n. */
int width_char(const char *s, size_t *n);

/* The columns of the whole string. */
int width_str(const char *s);

/* The bytes of s's longest start that fits in cols columns, cut between
 * characters. */
size_t width_fit(const char *s, int cols);

/* The bytes of the closing punctuation s starts with ("，", "。", "）"
 * ...: a line of Chinese never starts with one), 0 when it does not. */
size_t width_closing(const char *s);

#endif
