"""Page geometry: A4 orientation, margins and header/footer texts of a sheet's (or chart's) pages.

A :class:`PageSpec` is what a page template is made from (see ``document``); the default footer
is "第 &P 页 共 &N 页" (page X of Y over the whole PDF).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from reportlab.lib.pagesizes import A4, landscape

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DEFAULT_FOOTER = ("", "第 &P 页 共 &N 页", "")


@dataclass
class PageSpec:
    """The pages of one sheet (or of the charts): size, margins, header and footer."""

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


def sheet_page(ws: Worksheet, index: int, title: str) -> PageSpec:
    """The pages of worksheet ``ws`` (the ``index``-th visible sheet) from its page setup.

    Orientation, margins (inches → points; Excel's defaults when unset) and the odd-page
    header/footer with their codes resolved except &P/&N (drawn per page); &F is ``title``.
    """
    ps = ws.page_setup
    size = landscape(A4) if (ps.orientation or "").lower() == "landscape" else A4
    pm = ws.page_margins
    m = tuple(float(x if x is not None else d) * 72 for x, d in (
        (pm.left, 0.75), (pm.right, 0.75), (pm.top, 1.0), (pm.bottom, 1.0),
        (pm.header, 0.5), (pm.footer, 0.5)))
    header, hsize = _hf_parts(ws.oddHeader, ws.title, title)
    footer, fsize = _hf_parts(ws.oddFooter, ws.title, title)
    if not any(footer):
        footer = DEFAULT_FOOTER
    return PageSpec(f"sheet{index}", size, m, header, footer,  # type: ignore[arg-type]
                    hsize, fsize, ws.title)


CHART_PAGE = PageSpec("charts", landscape(A4), (54, 54, 54, 54, 27, 27), ("", "", ""),
                      DEFAULT_FOOTER, 9, 9, "")
EMPTY_PAGE = PageSpec("empty", A4, (54, 54, 72, 72, 36, 36), ("", "", ""),
                      DEFAULT_FOOTER, 9, 9, "")
