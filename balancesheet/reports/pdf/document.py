"""The PDF document: page templates, the "第 X 页 共 Y 页" footer and :func:`render_pdf`.

Each sheet (and the chart pages) gets an A4 page template, portrait or landscape, with its
margins; a canvas buffering the pages draws every page's header and footer once the page count
is known.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
)

from balancesheet.reports.fonts import FontSet, register_fonts
from balancesheet.reports.pdf import fast_paths
from balancesheet.reports.pdf.charts import chart_group
from balancesheet.reports.pdf.context import RenderContext
from balancesheet.reports.pdf.page import CHART_PAGE, EMPTY_PAGE, PageSpec
from balancesheet.reports.pdf.sheet import SheetLayout
from balancesheet.reports.pdf.styles import theme_palette

if TYPE_CHECKING:
    from openpyxl import Workbook

    from balancesheet.reports.data import ChartSpec

Progress = Callable[[float, str], None]


@dataclass
class PdfInfo:
    """What :func:`render_pdf` produced."""

    pages: int
    fonts: list[str]  # registered reportlab font names used (see FontSet.paths for their files)
    warnings: list[str] = field(default_factory=list)


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
                spec: PageSpec | None = state.get("_bs_spec")
                if spec is not None:
                    self._bs_header_footer(spec, number, total)
                super().showPage()
            super().save()

        def _bs_header_footer(self, spec: PageSpec, number: int, total: int) -> None:
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
    ctx = RenderContext(fs, theme_palette(wb))
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
        groups: list[tuple[PageSpec, list[Any]]] = []
        page_specs: dict[str, PageSpec] = {}
        for index, ws in enumerate(sheets):
            layout = SheetLayout(ws, ctx, index, title)
            page_specs[layout.page.template_id] = layout.page
            story = layout.build()
            tick(f"绘制工作表 {ws.title}")
            if story:
                groups.append((layout.page, story))
            for spec in by_sheet.get(ws.title, []):
                chart = chart_group(spec, ctx, layout.page)
                if chart:
                    groups.append((layout.page, chart))
                tick(f"绘制图表 {spec.title}")
        for spec in orphans:
            page_specs.setdefault(CHART_PAGE.template_id, CHART_PAGE)
            chart = chart_group(spec, ctx, CHART_PAGE)
            if chart:
                groups.append((CHART_PAGE, chart))
            tick(f"绘制图表 {spec.title}")
        if not groups:
            page_specs.setdefault(EMPTY_PAGE.template_id, EMPTY_PAGE)
            note = ParagraphStyle("empty", fontName=fs.regular, fontSize=12, leading=16)
            groups.append((EMPTY_PAGE, [Paragraph("（工作簿中没有可打印的内容）", note)]))
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
        with fast_paths.pdf_build():  # one at a time; binary streams when the fast path runs
            doc.build(story, canvasmaker=_canvas_class(fs, pages))
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


def _page_template(spec: PageSpec) -> PageTemplate:
    w, h = spec.pagesize
    lm, rm, tm, bm = spec.margins[:4]
    frame = Frame(lm, bm, w - lm - rm, h - tm - bm, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id=f"{spec.template_id}-frame")

    def on_page(canv: Canvas, _doc: Any, spec: PageSpec = spec) -> None:
        canv._bs_spec = spec  # type: ignore[attr-defined]

    return PageTemplate(id=spec.template_id, frames=[frame], onPage=on_page, pagesize=spec.pagesize)
