"""The 存量及变动表 of one region, year and resource as a table model.

Rows are the change table's rows (items, groups, derived items) in catalog order; columns are
code, name, (unit), opening, additions by factor, additions, reductions by factor, reductions,
computed closing, observed closing and discrepancy. Values are held in the catalog unit and shown
in the preferred area unit (balancesheet.units.convert). The model computes nothing: the editor
hands it the rows of balancesheet.ledger.change_table and the problems of balancesheet.checks.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from balancesheet.safe_text import to_tsv, unguard
from ui.formatting import format_number, parse_number

if TYPE_CHECKING:
    from balancesheet.checks import Problem
    from balancesheet.editing import StockEdit

Index = QModelIndex | QPersistentModelIndex

FACTOR_KEYS = ("human", "natural", "other")
NUMERIC_KEYS = ("opening", *(f"add_{f}" for f in FACTOR_KEYS), "additions",
                *(f"red_{f}" for f in FACTOR_KEYS), "reductions", "closing", "observed_closing",
                "discrepancy")
#: the columns a problem of each kind is marked on (others: the code and name)
PROBLEM_COLUMNS = {
    "balance": ("closing", "observed_closing", "discrepancy"),
    "continuity": ("opening",),
    "missing_stock": ("observed_closing",),
    "negative": ("closing", "observed_closing"),
    "children_sum": ("observed_closing",),
    "land_total": ("observed_closing",),
    "link": ("observed_closing",),
}
ERROR_BRUSH = QBrush(QColor("#f9d6d5"))
WARNING_BRUSH = QBrush(QColor("#fdf0c4"))
COMPUTED_BRUSH = QBrush(QColor("#f2f3f5"))
COMPUTED_TEXT = QBrush(QColor("#55595f"))
ROW_HEIGHT_HINT = 24


@dataclass(frozen=True)
class Column:
    """A column of the table: ``key`` names the change-table field."""

    key: str
    title: str
    numeric: bool = True
    side: str | None = None      # "add" / "reduce" for the columns that can be drilled into
    factor: str | None = None    # human / natural / other, None for totals


def decimals_for(unit: str) -> int:
    """Decimals shown for a unit: counts are whole, the irrigation coefficient has three."""
    return {"个": 0, "1": 3}.get(unit, 2)


def shown_unit(unit: str, area_unit: str) -> str:
    """The unit a value is shown and entered in: 公顷 values in the preferred area unit."""
    return area_unit if unit == "公顷" else unit


def to_shown(value: float | None, unit: str, area_unit: str) -> float | None:
    """A stored value (catalog unit) in the unit it is shown in."""
    if value is None:
        return None
    from balancesheet.units import convert

    return float(convert(value, unit, shown_unit(unit, area_unit)))


def to_stored(value: float | None, unit: str, area_unit: str) -> float | None:
    """A value entered in the shown unit, back in the catalog unit (rounded off float noise)."""
    if value is None:
        return None
    from balancesheet.units import convert

    return round(float(convert(value, shown_unit(unit, area_unit), unit)), 8)


def plain_number(value: float | None, decimals: int) -> str:
    """A number as a spreadsheet reads it: no thousands separators, no "-0.00"."""
    if value is None:
        return ""
    if abs(value) < 0.5 * 10 ** -decimals:
        value = 0.0
    return f"{value:.{decimals}f}"


def shown_number(value: float | None, decimals: int) -> str:
    """A number as the table shows it: thousands separators, no "-0.00"."""
    if value is not None and abs(value) < 0.5 * 10 ** -decimals:
        value = 0.0
    return format_number(value, decimals)


def parse_tsv(text: str) -> list[list[str]]:
    """Rows of cells from tab-separated text as Excel/WPS copy it (quoted cells, CRLF)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return []
    # The apostrophe a copy puts before formula-like text (balancesheet.safe_text) comes off again.
    return [[unguard(cell) for cell in row] for row in csv.reader(io.StringIO(text), delimiter="\t")]


def unchanged(number: float, current: float | None, decimals: int) -> bool:
    """True when ``number`` is ``current`` as shown (a copied value pasted back)."""
    return current is not None and abs(number - round(current, decimals)) <= 1e-9 * max(
        1.0, abs(number))


class AccountTableModel(QAbstractTableModel):
    """The rows of one 存量及变动表 with editable observed values.

    ``committer(edits, text)`` is called by setData with the StockEdits (catalog units) and
    returns True when they were applied; ``reporter(text)`` shows why an entry was refused.
    """

    ItemRole = Qt.ItemDataRole.UserRole + 1     # the row's item code
    ValueRole = Qt.ItemDataRole.UserRole + 2    # the number in the shown unit (None if empty)
    KeyRole = Qt.ItemDataRole.UserRole + 3      # the column's key

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.columns: list[Column] = []
        self.region = ""
        self.year = 0
        self.resource = ""
        self.area_unit = "公顷"
        self.editable: set[str] = set()
        self.locked = False
        self.opening_locked = True
        self.lock_reason = ""
        self.account_unit = ""
        self._row_of: dict[str, int] = {}
        self._parents: set[str] = set()
        self._marks: dict[tuple[int, int], list[Problem]] = {}
        self.committer: Callable[[list[StockEdit], str], bool] | None = None
        self.reporter: Callable[[str], None] | None = None

    # ------------------------------------------------------------------ loading
    def set_table(self, rows: list[dict[str, Any]], *, region: str, year: int, resource: str,
                  account_unit: str, editable: set[str], locked: bool, opening_locked: bool,
                  lock_reason: str = "", area_unit: str = "公顷") -> None:
        """Show new rows (plain dicts of a ChangeTable's rows, NaN as None)."""
        columns = self._columns(rows, account_unit, area_unit)
        same_shape = ([r["item"] for r in rows] == [r["item"] for r in self.rows]
                      and [c.key for c in columns] == [c.key for c in self.columns])
        if not same_shape:
            self.beginResetModel()
        self.rows, self.columns = rows, columns
        self.region, self.year, self.resource = region, int(year), resource
        self.account_unit, self.area_unit = account_unit, area_unit
        self.editable, self.locked, self.opening_locked = set(editable), locked, opening_locked
        self.lock_reason = lock_reason
        self._row_of = {r["item"]: k for k, r in enumerate(rows)}
        self._parents = {r["parent"] for r in rows if r["parent"]} | {
            r["item"] for r in rows if r["kind"] == "group"}
        self._marks = {k: v for k, v in self._marks.items()
                       if k[0] < len(rows) and k[1] < len(columns)}
        if not same_shape:
            self._marks = {}
            self.endResetModel()
        elif rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(columns) - 1))
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(columns) - 1)

    def set_problems(self, problems: list[Problem]) -> None:
        """Mark the cells the problems of this resource and year concern."""
        marks: dict[tuple[int, int], list[Problem]] = {}
        for problem in problems:
            if problem.resource != self.resource or problem.year != self.year:
                continue
            row = self._row_of.get(problem.item or "")
            if row is None:
                continue
            for key in PROBLEM_COLUMNS.get(problem.kind, ("code", "name")):
                column = self.column(key)
                if column >= 0:
                    marks.setdefault((row, column), []).append(problem)
        changed = set(marks) | set(self._marks)
        self._marks = marks
        for row, column in changed:
            index = self.index(row, column)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.BackgroundRole,
                                                 Qt.ItemDataRole.ToolTipRole])

    def _columns(self, rows: list[dict[str, Any]], account_unit: str, area_unit: str) -> list[Column]:
        units = {r["unit"] for r in rows if r["kind"] != "group"}
        uniform = len(units) <= 1
        unit = shown_unit(next(iter(units)) if units else account_unit, area_unit)

        def titled(text: str) -> str:
            return f"{text}\n（{unit}）" if uniform else text

        factor = {"human": self.tr("Human factors"), "natural": self.tr("Natural factors"),
                  "other": self.tr("Other factors")}
        columns = [Column("code", self.tr("Code"), False), Column("name", self.tr("Item"), False)]
        if not uniform:
            columns.append(Column("unit", self.tr("Unit"), False))
        columns.append(Column("opening", titled(self.tr("Opening stock"))))
        for side, prefix, word, total in (("add", "add", self.tr("Additions"),
                                           self.tr("Total additions")),
                                          ("reduce", "red", self.tr("Reductions"),
                                           self.tr("Total reductions"))):
            for f in FACTOR_KEYS:
                columns.append(Column(f"{prefix}_{f}", titled(f"{word}·{factor[f]}"), True, side, f))
            columns.append(Column("additions" if side == "add" else "reductions", titled(total),
                                  True, side, None))
        columns += [Column("closing", titled(self.tr("Closing (computed)"))),
                    Column("observed_closing", titled(self.tr("Closing (reported)"))),
                    Column("discrepancy", titled(self.tr("Discrepancy")))]
        return columns

    # ------------------------------------------------------------------ lookups
    def column(self, key: str) -> int:
        """The column index of ``key`` (−1 when the table has no such column)."""
        for k, column in enumerate(self.columns):
            if column.key == key:
                return k
        return -1

    def row_of(self, item: str) -> int:
        """The row of item (or group) ``item``, −1 when absent."""
        return self._row_of.get(item, -1)

    def item_at(self, row: int) -> str:
        """The item code of ``row``."""
        return str(self.rows[row]["item"])

    def unit_of(self, row: int) -> str:
        """The unit values of ``row`` are shown in."""
        return shown_unit(self.rows[row]["unit"], self.area_unit)

    def value(self, index: Index) -> float | None:
        """The number of a cell in its shown unit (None when empty or not numeric)."""
        column = self.columns[index.column()]
        if not column.numeric:
            return None
        row = self.rows[index.row()]
        return to_shown(row.get(column.key), row["unit"], self.area_unit)

    def text(self, index: Index) -> str:
        """A cell as plain text for the clipboard (no separators, no indentation)."""
        column, row = self.columns[index.column()], self.rows[index.row()]
        if column.key == "unit":
            return self.unit_of(index.row())
        if not column.numeric:
            return str(row[column.key])
        return plain_number(self.value(index), decimals_for(row["unit"]))

    def is_editable(self, index: Index) -> bool:
        """True for an observed value (or opening) of an entered item in an open year."""
        if not index.isValid():
            return False
        key = self.columns[index.column()].key
        row = self.rows[index.row()]
        if row["item"] not in self.editable:
            return False
        if key == "observed_closing":
            return not self.locked
        return key == "opening" and row["kind"] == "stock" and not self.opening_locked

    def why_read_only(self, index: Index) -> str:
        """A short explanation for a cell that cannot be edited."""
        key = self.columns[index.column()].key
        row = self.rows[index.row()]
        if key not in ("opening", "observed_closing") or not self.columns[index.column()].numeric:
            return self.tr("computed")
        if row["kind"] == "group":
            return self.tr("a group: the sum of its members")
        if row["kind"] == "derived":
            return self.tr("computed by a formula")
        if row["item"] not in self.editable:
            return self.tr("the sum of its sub-items")
        if key == "opening" and row["kind"] != "stock":
            return self.tr("no opening stock")
        if key == "opening" and self.opening_locked:
            return self.tr("the previous year is locked")
        if self.locked:
            return self.tr("the year is locked")
        return ""

    def edit_for(self, index: Index, shown: float | None) -> StockEdit:
        """The stored edit for entering ``shown`` (in the shown unit) into ``index``; it expects
        the value the cell shows now (as loaded, in the catalog unit), so a value someone else
        changed meanwhile is refused instead of overwritten."""
        from balancesheet.editing import StockEdit

        row = self.rows[index.row()]
        key = self.columns[index.column()].key
        year = self.year if key == "observed_closing" else self.year - 1
        return StockEdit(self.region, year, self.resource, row["item"],
                         to_stored(shown, row["unit"], self.area_unit), row.get(key))

    def apply_local(self, edits: list[StockEdit]) -> None:
        """Show entered values at once; what depends on them is blank until the editor's
        background recomputation arrives."""
        for edit in edits:
            row = self._row_of.get(edit.item)
            if row is None or edit.resource != self.resource:
                continue
            key = {self.year: "observed_closing", self.year - 1: "opening"}.get(edit.year)
            if key is None:
                continue
            record = self.rows[row]
            record[key] = edit.value
            record["discrepancy"] = None
            if key == "opening":
                record["closing"] = None
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.key == "discrepancy":
            return self.tr("Reported closing minus computed closing "
                           "(opening + additions − reductions)")
        if role == Qt.ItemDataRole.ToolTipRole and column.side:
            return self.tr("Double-click or press Enter to list the changes behind a cell")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_editable(index):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(index, row, column)
        if role == Qt.ItemDataRole.EditRole:
            return self.text(index) if column.numeric else str(row.get(column.key, ""))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(row)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(index, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column.numeric and not self.is_editable(index):
                return COMPUTED_TEXT
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index, column)
        if role == self.ItemRole:
            return row["item"]
        if role == self.ValueRole:
            return self.value(index)
        if role == self.KeyRole:
            return column.key
        return None

    def _display(self, index: Index, row: dict[str, Any], column: Column) -> str:
        if column.key == "name":
            return "\u3000" * int(row["depth"]) + str(row["name"])
        if column.key == "code":
            return str(row["item"])
        if column.key == "unit":
            return self.unit_of(index.row())
        return shown_number(self.value(index), decimals_for(row["unit"]))

    def _font(self, row: dict[str, Any]) -> QFont | None:
        if row["item"] not in self._parents:
            return None
        font = QFont()
        font.setBold(True)
        return font

    def _background(self, index: Index, column: Column) -> QBrush | None:
        problems = self._marks.get((index.row(), index.column()))
        if problems:
            return ERROR_BRUSH if any(p.severity == "error" for p in problems) else WARNING_BRUSH
        if column.numeric and not self.is_editable(index):
            return COMPUTED_BRUSH
        return None

    def _tooltip(self, index: Index, column: Column) -> str | None:
        problems = self._marks.get((index.row(), index.column()))
        if problems:
            return "\n".join(p.message for p in problems)
        if column.numeric and not self.is_editable(index):
            reason = self.why_read_only(index)
            if reason == self.tr("the year is locked") and self.lock_reason:
                return self.lock_reason
            return self.tr("Read-only: {reason}").format(reason=reason) if reason else None
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not self.is_editable(index):
            return False
        text = "" if value is None else str(value)
        try:
            shown = None if not text.strip() else parse_number(text)
        except ValueError:
            self._report(self.tr("「{value}」 is not a number.").format(value=text))
            return False
        if shown is not None and (math.isnan(shown) or math.isinf(shown) or shown < 0):
            self._report(self.tr("「{value}」: enter a number that is not negative.").format(
                value=text))
            return False
        if self.committer is None:
            return False
        edit = self.edit_for(index, shown)
        name = f"{self.rows[index.row()]['item']} {self.rows[index.row()]['name']}"
        return self.committer([edit], self.tr("Edit {item}").format(item=name))

    # ------------------------------------------------------------------ clipboard
    def block_text(self, cells: set[tuple[int, int]]) -> str:
        """The bounding rectangle of ``cells`` (row, column) as tab-separated lines; cells
        inside it but not chosen stay empty."""
        rows = range(min(r for r, _ in cells), max(r for r, _ in cells) + 1)
        columns = range(min(c for _, c in cells), max(c for _, c in cells) + 1)
        return to_tsv([self.text(self.index(r, c)) if (r, c) in cells else "" for c in columns]
                      for r in rows)

    def paste_edits(self, grid: list[list[str]], top: int,
                    left: int) -> tuple[list[StockEdit], list[str]]:
        """The edits a block pasted at (``top``, ``left``) makes, and a line per cell that
        cannot take its value (all or nothing: the caller applies the edits only if none)."""
        edits: list[StockEdit] = []
        bad: list[str] = []
        for r, line in enumerate(grid):
            for c, raw in enumerate(line):
                row, column = top + r, left + c
                if row >= len(self.rows) or column >= len(self.columns):
                    if raw.strip():
                        bad.append(self.tr("Row {row}, column {column}: 「{value}」 — outside the "
                                           "table").format(row=row + 1, column=column + 1,
                                                           value=raw))
                    continue
                index = self.index(row, column)
                why, edit = self._pasted(index, raw.strip())
                if why:
                    bad.append(self.tr("{item} {name}, {column}: 「{value}」 — {why}").format(
                        item=self.rows[row]["item"], name=self.rows[row]["name"],
                        column=self.columns[column].title.replace("\n", ""), value=raw, why=why))
                elif edit is not None:
                    edits.append(edit)
        return edits, bad

    def _pasted(self, index: Index, text: str) -> tuple[str, StockEdit | None]:
        """Why ``text`` cannot go into ``index`` (empty when it can) and the edit it makes."""
        column = self.columns[index.column()]
        current = self.value(index)
        decimals = decimals_for(self.rows[index.row()]["unit"])
        number: float | None = None
        if text and column.numeric:
            try:
                number = parse_number(text)
            except ValueError:
                number = math.nan
        if not self.is_editable(index):
            same = (text in (self.text(index), str(self.data(index) or "").strip())
                    if not column.numeric else
                    (current is None if not text else number is not None
                     and unchanged(number, current, decimals)))
            if same:
                return "", None  # the value already there: pasting a copied block back is fine
            return self.tr("read-only ({reason})").format(reason=self.why_read_only(index)), None
        if number is None:
            return "", (None if current is None else self.edit_for(index, None))
        if not math.isfinite(number):
            return self.tr("not a number"), None
        if number < 0:
            return self.tr("negative"), None
        if unchanged(number, current, decimals):
            return "", None
        return "", self.edit_for(index, number)

    def _report(self, text: str) -> None:
        if self.reporter is not None:
            self.reporter(text)
