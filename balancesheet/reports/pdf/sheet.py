"""One worksheet as flowables: printed range, grid, merges, overflow, row heights, title rows.

:class:`SheetLayout` follows the sheet's layout: print area or used range, hidden rows and
columns, column widths and scaling to the page, merged cells, text overflowing into empty
neighbours, row heights growing to fit (capped at a page, the rest clipped), the rows above the
print titles once, the print title rows repeated, and manual row page breaks.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from openpyxl.utils.cell import get_column_letter
from reportlab.platypus import PageBreak, Paragraph, Table

from balancesheet.reports.pdf import fast_paths
from balancesheet.reports.pdf.cells import Key, cell_value, font_size, read_cells
from balancesheet.reports.pdf.context import (
    DEFAULT_ROW_HEIGHT,
    LEADING,
    MIN_SHRINK_FONT,
    PAD_X,
    PAD_Y,
    Cell,
    RenderContext,
)
from balancesheet.reports.pdf.fast_paths import text_width
from balancesheet.reports.pdf.flowables import Clipped
from balancesheet.reports.pdf.page import sheet_page
from balancesheet.reports.pdf.styles import EMPTY_STYLE, HALIGN, VALIGN, CellStyle
from balancesheet.reports.pdf.table import sheet_table

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def _parse_range(ref: str) -> tuple[int, int, int, int] | None:
    from openpyxl.utils.cell import range_boundaries

    ref = ref.split("!")[-1].replace("$", "").strip()
    try:
        c0, r0, c1, r1 = range_boundaries(ref)
    except (ValueError, TypeError):
        return None
    if c0 is None or r0 is None or c1 is None or r1 is None:
        return None
    return r0, c0, r1, c1


def _title_rows(ws: Worksheet) -> tuple[int, int] | None:
    spec = ws.print_title_rows
    if not spec:
        return None
    m = re.fullmatch(r"\$?(\d+):\$?(\d+)", spec.split("!")[-1].strip())
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    return (min(a, b), max(a, b))


def _has_value(cell: Any) -> bool:
    v = cell.value
    return v is not None and not (isinstance(v, str) and not v.strip())


class SheetLayout:
    """The flowables of one worksheet (a title block, then the table(s) with repeated rows)."""

    def __init__(self, ws: Worksheet, ctx: RenderContext, index: int, title: str) -> None:
        self.ws, self.ctx, self.fs = ws, ctx, ctx.fs
        self.landscape = (ws.page_setup.orientation or "").lower() == "landscape"
        self.page = sheet_page(ws, index, title)
        size, m = self.page.pagesize, self.page.margins
        self.frame_w = size[0] - m[0] - m[1]
        self.frame_h = size[1] - m[2] - m[3]

    # -- range ----------------------------------------------------------------------------------
    def _used_range(self) -> tuple[int, int, int, int] | None:
        ws = self.ws
        area = ws.print_area
        if area:
            refs = area if isinstance(area, (list, tuple)) else str(area).split(",")
            parsed = _parse_range(refs[0])
            if parsed:
                if len(refs) > 1:
                    self.ctx.warn(f"工作表“{ws.title}”有多个打印区域，PDF 只绘制第一个")
                return parsed
        max_r = max_c = 0
        for (r, c), cell in fast_paths.iter_cells(ws):
            if (r > max_r or c > max_c) and _has_value(cell):
                max_r, max_c = max(max_r, r), max(max_c, c)
        if not max_r:
            return None
        for mr in ws.merged_cells.ranges:
            if mr.min_row <= max_r and mr.min_col <= max_c:
                max_r, max_c = max(max_r, mr.max_row), max(max_c, mr.max_col)
        return 1, 1, max_r, max_c

    # -- build ----------------------------------------------------------------------------------
    def build(self) -> list[Any]:
        """The flowables of this sheet ([] when it has nothing to print)."""
        rng = self._used_range()
        if rng is None:
            return []
        if not self._grid(rng):
            return []
        self._merged(rng)
        self.styles, self.content = read_cells(self.ws, self.ctx, self.rows, self.cols,
                                               self.merge_of, self.merges)
        self._spans()
        outs = self._cell_values()
        self._row_heights(outs)
        return self._story(outs)

    def _grid(self, rng: tuple[int, int, int, int]) -> bool:
        """Printed rows and columns, the scale and column widths (False: nothing visible)."""
        ws = self.ws
        r0, c0, r1, c1 = rng
        rdims, cdims = ws.row_dimensions, ws.column_dimensions
        rows = [r for r in range(r0, r1 + 1)
                if not ((d := rdims.get(r)) is not None and d.hidden)]
        widths_ch: dict[int, float] = {}
        hidden_cols: set[int] = set()
        from openpyxl.utils.cell import column_index_from_string

        for key, dim in list(cdims.items()):
            try:
                lo = dim.min or column_index_from_string(key)
            except ValueError:
                continue
            hi = dim.max or lo
            for c in range(max(lo, c0), min(hi, c1) + 1):
                if dim.hidden or dim.width == 0:
                    hidden_cols.add(c)
                elif dim.width:
                    widths_ch[c] = float(dim.width)
        cols = [c for c in range(c0, c1 + 1) if c not in hidden_cols]
        if not rows or not cols:
            return False
        sf = ws.sheet_format
        default_w = float(sf.defaultColWidth or (sf.baseColWidth or 8) + 0.43)
        raw_w = [(widths_ch.get(c, default_w) * 7 + 5) * 0.75 for c in cols]
        total = sum(raw_w)
        ps = ws.page_setup
        fit = bool(getattr(ws.sheet_properties.pageSetUpPr, "fitToPage", False))
        base = 1.0 if fit else min(1.0, max(0.1, float(ps.scale or 100) / 100))
        scale = min(base, self.frame_w / total) if total else 1.0
        self.scale = scale
        self.widths = [w * scale for w in raw_w]
        self.ci = {c: j for j, c in enumerate(cols)}
        self.ri = {r: i for i, r in enumerate(rows)}
        self.rows, self.cols = rows, cols
        return True

    def _merged(self, rng: tuple[int, int, int, int]) -> None:
        """Merged ranges (clipped to the printed range) and the merge of each covered cell."""
        r0, c0, r1, c1 = rng
        merge_of: dict[Key, int] = {}
        merges: list[tuple[int, int, int, int]] = []
        for mr in self.ws.merged_cells.ranges:
            a, b = max(mr.min_row, r0), min(mr.max_row, r1)
            c, d = max(mr.min_col, c0), min(mr.max_col, c1)
            if a > b or c > d or (a == b and c == d):
                continue
            mid = len(merges)
            merges.append((mr.min_row, mr.min_col, b, d))
            for rr in range(a, b + 1):
                for cc in range(c, d + 1):
                    merge_of[(rr, cc)] = mid
        self.merge_of, self.merges = merge_of, merges

    def _spans(self) -> None:
        """Horizontal spans: merges, then overflow of unwrapped text into empty neighbours."""
        content, styles, merge_of, merges = self.content, self.styles, self.merge_of, self.merges
        cols, ci, widths, fs = self.cols, self.ci, self.widths, self.fs
        self.span_w: dict[Key, float] = {}
        # cell → (row, first, last column index) of text overflowing into empty neighbours
        self.overflow: dict[Key, tuple[int, int, int]] = {}
        for r, c in content:
            if (r, c) in merge_of:
                a, b, e, d = merges[merge_of[(r, c)]]
                self.span_w[(r, c)] = sum(widths[ci[x]] for x in range(b, d + 1) if x in ci)
            elif c in ci:
                self.span_w[(r, c)] = widths[ci[c]]
        for (r, c), cell in list(content.items()):
            st = cell.style
            if (r, c) in merge_of or st.wrap or st.shrink or cell.is_number or c not in ci:
                continue
            h = st.halign or "general"
            h = "left" if h == "general" else h
            if h not in ("left", "right", "center", "centerContinuous"):
                continue
            cont = h == "centerContinuous"
            need = text_width(cell.text, fs.font_for(st.font, st.bold), self._size(st)) \
                + 2 * PAD_X
            w = self.span_w[(r, c)]
            if need <= w and not cont:
                continue

            def free(jj: int, r: int = r, cont: bool = cont) -> bool:
                if not 0 <= jj < len(cols):
                    return False
                k = (r, cols[jj])
                if k in content or k in merge_of or k in self.overflow:
                    return False
                return not cont or styles.get(k, EMPTY_STYLE).halign == "centerContinuous"

            j = ci[c]
            lo = hi = j
            if cont:  # "centre across selection": the following centerContinuous cells
                while free(hi + 1):
                    hi += 1
                    w += widths[hi]
            while w < need:
                grew = False
                if h in ("left", "center") and free(hi + 1):
                    hi += 1
                    w += widths[hi]
                    grew = True
                if w < need and h in ("right", "center") and free(lo - 1):
                    lo -= 1
                    w += widths[lo]
                    grew = True
                if not grew:
                    break
            if lo == hi:
                continue
            span = (r, lo, hi)
            for jj in range(lo, hi + 1):
                self.overflow[(r, cols[jj])] = span
            anchor = (r, cols[lo])
            if anchor != (r, c):  # the text moves to the span's first cell (reportlab's anchor)
                content[anchor] = content.pop((r, c))
            self.span_w[anchor] = w

    def _single(self, k: Key, cell: Cell) -> bool:
        """A number alone in its cell (not merged, not overflowing)."""
        return cell.is_number and k not in self.merge_of and k not in self.overflow

    def _cell_values(self) -> dict[Key, tuple[Any, tuple, float]]:
        """Each shown cell's value, drawing key and needed height; numbers of a column that
        must shrink all shrink to one size."""
        content, sheet = self.content, self.ws.title
        outs: dict[Key, tuple[Any, tuple, float]] = {}
        shrink: dict[int, float] = {}  # column → smallest size ratio its numbers needed
        for (r, c), cell in content.items():
            out = outs[(r, c)] = cell_value(self.ctx, cell, self.span_w[(r, c)], self.scale,
                                            sheet)
            if self._single((r, c), cell) and out[1][0] is not None:
                ratio = out[1][1] / self._size(cell.style)
                if ratio < 1:
                    shrink[c] = min(shrink.get(c, 1.0), ratio)
        if shrink:  # one size for the numbers of a column, not a different size per cell
            for (r, c), cell in content.items():
                if c in shrink and self._single((r, c), cell) \
                        and outs[(r, c)][1][0] is not None:
                    val, key, _ = outs[(r, c)]
                    small = max(MIN_SHRINK_FONT,
                                math.floor(self._size(cell.style) * shrink[c] * 4) / 4)
                    if small < key[1]:  # fits: the column's widest number set the ratio
                        outs[(r, c)] = (val, (key[0], small, *key[2:]),
                                        (val.count("\n") + 1) * small * LEADING + 2 * PAD_Y)
        return outs

    def _row_heights(self, outs: dict[Key, tuple[Any, tuple, float]]) -> None:
        """Table data and drawing keys; row heights: Excel's (scaled), grown to fit."""
        ws, rows, ri, merge_of, merges = self.ws, self.rows, self.ri, self.merge_of, self.merges
        self.data: dict[Key, Any] = {}
        self.keys: dict[Key, tuple] = {}
        needed = {r: 0.0 for r in rows}
        span_need: list[tuple[int, int, float]] = []
        for (r, c), (val, key, h) in outs.items():
            self.data[(r, c)] = val
            self.keys[(r, c)] = key
            if (r, c) in merge_of:
                a, _, e, _ = merges[merge_of[(r, c)]]
                if e > a:
                    span_need.append((a, e, h))
                    continue
            needed[r] = max(needed[r], h)
        for (r, c), st in self.styles.items():
            if (r, c) not in self.keys and st is not EMPTY_STYLE:
                self.keys[(r, c)] = (None, None, None, HALIGN.get(st.halign or "", "LEFT"),
                                     VALIGN.get(st.valign or "", "BOTTOM"), PAD_X, PAD_X)
        rdims = ws.row_dimensions
        default_h = float(ws.sheet_format.defaultRowHeight or DEFAULT_ROW_HEIGHT)
        heights = {}
        for r in rows:
            d = rdims.get(r)
            excel_h = float(d.ht) if d is not None and d.ht else default_h
            heights[r] = max(excel_h * self.scale, needed[r])
        for a, e, h in span_need:
            span_rows = [r for r in range(a, e + 1) if r in ri]
            have = sum(heights[r] for r in span_rows)
            if span_rows and have < h:
                heights[span_rows[-1]] += h - have
        self.heights = heights

    def _story(self, outs: dict[Key, tuple[Any, tuple, float]]) -> list[Any]:
        """Split: title block (rows above the print titles), repeated header rows, body."""
        ws, ctx, rows, heights = self.ws, self.ctx, self.rows, self.heights
        tr = _title_rows(ws)
        head: list[int] = []
        above: list[int] = []
        if tr:
            head = [r for r in rows if tr[0] <= r <= tr[1]]
            above = [r for r in rows if r < tr[0]]
            if not head:
                above = []
        body = [r for r in rows if r not in set(head) and r not in set(above)]
        if head and sum(heights[r] for r in head) > self.frame_h * 0.6:
            ctx.warn(f"工作表“{ws.title}”的重复标题行太高，只在第一页显示")
            body = head + body
            head = []
        # a row never exceeds a page (Excel rows stop at 409 pt): cap it, clip what overflows
        limit_body = self.frame_h - sum(heights[r] for r in head) - 2
        capped = False
        for r in body + above:
            limit = limit_body if r in body else self.frame_h - 2
            if heights[r] > limit:
                heights[r] = max(limit, 10.0)
                capped = True
        if capped:
            self._clip_paragraphs(outs)
        breaks = {b.id for b in getattr(ws.row_breaks, "brk", []) if b.id}
        chunks: list[list[int]] = []
        cur: list[int] = []
        for r in body:
            cur.append(r)
            if r in breaks:
                chunks.append(cur)
                cur = []
        if cur or not chunks:
            chunks.append(cur)
        h_align = "CENTER" if ws.print_options.horizontalCentered else "LEFT"
        self.gridlines = bool(ws.print_options.gridLines)
        story: list[Any] = []
        if above:
            story.append(self._table(above, 0, None, head[0] if head else (
                chunks[0][0] if chunks[0] else None), h_align))
        for k, chunk in enumerate(chunks):
            if k:
                story.append(PageBreak())
            part = head + chunk
            if not part:
                continue
            prev = above[-1] if above and k == 0 else None
            story.append(self._table(part, len(head), prev, None, h_align))
        return story

    def _clip_paragraphs(self, outs: dict[Key, tuple[Any, tuple, float]]) -> None:
        """Paragraphs taller than their (capped) rows: cut to the rows, with a warning."""
        heights, merge_of, merges, ri = self.heights, self.merge_of, self.merges, self.ri
        for (r, c), val in list(self.data.items()):
            if not isinstance(val, Paragraph):
                continue
            span = [r]
            if (r, c) in merge_of:
                a, _, e, _ = merges[merge_of[(r, c)]]
                span = [x for x in range(a, e + 1) if x in ri]
            room = sum(heights[x] for x in span) - 2 * PAD_Y
            if outs[(r, c)][2] - 2 * PAD_Y > room + 0.5:
                self.data[(r, c)] = Clipped(val, room)
                self.ctx.warn(f"工作表“{self.ws.title}”单元格 {get_column_letter(c)}{r} 的内容超过"
                              "一页，PDF 中只显示前面部分")

    def _size(self, st: CellStyle) -> float:
        return font_size(st, self.scale)

    def _table(self, trows: list[int], repeat: int, prev: int | None, nxt: int | None,
               h_align: str) -> Table:
        return sheet_table(self, trows, repeat, prev, nxt, h_align)
