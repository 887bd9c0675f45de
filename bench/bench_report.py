"""Benchmark: the balance-sheet report (xlsx + pdf) for one county-year of the sample county.

Figure: ``balance_sheet_report`` — compute the report's data (ledger, checks, indicators), fill
the template and save the workbook, draw the PDF from it. Best of R runs after one warm-up run
(imports, fonts).

Floor: the same cells AND their styles written with bare openpyxl — every non-empty cell of the
report's workbook (value, font, border, fill, number format, alignment), its merged ranges,
column widths, row heights, print titles, page setup and header/footer, into a new workbook,
saved. What the floor leaves out, and the report does: computing the data, loading and filling
the template (placeholders, moving rows, merged ranges and print areas), and the PDF. The cells
are read from the report's own output once, untimed.

    .venv/bin/python bench/bench_report.py [--runs R] [--keep DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl import Workbook
from openpyxl.styles import NamedStyle

from balancesheet.project import Project
from balancesheet.reports.render import balance_sheet_report
from balancesheet.sample import load_sample

REGION, YEAR = "990121", 2025


@dataclass
class SheetCopy:
    """What the floor writes for one worksheet."""

    title: str
    cells: list[tuple[int, int, Any, int]] = field(default_factory=list)  # row, column, value, style
    merged: list[str] = field(default_factory=list)
    widths: dict[str, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    print_title_rows: str | None = None
    orientation: str | None = None
    fit_to_width: int | None = None
    footer: str | None = None


def snapshot(path: Path) -> tuple[list[SheetCopy], list[tuple[Any, ...]]]:
    """The report's cells and layout, and its distinct styles (font, border, fill, number
    format, alignment) that the cells refer to by number (not timed)."""
    wb = openpyxl.load_workbook(path)
    sheets = []
    styles: dict[tuple[Any, ...], int] = {}
    for ws in wb.worksheets:
        copy_ = SheetCopy(ws.title)
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                style = (copy(c.font), copy(c.border), copy(c.fill), c.number_format, copy(c.alignment))
                copy_.cells.append((c.row, c.column, c.value, styles.setdefault(style, len(styles))))
        copy_.merged = [str(r) for r in ws.merged_cells.ranges]
        copy_.widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
        copy_.heights = {k: d.height for k, d in ws.row_dimensions.items() if d.height}
        copy_.print_title_rows = ws.print_title_rows
        copy_.orientation = ws.page_setup.orientation
        copy_.fit_to_width = ws.page_setup.fitToWidth
        copy_.footer = ws.oddFooter.center.text
        sheets.append(copy_)
    return sheets, list(styles)


def floor(sheets: list[SheetCopy], styles: list[tuple[Any, ...]], path: Path, named: bool = True) -> float:
    """Seconds to write the same cells, styles and layout with bare openpyxl, and save.

    ``named``: the distinct styles registered as NamedStyles and assigned to each cell by name —
    the least work openpyxl's public API allows, as a program that knows its styles would do it.
    Otherwise each cell gets its five style attributes assigned, as most openpyxl code does
    (each assignment hashes the style object into the workbook's style tables).
    """
    start = time.perf_counter()
    wb = Workbook()
    wb.remove(wb.active)
    if named:
        for number, (font, border, fill, number_format, alignment) in enumerate(styles):
            wb.add_named_style(NamedStyle(f"s{number}", font=font, border=border, fill=fill,
                                          number_format=number_format, alignment=alignment))
    names = [f"s{number}" for number in range(len(styles))]
    for s in sheets:
        ws = wb.create_sheet(s.title)
        for row, column, value, style in s.cells:
            cell = ws.cell(row=row, column=column, value=value)
            if named:
                cell.style = names[style]
            else:
                font, border, fill, number_format, alignment = styles[style]
                cell.font, cell.border, cell.fill = font, border, fill
                cell.number_format, cell.alignment = number_format, alignment
        for ref in s.merged:
            ws.merge_cells(ref)
        for letter, width in s.widths.items():
            ws.column_dimensions[letter].width = width
        for number, height in s.heights.items():
            ws.row_dimensions[number].height = height
        if s.print_title_rows:
            ws.print_title_rows = s.print_title_rows
        ws.page_setup.orientation = s.orientation
        ws.page_setup.fitToWidth = s.fit_to_width
        ws.oddFooter.center.text = s.footer
    wb.save(path)
    return time.perf_counter() - start


def pdf_floor(sheets: list[SheetCopy], path: Path) -> float:
    """Seconds to draw the same cells with bare reportlab: per sheet one platypus Table (texts,
    numbers as 1,234.56, column widths scaled to an A4 portrait page, merged ranges spanned,
    grid, the print title rows repeated), each sheet on new pages, in the report's embedded CJK
    font (registered before timing, as the report's warm-up run does). No charts, no wrapping,
    no landscape pages, no per-cell fonts or fills."""
    from openpyxl.utils.cell import get_column_letter, range_boundaries
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle

    from balancesheet.reports.fonts import register_fonts

    font = register_fonts().regular
    start = time.perf_counter()
    story: list[Any] = []
    for s in sheets:
        if not s.cells:
            continue
        rows = max(r for r, _, _, _ in s.cells)
        columns = max(c for _, c, _, _ in s.cells)
        grid = [[""] * columns for _ in range(rows)]
        for r, c, value, _style in s.cells:
            if value is not None:
                grid[r - 1][c - 1] = f"{value:,.2f}" if isinstance(value, float) else str(value)
        widths = [(s.widths.get(get_column_letter(c), 8.43) * 7 + 5) * 0.75 for c in range(1, columns + 1)]
        scale = min(1.0, (A4[0] - 2 * cm) / sum(widths))
        commands = [("FONT", (0, 0), (-1, -1), font, 9 * scale), ("GRID", (0, 0), (-1, -1), 0.5, "black")]
        for ref in s.merged:
            c1, r1, c2, r2 = range_boundaries(ref)
            commands.append(("SPAN", (c1 - 1, r1 - 1), (c2 - 1, r2 - 1)))
        title_rows = int(s.print_title_rows.split(":")[-1].lstrip("$")) if s.print_title_rows else 0
        table = Table(grid, colWidths=[w * scale for w in widths], repeatRows=title_rows)
        table.setStyle(TableStyle(commands))
        story += [table, PageBreak()]
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=cm, rightMargin=cm).build(story)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="copy the report and the floors' files to this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = Project.open(folder / "s.db", create=True)
        load_sample(project)
        balance_sheet_report(project, REGION, YEAR, folder / "warm.xlsx", folder / "warm.pdf")  # imports, fonts
        best: dict[str, float] = {}
        for _ in range(args.runs):
            start = time.perf_counter()
            result = balance_sheet_report(project, REGION, YEAR, folder / "r.xlsx", folder / "r.pdf")
            total = time.perf_counter() - start
            for key, value in {**result.timings, "total": total}.items():
                best[key] = min(best.get(key, value), value)
        sheets, styles = snapshot(folder / "r.xlsx")
        floor_time = min(floor(sheets, styles, folder / "floor.xlsx") for _ in range(args.runs))
        per_attribute = min(floor(sheets, styles, folder / "floor2.xlsx", named=False) for _ in range(args.runs))
        pdf_floor_time = min(pdf_floor(sheets, folder / "floor.pdf") for _ in range(args.runs))
        if args.keep:
            for name in ("r.xlsx", "r.pdf", "floor.xlsx", "floor.pdf"):
                (args.keep / name).write_bytes((folder / name).read_bytes())
        cells = sum(len(s.cells) for s in sheets)
        print(f"report for {REGION} {YEAR}: {result.pages} PDF pages, {len(sheets)} sheets, {cells:,} cells "
              f"written ({len(styles)} distinct styles); best of {args.runs}")
        for key in ("data", "xlsx", "pdf"):
            print(f"  {key:<6} {best[key]:6.3f} s")
        print(f"floor: named styles {floor_time:.3f} s (used below); the five style attributes assigned "
              f"per cell {per_attribute:.3f} s")
        print(f"{'xlsx alone (fill template, save)':<34} {best['xlsx']:6.3f} s   floor {floor_time:6.3f} s   "
              f"ratio {best['xlsx'] / floor_time:5.2f}")
        print(f"{'pdf alone (from the workbook)':<34} {best['pdf']:6.3f} s   floor {pdf_floor_time:6.3f} s   "
              f"ratio {best['pdf'] / pdf_floor_time:5.2f}   (floor: the same cells in bare reportlab)")
        print(f"{'xlsx + pdf report (total)':<34} {best['total']:6.3f} s   floor {floor_time:6.3f} s   "
              f"ratio {best['total'] / floor_time:5.2f}   (the issue's floor: openpyxl cells only)")
        both = floor_time + pdf_floor_time
        print(f"{'xlsx + pdf report (total)':<34} {best['total']:6.3f} s   floor {both:6.3f} s   "
              f"ratio {best['total'] / both:5.2f}   (floor: openpyxl + reportlab cells)")
        project.close()


if __name__ == "__main__":
    main()
