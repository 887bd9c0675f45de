"""The land transition matrix as a table model (rows: classes at the start, columns: at the end)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QTableView

from balancesheet.safe_text import to_tsv
from balancesheet.units import convert
from ui.formatting import format_number

if TYPE_CHECKING:
    from balancesheet.ledger.matrix import TransitionMatrix
    from ui.context import AppContext

RAW_ROLE = Qt.ItemDataRole.UserRole  # the cell's area (float) in the shown unit
Index = QModelIndex | QPersistentModelIndex
DIAGONAL = QColor(232, 238, 245)
SUMS = QColor(245, 245, 245)


def stock_years(ctx: AppContext, region: str, resource: str | None = None) -> list[int]:
    """Years for which ``region`` has stored stocks (of ``resource``, or of any resource)."""
    from sqlalchemy import select

    from balancesheet.store.schema import Stock

    stmt = select(Stock.year).where(Stock.region_code == region).distinct()
    if resource:
        stmt = stmt.where(Stock.resource == resource)
    with ctx.require_project().store.session() as s:
        return sorted(int(y) for y in s.scalars(stmt).all())


class TransitionMatrixModel(QAbstractTableModel):
    """Cells of a TransitionMatrix in the preferred area unit, with a total row and column.

    The last column holds the row sums (area at the end of ``year_from``), the last row the
    column sums (area at the end of ``year_to``, computed from the transfers).
    """

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.matrix: TransitionMatrix | None = None
        self.unit = "公顷"
        self.values = np.zeros((0, 0))  # classes × classes in ``unit``, plus sums

    def set_matrix(self, matrix: TransitionMatrix | None, unit: str) -> None:
        """Show ``matrix`` (None: nothing) with areas in ``unit``."""
        self.beginResetModel()
        self.matrix, self.unit = matrix, unit
        if matrix is None:
            self.values = np.zeros((0, 0))
        else:
            cells = convert(np.asarray(matrix.cells, dtype=float), matrix.unit, unit)
            n = len(cells)
            full = np.zeros((n + 1, n + 1))
            full[:n, :n] = cells
            full[:n, n] = cells.sum(axis=1)
            full[n, :n] = cells.sum(axis=0)
            full[n, n] = cells.sum()
            self.values = full
        self.endResetModel()

    @property
    def size(self) -> int:
        """Number of classes (rows without the total row)."""
        return 0 if self.matrix is None else len(self.matrix.classes)

    def label(self, i: int) -> str:
        """``01 耕地`` for class i; the total's label for i == size."""
        assert self.matrix is not None
        if i >= self.size:
            return self.tr("Total")
        code, name = self.matrix.classes[i], self.matrix.names[i]
        return f"{code} {name}"

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.matrix is None else self.size + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.matrix is None else self.size + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.matrix is None:
            return None
        r, c = index.row(), index.column()
        if not (0 <= r <= self.size and 0 <= c <= self.size):
            return None
        value = float(self.values[r, c])
        total = r == self.size or c == self.size
        if role == Qt.ItemDataRole.DisplayRole:
            return format_number(value, 2)
        if role == RAW_ROLE:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if total:
                return QBrush(SUMS)
            return QBrush(DIAGONAL) if r == c else None
        if role == Qt.ItemDataRole.FontRole and total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and not total:
            return self.cell_text(r, c, value)
        return None

    def cell_text(self, r: int, c: int, value: float) -> str:
        """``从 01 耕地 到 07 住宅用地：12.34 公顷`` (unchanged area on the diagonal)."""
        if r == c:
            return self.tr("{cls} unchanged: {value} {unit}").format(
                cls=self.label(r), value=format_number(value, 2), unit=self.unit)
        return self.tr("From {a} to {b}: {value} {unit}").format(
            a=self.label(r), b=self.label(c), value=format_number(value, 2), unit=self.unit)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.matrix is None or not 0 <= section <= self.size:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.header_text(section, orientation)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.header_text(section, orientation).replace("\n", " ")
        if role == Qt.ItemDataRole.TextAlignmentRole and orientation == Qt.Orientation.Horizontal:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def header_text(self, section: int, orientation: Qt.Orientation) -> str:
        """Column headers: code over name; the totals name their year and unit."""
        assert self.matrix is not None
        horizontal = orientation == Qt.Orientation.Horizontal
        if section == self.size:
            year = self.matrix.year_from if horizontal else self.matrix.year_to
            text = self.tr("Total end of {year}\n({unit})").format(year=year, unit=self.unit)
            return text if horizontal else text.replace("\n", " ")
        code, name = self.matrix.classes[section], self.matrix.names[section]
        return f"{code}\n{name}" if horizontal else f"{code} {name}"

    # ------------------------------------------------------------------ copying
    def tsv(self, rows: list[int] | None = None, columns: list[int] | None = None) -> str:
        """The matrix (or some rows × columns of it) as TSV with header row and column."""
        if self.matrix is None:
            return ""
        rows = list(range(self.size + 1)) if rows is None else rows
        columns = list(range(self.size + 1)) if columns is None else columns
        corner = self.tr("Rows: end of {a}; columns: end of {b} ({unit})").format(
            a=self.matrix.year_from, b=self.matrix.year_to, unit=self.unit)
        head = [corner] + [self.header_text(c, Qt.Orientation.Horizontal).replace("\n", " ")
                           for c in columns]
        lines = [head]
        for r in rows:
            cells = [f"{self.values[r, c]:.2f}" for c in columns]
            lines.append([self.header_text(r, Qt.Orientation.Vertical), *cells])
        return to_tsv(lines)  # text that a spreadsheet would run as a formula is protected


def selection_tsv(view: QTableView, model: TransitionMatrixModel) -> str:
    """The selected rows × columns of ``view`` as TSV (the whole matrix when nothing is selected)."""
    indexes = view.selectionModel().selectedIndexes() if view.selectionModel() else []
    if not indexes:
        return model.tsv()
    rows = sorted({i.row() for i in indexes})
    columns = sorted({i.column() for i in indexes})
    return model.tsv(rows, columns)
