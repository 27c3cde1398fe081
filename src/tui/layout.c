/* layout.c — the panes' rectangles from the terminal's size and the
 * content's wishes (layout.h has the rules). */
#include "layout.h"

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void layout_compute(struct layout *out, int height, int width, const struct layout_want *want)
{
	int ch = height - 2, cols = width;	/* between header and footer */
	int rows = want->table_rows + 1 < 3 ? 3 : want->table_rows + 1;
	int tab_max = ch * 2 / 5 > 8 ? ch * 2 / 5 : 8;
	int tab_h = clampi(rows + 3, 6, tab_max), top_h = ch - tab_h;
	int lw_min = cols >= 120 ? 34 : cols >= 100 ? 30 : 26;
	int lw_max = cols * 2 / 5 < cols - 84 ? cols * 2 / 5 : cols - 84;
	int lw = clampi(want->tree_cols + 2, lw_min, lw_max > lw_min ? lw_max : lw_min);
	int log_h = top_h * 2 / 5 > 5 ? top_h * 2 / 5 : 5;
	int narr_h = top_h / 2 < 16 ? top_h / 2 : 16;

	out->tree = (struct layout_rect){ 1, 0, top_h - log_h, lw };
	out->log = (struct layout_rect){ 1 + top_h - log_h, 0, log_h, lw };
	out->source = (struct layout_rect){ 1, lw, top_h - narr_h, cols - lw };
	out->narration = (struct layout_rect){ 1 + top_h - narr_h, lw, narr_h, cols - lw };
	out->table = (struct layout_rect){ 1 + top_h, 0, tab_h, cols };
}
