"""Optimisations that rely on reportlab or openpyxl private internals, each with a public path.

Every fast path here reads or writes something the libraries do not promise to keep: reportlab's
canvas stream (``canv._code``, ``canv._doc``, ``canv._escape``), a TrueType font's subsets
(``font._dynamicFont``, ``splitString``, ``getSubsetInternalName``), its face's advance widths
(``face.charWidths``), the process-wide ``rl_config.useA85`` switch, and openpyxl's cell store
(``ws._cells``) and style ids (``cell._style``). Each one runs only when

* :data:`ENABLED` is true (tests set it false to force the public paths),
* the library's major version is the one tested (:data:`TESTED_REPORTLAB_MAJOR`,
  :data:`TESTED_OPENPYXL_MAJOR`), and
* the internal is actually there;

otherwise the same result comes from public API only (slower; same text and layout, though not
the same bytes). :class:`SheetTable` hooks reportlab's ``Table._drawCell`` (no public hook
exists) to draw plain-text cells: synthetic bold and text clipped to a capped row need it.

Two uses of reportlab internals are features rather than optimisations and live with what they
draw: the synthetic bold of wrapped paragraphs (``flowables.BoldParagraph``) and the canvas that
buffers pages for the "第 X 页 共 Y 页" footer (``document``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import openpyxl
import reportlab
from reportlab import rl_config
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table

from balancesheet.reports.pdf.flowables import BoldText, fake_bold_ops

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

TESTED_REPORTLAB_MAJOR = 5  # reportlab 5.1
TESTED_OPENPYXL_MAJOR = 3  # openpyxl 3.1

#: Master switch of the fast paths; false forces the public paths (for tests).
ENABLED = True


def major_version(version: str) -> int | None:
    """The major number of a version string such as ``"5.1.0"`` (None when unreadable)."""
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return None


_REPORTLAB_TESTED = major_version(reportlab.Version) == TESTED_REPORTLAB_MAJOR
_OPENPYXL_TESTED = major_version(openpyxl.__version__) == TESTED_OPENPYXL_MAJOR


def reportlab_fast() -> bool:
    """Whether the reportlab fast paths may run (switch on, tested major version)."""
    return ENABLED and _REPORTLAB_TESTED


def openpyxl_fast() -> bool:
    """Whether the openpyxl fast paths may run (switch on, tested major version)."""
    return ENABLED and _OPENPYXL_TESTED


# --------------------------------------------------------------------------------------------
# openpyxl: the cell store and style ids
# --------------------------------------------------------------------------------------------

def iter_cells(ws: Worksheet) -> Iterable[tuple[tuple[int, int], Any]]:
    """((row, column), cell) of the cells of ``ws``.

    Fast: the cells the sheet holds (``ws._cells``). Public: every cell of ``ws.iter_rows()``.
    """
    cells = getattr(ws, "_cells", None) if openpyxl_fast() else None
    if cells is not None:
        return cells.items()
    return (((c.row, c.column), c) for row in ws.iter_rows() for c in row)


def cell_getter(ws: Worksheet) -> Callable[[tuple[int, int]], Any]:
    """A function (row, column) → the cell, or None where the sheet holds none.

    Fast: a lookup in ``ws._cells``. Public: ``ws.cell`` within the sheet's dimensions.
    """
    cells = getattr(ws, "_cells", None) if openpyxl_fast() else None
    if cells is not None:
        return cells.get
    return lambda k: ws.cell(*k) if k[0] <= ws.max_row and k[1] <= ws.max_column else None


def style_key(cell: Any) -> tuple | None:
    """A hashable key equal for cells of equal openpyxl style (``cell._style``), or None.

    None (the public path) means: resolve the cell's style without caching it.
    """
    if not openpyxl_fast():
        return None
    style = getattr(cell, "_style", None)
    return tuple(style) if style is not None else None


# --------------------------------------------------------------------------------------------
# reportlab: text widths, stream encoding, plain-text cells
# --------------------------------------------------------------------------------------------

_WIDTHS: dict[str, tuple[dict[int, float], float] | None] = {}


@lru_cache(maxsize=16384)
def _public_text_width(text: str, font: str, size: float) -> float:
    # stringWidth at 1000 pt is the plain sum of advance widths, as _face_text_width sums them
    return max(stringWidth(line, font, 1000.0) for line in text.split("\n")) * size / 1000.0


@lru_cache(maxsize=16384)
def _face_text_width(text: str, font: str, size: float) -> float:
    got = _WIDTHS.get(font, False)
    if got is False:
        face = getFont(font).face
        widths, default = getattr(face, "charWidths", None), getattr(face, "defaultWidth", None)
        got = _WIDTHS[font] = (widths, float(default)) \
            if isinstance(widths, dict) and default is not None else None
    if got is None:
        return _public_text_width(text, font, size)
    widths, default = got
    get = widths.get
    return max(sum(get(ord(ch), default) for ch in line) for line in text.split("\n")) \
        * size / 1000.0


def text_width(text: str, font: str, size: float) -> float:
    """Width in points of the widest line of ``text`` (the font's advance widths, no kerning).

    Fast: the face's width table (``face.charWidths``). Public: ``pdfmetrics.stringWidth``.
    """
    if reportlab_fast():
        return _face_text_width(text, font, size)
    return _public_text_width(text, font, size)


_BUILD_LOCK = threading.Lock()


@contextmanager
def pdf_build() -> Iterator[None]:
    """Around ``doc.build``: one build at a time; binary (Flate only) streams when fast.

    Fast: ``rl_config.useA85`` off for the build (smaller and faster than ASCII85; a global
    setting, hence the lock). Public: reportlab's configured stream encoding.
    """
    with _BUILD_LOCK:
        if not (reportlab_fast() and hasattr(rl_config, "useA85")):
            yield
            return
        saved_a85 = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = saved_a85


_TEXT_INTERNALS = (hasattr(Canvas, "_escape") and hasattr(TTFont, "splitString")
                   and hasattr(TTFont, "getSubsetInternalName"))


def _direct_write_ok(table: Table, font: Any) -> bool:
    canv = table.canv
    return (reportlab_fast() and _TEXT_INTERNALS and bool(getattr(font, "_dynamicFont", False))
            and hasattr(canv, "_code") and hasattr(canv, "_doc")
            and hasattr(table, "_curcellstyle"))


class SheetTable(Table):
    """A Table that draws its plain-text cells itself (synthetic bold, clipped capped rows).

    Fast: a cell in a TrueType font is written as one PDF text operation straight into the page
    stream — reportlab draws each string through a text object (bidi, shaping, state
    bookkeeping), which dominates the time of big tables; the output is the same BT/Tf/Tj/ET
    sequence. Public: the same lines at the same places through ``canvas.drawString`` inside
    ``saveState``/``restoreState``. Anything else (Paragraphs, other alignments, links) goes
    reportlab's way.
    """

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: tuple[float, float],  # noqa: N802
                  size: tuple[float, float]) -> None:
        if type(cellval) not in (str, BoldText) or not cellval:
            return super()._drawCell(cellval, cellstyle, pos, size)
        if cellstyle.alignment not in ("LEFT", "RIGHT", "CENTER", "CENTRE") \
                or cellstyle.valign not in ("TOP", "MIDDLE", "BOTTOM") or cellstyle.href \
                or cellstyle.destination:
            return super()._drawCell(cellval, cellstyle, pos, size)
        font = getFont(cellstyle.fontname)
        lines, clip = _text_lines(cellval, cellstyle, pos, size)
        if _direct_write_ok(self, font):
            self._write_text(cellval, cellstyle, pos, size, font, lines, clip)
        else:
            self._draw_text(cellval, cellstyle, pos, size, lines, clip)
        return None

    def _write_text(self, cellval: str, cellstyle: Any, pos: tuple[float, float],
                    size: tuple[float, float], font: Any, lines: list[tuple[float, float, str]],
                    clip: bool) -> None:
        canv = self.canv
        cur = self._curcellstyle
        if cur is not cellstyle:
            if cur is None or cellstyle.color != cur.color:
                canv.setFillColor(cellstyle.color)
            if cur is None or cellstyle.leading != cur.leading or \
                    cellstyle.fontname != cur.fontname or cellstyle.fontsize != cur.fontsize:
                canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        (colpos, rowpos), (colwidth, rowheight) = pos, size
        fontsize = cellstyle.fontsize
        doc, escape = canv._doc, canv._escape
        out = []
        if clip:
            out.append(f"q {colpos:.3f} {rowpos:.3f} {colwidth:.3f} {rowheight:.3f} re W n")
        if type(cellval) is BoldText:
            out.append(fake_bold_ops(fontsize, cellstyle.color))
        for x, y, line in lines:
            out.append(f"BT 1 0 0 1 {x:.3f} {y:.3f} Tm")
            for subset, chunk in font.splitString(line, doc):
                out.append(f"{font.getSubsetInternalName(subset, doc)} {fontsize:.3f} Tf "
                           f"({escape(chunk)}) Tj")
            out.append("ET")
        if type(cellval) is BoldText:
            out.append("Q")
        if clip:
            out.append("Q")
        canv._code.append(" ".join(out))

    def _draw_text(self, cellval: str, cellstyle: Any, pos: tuple[float, float],
                   size: tuple[float, float], lines: list[tuple[float, float, str]],
                   clip: bool) -> None:
        canv = self.canv
        fontsize = round(cellstyle.fontsize, 3)  # as written by the fast path
        canv.saveState()  # the Table's own font/colour bookkeeping stays valid after restore
        canv.setFillColor(cellstyle.color)
        canv.setFont(cellstyle.fontname, fontsize, cellstyle.leading)
        if clip:
            path = canv.beginPath()
            path.rect(pos[0], pos[1], size[0], size[1])
            canv.clipPath(path, stroke=0, fill=0)
        mode = None
        if type(cellval) is BoldText:  # as fake_bold_ops: stroke the outlines too
            color = cellstyle.color
            canv.setStrokeColor(color if hasattr(color, "rgb") else (0.0, 0.0, 0.0))
            canv.setLineWidth(fontsize / 30)
            canv.setLineJoin(1)
            mode = 2
        for x, y, line in lines:
            canv.drawString(round(x, 3), round(y, 3), line, mode=mode)
        canv.restoreState()


def _text_lines(cellval: str, cellstyle: Any, pos: tuple[float, float],
                size: tuple[float, float]) -> tuple[list[tuple[float, float, str]], bool]:
    """Each line of a plain-text cell with its start (x, baseline y), and whether the text
    must be clipped to the cell (a row capped at a page: the first lines show, from the top)."""
    (colpos, rowpos), (colwidth, rowheight) = pos, size
    just, valign = cellstyle.alignment, cellstyle.valign
    lines = cellval.split("\n")
    n, leading, fontsize = len(lines), cellstyle.leading, cellstyle.fontsize
    clip = n * leading > rowheight - cellstyle.topPadding - cellstyle.bottomPadding + 0.5
    if clip:
        valign = "TOP"
    if valign == "BOTTOM":
        y = rowpos + cellstyle.bottomPadding + n * leading - fontsize
    elif valign == "TOP":
        y = rowpos + rowheight - cellstyle.topPadding - fontsize
    else:
        y = rowpos + (cellstyle.bottomPadding + rowheight - cellstyle.topPadding
                      + n * leading) / 2.0 - fontsize
    placed = []
    for line in lines:
        if just == "LEFT":
            x = colpos + cellstyle.leftPadding
        else:
            w = text_width(line, cellstyle.fontname, fontsize)
            if just == "RIGHT":
                x = colpos + colwidth - cellstyle.rightPadding - w
            else:
                x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding
                              - w) / 2.0
        placed.append((x, y, line))
        y -= leading
    return placed, clip
