"""Flowables and text types of cells: clipped paragraphs and synthetic bold.

Without a bold face (e.g. 宋体), bold is synthesised as Word/WPS do: the glyph outlines are
filled and stroked in the text colour (text render mode 2).
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, Paragraph


class Clipped(Flowable):
    """A Paragraph cut to ``height`` (its top part; the rest is clipped away)."""

    def __init__(self, inner: Paragraph, height: float) -> None:
        super().__init__()
        self.inner, self.max_h = inner, max(1.0, height)
        self._full = 0.0

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        w, self._full = self.inner.wrap(avail_w, 1e6)
        self.width, self.height = w, min(self._full, self.max_h)
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        path = canv.beginPath()
        path.rect(0, 0, self.width, self.height)
        canv.clipPath(path, stroke=0, fill=0)
        self.inner.drawOn(canv, 0, self.height - self._full)
        canv.restoreState()


class BoldText(str):
    """Cell text drawn in synthetic bold (no bold face: fill and stroke the outlines)."""

    __slots__ = ()


def fake_bold_ops(size: float, color: Any) -> str:
    """PDF operators starting synthetic bold (closed by ``Q``): stroke in the text colour."""
    r, g, b = color.rgb() if hasattr(color, "rgb") else (0.0, 0.0, 0.0)
    return f"q 2 Tr {size / 30:.3f} w 1 j {r:.3f} {g:.3f} {b:.3f} RG"


class BoldParagraph(Paragraph):
    """A Paragraph drawn in synthetic bold (as Word/WPS embolden 宋体, which has no bold face)."""

    def draw(self) -> None:
        canv = self.canv
        canv._code.append(fake_bold_ops(self.style.fontSize, self.style.textColor))
        try:
            super().draw()
        finally:
            canv._code.append("Q")
