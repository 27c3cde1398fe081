#!/usr/bin/env python3
"""borders.py COLS ROWS < SCREEN — a dashboard's pane borders are intact.

SCREEN is what `tmux capture-pane -p` printed of a COLSxROWS terminal.
Every line fits in COLS screen columns (a Chinese character takes two);
every line between the header and the footer starts and ends with a
border; and the rows beside each other in the upper panes have their
vertical borders in the same columns.  A text counted in bytes, or in
characters where it takes two columns, pushes a border out of line.
Prints each problem and exits 1; 0 when all hold."""
import sys
import unicodedata

VERTICAL = set("│┌┐└┘├┤")
BOX = VERTICAL | set("─┬┴┼")


def width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(line):
    """(column, character) of each character of line"""
    col = 0
    for ch in line:
        yield col, ch
        col += width(ch)


def main():
    cols, rows = int(sys.argv[1]), int(sys.argv[2])
    lines = sys.stdin.read().split("\n")[:rows]
    lines += [""] * (rows - len(lines))
    bad = []
    shapes = {}
    for y, line in enumerate(lines):
        used = sum(width(ch) for ch in line)
        if used > cols:
            bad.append(f"row {y}: {used} columns, more than {cols}: {line!r}")
        if y == 0 or y == rows - 1:
            continue
        at = dict(cells(line))
        if at.get(0) not in BOX or at.get(cols - 1) not in BOX:
            bad.append(f"row {y}: no border at column 0 and {cols - 1}: {line!r}")
        verticals = tuple(c for c, ch in cells(line) if ch in VERTICAL)
        if len(verticals) > 2:
            shapes.setdefault(verticals, []).append(y)
    if len(shapes) > 1:
        for verticals, ys in sorted(shapes.items(), key=lambda kv: kv[1][0]):
            bad.append(f"rows {ys}: vertical borders at columns {list(verticals)}")
    for b in bad:
        print("borders:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
