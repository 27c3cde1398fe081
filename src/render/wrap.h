/* wrap.h — fold prose at a width, for the commands that print sentences
 * (explain, why).
 *
 * wrap_print() writes lead, then text folded at spaces so that no line
 * passes `width` columns (a word longer than that stands alone), each
 * continuation under text's first column, and a newline.  Text written
 * without spaces (Chinese) folds between its characters, never before a
 * closing "，" or "。".  width <= 0: one line, unfolded.  Columns are
 * screen columns (render/width.h): a Chinese character takes two.
 *
 * wrap_columns() is stdout's width: COLUMNS when set to a number (as ps
 * and ls honour it), else the terminal's (TIOCGWINSZ); 0 when stdout is
 * not a terminal and COLUMNS is unset, so pipes and tests get whole lines.
 * wrap_width() is the width for prose: one less, so a full line never
 * wraps by itself (0 stays 0). */
#ifndef SOCKLAB_WRAP_H
#define SOCKLAB_WRAP_H

#include <stdio.h>

void wrap_print(FILE *f, const char *lead, const char *text, int width);
int wrap_columns(void);
int wrap_width(void);

#endif
