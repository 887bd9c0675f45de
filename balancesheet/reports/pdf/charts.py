"""Charts: a :class:`~balancesheet.reports.data.ChartSpec` as a titled bar-chart drawing.

One vertical bar chart per spec (categories along the axis, one bar colour per series, legend
below), sized to the page frame; labels the font cannot draw become ``□`` (warned about).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer

from balancesheet.reports.fonts import MISSING_MARK
from balancesheet.reports.pdf.context import RenderContext
from balancesheet.reports.pdf.flowables import BoldParagraph
from balancesheet.reports.pdf.page import PageSpec
from balancesheet.reports.pdf.styles import rl_color

if TYPE_CHECKING:
    from balancesheet.reports.data import ChartSpec

_SERIES_COLORS = ["4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47", "264478", "9E480E",
                  "636363", "997300"]


def _axis_format(values: Sequence[float]) -> Callable[[float], str]:
    span = max((abs(v) for v in values), default=0.0)
    decimals = 0 if span >= 10 else (1 if span >= 1 else 2)
    return lambda v: f"{v:,.{decimals}f}"


def chart_flowables(spec: ChartSpec, ctx: RenderContext, width: float,
                    height: float) -> list[Any]:
    """A chart's title paragraph, a gap and its bar-chart drawing, fitting ``width`` x
    ``height`` points."""
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
    para = (BoldParagraph if fs.bold_is_synthetic else Paragraph)(title, title_style)
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
        bc.bars[k].fillColor = rl_color(_SERIES_COLORS[k % len(_SERIES_COLORS)])
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
    lg.colorNamePairs = [(rl_color(_SERIES_COLORS[k % len(_SERIES_COLORS)]), name)
                         for k, name in enumerate(names)]
    d.add(lg)
    if replaced:
        listed = "、".join(f"“{ch}”(U+{ord(ch):04X})" for ch in sorted(replaced))
        ctx.warn(f"图表“{spec.title}”：字符 {listed} 没有可用字体，以“{MISSING_MARK}”代替")
    return [para, Spacer(1, 6), d]


def chart_group(spec: ChartSpec, ctx: RenderContext, page: PageSpec) -> list[Any]:
    """The flowables of a chart on a page of ``page`` ([] and a warning when it has no data)."""
    w = page.pagesize[0] - page.margins[0] - page.margins[1]
    h = page.pagesize[1] - page.margins[2] - page.margins[3]
    if not spec.categories or not spec.series:
        ctx.warn(f"图表“{spec.title}”没有数据，未绘制")
        return []
    return chart_flowables(spec, ctx, w, h - 4)

