"""Cells: a worksheet's printed cells read and formatted, and each one drawn as table content.

:func:`read_cells` gives the resolved style of every existing cell and the displayed text of
every cell with a value; :func:`cell_value` turns one such cell into what the Table draws (a
plain string, which may shrink to fit, or a wrapping Paragraph), its drawing key and the height
it needs.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from reportlab.platypus import Paragraph

from balancesheet.reports.fonts import MISSING_MARK
from balancesheet.reports.pdf import fast_paths
from balancesheet.reports.pdf.context import (
    DEFAULT_FONT_SIZE,
    INDENT_PT,
    LEADING,
    MIN_FONT,
    MIN_SHRINK_FONT,
    PAD_X,
    PAD_Y,
    Cell,
    RenderContext,
)
from balancesheet.reports.pdf.fast_paths import text_width
from balancesheet.reports.pdf.flowables import BoldParagraph, BoldText
from balancesheet.reports.pdf.numfmt import format_value
from balancesheet.reports.pdf.styles import HALIGN, VALIGN, CellStyle, resolve_style

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

Key = tuple[int, int]  # (row, column), 1-based as in openpyxl


def read_cells(ws: Worksheet, ctx: RenderContext, rows: list[int], cols: list[int],
               merge_of: dict[Key, int], merges: list[tuple[int, int, int, int]],
               ) -> tuple[dict[Key, CellStyle], dict[Key, Cell]]:
    """The styles of the existing cells in ``rows`` x ``cols`` and the cells shown with text.

    Cells covered by a merge (other than its top-left anchor) and cells whose text is empty
    show nothing; formulas are never calculated (warned about, drawn empty).
    """
    get = fast_paths.cell_getter(ws)
    theme = ctx.theme
    styles: dict[Key, CellStyle] = {}
    content: dict[Key, Cell] = {}
    formula_cells: list[str] = []
    for r in rows:
        for c in cols:
            cell = get((r, c))
            if cell is None:
                continue
            key = fast_paths.style_key(cell)
            st = ctx.styles.get(key) if key is not None else None
            if st is None:
                st = resolve_style(cell, theme)
                if key is not None:
                    ctx.styles[key] = st
            styles[(r, c)] = st
            v = cell.value
            if v is None or (r, c) in merge_of and merges[merge_of[(r, c)]][:2] != (r, c):
                continue
            if cell.data_type == "f" or not isinstance(
                    v, (str, int, float, Decimal, bool, datetime, date, dtime, timedelta)):
                if cell.data_type == "f" or type(v).__name__.endswith("Formula"):
                    formula_cells.append(cell.coordinate)
                    continue
                v = str(v)
            text, fcolor = format_value(v, st.number_format)
            if text == "":
                continue
            content[(r, c)] = Cell(text, st, fcolor or st.color,
                                   isinstance(v, (int, float, Decimal, datetime, date))
                                   and not isinstance(v, bool))
    if formula_cells:
        shown = "、".join(formula_cells[:5]) + ("…" if len(formula_cells) > 5 else "")
        ctx.warn(f"工作表“{ws.title}”的 {len(formula_cells)} 个单元格是公式（{shown}），"
                 "公式不会被计算，PDF 中留空")
    return styles, content


def font_size(st: CellStyle, scale: float) -> float:
    """The drawn font size of a cell: scaled with the sheet, never below 6 pt by scaling."""
    sz = st.size or DEFAULT_FONT_SIZE
    return max(min(sz, MIN_FONT), sz * scale)


def cell_value(ctx: RenderContext, cell: Cell, span_w: float, scale: float,
               sheet: str) -> tuple[Any, tuple, float]:
    """The table cell value (str or Paragraph), its drawing key and its needed height.

    ``span_w`` is the width the text may use (its column(s), merge or overflow span), ``scale``
    the sheet's scale and ``sheet`` its name (for warnings). The key is (font, size, colour,
    halign, valign, left padding, right padding); font, size and colour are None for a
    Paragraph (it carries its own style).
    """
    st = cell.style
    fs = ctx.fs
    font = fs.font_for(st.font, st.bold)
    size = font_size(st, scale)
    halign = HALIGN.get(st.halign or "") or ("RIGHT" if cell.is_number else "LEFT")
    valign = VALIGN.get(st.valign or "", "BOTTOM")
    indent = st.indent * INDENT_PT * scale if halign in ("LEFT", "RIGHT") else 0.0
    lpad = PAD_X + (indent if halign == "LEFT" else 0.0)
    rpad = PAD_X + (indent if halign == "RIGHT" else 0.0)
    avail = max(1.0, span_w - lpad - rpad)
    text = cell.text
    missing = ctx.missing_glyphs(text, font)
    lines = text.split("\n")
    widest = max(text_width(x, font, size) for x in lines)
    ctx.fonts.add(font)
    fake_bold = st.bold and fs.bold_is_synthetic
    if not (missing or st.underline or st.strike):
        value = BoldText(text) if fake_bold else text
        if widest <= avail + 0.01:
            return value, (font, size, cell.color, halign, valign, lpad, rpad), \
                len(lines) * size * LEADING + 2 * PAD_Y
        if (cell.is_number or st.shrink) and widest:
            small = max(MIN_SHRINK_FONT, math.floor(size * avail / widest * 4) / 4)
            if max(text_width(x, font, small) for x in lines) <= avail + 0.01:
                return value, (font, small, cell.color, halign, valign, lpad, rpad), \
                    len(lines) * small * LEADING + 2 * PAD_Y
    # a wrapping Paragraph
    palign = "JUSTIFY" if st.halign in ("justify", "distributed") else halign
    out_lines = []
    for line in lines:
        stripped = line.lstrip(" \u3000")
        lead = line[:len(line) - len(stripped)]
        body, unresolved = fs.markup(stripped, font)
        if unresolved:
            listed = "、".join(f"“{ch}”(U+{ord(ch):04X})" for ch in sorted(unresolved))
            ctx.warn(f"工作表“{sheet}”：字符 {listed} 没有可用字体，"
                     f"PDF 中以“{MISSING_MARK}”代替")
        body = "&nbsp;" * (lead.count(" ") + 2 * lead.count("\u3000")) + body
        out_lines.append(body)
    markup = "<br/>".join(out_lines)
    if st.underline:
        markup = f"<u>{markup}</u>"
    if st.strike:
        markup = f"<strike>{markup}</strike>"
    if missing:
        for ch in missing:
            fb = fs.fallback_for(ch)
            if fb:
                ctx.fonts.add(fb)
    para = (BoldParagraph if fake_bold else Paragraph)(
        markup, ctx.pstyle(font, size, cell.color, palign))
    _, h = para.wrap(avail, 1e6)
    return para, (None, None, None, halign, valign, lpad, rpad), h + 2 * PAD_Y
