"""The change log (修改记录) as a dialog: who changed what and when, old → new, filtered by region,
year, kind and user; copy (Ctrl+C) and CSV export. The entries come from balancesheet.trail.history,
read in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.copy_key import CopyKey
from ui.errors import show_error
from ui.tasks import TaskState, run_task

if TYPE_CHECKING:
    from balancesheet.trail import HistoryEntry
    from ui.context import AppContext

Index = QModelIndex | QPersistentModelIndex
ANY_YEAR = 0  # the year box's special value: every year


class HistoryModel(QAbstractTableModel):
    """One row per change-log entry (newest first)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.entries: list[HistoryEntry] = []
        self.titles = [self.tr("Time"), self.tr("User"), self.tr("Action"), self.tr("What"),
                       self.tr("Old value"), self.tr("New value"), self.tr("Imported file")]

    def set_entries(self, entries: list[HistoryEntry]) -> None:
        """Show ``entries``."""
        self.beginResetModel()
        self.entries = entries
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt override
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt override
        return 0 if parent.isValid() else len(self.titles)

    def cell(self, row: int, column: int) -> str:
        """The text of one cell."""
        e = self.entries[row]
        return (f"{e.at:%Y-%m-%d %H:%M:%S}", e.user, e.what(), e.key_text(), e.old_text(), e.new_text(),
                e.file or "")[column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell(index.row(), index.column())
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.titles[section]
        return None

    def tsv(self, rows: list[int]) -> str:
        """The rows as tab-separated text with a header line (tabs and line breaks in cells as spaces)."""
        def clean(text: str) -> str:
            return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")

        lines = ["\t".join(self.titles)]
        lines += ["\t".join(clean(self.cell(r, c)) for c in range(len(self.titles))) for r in rows]
        return "\n".join(lines) + "\n"


class HistoryDialog(QDialog):
    """The project's change log, filtered; opened on the current region and year."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, region: str | None = None,
                 year: int | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Change history"))
        self.resize(1100, 620)
        self.region = QComboBox()
        self.region.addItem(self.tr("All regions"), None)
        project = ctx.require_project()
        for code, name in project.regions():
            self.region.addItem(f"{code} {name}", code)
        if region is not None:
            self.region.setCurrentIndex(max(0, self.region.findData(region)))
        self.year = QSpinBox()
        self.year.setRange(ANY_YEAR, 2100)
        self.year.setSpecialValueText(self.tr("All years"))
        self.year.setValue(year or ANY_YEAR)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("All kinds"), None)
        from balancesheet.trail import ENTITIES, ENTITY_GROUPS

        for entity in ENTITY_GROUPS:
            self.kind.addItem(ENTITIES[entity], entity)
        self.user = QLineEdit()
        self.user.setPlaceholderText(self.tr("Any user"))
        self.user.setClearButtonEnabled(True)
        self.refresh_button = QPushButton(self.tr("&Show"))
        self.refresh_button.setDefault(True)
        self.refresh_button.clicked.connect(self.refresh)
        filters = QHBoxLayout()
        for label, widget in ((self.tr("&Region:"), self.region), (self.tr("&Year:"), self.year),
                              (self.tr("&Kind:"), self.kind), (self.tr("&User:"), self.user)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        filters.addWidget(self.refresh_button)
        filters.addStretch(1)

        self.model = HistoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((150, 80, 110, 170, 220, 240)):
            self.table.setColumnWidth(column, width)
        CopyKey(self.copy, self.table)
        self.summary = QLabel()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = buttons.addButton(self.tr("&Export CSV…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.export_csv)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.refresh()

    def filters(self) -> dict[str, Any]:
        """The filters as keyword arguments of balancesheet.trail.history."""
        return {"region": self.region.currentData(), "year": self.year.value() or None,
                "entity": self.kind.currentData(), "user": self.user.text().strip() or None}

    def refresh(self) -> None:
        """Read the entries matching the filters (in a worker)."""
        from balancesheet.trail import history

        project, filters = self.ctx.require_project(), self.filters()
        self.summary.setText(self.tr("Reading the change log…"))
        self.refresh_button.setEnabled(False)

        def work(_state: TaskState) -> list[HistoryEntry]:
            return history(project, **filters)

        run_task(work, self._loaded, self._failed)

    def _loaded(self, entries: list[HistoryEntry]) -> None:
        self.model.set_entries(entries)
        self.refresh_button.setEnabled(True)
        self.summary.setText(self.tr("{count} entries, newest first. Every change is kept; "
                                     "the log cannot be edited.").format(count=len(entries)))

    def _failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.summary.setText("")
        show_error(self, exc, language=self.ctx.language)

    def copy(self) -> None:
        """Copy the selected entries (or all, when none is selected) as tab-separated text."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})
        QGuiApplication.clipboard().setText(self.model.tsv(rows or list(range(self.model.rowCount()))))

    def export_csv(self) -> None:
        """Save the entries shown as a CSV file (UTF-8 with BOM, opens in Excel and WPS)."""
        from pathlib import Path

        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export change history"),
                                              str(Path.home() / "修改记录.csv"), self.tr("CSV files (*.csv)"))
        if not path:
            return
        try:
            _write_csv(Path(path), self.model)
        except OSError as exc:
            show_error(self, exc, language=self.ctx.language)
            return
        self.summary.setText(self.tr("Exported to {path}").format(path=path))


def _write_csv(path: Any, model: HistoryModel) -> None:
    import csv

    from balancesheet.safe_text import guard  # a user name or reason "=…" never runs as a formula

    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(model.titles)
        for row in range(model.rowCount()):
            writer.writerow([guard(model.cell(row, c)) for c in range(len(model.titles))])
