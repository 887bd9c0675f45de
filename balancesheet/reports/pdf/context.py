"""What one :func:`~balancesheet.reports.pdf.render_pdf` call shares: sizes, caches, warnings.

The layout constants (points unless noted), a formatted cell (:class:`Cell`) and the rendering
context (:class:`RenderContext`: fonts, theme, style caches, fonts used, user warnings).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from balancesheet.reports.fonts import FontSet
from balancesheet.reports.pdf.styles import PARA_ALIGN, CellStyle, rl_color

MIN_FONT = 6.0  # fit-to-width never shrinks text below this (unless the cell is smaller already)
MIN_SHRINK_FONT = 4.0  # numbers / shrink-to-fit cells may go this small rather than wrap
DEFAULT_FONT_SIZE = 10.0
LEADING = 1.2
PAD_X = 2.0
PAD_Y = 1.0
INDENT_PT = 8.0  # one Excel indent level (before scaling)
DEFAULT_COL_WIDTH = 8.43  # Excel characters
DEFAULT_ROW_HEIGHT = 15.0  # points


@dataclass
class Cell:
    """A cell's displayed text, its style, text colour and whether it holds a number/date."""

    text: str
    style: CellStyle
    color: str | None
    is_number: bool


@dataclass
class RenderContext:
    """State shared by the sheets and charts of one PDF: caches, fonts used, warnings."""

    fs: FontSet
    theme: list[str]
    warnings: list[str] = field(default_factory=list)
    fonts: set[str] = field(default_factory=set)
    styles: dict[tuple, CellStyle] = field(default_factory=dict)
    pstyles: dict[tuple, ParagraphStyle] = field(default_factory=dict)
    missing: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def warn(self, msg: str) -> None:
        """Add a warning for the user (once)."""
        if msg not in self.warnings:
            self.warnings.append(msg)

    def missing_glyphs(self, text: str, font: str) -> set[str]:
        """The characters of ``text`` that ``font`` cannot draw (cached)."""
        key = (text, font)
        got = self.missing.get(key)
        if got is None:
            got = self.missing[key] = set() if text.isascii() else self.fs.missing_glyphs(
                text, font)
        return got

    def pstyle(self, font: str, size: float, color: str | None, align: str) -> ParagraphStyle:
        """The (cached) paragraph style of wrapped cell text."""
        key = (font, size, color, align)
        st = self.pstyles.get(key)
        if st is None:
            st = self.pstyles[key] = ParagraphStyle(
                f"c{len(self.pstyles)}", fontName=font, fontSize=size, leading=size * LEADING,
                alignment=TA_JUSTIFY if align == "JUSTIFY" else PARA_ALIGN.get(align, TA_LEFT),
                textColor=rl_color(color) if color else colors.black, wordWrap="CJK",
                splitLongWords=True)
        return st
