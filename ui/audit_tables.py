"""Read-only table models of the audit workspace: one small model over a list of records, with
columns that say how a record shows (text, number, colour, tooltip).

The records are what the core computed (findings, score deductions, tenure rows, targets); the
columns only format them — no accounting happens here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from ui.formatting import format_date, format_number

translate = QCoreApplication.translate

if TYPE_CHECKING:
    from balancesheet.audit.tenure import TenureYears
    from balancesheet.indicators import TargetResult

Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter

#: Cell backgrounds of a state; the text on them is always dark so it stays readable.
GOOD, BAD, NEUTRAL, PENDING = (QColor("#dff0d8"), QColor("#f8d7da"), QColor("#e9ecef"),
                               QColor("#fff3cd"))
DARK_TEXT = QColor("#212529")
#: The role that gives the whole record of a row (any column).
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column:
    """How one column shows a record.

    ``text`` gives the display text; ``number`` (instead of ``text``) gives a value shown with
    thousands separators and ``decimals`` decimals, right-aligned. ``background`` colours a cell
    and ``tooltip`` explains it.
    """

    title: str
    text: Callable[[Any], str] | None = None
    number: Callable[[Any], float | None] | None = None
    decimals: int = 2
    background: Callable[[Any], QColor | None] | None = None
    tooltip: Callable[[Any], str] | None = None
    align: Qt.AlignmentFlag | None = None

    def display(self, record: Any) -> str:
        """The cell's text."""
        if self.number is not None:
            return format_number(self.number(record), self.decimals)
        return "" if self.text is None else str(self.text(record))

    def alignment(self) -> Qt.AlignmentFlag:
        """Numbers right, text left, unless the column says otherwise."""
        if self.align is not None:
            return self.align
        return RIGHT if self.number is not None else LEFT


class RecordModel(QAbstractTableModel):
    """Rows of records under a list of :class:`Column`; ``set_rows`` replaces both at once."""

    def __init__(self, columns: Sequence[Column] = (), parent: Any = None):
        super().__init__(parent)
        self._columns: list[Column] = list(columns)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any], columns: Sequence[Column] | None = None) -> None:
        """Show ``rows`` (and, when given, new columns: headers may name years)."""
        self.beginResetModel()
        self._rows = list(rows)
        if columns is not None:
            self._columns = list(columns)
        self.endResetModel()

    def record(self, row: int) -> Any:
        """The record shown in ``row``."""
        return self._rows[row]

    def records(self) -> list[Any]:
        """Every record, in display order."""
        return list(self._rows)

    def column(self, index: int) -> Column:
        """The column definition at ``index``."""
        return self._columns[index]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        record, column = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(record)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.alignment().value)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(record) or None
            return None
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            colour = column.background(record) if column.background else None
            if colour is None:
                return None
            return QBrush(colour if role == Qt.ItemDataRole.BackgroundRole else DARK_TEXT)
        if role == RECORD_ROLE:
            return record
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._columns):
                return self._columns[section].title
            return None
        return str(section + 1) if 0 <= section < len(self._rows) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


# ---------------------------------------------------------------------- the workspace's columns

def shown_unit(unit: str, area_unit: str) -> str:
    """The unit a value is shown in: areas in the user's area unit, the rest as stored."""
    return area_unit if unit == "公顷" else unit


def shown_value(value: float | None, unit: str, area_unit: str) -> float | None:
    """``value`` (stored in ``unit``) in the unit it is shown in (the one converter)."""
    if value is None or unit != "公顷" or area_unit == "公顷":
        return value
    from balancesheet.units import convert

    return convert(value, "公顷", area_unit)


def change_columns(tenure: TenureYears, area_unit: str, language: str) -> list[Column]:
    """Main items at the tenure's start and end year-ends (rows of the audit report's table)."""
    def num(key: str) -> Callable[[dict[str, Any]], float | None]:
        return lambda r: shown_value(r[key], r["unit"], area_unit)

    start = format_date(dt.date(tenure.start_year, 12, 31), language)
    end = format_date(dt.date(tenure.end_year, 12, 31), language)
    return [
        Column(translate("Audit", "Resource"), text=lambda r: r["resource"]),
        Column(translate("Audit", "Item"), text=lambda r: r["name"], tooltip=lambda r: r["code"]),
        Column(translate("Audit", "Unit"), text=lambda r: shown_unit(r["unit"], area_unit),
               align=CENTER),
        Column(translate("Audit", "Start\n{date}").format(date=start), number=num("start")),
        Column(translate("Audit", "End\n{date}").format(date=end), number=num("end")),
        Column(translate("Audit", "Change"), number=num("change")),
        Column(translate("Audit", "Change (%)"), number=lambda r: r["pct"]),
        Column(translate("Audit", "Additions"), number=num("additions")),
        Column(translate("Audit", "Reductions"), number=num("reductions")),
    ]


def target_rows(targets: list[TargetResult]) -> list[dict[str, Any]]:
    """One row per indicator with its evaluated target of each year."""
    rows: dict[str, dict[str, Any]] = {}
    for t in targets:
        row = rows.setdefault(t.indicator, {"code": t.indicator, "name": t.name, "unit": t.unit,
                                            "binding": t.binding, "years": {}})
        row["years"][t.year] = t
    return list(rows.values())


def _kind(binding: bool) -> str:
    return translate("Audit", "binding") if binding else translate("Audit", "expected")


def _target_cell(t: TargetResult | None, area_unit: str) -> str:
    if t is None:
        return "—"
    if t.status == "met":
        return translate("Audit", "Met")
    if t.status == "missed":
        gap = format_number(shown_value(t.gap, t.unit, area_unit))
        if t.op == ">=":
            return translate("Audit", "Short by {gap}").format(gap=gap)
        return translate("Audit", "Over by {gap}").format(gap=gap)
    return translate("Audit", "No data")


def _target_tip(t: TargetResult | None, area_unit: str) -> str:
    if t is None:
        return translate("Audit", "No target for this year")
    unit = shown_unit(t.unit, area_unit)
    actual = (format_number(shown_value(t.actual, t.unit, area_unit)) if t.actual is not None
              else translate("Audit", "no data"))
    return translate(
        "Audit", "{year}: actual {actual} {unit}; target {op} {target} {unit} ({kind}, {source})"
    ).format(year=t.year, actual=actual, unit=unit, op={">=": "≥", "<=": "≤"}.get(t.op, t.op),
             target=format_number(shown_value(t.target, t.unit, area_unit)),
             kind=_kind(t.binding), source=t.source)


def _target_colour(t: TargetResult | None) -> QColor | None:
    if t is None:
        return None
    return {"met": GOOD, "missed": BAD}.get(t.status, NEUTRAL)


def target_columns(years: list[int], area_unit: str) -> list[Column]:
    """Indicator, unit, kind, then each tenure year: met / short or over by how much / no data."""
    def year_column(year: int) -> Column:
        return Column(str(year), text=lambda r: _target_cell(r["years"].get(year), area_unit),
                      background=lambda r: _target_colour(r["years"].get(year)),
                      tooltip=lambda r: _target_tip(r["years"].get(year), area_unit), align=RIGHT)

    return [
        Column(translate("Audit", "Indicator"), text=lambda r: r["name"],
               tooltip=lambda r: r["code"]),
        Column(translate("Audit", "Unit"), text=lambda r: shown_unit(r["unit"], area_unit),
               align=CENTER),
        Column(translate("Audit", "Kind"), text=lambda r: _kind(r["binding"]), align=CENTER),
        *[year_column(y) for y in years],
    ]


def _status_colour(f: dict[str, Any]) -> QColor:
    return {"proposed": PENDING, "accepted": GOOD}.get(f["status"], NEUTRAL)


def finding_columns(blocks: dict[int, str]) -> list[Column]:
    """A finding: content area with its name from the scheme, description, amount … status."""
    from ui.findings import source_text, status_text

    def area(f: dict[str, Any]) -> str:
        return f"{f['area']} {blocks.get(f['area'], '')}".strip()

    def described(f: dict[str, Any]) -> str:
        advice = f.get("recommendation") or ""
        if not advice:
            return f["description"]
        return f["description"] + "\n" + translate("Audit", "Recommendation: {text}").format(
            text=advice)

    return [
        Column(translate("Audit", "No."), text=lambda f: str(f["id"]), align=CENTER),
        Column(translate("Audit", "Content area"), text=area, tooltip=area),
        Column(translate("Audit", "Description"), text=lambda f: f["description"],
               tooltip=described),
        Column(translate("Audit", "Amount"), number=lambda f: f["amount"]),
        Column(translate("Audit", "Unit"), text=lambda f: f["unit"] or "", align=CENTER),
        Column(translate("Audit", "Severity"), text=lambda f: f["severity"], align=CENTER),
        Column(translate("Audit", "Responsibility"), text=lambda f: f["responsibility"],
               align=CENTER),
        Column(translate("Audit", "Source"), text=lambda f: source_text(f["source"])),
        Column(translate("Audit", "Status"), text=lambda f: status_text(f["status"]),
               background=_status_colour, align=CENTER),
    ]
