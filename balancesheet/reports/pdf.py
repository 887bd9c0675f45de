"""PDF rendering of a filled report workbook (reportlab platypus), plus bar-chart pages.

The PDF is drawn from the filled workbook, whose layout is the single source of truth: every
visible worksheet, in workbook order, each starting on a new A4 page, with its print area, merged
cells, column widths, fonts, alignment, borders, fills, number formats, print titles, orientation
and header/footer. :func:`render_pdf` lists exactly what is followed and what is ignored.
Text is drawn with an embedded TrueType CJK font (:mod:`balancesheet.reports.fonts`); bold
without a bold face is synthesised (outlines filled and stroked, as Word/WPS do for 宋体).

This module imports reportlab at import time; callers import it lazily.
"""

from __future__ import annotations

import colorsys
import math
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl.utils.cell import get_column_letter
from reportlab import rl_config
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from balancesheet.reports.fonts import MISSING_MARK, FontSet, register_fonts

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from balancesheet.reports.data import ChartSpec

Progress = Callable[[float, str], None]
_BUILD_LOCK = threading.Lock()

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
class PdfInfo:
    """What :func:`render_pdf` produced."""

    pages: int
    fonts: list[str]  # registered reportlab font names used (see FontSet.paths for their files)
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Number formats
# --------------------------------------------------------------------------------------------

_COLOR_NAMES = {"black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "00FF00",
                "blue": "0000FF", "yellow": "FFFF00", "magenta": "FF00FF", "cyan": "00FFFF"}
_DATE_CHARS = set("yYmMdDhHsS")
_WEEKDAYS_CN = "一二三四五六日"


@lru_cache(maxsize=512)
def _split_sections(fmt: str) -> tuple[str, ...]:
    out, cur, i = [], [], 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == '"':
            j = fmt.find('"', i + 1)
            j = len(fmt) - 1 if j < 0 else j
            cur.append(fmt[i:j + 1])
            i = j + 1
            continue
        if ch == "\\" and i + 1 < len(fmt):
            cur.append(fmt[i:i + 2])
            i += 2
            continue
        if ch == ";":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    out.append("".join(cur))
    return tuple(re.sub(r"\[[<>=][^\]]*\]", "", x) for x in out)  # conditions: not interpreted


@lru_cache(maxsize=1024)
def _tokens(section: str) -> tuple[tuple[tuple[str, str], ...], str | None]:
    """Tokens (kind, text) of one format section and its [Colour], if any.

    kinds: lit (literal text), num (digit placeholders 0#?,.), pct, exp (E+00), text (@),
    date (a date/time code such as yyyy, m, ss, AM/PM).
    """
    toks: list[tuple[str, str]] = []
    color = None
    i, n = 0, len(section)
    while i < n:
        ch = section[i]
        if ch == '"':
            j = section.find('"', i + 1)
            j = n if j < 0 else j
            toks.append(("lit", section[i + 1:j]))
            i = j + 1
        elif ch == "\\":
            toks.append(("lit", section[i + 1:i + 2]))
            i += 2
        elif ch == "_":
            toks.append(("lit", " "))
            i += 2
        elif ch == "*":
            i += 2
        elif ch == "[":
            j = section.find("]", i)
            j = n if j < 0 else j
            content = section[i + 1:j]
            low = content.lower()
            if low in _COLOR_NAMES:
                color = _COLOR_NAMES[low]
            elif content.startswith("$"):
                toks.append(("lit", content[1:].split("-")[0]))
            elif low in ("h", "hh", "m", "mm", "s", "ss"):
                toks.append(("date", "[" + low + "]"))
            i = j + 1
        elif ch in "0#?.,":
            j = i
            while j < n and section[j] in "0#?.,":
                j += 1
            toks.append(("num", section[i:j]))
            i = j
        elif ch == "%":
            toks.append(("pct", "%"))
            i += 1
        elif ch in "Ee" and i + 1 < n and section[i + 1] in "+-" and any(
                k == "num" for k, _ in toks):
            j = i + 2
            while j < n and section[j] in "0#":
                j += 1
            toks.append(("exp", section[i:j]))
            i = j
        elif ch == "@":
            toks.append(("text", "@"))
            i += 1
        elif section[i:i + 5].upper() == "AM/PM":
            toks.append(("date", "AM/PM"))
            i += 5
        elif section[i:i + 3].upper() == "A/P":
            toks.append(("date", "A/P"))
            i += 3
        elif ch in _DATE_CHARS or ch in "aA" and section[i:i + 3].lower() == "aaa":
            j = i
            while j < n and section[j].lower() == ch.lower():
                j += 1
            toks.append(("date", section[i:j].lower()))
            i = j
        else:
            toks.append(("lit", ch))
            i += 1
    return tuple(toks), color


def _general(value: float) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value) if abs(value) < 10**15 else f"{value:.5E}"
    v = float(value)
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1e11 or a < 1e-9:
        mant, _, exp = f"{v:.5E}".partition("E")
        mant = mant.rstrip("0").rstrip(".")
        return f"{mant}E{exp}"
    if v.is_integer():
        return str(int(v))
    s = format(Decimal(f"{v:.10g}"), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def _group(digits: str) -> str:
    out = []
    while len(digits) > 3:
        out.append(digits[-3:])
        digits = digits[:-3]
    out.append(digits)
    return ",".join(reversed(out))


@dataclass(frozen=True)
class _NumPlan:
    pct: int
    exp: str | None
    divide: int  # trailing-comma scaling: divide by 1000**divide
    thousands: bool
    dot: bool
    dec_all: int
    dec_min: int
    int_min: int


@lru_cache(maxsize=1024)
def _num_plan(toks: tuple[tuple[str, str], ...]) -> _NumPlan:
    pattern = "".join(t for k, t in toks if k == "num")
    stripped = pattern.rstrip(",")
    int_pat, dot, dec_pat = stripped.partition(".")
    return _NumPlan(
        pct=sum(1 for k, _ in toks if k == "pct"),
        exp=next((t for k, t in toks if k == "exp"), None),
        divide=len(pattern) - len(stripped),
        thousands="," in int_pat,
        dot=bool(dot),
        dec_all=sum(1 for ch in dec_pat if ch in "0#?"),
        dec_min=sum(1 for ch in dec_pat if ch in "0?"),
        int_min=int_pat.count("0"),
    )


def _format_number(value: float, toks: tuple[tuple[str, str], ...]) -> str:
    plan = _num_plan(toks)
    v = float(value) * (100 ** plan.pct) / (1000 ** plan.divide)
    exp, dec_all, dec_min = plan.exp, plan.dec_all, plan.dec_min
    if exp is not None:
        digits = max(0, sum(1 for ch in exp[2:] if ch == "0"))
        s = f"{abs(v):.{dec_all}E}"
        mant, _, e = s.partition("E")
        sign = "-" if e.startswith("-") else ("+" if exp[1] == "+" else "")
        num_text = f"{mant}E{sign}{abs(int(e)):0{max(digits, 1)}d}"
    else:
        try:
            d = Decimal(f"{abs(v):.15g}").quantize(Decimal(1).scaleb(-dec_all), ROUND_HALF_UP)
        except InvalidOperation:
            return _general(value)
        s = format(d, "f")
        ip, _, fp = s.partition(".")
        fp = fp[:dec_all]
        while len(fp) > dec_min and fp.endswith("0"):
            fp = fp[:-1]
        ip = ip.lstrip("0").rjust(plan.int_min, "0")
        if plan.thousands and ip:
            ip = _group(ip)
        if fp:
            num_text = f"{ip}.{fp}"
        elif plan.dot:
            num_text = ip + "."  # Excel shows "5." for 5 in "0.##"
        else:
            num_text = ip
    out: list[str] = []
    placed = False
    for kind, text in toks:
        if kind == "num":
            if not placed:
                out.append(num_text)
                placed = True
        elif kind in ("lit", "pct"):
            out.append(text)
        elif kind == "text":
            out.append("")
    if not placed:
        out.append(num_text)
    return "".join(out)


def _format_date(value: date | datetime | dtime, toks: tuple[tuple[str, str], ...]) -> str:
    if isinstance(value, dtime):
        value = datetime.combine(date(1899, 12, 30), value)
    elif not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    ampm = any(k == "date" and t in ("AM/PM", "A/P") for k, t in toks)
    out: list[str] = []
    kinds = [(k, t) for k, t in toks]
    for idx, (kind, text) in enumerate(kinds):
        if kind != "date":
            if kind in ("lit", "pct"):
                out.append(text)
            elif kind == "num":
                out.append(text.replace("0", "").replace("#", ""))  # fractional seconds: dropped
            continue
        t = text
        if t.startswith("y"):
            out.append(f"{value.year % 100:02d}" if len(t) <= 2 else f"{value.year:04d}")
        elif t.startswith("m") and not t.startswith("[m"):
            prev = next((x for k, x in reversed(kinds[:idx]) if k == "date"), "")
            nxt = next((x for k, x in kinds[idx + 1:] if k == "date"), "")
            if len(t) <= 2 and (prev.startswith("h") or nxt.startswith("s")):
                out.append(f"{value.minute:02d}" if len(t) == 2 else str(value.minute))
            elif len(t) == 1:
                out.append(str(value.month))
            elif len(t) == 2:
                out.append(f"{value.month:02d}")
            elif len(t) == 3:
                out.append(value.strftime("%b"))
            else:
                out.append(value.strftime("%B"))
        elif t.startswith("d"):
            if len(t) == 1:
                out.append(str(value.day))
            elif len(t) == 2:
                out.append(f"{value.day:02d}")
            else:
                out.append(value.strftime("%a" if len(t) == 3 else "%A"))
        elif t.startswith("a"):
            wd = _WEEKDAYS_CN[value.weekday()]
            out.append(("星期" + wd) if len(t) >= 4 else wd)
        elif t.startswith("h"):
            h = value.hour % 12 or 12 if ampm else value.hour
            out.append(f"{h:02d}" if len(t) >= 2 else str(h))
        elif t.startswith("s"):
            out.append(f"{value.second:02d}" if len(t) >= 2 else str(value.second))
        elif t in ("AM/PM", "A/P"):
            pm = value.hour >= 12
            out.append(("PM" if pm else "AM") if t == "AM/PM" else ("P" if pm else "A"))
        elif t.startswith("["):
            out.append(str(value.hour))
    return "".join(out)


@lru_cache(maxsize=1024)
def _is_date_section(toks: tuple[tuple[str, str], ...]) -> bool:
    return any(k == "date" for k, _ in toks)


def format_value(value: Any, number_format: str | None = "General") -> tuple[str, str | None]:
    """A cell value as Excel displays it with ``number_format``, and the format's colour (RRGGBB).

    Supports General, ``0``, ``0.00``, ``#,##0``, ``#,##0.00``, percentages, trailing-comma
    scaling, scientific ``0.00E+00``, literal text (quoted, escaped, ``[$¥-804]``), ``_x``
    padding, up to four sections (positive;negative;zero;text) with ``[Red]``-style colours, and
    date/time codes (yyyy, m, d, h, mm, ss, AM/PM, aaaa). Rounding is half away from zero on the
    15-significant-digit value, as Excel does. Conditions (``[>100]``) and fractions are not
    interpreted (the number is shown as General).
    """
    if value is None:
        return "", None
    fmt = (number_format or "General").strip() or "General"
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), None
    if isinstance(value, (datetime, date, dtime)):
        if fmt.lower() == "general" or not _is_date_section(_tokens(_split_sections(fmt)[0])[0]):
            if isinstance(value, datetime):
                return (value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != dtime(0)
                        else value.strftime("%Y-%m-%d")), None
            return value.isoformat(), None
        toks, color = _tokens(_split_sections(fmt)[0])
        return _format_date(value, toks), color
    if isinstance(value, timedelta):
        return str(value), None
    if isinstance(value, (int, float, Decimal)):
        v = float(value)
        if math.isnan(v) or math.isinf(v):
            return ("#NUM!" if math.isnan(v) else "#DIV/0!"), None
        if fmt.lower() == "general" or fmt == "@":
            return _general(value), None
        sections = _split_sections(fmt)
        negative_section = False
        if v < 0 and len(sections) >= 2:
            sec = sections[1]
            negative_section = True
        elif v == 0 and len(sections) >= 3:
            sec = sections[2]
        else:
            sec = sections[0]
        toks, color = _tokens(sec)
        if _is_date_section(toks):
            try:
                from openpyxl.utils.datetime import from_excel

                return _format_date(from_excel(v), toks), color
            except (ValueError, OverflowError):
                return _general(value), color
        if not any(k in ("num", "exp") for k, _ in toks):
            if any(k == "text" for k, _ in toks):
                return _general(value), color
            return "".join(t for k, t in toks if k in ("lit", "pct")), color
        text = _format_number(abs(v), toks)
        if v < 0 and not negative_section and re.search(r"[1-9]", text):
            text = "-" + text
        return text, color
    text = str(value)
    sections = _split_sections(fmt)
    if len(sections) >= 4 and "@" in sections[3]:
        toks, color = _tokens(sections[3])
        return "".join(text if k == "text" else t for k, t in toks if k in ("lit", "text")), color
    return text, None


# --------------------------------------------------------------------------------------------
# Colours
# --------------------------------------------------------------------------------------------

_DEFAULT_THEME = ["FFFFFF", "000000", "E7E6E6", "44546A", "4472C4", "ED7D31", "A5A5A5", "FFC000",
                  "5B9BD5", "70AD47", "0563C1", "954F72"]


def _theme_palette(wb: Workbook) -> list[str]:
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


def _rl_color(hex6: str) -> colors.Color:
    c = _COLOR_CACHE.get(hex6)
    if c is None:
        c = _COLOR_CACHE[hex6] = colors.HexColor("#" + hex6)
    return c


# --------------------------------------------------------------------------------------------
# Cell styles
# --------------------------------------------------------------------------------------------

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
_GRIDLINE: Line = (0.25, "A0A0A0", None, 1)


@dataclass(frozen=True)
class _CellStyle:
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


_EMPTY_STYLE = _CellStyle()


def _line(side: Any, theme: list[str]) -> Line | None:
    style = getattr(side, "style", None) if side is not None else None
    if not style or style not in _BORDER:
        return None
    width, dash, count = _BORDER[style]
    return (width, _color_hex(side.color, theme, "000000") or "000000", dash, count)


def _resolve_style(cell: Any, theme: list[str]) -> _CellStyle:
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
    return _CellStyle(
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


def _heavier(a: Line | None, b: Line | None) -> Line | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if a[0] * a[3] >= b[0] * b[3] else b


_VALIGN = {"top": "TOP", "center": "MIDDLE", "justify": "MIDDLE", "distributed": "MIDDLE"}
_HALIGN = {"left": "LEFT", "center": "CENTER", "centerContinuous": "CENTER", "right": "RIGHT",
           "fill": "LEFT", "justify": "LEFT", "distributed": "CENTER"}
_PARA_ALIGN = {"LEFT": TA_LEFT, "CENTER": TA_CENTER, "RIGHT": TA_RIGHT}


# --------------------------------------------------------------------------------------------
# Rendering context and per-sheet layout
# --------------------------------------------------------------------------------------------

@dataclass
class _Cell:
    text: str
    style: _CellStyle
    color: str | None
    is_number: bool


@dataclass
class _Ctx:
    fs: FontSet
    theme: list[str]
    warnings: list[str] = field(default_factory=list)
    fonts: set[str] = field(default_factory=set)
    styles: dict[tuple, _CellStyle] = field(default_factory=dict)
    pstyles: dict[tuple, ParagraphStyle] = field(default_factory=dict)
    missing: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def warn(self, msg: str) -> None:
        if msg not in self.warnings:
            self.warnings.append(msg)

    def missing_glyphs(self, text: str, font: str) -> set[str]:
        key = (text, font)
        got = self.missing.get(key)
        if got is None:
            got = self.missing[key] = set() if text.isascii() else self.fs.missing_glyphs(
                text, font)
        return got

    def pstyle(self, font: str, size: float, color: str | None, align: str) -> ParagraphStyle:
        key = (font, size, color, align)
        st = self.pstyles.get(key)
        if st is None:
            st = self.pstyles[key] = ParagraphStyle(
                f"c{len(self.pstyles)}", fontName=font, fontSize=size, leading=size * LEADING,
                alignment=TA_JUSTIFY if align == "JUSTIFY" else _PARA_ALIGN.get(align, TA_LEFT),
                textColor=_rl_color(color) if color else colors.black, wordWrap="CJK",
                splitLongWords=True)
        return st


_WIDTHS: dict[str, tuple[dict[int, float], float]] = {}


@lru_cache(maxsize=16384)
def _text_width(text: str, font: str, size: float) -> float:
    """Width in points of the widest line of ``text`` (the font's advance widths, no kerning)."""
    got = _WIDTHS.get(font)
    if got is None:
        face = getFont(font).face
        got = _WIDTHS[font] = (face.charWidths, float(face.defaultWidth))
    widths, default = got
    get = widths.get
    return max(sum(get(ord(ch), default) for ch in line) for line in text.split("\n")) \
        * size / 1000.0


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


@dataclass
class _PageSpec:
    template_id: str
    pagesize: tuple[float, float]
    margins: tuple[float, float, float, float, float, float]  # l, r, t, b, header, footer (pt)
    header: tuple[str, str, str]
    footer: tuple[str, str, str]
    header_size: float
    footer_size: float
    sheet: str


_HF_CODE = re.compile(r'&(?:"[^"]*"|\d+|K[0-9A-Fa-f]{6}|K\d\d[+-]\d\d\d|[BIUESXYGLCRZ])')


def _hf_parts(hf: Any, sheet: str, title: str) -> tuple[tuple[str, str, str], float]:
    texts, size = [], None
    for part in ("left", "center", "right"):
        p = getattr(hf, part, None)
        t = getattr(p, "text", None) or ""
        if p is not None and getattr(p, "size", None):
            size = size or float(p.size)
        t = _HF_CODE.sub("", t.replace("&&", "\x00"))
        now = datetime.now()
        t = (t.replace("&A", sheet).replace("&F", title).replace("&D", now.strftime("%Y-%m-%d"))
             .replace("&T", now.strftime("%H:%M")).replace("\x00", "&"))
        texts.append(t)
    return (texts[0], texts[1], texts[2]), size or 9.0


class _SheetLayout:
    """The flowables of one worksheet (a title block, then the table(s) with repeated rows)."""

    def __init__(self, ws: Worksheet, ctx: _Ctx, index: int, title: str) -> None:
        self.ws, self.ctx, self.fs = ws, ctx, ctx.fs
        ps = ws.page_setup
        self.landscape = (ps.orientation or "").lower() == "landscape"
        size = landscape(A4) if self.landscape else A4
        pm = ws.page_margins
        m = tuple(float(x if x is not None else d) * 72 for x, d in (
            (pm.left, 0.75), (pm.right, 0.75), (pm.top, 1.0), (pm.bottom, 1.0),
            (pm.header, 0.5), (pm.footer, 0.5)))
        header, hsize = _hf_parts(ws.oddHeader, ws.title, title)
        footer, fsize = _hf_parts(ws.oddFooter, ws.title, title)
        if not any(footer):
            footer = ("", "第 &P 页 共 &N 页", "")
        self.page = _PageSpec(f"sheet{index}", size, m, header, footer,  # type: ignore[arg-type]
                              hsize, fsize, ws.title)
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
        cells = getattr(ws, "_cells", None)
        items = cells.items() if cells is not None else (
            ((c.row, c.column), c) for row in ws.iter_rows() for c in row)
        max_r = max_c = 0
        for (r, c), cell in items:
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
        ws, ctx, fs = self.ws, self.ctx, self.fs
        rng = self._used_range()
        if rng is None:
            return []
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
            return []
        sf = ws.sheet_format
        default_w = float(sf.defaultColWidth or (sf.baseColWidth or 8) + 0.43)
        raw_w = [(widths_ch.get(c, default_w) * 7 + 5) * 0.75 for c in cols]
        total = sum(raw_w)
        ps = ws.page_setup
        fit = bool(getattr(ws.sheet_properties.pageSetUpPr, "fitToPage", False))
        base = 1.0 if fit else min(1.0, max(0.1, float(ps.scale or 100) / 100))
        scale = min(base, self.frame_w / total) if total else 1.0
        self.scale = scale
        widths = [w * scale for w in raw_w]
        self.widths = widths
        ci = {c: j for j, c in enumerate(cols)}
        ri = {r: i for i, r in enumerate(rows)}
        self.rows, self.cols, self.ci, self.ri = rows, cols, ci, ri

        # merged ranges (clipped to the printed range)
        merge_of: dict[tuple[int, int], int] = {}
        merges: list[tuple[int, int, int, int]] = []
        for mr in ws.merged_cells.ranges:
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

        # cell contents and styles
        cells_map = getattr(ws, "_cells", None)
        get = cells_map.get if cells_map is not None else (
            lambda k: ws.cell(*k) if k[0] <= ws.max_row and k[1] <= ws.max_column else None)
        theme = ctx.theme
        styles: dict[tuple[int, int], _CellStyle] = {}
        content: dict[tuple[int, int], _Cell] = {}
        formula_cells: list[str] = []
        for r in rows:
            for c in cols:
                cell = get((r, c))
                if cell is None:
                    continue
                key = tuple(cell._style) if getattr(cell, "_style", None) is not None else None
                st = ctx.styles.get(key) if key is not None else None
                if st is None:
                    st = _resolve_style(cell, theme)
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
                content[(r, c)] = _Cell(text, st, fcolor or st.color,
                                        isinstance(v, (int, float, Decimal, datetime, date))
                                        and not isinstance(v, bool))
        if formula_cells:
            shown = "、".join(formula_cells[:5]) + ("…" if len(formula_cells) > 5 else "")
            ctx.warn(f"工作表“{ws.title}”的 {len(formula_cells)} 个单元格是公式（{shown}），"
                     "公式不会被计算，PDF 中留空")
        self.styles, self.content = styles, content

        # horizontal spans: merges, then overflow of unwrapped text into empty neighbours
        self.span_w: dict[tuple[int, int], float] = {}
        # cell → (row, first, last column index) of text overflowing into empty neighbours
        self.overflow: dict[tuple[int, int], tuple[int, int, int]] = {}
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
            need = _text_width(cell.text, fs.font_for(st.font, st.bold), self._size(st)) \
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
                return not cont or styles.get(k, _EMPTY_STYLE).halign == "centerContinuous"

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

        # cell flowables / strings, per-cell drawing keys and needed row heights
        self.data: dict[tuple[int, int], Any] = {}
        self.keys: dict[tuple[int, int], tuple] = {}
        outs: dict[tuple[int, int], tuple[Any, tuple, float]] = {}
        shrink: dict[int, float] = {}  # column → smallest size ratio its numbers needed
        for (r, c), cell in content.items():
            out = outs[(r, c)] = self._cell_out(cell, self.span_w[(r, c)])
            if cell.is_number and out[1][0] is not None and (r, c) not in merge_of \
                    and (r, c) not in self.overflow:
                ratio = out[1][1] / self._size(cell.style)
                if ratio < 1:
                    shrink[c] = min(shrink.get(c, 1.0), ratio)
        if shrink:  # one size for the numbers of a column, not a different size per cell
            for (r, c), cell in content.items():
                if c in shrink and cell.is_number and (r, c) not in merge_of \
                        and (r, c) not in self.overflow and outs[(r, c)][1][0] is not None:
                    val, key, _ = outs[(r, c)]
                    small = max(MIN_SHRINK_FONT,
                                math.floor(self._size(cell.style) * shrink[c] * 4) / 4)
                    if small < key[1]:  # fits: the column's widest number set the ratio
                        outs[(r, c)] = (val, (key[0], small, *key[2:]),
                                        (val.count("\n") + 1) * small * LEADING + 2 * PAD_Y)
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
        for (r, c), st in styles.items():
            if (r, c) not in self.keys and st is not _EMPTY_STYLE:
                self.keys[(r, c)] = (None, None, None, _HALIGN.get(st.halign or "", "LEFT"),
                                     _VALIGN.get(st.valign or "", "BOTTOM"), PAD_X, PAD_X)
        default_h = float(sf.defaultRowHeight or DEFAULT_ROW_HEIGHT)
        heights = {}
        for r in rows:
            d = rdims.get(r)
            excel_h = float(d.ht) if d is not None and d.ht else default_h
            heights[r] = max(excel_h * scale, needed[r])
        for a, e, h in span_need:
            span_rows = [r for r in range(a, e + 1) if r in ri]
            have = sum(heights[r] for r in span_rows)
            if span_rows and have < h:
                heights[span_rows[-1]] += h - have
        self.heights = heights

        # split: title block (rows above the print titles), repeated header rows, body
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
            for (r, c), val in list(self.data.items()):
                if not isinstance(val, Paragraph):
                    continue
                span = [r]
                if (r, c) in merge_of:
                    a, _, e, _ = merges[merge_of[(r, c)]]
                    span = [x for x in range(a, e + 1) if x in ri]
                room = sum(heights[x] for x in span) - 2 * PAD_Y
                if outs[(r, c)][2] - 2 * PAD_Y > room + 0.5:
                    self.data[(r, c)] = _Clipped(val, room)
                    ctx.warn(f"工作表“{ws.title}”单元格 {get_column_letter(c)}{r} 的内容超过一页，"
                             "PDF 中只显示前面部分")
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

    def _size(self, st: _CellStyle) -> float:
        sz = st.size or DEFAULT_FONT_SIZE
        return max(min(sz, MIN_FONT), sz * self.scale)

    def _cell_out(self, cell: _Cell, span_w: float) -> tuple[Any, tuple, float]:
        """The table cell value (str or Paragraph), its drawing key and its needed height."""
        st, ctx = cell.style, self.ctx
        font = self.fs.font_for(st.font, st.bold)
        size = self._size(st)
        halign = _HALIGN.get(st.halign or "") or ("RIGHT" if cell.is_number else "LEFT")
        valign = _VALIGN.get(st.valign or "", "BOTTOM")
        indent = st.indent * INDENT_PT * self.scale if halign in ("LEFT", "RIGHT") else 0.0
        lpad = PAD_X + (indent if halign == "LEFT" else 0.0)
        rpad = PAD_X + (indent if halign == "RIGHT" else 0.0)
        avail = max(1.0, span_w - lpad - rpad)
        text = cell.text
        missing = ctx.missing_glyphs(text, font)
        lines = text.split("\n")
        widest = max(_text_width(x, font, size) for x in lines)
        ctx.fonts.add(font)
        fake_bold = st.bold and self.fs.bold_is_synthetic
        if not (missing or st.underline or st.strike):
            value = _BoldText(text) if fake_bold else text
            if widest <= avail + 0.01:
                return value, (font, size, cell.color, halign, valign, lpad, rpad), \
                    len(lines) * size * LEADING + 2 * PAD_Y
            if (cell.is_number or st.shrink) and widest:
                small = max(MIN_SHRINK_FONT, math.floor(size * avail / widest * 4) / 4)
                if max(_text_width(x, font, small) for x in lines) <= avail + 0.01:
                    return value, (font, small, cell.color, halign, valign, lpad, rpad), \
                        len(lines) * small * LEADING + 2 * PAD_Y
        # a wrapping Paragraph
        palign = "JUSTIFY" if st.halign in ("justify", "distributed") else halign
        out_lines = []
        for line in lines:
            stripped = line.lstrip(" \u3000")
            lead = line[:len(line) - len(stripped)]
            body, unresolved = self.fs.markup(stripped, font)
            if unresolved:
                listed = "、".join(f"“{ch}”(U+{ord(ch):04X})" for ch in sorted(unresolved))
                ctx.warn(f"工作表“{self.ws.title}”：字符 {listed} 没有可用字体，"
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
                fb = self.fs.fallback_for(ch)
                if fb:
                    ctx.fonts.add(fb)
        para = (_BoldParagraph if fake_bold else Paragraph)(
            markup, ctx.pstyle(font, size, cell.color, palign))
        _, h = para.wrap(avail, 1e6)
        return para, (None, None, None, halign, valign, lpad, rpad), h + 2 * PAD_Y

    # -- borders ------------------------------------------------------------------------------
    def _side(self, r: int, c: int, side: str) -> Line | None:
        st = self.styles.get((r, c))
        line = getattr(st, side) if st is not None else None
        if line is None and (r, c) in self.merge_of:  # merged area edge: fall back to the anchor
            a, b, _, _ = self.merges[self.merge_of[(r, c)]]
            anchor = self.styles.get((a, b))
            if anchor is not None:
                line = getattr(anchor, side)
        return line

    def _same_block(self, p: tuple[int, int], q: tuple[int, int]) -> bool:
        m1, m2 = self.merge_of.get(p), self.merge_of.get(q)
        if m1 is not None and m1 == m2:
            return True
        o1, o2 = self.overflow.get(p), self.overflow.get(q)
        return o1 is not None and o1 == o2

    def _hline(self, upper: int | None, lower: int | None, c: int) -> Line | None:
        if upper is not None and lower is not None and self._same_block((upper, c), (lower, c)):
            return None
        line = _heavier(self._side(upper, c, "bottom") if upper is not None else None,
                        self._side(lower, c, "top") if lower is not None else None)
        if line is None and self.gridlines:
            return _GRIDLINE
        return line

    def _vline(self, r: int, left: int | None, right: int | None) -> Line | None:
        if left is not None and right is not None and self._same_block((r, left), (r, right)):
            return None
        line = _heavier(self._side(r, left, "right") if left is not None else None,
                        self._side(r, right, "left") if right is not None else None)
        if line is None and self.gridlines:
            return _GRIDLINE
        return line

    # -- table --------------------------------------------------------------------------------
    def _table(self, trows: list[int], repeat: int, prev: int | None, nxt: int | None,
               h_align: str) -> Table:
        cols, ci = self.cols, self.ci
        n, m = len(trows), len(cols)
        tri = {r: i for i, r in enumerate(trows)}
        data: list[list[Any]] = [[""] * m for _ in range(n)]
        cmds: list[tuple] = [("TOPPADDING", (0, 0), (-1, -1), PAD_Y),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y),
                             ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
                             ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
                             ("FONT", (0, 0), (-1, -1), self.fs.regular, DEFAULT_FONT_SIZE)]
        for i, r in enumerate(trows):
            row = data[i]
            for j, c in enumerate(cols):
                v = self.data.get((r, c))
                if v is not None:
                    row[j] = v

        # spans: merges (clipped to this table's contiguous rows) and text overflow
        done: set[int] = set()
        for (r, _c), mid in self.merge_of.items():
            if mid in done or r not in tri:
                continue
            done.add(mid)
            a, b, e, d = self.merges[mid]
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
            if anchor in self.data and tri.get(a) != i0:  # anchor outside this part
                data[i0][j0] = self.data[anchor]
        seen_over: set[tuple[int, int, int]] = set()
        for (_r, _c), span in self.overflow.items():
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
                key = self.keys.get((r, c))
                st = self.styles.get((r, c))
                if (r, c) in self.merge_of:
                    a, b, _, _ = self.merges[self.merge_of[(r, c)]]
                    st = self.styles.get((a, b), st)
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
                    cmds.append(("TEXTCOLOR", start_, end_, _rl_color(v)))
                elif k == "align":
                    cmds.append(("ALIGN", start_, end_, v))
                elif k == "valign":
                    cmds.append(("VALIGN", start_, end_, v))
                elif k == "lpad":
                    cmds.append(("LEFTPADDING", start_, end_, v))
                elif k == "rpad":
                    cmds.append(("RIGHTPADDING", start_, end_, v))
                else:
                    cmds.append(("BACKGROUND", start_, end_, _rl_color(v)))

        # borders: horizontal boundaries as LINEBELOW (so a page split keeps them), top LINEABOVE
        for i in range(n + 1):
            upper = trows[i - 1] if i > 0 else prev
            lower = trows[i] if i < n else nxt
            specs = [self._hline(upper, lower, c) for c in cols]
            for j0, j1, spec in _runs(specs):
                if i == 0:
                    cmds.append(_line_cmd("LINEABOVE", (j0, 0), (j1, 0), spec))
                else:
                    cmds.append(_line_cmd("LINEBELOW", (j0, i - 1), (j1, i - 1), spec))
        for j in range(m + 1):
            left = cols[j - 1] if j > 0 else None
            right = cols[j] if j < m else None
            specs = [self._vline(r, left, right) for r in trows]
            for i0, i1, spec in _runs(specs):
                if j == 0:
                    cmds.append(_line_cmd("LINEBEFORE", (0, i0), (0, i1), spec))
                else:
                    cmds.append(_line_cmd("LINEAFTER", (j - 1, i0), (j - 1, i1), spec))

        t = _Table(data, colWidths=self.widths, rowHeights=[self.heights[r] for r in trows],
                   repeatRows=repeat, hAlign=h_align, style=cmds)
        return t


_NO_KEY = (None, None, None, "LEFT", "BOTTOM", PAD_X, PAD_X)


class _Table(Table):
    """A Table that writes a plain-text cell in a TrueType font as one PDF text operation.

    reportlab draws each string through a text object (bidi, shaping, state bookkeeping), which
    dominates the time of big tables; the output here is the same BT/Tf/Tj/ET sequence. Anything
    else (Paragraphs, non-TrueType fonts) goes the normal way.
    """

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: tuple[float, float],  # noqa: N802
                  size: tuple[float, float]) -> None:
        if type(cellval) not in (str, _BoldText) or not cellval:
            return super()._drawCell(cellval, cellstyle, pos, size)
        font = getFont(cellstyle.fontname)
        just, valign = cellstyle.alignment, cellstyle.valign
        if not font._dynamicFont or just not in ("LEFT", "RIGHT", "CENTER", "CENTRE") \
                or valign not in ("TOP", "MIDDLE", "BOTTOM") or cellstyle.href \
                or cellstyle.destination:
            return super()._drawCell(cellval, cellstyle, pos, size)
        canv = self.canv
        cur = self._curcellstyle
        if cur is not cellstyle:
            if cur is None or cellstyle.color != cur.color:
                canv.setFillColor(cellstyle.color)
            if cur is None or cellstyle.leading != cur.leading or \
                    cellstyle.fontname != cur.fontname or cellstyle.fontsize != cur.fontsize:
                canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        colpos, rowpos = pos
        colwidth, rowheight = size
        lines = cellval.split("\n")
        n, leading, fontsize = len(lines), cellstyle.leading, cellstyle.fontsize
        clip = n * leading > rowheight - cellstyle.topPadding - cellstyle.bottomPadding + 0.5
        if clip:  # a row capped at a page: show the first lines, clip the rest
            valign = "TOP"
        if valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + n * leading - fontsize
        elif valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - fontsize
        else:
            y = rowpos + (cellstyle.bottomPadding + rowheight - cellstyle.topPadding
                          + n * leading) / 2.0 - fontsize
        doc, escape = canv._doc, canv._escape
        out = []
        if clip:
            out.append(f"q {colpos:.3f} {rowpos:.3f} {colwidth:.3f} {rowheight:.3f} re W n")
        if type(cellval) is _BoldText:
            out.append(_fake_bold_ops(fontsize, cellstyle.color))
        for line in lines:
            if just == "LEFT":
                x = colpos + cellstyle.leftPadding
            else:
                w = _text_width(line, cellstyle.fontname, fontsize)
                if just == "RIGHT":
                    x = colpos + colwidth - cellstyle.rightPadding - w
                else:
                    x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding
                                  - w) / 2.0
            out.append(f"BT 1 0 0 1 {x:.3f} {y:.3f} Tm")
            for subset, chunk in font.splitString(line, doc):
                out.append(f"{font.getSubsetInternalName(subset, doc)} {fontsize:.3f} Tf "
                           f"({escape(chunk)}) Tj")
            out.append("ET")
            y -= leading
        if type(cellval) is _BoldText:
            out.append("Q")
        if clip:
            out.append("Q")
        canv._code.append(" ".join(out))
        return None


class _Clipped(Flowable):
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


class _BoldText(str):
    """Cell text drawn in synthetic bold (no bold face: fill and stroke the outlines)."""

    __slots__ = ()


def _fake_bold_ops(size: float, color: Any) -> str:
    """PDF operators starting synthetic bold (closed by ``Q``): stroke in the text colour."""
    r, g, b = color.rgb() if hasattr(color, "rgb") else (0.0, 0.0, 0.0)
    return f"q 2 Tr {size / 30:.3f} w 1 j {r:.3f} {g:.3f} {b:.3f} RG"


class _BoldParagraph(Paragraph):
    """A Paragraph drawn in synthetic bold (as Word/WPS embolden 宋体, which has no bold face)."""

    def draw(self) -> None:
        canv = self.canv
        canv._code.append(_fake_bold_ops(self.style.fontSize, self.style.textColor))
        try:
            super().draw()
        finally:
            canv._code.append("Q")


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
    return (op, start, end, width, _rl_color(color), None, dash, None, count, 1)


# --------------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------------

_SERIES_COLORS = ["4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47", "264478", "9E480E",
                  "636363", "997300"]


def _axis_format(values: Sequence[float]) -> Callable[[float], str]:
    span = max((abs(v) for v in values), default=0.0)
    decimals = 0 if span >= 10 else (1 if span >= 1 else 2)
    return lambda v: f"{v:,.{decimals}f}"


def _chart_flowables(spec: ChartSpec, ctx: _Ctx, width: float, height: float) -> list[Any]:
    fs = ctx.fs
    unit = f"（单位：{spec.unit}）" if spec.unit else ""
    title_style = ParagraphStyle("chart-title", fontName=fs.bold, fontSize=14, leading=18,
                                 alignment=TA_CENTER, wordWrap="CJK", spaceAfter=6)
    title, _ = fs.markup(spec.title + unit, fs.bold)
    ctx.fonts.update({fs.bold, fs.regular})
    font = fs.regular
    replaced: set[str] = set()

    def printable(text: str) -> str:
        out, missing = fs.printable(text, font)
        replaced.update(missing)
        return out

    cats = [printable(str(c)) for c in spec.categories]
    keys = list(spec.series)
    names = [printable(str(n)) for n in keys]
    data: list[list[float | None]] = []
    for key in keys:
        vals: list[float | None] = []
        for v in list(spec.series[key])[:len(cats)]:
            try:
                f = float(v)
            except (TypeError, ValueError):
                f = math.nan
            vals.append(None if math.isnan(f) else f)
        vals += [None] * (len(cats) - len(vals))
        data.append(vals)
    flat = [v for row in data for v in row if v is not None]
    para = (_BoldParagraph if fs.bold_is_synthetic else Paragraph)(title, title_style)
    _, th = para.wrap(width, height)
    dh = max(120.0, height - th - 12)
    d = Drawing(width, dh, initialFontName=font, initialFontSize=8)
    label_size = 9.0 if len(cats) <= 10 else (8.0 if len(cats) <= 20 else 6.5)
    cat_w = (width - 80) / max(1, len(cats))
    widest = max((stringWidth(c, font, label_size) for c in cats), default=0.0)
    angle = 0 if widest <= cat_w * 0.95 else 30
    bottom = 30 + (widest * 0.5 + 6 if angle else 0)
    legend_h = 14 * math.ceil(len(names) / 4) + 6
    bc = VerticalBarChart()
    bc.x, bc.y = 64, bottom + legend_h
    bc.width, bc.height = width - 80, max(60.0, dh - bc.y - 24)
    bc.data = data
    bc.groupSpacing = 8 if len(cats) < 15 else 3
    bc.barSpacing = 1
    bc.categoryAxis.categoryNames = cats
    bc.categoryAxis.labels.fontName = font
    bc.categoryAxis.labels.fontSize = label_size
    if angle:
        bc.categoryAxis.labels.angle = angle
        bc.categoryAxis.labels.boxAnchor = "ne"
        bc.categoryAxis.labels.dx = 4
        bc.categoryAxis.labels.dy = -2
    bc.valueAxis.labels.fontName = font
    bc.valueAxis.labels.fontSize = 8
    bc.valueAxis.labelTextFormat = _axis_format(flat)
    bc.valueAxis.visibleGrid = True
    bc.valueAxis.gridStrokeColor = colors.HexColor("#D9D9D9")
    bc.valueAxis.gridStrokeWidth = 0.4
    if flat and min(flat) >= 0:
        bc.valueAxis.valueMin = 0
    if flat and max(flat) == min(flat) == 0:
        bc.valueAxis.valueMax = 1
    for k in range(len(names)):
        bc.bars[k].fillColor = _rl_color(_SERIES_COLORS[k % len(_SERIES_COLORS)])
        bc.bars[k].strokeColor = None
    d.add(bc)
    if spec.unit:
        d.add(String(bc.x - 4, bc.y + bc.height + 8, printable(f"单位：{spec.unit}"), fontName=font,
                     fontSize=8, textAnchor="start"))
    lg = Legend()
    lg.fontName = font
    lg.fontSize = 9
    lg.alignment = "right"
    lg.columnMaximum = 1 if len(names) <= 4 else math.ceil(len(names) / 4)
    lg.boxAnchor = "s"
    lg.x, lg.y = width / 2, 4
    lg.dx, lg.dy = 8, 8
    lg.deltax = max(60.0, max((stringWidth(x, font, 9) for x in names), default=0) + 24)
    lg.colorNamePairs = [(_rl_color(_SERIES_COLORS[k % len(_SERIES_COLORS)]), name)
                         for k, name in enumerate(names)]
    d.add(lg)
    if replaced:
        listed = "、".join(f"“{ch}”(U+{ord(ch):04X})" for ch in sorted(replaced))
        ctx.warn(f"图表“{spec.title}”：字符 {listed} 没有可用字体，以“{MISSING_MARK}”代替")
    return [para, Spacer(1, 6), d]


# --------------------------------------------------------------------------------------------
# Document
# --------------------------------------------------------------------------------------------

def _canvas_class(fs: FontSet, pages: list[int]) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Buffers pages so the footer can say 第 X 页 共 Y 页 (two passes over the pages)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = fs.regular  # else every page names unembedded Helvetica
            super().__init__(*args, **kwargs)
            self._bs_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab API)
            self._bs_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._bs_pages)
            pages.append(total)
            for number, state in enumerate(self._bs_pages, 1):
                self.__dict__.update(state)
                spec: _PageSpec | None = state.get("_bs_spec")
                if spec is not None:
                    self._bs_header_footer(spec, number, total)
                super().showPage()
            super().save()

        def _bs_header_footer(self, spec: _PageSpec, number: int, total: int) -> None:
            w, h = spec.pagesize
            left, right = spec.margins[0], w - spec.margins[1]
            for parts, y, size in ((spec.header, h - spec.margins[4] - spec.header_size,
                                    spec.header_size),
                                   (spec.footer, spec.margins[5], spec.footer_size)):
                texts = [fs.printable(p.replace("&P", str(number)).replace("&N", str(total)))[0]
                         for p in parts]
                if not any(texts):
                    continue
                self.setFont(fs.regular, size)
                self.setFillColor(colors.black)
                if texts[0]:
                    self.drawString(left, y, texts[0])
                if texts[1]:
                    self.drawCentredString(w / 2, y, texts[1])
                if texts[2]:
                    self.drawRightString(right, y, texts[2])

    return NumberedCanvas


def render_pdf(wb: Workbook, out: Path, charts: Sequence[ChartSpec] = (), *, title: str = "",
               progress: Progress | None = None) -> PdfInfo:
    """Draw each visible sheet of the filled workbook ``wb`` (in order) and the charts to ``out``.

    Each sheet starts on a new A4 page (portrait or landscape from its page setup); the rows
    above its print title rows appear once, the print title rows repeat on every page of the
    sheet. Each chart gets a page after the pages of its ``after_sheet`` (at the end, on a
    landscape page, when that sheet is missing; no page when it has no data). Every page carries
    the sheet's odd-page header/footer, by default "第 X 页 共 Y 页" (X, Y over the whole PDF).

    Follows: print area (first range) or the used range (trailing rows/columns without values
    trimmed; merged ranges extend it); hidden rows, columns and sheets; merged cells; column
    widths ((width x 7 + 5) px x 0.75 pt) and row heights (a minimum; rows grow to fit wrapped
    text, never beyond one page — the rest is clipped, with a warning); page scale, fit-to-width,
    and any sheet wider than the page scaled down to fit (fonts not below 6 pt; numbers too wide
    for their column shrink to one size per column, not below 4 pt); margins; horizontal
    centring; printed gridlines; manual row page breaks; font size, bold, colour, underline,
    strike-through and the 宋体/黑体/仿宋/楷体 face when that system font exists; horizontal
    (general/left/centre/right/centre-across-selection/justify) and vertical alignment, indent,
    wrap and shrink-to-fit; text overflowing into empty neighbour cells as in Excel (other text
    wraps in its cell, CJK-aware); borders per side (hair/thin/medium/thick/double/dashed/dotted,
    colour); solid fills (theme, indexed and RGB colours with tint); number formats (see
    :func:`format_value`); header/footer codes &P &N &A &D &T &F.

    Ignores: formulas (never calculated: drawn empty, with a warning), comments, images,
    shapes and charts inside the workbook, conditional formatting, data validation, rich-text
    runs (drawn in the cell's font), italic, text rotation, fill patterns other than solid (drawn
    in their foreground colour), gradient fills (first colour), row/column default styles, paper
    size (always A4), fit-to-height (long sheets flow over pages), print-title columns, column
    page breaks, first-page/even-page headers and footers, header/footer pictures and font
    names (their size is followed).
    A sheet with nothing in it prints no page.

    ``progress(fraction, message)`` is called as sheets are laid out. Returns the page count,
    the registered fonts used and warnings for the user. Raises ``OSError`` when ``out`` cannot
    be written.
    """
    fs = register_fonts()
    ctx = _Ctx(fs, _theme_palette(wb))
    sheets = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    charts = list(charts)
    by_sheet: dict[str, list[ChartSpec]] = {}
    names = {ws.title for ws in sheets}
    orphans = []
    for spec in charts:
        if spec.after_sheet in names:
            by_sheet.setdefault(spec.after_sheet, []).append(spec)
        else:
            orphans.append(spec)
            ctx.warn(f"图表“{spec.title}”指定的工作表“{spec.after_sheet}”不存在，图表放在最后")

    total_steps = max(1, len(sheets) + len(charts))
    step = 0

    def tick(message: str) -> None:
        nonlocal step
        step += 1
        if progress:
            progress(0.85 * min(1.0, step / total_steps), message)

    def compose() -> tuple[list[Any], list[PageTemplate]]:
        groups: list[tuple[_PageSpec, list[Any]]] = []
        page_specs: dict[str, _PageSpec] = {}
        for index, ws in enumerate(sheets):
            layout = _SheetLayout(ws, ctx, index, title)
            page_specs[layout.page.template_id] = layout.page
            story = layout.build()
            tick(f"绘制工作表 {ws.title}")
            if story:
                groups.append((layout.page, story))
            for spec in by_sheet.get(ws.title, []):
                chart = _chart_group(spec, ctx, layout.page)
                if chart:
                    groups.append((layout.page, chart))
                tick(f"绘制图表 {spec.title}")
        for spec in orphans:
            page_specs.setdefault(_CHART_PAGE.template_id, _CHART_PAGE)
            chart = _chart_group(spec, ctx, _CHART_PAGE)
            if chart:
                groups.append((_CHART_PAGE, chart))
            tick(f"绘制图表 {spec.title}")
        if not groups:
            page_specs.setdefault(_EMPTY_PAGE.template_id, _EMPTY_PAGE)
            note = ParagraphStyle("empty", fontName=fs.regular, fontSize=12, leading=16)
            groups.append((_EMPTY_PAGE, [Paragraph("（工作簿中没有可打印的内容）", note)]))
        first = groups[0][0].template_id
        templates = [_page_template(page_specs[tid])
                     for tid in [first, *[t for t in page_specs if t != first]]]
        story: list[Any] = []
        for k, (page, flowables) in enumerate(groups):
            if k:
                story += [NextPageTemplate(page.template_id), PageBreak()]
            story += flowables
        return story, templates

    def build(story: list[Any], templates: list[PageTemplate]) -> tuple[bytes, int]:
        buf = BytesIO()
        doc = BaseDocTemplate(buf, pagesize=A4,
                              title=title or (sheets[0].title if sheets else ""), author="",
                              creator="balancesheet", subject=title, pageTemplates=templates,
                              invariant=True)
        pages: list[int] = []
        with _BUILD_LOCK:  # binary (Flate only) streams: smaller and faster than ASCII85
            saved_a85 = rl_config.useA85
            rl_config.useA85 = 0
            try:
                doc.build(story, canvasmaker=_canvas_class(fs, pages))
            finally:
                rl_config.useA85 = saved_a85
        return buf.getvalue(), pages[-1] if pages else 0

    story, templates = compose()
    if progress:
        progress(0.85, "生成 PDF")
    data, pages = build(story, templates)
    Path(out).write_bytes(data)
    ctx.fonts.add(fs.regular)
    if progress:
        progress(1.0, f"PDF 已生成：{pages} 页")
    return PdfInfo(pages=pages, fonts=sorted(ctx.fonts), warnings=list(ctx.warnings))


_CHART_PAGE = _PageSpec("charts", landscape(A4), (54, 54, 54, 54, 27, 27), ("", "", ""),
                        ("", "第 &P 页 共 &N 页", ""), 9, 9, "")
_EMPTY_PAGE = _PageSpec("empty", A4, (54, 54, 72, 72, 36, 36), ("", "", ""),
                        ("", "第 &P 页 共 &N 页", ""), 9, 9, "")


def _chart_group(spec: ChartSpec, ctx: _Ctx, page: _PageSpec) -> list[Any]:
    w = page.pagesize[0] - page.margins[0] - page.margins[1]
    h = page.pagesize[1] - page.margins[2] - page.margins[3]
    if not spec.categories or not spec.series:
        ctx.warn(f"图表“{spec.title}”没有数据，未绘制")
        return []
    return _chart_flowables(spec, ctx, w, h - 4)


def _page_template(spec: _PageSpec) -> PageTemplate:
    w, h = spec.pagesize
    lm, rm, tm, bm = spec.margins[:4]
    frame = Frame(lm, bm, w - lm - rm, h - tm - bm, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id=f"{spec.template_id}-frame")

    def on_page(canv: Canvas, _doc: Any, spec: _PageSpec = spec) -> None:
        canv._bs_spec = spec  # type: ignore[attr-defined]

    return PageTemplate(id=spec.template_id, frames=[frame], onPage=on_page, pagesize=spec.pagesize)
