"""The land transition matrix (土地利用转移矩阵) of a span of years: a table and a heat map."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.copy_key import CopyKey
from ui.errors import show_error
from ui.heatmap import HeatMap
from ui.matrix_model import TransitionMatrixModel, selection_tsv, stock_years
from ui.tasks import Task, TaskState, run_task

if TYPE_CHECKING:
    from balancesheet.ledger.matrix import TransitionMatrix


def note_text(note: str, language: str) -> str:
    """The core's bilingual note ``中文 / English`` in the UI's language."""
    if " / " not in note:
        return note
    chinese, english = note.rsplit(" / ", 1)
    return english if language == "en" else chinese


class TransitionMatrixView(QWidget):
    """Transition matrix of ``region`` from the end of ``year_from`` to the end of ``year_to``.

    Span and class level are chosen in the bar on top; the matrix is computed by the core
    (``balancesheet.ledger.transition_matrix``) in a worker. ``computed`` is emitted when a new
    matrix is shown. Public slots: ``copy()``, ``recompute()``, ``set_span(year_from, year_to)``,
    ``show_table()``, ``show_heatmap()``.
    """

    computed = Signal()

    def __init__(self, ctx: AppContext, region: str, year_from: int, year_to: int,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.region = ctx, region
        self.matrix: TransitionMatrix | None = None
        self._task: Task | None = None
        self._generation = 0
        self.model = TransitionMatrixModel(self)
        self._build()
        self._fill_years(int(year_from), int(year_to))
        self._fill_levels()
        ctx.data_changed.connect(self._on_data_changed)
        ctx.preferences_changed.connect(self._show_matrix)
        for combo in (self.from_combo, self.to_combo, self.level_combo):
            combo.currentIndexChanged.connect(self.recompute)
        self.recompute()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.from_combo = QComboBox(self)
        self.to_combo = QComboBox(self)
        self.level_combo = QComboBox(self)
        self.status = QLabel(self)
        bar = QHBoxLayout()
        for text, combo in ((self.tr("From end of:"), self.from_combo),
                            (self.tr("To end of:"), self.to_combo),
                            (self.tr("Classes:"), self.level_combo)):
            label = QLabel(text, self)
            label.setBuddy(combo)
            bar.addWidget(label)
            bar.addWidget(combo)
            bar.addSpacing(8)
        bar.addStretch(1)
        bar.addWidget(self.status)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.heatmap = HeatMap(self)
        CopyKey(self.copy, self.table, self.heatmap)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.table, self.tr("Table"))
        self.tabs.addTab(self.heatmap, self.tr("Heat map"))

        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes.setStyleSheet("color: palette(placeholder-text);")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.notes)

    def _fill_years(self, year_from: int, year_to: int) -> None:
        years = sorted(set(stock_years(self.ctx, self.region, "land")) | {year_from, year_to})
        for combo, current in ((self.from_combo, year_from), (self.to_combo, year_to)):
            combo.blockSignals(True)
            combo.clear()
            for y in years:
                combo.addItem(self.tr("{year}").format(year=y), y)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def _fill_levels(self) -> None:
        account = self.ctx.require_project().catalog.account("land")
        root = next(c for c in account.order if account.items[c].parent is None)
        deepest = max(account.depth(c) for c in account.order if root in account.ancestors(c))
        self.level_combo.blockSignals(True)
        for level in range(1, deepest + 1):
            self.level_combo.addItem(self.level_name(level), level)
        self.level_combo.blockSignals(False)

    def level_name(self, level: int) -> str:
        """一级地类 / 二级地类 …"""
        names = {1: self.tr("First-level classes"), 2: self.tr("Second-level classes")}
        return names.get(level, self.tr("Level {level} classes").format(level=level))

    # ------------------------------------------------------------------ computing
    @property
    def span(self) -> tuple[int, int, int]:
        """(year_from, year_to, level) chosen in the bar."""
        return (int(self.from_combo.currentData() or 0), int(self.to_combo.currentData() or 0),
                int(self.level_combo.currentData() or 1))

    def set_span(self, year_from: int, year_to: int, level: int | None = None) -> None:
        """Show the matrix of another span (and class level)."""
        self._fill_years(int(year_from), int(year_to))
        if level is not None:
            self.level_combo.blockSignals(True)
            self.level_combo.setCurrentIndex(max(0, self.level_combo.findData(level)))
            self.level_combo.blockSignals(False)
        self.recompute()

    def recompute(self) -> None:
        """Compute the matrix of the chosen span in a worker."""
        if self.ctx.project is None:
            return
        year_from, year_to, level = self.span
        self._generation += 1
        if self._task is not None and not self._task.done:
            self._task.cancel()
        if year_to <= year_from:
            self.status.setText(self.tr("The end year must be later than the start year."))
            return
        project, region, generation = self.ctx.project, self.region, self._generation

        def work(state: TaskState) -> tuple:
            from balancesheet.ledger import transition_matrix

            state.check()
            return generation, transition_matrix(project, region, year_from, year_to, level=level)

        self.status.setText(self.tr("Computing…"))
        self._task = run_task(work, self._on_computed, self._on_failed)

    def _on_computed(self, result: tuple) -> None:
        generation, matrix = result
        if generation != self._generation:
            return
        self.matrix = matrix
        self.status.setText("")
        self._show_matrix()
        self.computed.emit()

    def _on_failed(self, exc: BaseException) -> None:
        from balancesheet.errors import Cancelled

        if isinstance(exc, Cancelled):
            return
        self.status.setText(self.tr("The matrix could not be computed."))
        show_error(self, exc, language=self.ctx.language)

    def _show_matrix(self) -> None:
        matrix, unit = self.matrix, self.ctx.preferences.area_unit
        self.model.set_matrix(matrix, unit)
        if matrix is None:
            return
        n = self.model.size
        self.heatmap.set_matrix(matrix.classes, matrix.names, self.model.values[:n, :n], unit,
                                self.tr("Rows: classes at the end of {a}; columns: classes at the "
                                        "end of {b}").format(a=matrix.year_from, b=matrix.year_to))
        self.table.resizeColumnsToContents()
        notes = [note_text(n, self.ctx.language) for n in matrix.notes]
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))

    def _on_data_changed(self, region: str, _year: int, resource: str) -> None:
        if region in ("", self.region) and resource in ("", "land"):
            self.recompute()

    # ------------------------------------------------------------------ showing and copying
    def show_table(self) -> None:
        """Bring the table to the front."""
        self.tabs.setCurrentWidget(self.table)

    def show_heatmap(self) -> None:
        """Bring the heat map to the front."""
        self.tabs.setCurrentWidget(self.heatmap)

    def copy(self) -> None:
        """Copy the selected cells (the whole matrix when none is selected, or from the heat map)
        as tab-separated text with class labels."""
        if self.matrix is None:
            return
        if self.tabs.currentWidget() is self.table:
            text = selection_tsv(self.table, self.model)
        else:
            text = self.model.tsv()
        QGuiApplication.clipboard().setText(text)

