"""Cell styles: openpyxl fonts, borders, fills, alignment and colours → reportlab values.

Colours resolve theme (with tint), indexed and RGB values to ``RRGGBB``; a cell's style is
flattened into a frozen :class:`CellStyle` that the layout caches per openpyxl style.
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT

if TYPE_CHECKING:
    from openpyxl import Workbook

_DEFAULT_THEME = ["FFFFFF", "000000", "E7E6E6", "44546A", "4472C4", "ED7D31", "A5A5A5", "FFC000",
                  "5B9BD5", "70AD47", "0563C1", "954F72"]


def theme_palette(wb: Workbook) -> list[str]:
    """The workbook's 12 theme colours (RRGGBB, in Excel's theme index order)."""
    xml = getattr(wb, "loaded_theme", None)
    if not xml:
        return _DEFAULT_THEME
    if isinstance(xml, bytes):
        xml = xml.decode("utf-8", "replace")
    found: dict[str, str] = {}
    for name in ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4",
                 "accent5", "accent6", "hlink", "folHlink"):
        m = re.search(rf"<a:{name}>(.*?)</a:{name}>", xml, re.S)
        if m:
            c = re.search(r'(?:srgbClr val|lastClr)="([0-9A-Fa-f]{6})"', m.group(1))
            if c:
                found[name] = c.group(1).upper()
    order = ["lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5",
             "accent6", "hlink", "folHlink"]
    return [found.get(k, d) for k, d in zip(order, _DEFAULT_THEME, strict=True)]


def _apply_tint(hex6: str, tint: float) -> str:
    r, g, b = (int(hex6[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, l_, s = colorsys.rgb_to_hls(r, g, b)
    l_ = l_ * (1 + tint) if tint < 0 else l_ * (1 - tint) + tint
    r, g, b = colorsys.hls_to_rgb(h, max(0.0, min(1.0, l_)), s)
    return f"{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"


def _color_hex(color: Any, theme: list[str], default: str | None) -> str | None:
    """An openpyxl Color as 'RRGGBB' (None: transparent / not set → ``default``)."""
    if color is None:
        return default
    try:
        kind = color.type
        if kind == "rgb":
            rgb = color.rgb
            if not isinstance(rgb, str) or len(rgb) < 6:
                return default
            if len(rgb) == 8 and rgb[:2] == "00" and rgb[2:] == "000000":
                return default  # "no colour" as openpyxl writes it by default
            hex6 = rgb[-6:].upper()
        elif kind == "indexed":
            from openpyxl.styles.colors import COLOR_INDEX

            idx = color.indexed
            if idx is None or idx >= len(COLOR_INDEX):
                return default
            hex6 = COLOR_INDEX[idx][-6:].upper()
        elif kind == "theme":
            idx = color.theme or 0
            hex6 = theme[idx] if idx < len(theme) else "000000"
        else:
            return default
        tint = color.tint or 0.0
        return _apply_tint(hex6, tint) if tint else hex6
    except (AttributeError, TypeError, ValueError):
        return default


_COLOR_CACHE: dict[str, colors.Color] = {}


def rl_color(hex6: str) -> colors.Color:
    """The (cached) reportlab colour of ``RRGGBB``."""
    c = _COLOR_CACHE.get(hex6)
    if c is None:
        c = _COLOR_CACHE[hex6] = colors.HexColor("#" + hex6)
    return c


# border style → (width pt, dash pattern, line count)
_BORDER = {
    "hair": (0.25, None, 1), "thin": (0.5, None, 1), "dotted": (0.5, (1, 1.5), 1),
    "dashed": (0.5, (3, 2), 1), "dashDot": (0.5, (3, 1.5, 1, 1.5), 1),
    "dashDotDot": (0.5, (3, 1.5, 1, 1.5, 1, 1.5), 1), "medium": (1.0, None, 1),
    "mediumDashed": (1.0, (3, 2), 1), "mediumDashDot": (1.0, (3, 1.5, 1, 1.5), 1),
    "mediumDashDotDot": (1.0, (3, 1.5, 1, 1.5, 1, 1.5), 1),
    "slantDashDot": (1.0, (3, 1.5, 1, 1.5), 1), "thick": (1.5, None, 1), "double": (0.5, None, 2),
}
Line = tuple[float, str, tuple[float, ...] | None, int]  # width, RRGGBB, dash, count
GRIDLINE: Line = (0.25, "A0A0A0", None, 1)


@dataclass(frozen=True)
class CellStyle:
    """What the PDF follows of a cell's style (Excel names for alignments, RRGGBB colours)."""

    font: str | None = None
    size: float | None = None
    bold: bool = False
    underline: bool = False
    strike: bool = False
    color: str | None = None  # RRGGBB
    halign: str | None = None
    valign: str | None = None
    wrap: bool = False
    shrink: bool = False
    indent: float = 0.0
    left: Line | None = None
    right: Line | None = None
    top: Line | None = None
    bottom: Line | None = None
    fill: str | None = None
    number_format: str = "General"


EMPTY_STYLE = CellStyle()


def _line(side: Any, theme: list[str]) -> Line | None:
    style = getattr(side, "style", None) if side is not None else None
    if not style or style not in _BORDER:
        return None
    width, dash, count = _BORDER[style]
    return (width, _color_hex(side.color, theme, "000000") or "000000", dash, count)


def resolve_style(cell: Any, theme: list[str]) -> CellStyle:
    """The style of an openpyxl ``cell`` (colours resolved with the workbook ``theme``)."""
    f, a, b, fl = cell.font, cell.alignment, cell.border, cell.fill
    fill = None
    if getattr(fl, "patternType", None) not in (None, "none"):
        fill = _color_hex(fl.fgColor, theme, None)
        if fill is None and fl.patternType != "solid":
            fill = None
    elif getattr(fl, "stop", None):  # gradient: its first stop
        fill = _color_hex(fl.stop[0].color, theme, None)
    if fill == "FFFFFF":
        fill = None
    color = _color_hex(f.color, theme, None) if f is not None else None
    return CellStyle(
        font=f.name if f is not None else None,
        size=float(f.sz) if f is not None and f.sz else None,
        bold=bool(f is not None and f.b),
        underline=bool(f is not None and f.u and f.u != "none"),
        strike=bool(f is not None and f.strike),
        color=None if color == "000000" else color,
        halign=a.horizontal if a is not None else None,
        valign=a.vertical if a is not None else None,
        wrap=bool(a is not None and a.wrap_text),
        shrink=bool(a is not None and a.shrink_to_fit),
        indent=float(a.indent or 0) if a is not None else 0.0,
        left=_line(b.left, theme), right=_line(b.right, theme),
        top=_line(b.top, theme), bottom=_line(b.bottom, theme),
        fill=fill,
        number_format=cell.number_format or "General",
    )


def heavier(a: Line | None, b: Line | None) -> Line | None:
    """Of two borders meeting on one edge, the heavier (width x line count; ``a`` on a tie)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if a[0] * a[3] >= b[0] * b[3] else b


VALIGN = {"top": "TOP", "center": "MIDDLE", "justify": "MIDDLE", "distributed": "MIDDLE"}
HALIGN = {"left": "LEFT", "center": "CENTER", "centerContinuous": "CENTER", "right": "RIGHT",
          "fill": "LEFT", "justify": "LEFT", "distributed": "CENTER"}
PARA_ALIGN = {"LEFT": TA_LEFT, "CENTER": TA_CENTER, "RIGHT": TA_RIGHT}

