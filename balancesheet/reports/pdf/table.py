"""A sheet's rows as a reportlab Table: cell values, spans, style commands and borders.

Equal neighbouring cell attributes are merged into rectangles (Table styling costs per
command); horizontal borders are LINEBELOW commands so that a page split keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from reportlab.platypus import Table

from balancesheet.reports.pdf.context import DEFAULT_FONT_SIZE, LEADING, PAD_X, PAD_Y
from balancesheet.reports.pdf.fast_paths import SheetTable
from balancesheet.reports.pdf.styles import GRIDLINE, Line, heavier, rl_color

if TYPE_CHECKING:
    from balancesheet.reports.pdf.sheet import SheetLayout

_NO_KEY = (None, None, None, "LEFT", "BOTTOM", PAD_X, PAD_X)


def _side(lay: SheetLayout, r: int, c: int, side: str) -> Line | None:
    st = lay.styles.get((r, c))
    line = getattr(st, side) if st is not None else None
    if line is None and (r, c) in lay.merge_of:  # merged area edge: fall back to the anchor
        a, b, _, _ = lay.merges[lay.merge_of[(r, c)]]
        anchor = lay.styles.get((a, b))
        if anchor is not None:
            line = getattr(anchor, side)
    return line


def _same_block(lay: SheetLayout, p: tuple[int, int], q: tuple[int, int]) -> bool:
    m1, m2 = lay.merge_of.get(p), lay.merge_of.get(q)
    if m1 is not None and m1 == m2:
        return True
    o1, o2 = lay.overflow.get(p), lay.overflow.get(q)
    return o1 is not None and o1 == o2


def _hline(lay: SheetLayout, upper: int | None, lower: int | None, c: int) -> Line | None:
    if upper is not None and lower is not None and _same_block(lay, (upper, c), (lower, c)):
        return None
    line = heavier(_side(lay, upper, c, "bottom") if upper is not None else None,
                   _side(lay, lower, c, "top") if lower is not None else None)
    if line is None and lay.gridlines:
        return GRIDLINE
    return line


def _vline(lay: SheetLayout, r: int, left: int | None, right: int | None) -> Line | None:
    if left is not None and right is not None and _same_block(lay, (r, left), (r, right)):
        return None
    line = heavier(_side(lay, r, left, "right") if left is not None else None,
                   _side(lay, r, right, "left") if right is not None else None)
    if line is None and lay.gridlines:
        return GRIDLINE
    return line


def sheet_table(lay: SheetLayout, trows: list[int], repeat: int, prev: int | None,
                nxt: int | None, h_align: str) -> Table:
    """The Table of rows ``trows`` of a built sheet layout, its first ``repeat`` rows repeated
    on every page; ``prev``/``nxt`` are the sheet rows drawn just above/below it (their borders
    meet this table's edges), ``h_align`` the table's place on the page (LEFT or CENTER)."""
    cols, ci = lay.cols, lay.ci
    n, m = len(trows), len(cols)
    tri = {r: i for i, r in enumerate(trows)}
    data: list[list[Any]] = [[""] * m for _ in range(n)]
    cmds: list[tuple] = [("TOPPADDING", (0, 0), (-1, -1), PAD_Y),
                         ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y),
                         ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
                         ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
                         ("FONT", (0, 0), (-1, -1), lay.fs.regular, DEFAULT_FONT_SIZE)]
    for i, r in enumerate(trows):
        row = data[i]
        for j, c in enumerate(cols):
            v = lay.data.get((r, c))
            if v is not None:
                row[j] = v

    # spans: merges (clipped to this table's contiguous rows) and text overflow
    done: set[int] = set()
    for (r, _c), mid in lay.merge_of.items():
        if mid in done or r not in tri:
            continue
        done.add(mid)
        a, b, e, d = lay.merges[mid]
        in_rows = [tri[x] for x in range(a, e + 1) if x in tri]
        in_cols = [ci[x] for x in range(b, d + 1) if x in ci]
        if not in_rows or not in_cols:
            continue
        i0, i1, j0, j1 = min(in_rows), max(in_rows), min(in_cols), max(in_cols)
        if i0 < repeat <= i1:  # never across the repeated rows' edge: clip to the header
            i1 = repeat - 1
        if (i0, j0) != (i1, j1):
            cmds.append(("SPAN", (j0, i0), (j1, i1)))
        anchor = (a, b)
        if anchor in lay.data and tri.get(a) != i0:  # anchor outside this part
            data[i0][j0] = lay.data[anchor]
    seen_over: set[tuple[int, int, int]] = set()
    for (_r, _c), span in lay.overflow.items():
        if span in seen_over or span[0] not in tri:
            continue
        seen_over.add(span)
        cmds.append(("SPAN", (span[1], tri[span[0]]), (span[2], tri[span[0]])))

    # cell styles as rectangles of equal values (few commands: Table styling is per command)
    attrs: dict[str, list[tuple[int, int, int, Any]]] = {
        k: [] for k in ("font", "color", "align", "valign", "lpad", "rpad", "fill")}
    for j, c in enumerate(cols):
        per: dict[str, list[Any]] = {k: [] for k in attrs}
        for r in trows:
            key = lay.keys.get((r, c))
            st = lay.styles.get((r, c))
            if (r, c) in lay.merge_of:
                a, b, _, _ = lay.merges[lay.merge_of[(r, c)]]
                st = lay.styles.get((a, b), st)
            if key is None:
                key = _NO_KEY
            font, size, color, halign, valign, lpad, rpad = key
            per["font"].append((font, size) if font is not None else None)
            per["color"].append(color if font is not None else None)
            per["align"].append(halign if halign != "LEFT" else None)
            per["valign"].append(valign if valign != "BOTTOM" else None)
            per["lpad"].append(lpad if lpad != PAD_X else None)
            per["rpad"].append(rpad if rpad != PAD_X else None)
            per["fill"].append(st.fill if st is not None else None)
        for k, values in per.items():
            attrs[k] += [(i0, i1, j, v) for i0, i1, v in _runs(values)]
    for k, runs in attrs.items():
        for (i0, i1, v), j0, j1 in _rects(runs):
            start_, end_ = (j0, i0), (j1, i1)
            if k == "font":
                cmds.append(("FONT", start_, end_, v[0], v[1], v[1] * LEADING))
            elif k == "color":
                cmds.append(("TEXTCOLOR", start_, end_, rl_color(v)))
            elif k == "align":
                cmds.append(("ALIGN", start_, end_, v))
            elif k == "valign":
                cmds.append(("VALIGN", start_, end_, v))
            elif k == "lpad":
                cmds.append(("LEFTPADDING", start_, end_, v))
            elif k == "rpad":
                cmds.append(("RIGHTPADDING", start_, end_, v))
            else:
                cmds.append(("BACKGROUND", start_, end_, rl_color(v)))

    # borders: horizontal boundaries as LINEBELOW (so a page split keeps them), top LINEABOVE
    for i in range(n + 1):
        upper = trows[i - 1] if i > 0 else prev
        lower = trows[i] if i < n else nxt
        specs = [_hline(lay, upper, lower, c) for c in cols]
        for j0, j1, spec in _runs(specs):
            if i == 0:
                cmds.append(_line_cmd("LINEABOVE", (j0, 0), (j1, 0), spec))
            else:
                cmds.append(_line_cmd("LINEBELOW", (j0, i - 1), (j1, i - 1), spec))
    for j in range(m + 1):
        left = cols[j - 1] if j > 0 else None
        right = cols[j] if j < m else None
        specs = [_vline(lay, r, left, right) for r in trows]
        for i0, i1, spec in _runs(specs):
            if j == 0:
                cmds.append(_line_cmd("LINEBEFORE", (0, i0), (0, i1), spec))
            else:
                cmds.append(_line_cmd("LINEAFTER", (j - 1, i0), (j - 1, i1), spec))

    t = SheetTable(data, colWidths=lay.widths, rowHeights=[lay.heights[r] for r in trows],
                   repeatRows=repeat, hAlign=h_align, style=cmds)
    return t


def _runs(values: Sequence[Any]) -> Iterable[tuple[int, int, Any]]:
    """Maximal runs (first, last, value) of equal non-None values."""
    start = 0
    for k in range(1, len(values) + 1):
        if k == len(values) or values[k] != values[start]:
            if values[start] is not None:
                yield start, k - 1, values[start]
            start = k


def _rects(runs: list[tuple[int, int, int, Any]],
           ) -> Iterable[tuple[tuple[int, int, Any], int, int]]:
    """Column runs (i0, i1, column, value) merged across adjacent columns: ((i0, i1, v), j0, j1)."""
    groups: dict[tuple[int, int, Any], list[int]] = {}
    for i0, i1, j, v in runs:
        groups.setdefault((i0, i1, v), []).append(j)
    for key, js in groups.items():
        js.sort()
        j0 = prev = js[0]
        for j in js[1:]:
            if j != prev + 1:
                yield key, j0, prev
                j0 = j
            prev = j
        yield key, j0, prev


def _line_cmd(op: str, start: tuple[int, int], end: tuple[int, int], spec: Line) -> tuple:
    width, color, dash, count = spec
    return (op, start, end, width, rl_color(color), None, dash, None, count, 1)
