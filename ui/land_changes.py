"""The land change records (土地变更记录) of a region: a filter bar over a lazy, SQL-sorted table."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.changes_model import (
    AREA,
    BATCH,
    CAUSE,
    FROM,
    TO,
    YEAR,
    ChangeQuery,
    LandChangesModel,
    matching_codes,
)
from ui.context import AppContext
from ui.copy_key import CopyKey
from ui.errors import show_error
from ui.formatting import format_number
from ui.tasks import TaskState, run_task

SYNC_COPY_ROWS = 5_000  # larger selections are read and formatted in a worker


class LandChangesView(QWidget):
    """The land change records of ``region`` for ``year`` (0: all years), sortable and filterable.

    Public slots: ``copy()`` (the selected records as TSV), ``find()`` (focus the filter),
    ``set_filter(text, cause, year)`` and ``reload()``.
    """

    def __init__(self, ctx: AppContext, region: str, year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.region = ctx, region
        self.model = LandChangesModel(ctx, region, self)
        self._build()
        self._fill_causes()
        self._fill_years([int(year)] if year else [], int(year))
        self.model.loading.connect(self._show_summary)
        self.model.loaded.connect(self._on_loaded)
        self.model.failed.connect(self._on_failed)
        ctx.data_changed.connect(self._on_data_changed)
        ctx.preferences_changed.connect(self._on_preferences)
        self.model.query = ChangeQuery(region, year=int(year))
        self.model.reload()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(self.tr("Class code or name, e.g. 0101 or 耕地"))
        self.filter_edit.setMinimumWidth(220)
        self.cause_combo = QComboBox(self)
        self.cause_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.year_combo = QComboBox(self)
        self.summary = QLabel(self)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        bar = QHBoxLayout()
        for label, widget in ((self.tr("Filter:"), self.filter_edit), (self.tr("Cause:"), self.cause_combo),
                              (self.tr("Year:"), self.year_combo)):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            bar.addWidget(caption)
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.summary)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never measures 1,000,000 rows
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(YEAR, Qt.SortOrder.AscendingOrder)
        width = self.fontMetrics().horizontalAdvance("0")
        for column, chars in ((YEAR, 8), (FROM, 24), (TO, 24), (CAUSE, 26), (AREA, 19), (BATCH, 20)):
            self.table.setColumnWidth(column, width * chars)
        self.table.setSortingEnabled(True)  # header clicks call model.sort → ORDER BY
        CopyKey(self.copy, self.table)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(300)
        self._text_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(self._text_timer.start)
        self.filter_edit.returnPressed.connect(self._apply_filter)
        self.cause_combo.currentIndexChanged.connect(self._apply_filter)
        self.year_combo.currentIndexChanged.connect(self._apply_filter)

    def _fill_causes(self) -> None:
        self.cause_combo.blockSignals(True)
        self.cause_combo.addItem(self.tr("All causes"), "")
        for cause in self.model.account.causes.values():
            self.cause_combo.addItem(cause.name, cause.code)
        self.cause_combo.blockSignals(False)

    def _fill_years(self, years: list[int], current: int) -> None:
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        self.year_combo.addItem(self.tr("All years"), 0)
        for y in sorted(set(years) | ({current} if current else set())):
            self.year_combo.addItem(self.tr("{year}").format(year=y), y)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(current)))
        self.year_combo.blockSignals(False)

    # ------------------------------------------------------------------ filtering
    def _apply_filter(self) -> None:
        self._text_timer.stop()
        codes = matching_codes(self.model.account, self.filter_edit.text())
        query = replace(self.model.query, year=int(self.year_combo.currentData() or 0),
                        cause=str(self.cause_combo.currentData() or ""), codes=codes)
        if query != self.model.query:
            self.model.set_query(query)

    def set_filter(self, text: str = "", cause: str = "", year: int = 0) -> None:
        """Show the records matching a class text, a cause code and a year (0: all)."""
        for widget in (self.filter_edit, self.cause_combo, self.year_combo):
            widget.blockSignals(True)
        self.filter_edit.setText(text)
        self.cause_combo.setCurrentIndex(max(0, self.cause_combo.findData(cause)))
        if year and self.year_combo.findData(year) < 0:
            self._fill_years(self.model.years, year)
            self.year_combo.blockSignals(True)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(year)))
        for widget in (self.filter_edit, self.cause_combo, self.year_combo):
            widget.blockSignals(False)
        self._apply_filter()

    def find(self) -> None:
        """Put the cursor in the filter box (Ctrl+F)."""
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def reload(self) -> None:
        """Read the records again from the project."""
        self.model.reload(totals=True)

    # ------------------------------------------------------------------ model events
    def _on_loaded(self) -> None:
        shown = {self.year_combo.itemData(i) for i in range(1, self.year_combo.count())}
        if self.model.years and shown != set(self.model.years):
            self._fill_years(self.model.years, int(self.year_combo.currentData() or 0))
        self._show_summary()

    def _show_summary(self) -> None:
        unit = self.model.area_unit
        text = self.tr("{count} records, total {area} {unit}").format(
            count=format_number(self.model.count, 0),
            area=format_number(self.model.shown_area(self.model.total), 2), unit=unit)
        if self.model.busy:
            text = self.tr("Loading…") + "  " + text
        self.summary.setText(text)

    def _on_failed(self, exc: BaseException) -> None:
        self._show_summary()
        show_error(self, exc, language=self.ctx.language)

    def _on_data_changed(self, region: str, _year: int, resource: str) -> None:
        if region in ("", self.region) and resource in ("", "land") and self.ctx.project is not None:
            self.model.reload(totals=True)

    def _on_preferences(self) -> None:
        self.model.refresh_units()
        self._show_summary()

    # ------------------------------------------------------------------ copying
    def selected_rows(self) -> np.ndarray:
        """Rows of the selection, sorted (ranges, never one index per cell)."""
        ranges = self.table.selectionModel().selection()
        parts = [np.arange(r.top(), r.bottom() + 1) for r in ranges]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def copy(self) -> None:
        """Copy the selected records as tab-separated text with a header line."""
        rows = self.selected_rows()
        if not len(rows):
            return
        model, titles = self.model, self.model.column_titles()

        def work(state: TaskState | None) -> str:
            return model.tsv(rows.tolist(), titles, state)

        if len(rows) <= SYNC_COPY_ROWS:
            self._to_clipboard(work(None))
            return
        self.summary.setText(self.tr("Copying {count} records…").format(
            count=format_number(len(rows), 0)))
        run_task(work, self._to_clipboard, self._on_failed)

    def _to_clipboard(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self._show_summary()
