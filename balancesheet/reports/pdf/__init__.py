"""PDF rendering of a filled report workbook (reportlab platypus), plus bar-chart pages.

The PDF is drawn from the filled workbook, whose layout is the single source of truth: every
visible worksheet, in workbook order, each starting on a new A4 page, with its print area, merged
cells, column widths, fonts, alignment, borders, fills, number formats, print titles, orientation
and header/footer. :func:`render_pdf` lists exactly what is followed and what is ignored.
Text is drawn with an embedded TrueType CJK font (:mod:`balancesheet.reports.fonts`); bold
without a bold face is synthesised (outlines filled and stroked, as Word/WPS do for 宋体).

This package imports reportlab at import time; callers import it lazily.

Modules: ``numfmt`` (Excel number formats), ``styles`` (cell styles and colours), ``context``
(sizes and per-render state), ``page`` (page geometry, header/footer), ``cells`` (cell text
and drawn values), ``sheet`` (worksheet layout), ``table`` (reportlab Table commands),
``flowables`` (clipped and synthetic-bold text), ``charts`` (bar charts), ``document`` (page
templates, footer, :func:`render_pdf`) and ``fast_paths`` (optimisations on library internals,
each with a public fallback).
"""

from __future__ import annotations

from balancesheet.reports.pdf.document import PdfInfo, Progress, render_pdf
from balancesheet.reports.pdf.numfmt import format_value

__all__ = ["PdfInfo", "Progress", "format_value", "render_pdf"]
