"""The report's data: scalars and tables (computed once), and chart specifications for the PDF.

Both renderings read this: the template filler writes it into the workbook, and the PDF is drawn
from the filled workbook plus the charts listed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class TableData:
    """Rows of one table. Each row maps column name → value (str, float, int or None).

    Optional keys per row: ``_emphasis`` (bool: a total/parent row, written bold) and ``_level``
    (int: indentation of the ``name`` cell).
    """

    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ChartSpec:
    """A bar chart for the PDF: categories on the x axis, one bar series per entry of ``series``."""

    title: str
    categories: list[str]
    series: dict[str, list[float]]
    unit: str
    after_sheet: str  # the workbook sheet after whose pages the chart is drawn


@dataclass
class ReportData:
    """Everything a report shows: scalars, tables and charts."""

    scalars: dict[str, Any]
    tables: dict[str, TableData]
    charts: list[ChartSpec] = field(default_factory=list)
