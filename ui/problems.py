"""The problems panel: what balancesheet.checks.check finds for a region's year, as a sortable
list; double-click goes to the offending cell (ctx.navigate). Checks run in a worker and run
again whenever data of the shown region and year (or the year before) changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.account_model import decimals_for, shown_number, shown_unit, to_shown
from ui.errors import show_error
from ui.tasks import Task, TaskState, run_task

if TYPE_CHECKING:
    from balancesheet.catalog import Catalog
    from balancesheet.checks import Problem
    from ui.context import AppContext

Index = QModelIndex | QPersistentModelIndex


class ProblemsModel(QAbstractTableModel):
    """Problems: severity, resource, item, message, expected, actual, difference, unit."""

    SortRole = Qt.ItemDataRole.UserRole + 1
    NUMBERS = ("expected", "actual", "difference")

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.problems: list[Problem] = []
        self.catalog: Catalog | None = None
        self.area_unit = "公顷"
        self.headers = [self.tr("Severity"), self.tr("Resource"), self.tr("Item"),
                        self.tr("Problem"), self.tr("Expected"), self.tr("Actual"),
                        self.tr("Difference"), self.tr("Unit")]

    def set_problems(self, problems: list[Problem], catalog: Catalog | None,
                     area_unit: str = "公顷") -> None:
        """Show ``problems`` (names looked up in ``catalog``)."""
        self.beginResetModel()
        self.problems, self.catalog, self.area_unit = list(problems), catalog, area_unit
        self.endResetModel()

    def counts(self) -> tuple[int, int]:
        """(errors, warnings)."""
        errors = sum(p.severity == "error" for p in self.problems)
        return errors, len(self.problems) - errors

    def resource_name(self, problem: Problem) -> str:
        """The account's name (土地资源 …) or the code as stored."""
        if self.catalog is not None and problem.resource in self.catalog.accounts:
            return self.catalog.accounts[problem.resource].name
        return problem.resource or ""

    def item_name(self, problem: Problem) -> str:
        """``0101 水田``: code and name of the item or group."""
        code = problem.item or ""
        account = self.catalog.accounts.get(problem.resource or "") if self.catalog else None
        if account is not None and code in account.items:
            return f"{code} {account.items[code].name}"
        if account is not None and code in account.groups:
            return f"{code} {account.groups[code].name}"
        return code

    def unit(self, problem: Problem) -> str:
        """The unit the numbers are shown in."""
        return shown_unit(problem.unit, self.area_unit) if problem.unit else ""

    def number(self, problem: Problem, key: str) -> float | None:
        """expected / actual / difference in the shown unit."""
        value = getattr(problem, key)
        if value is None or value != value:
            return None
        return to_shown(float(value), problem.unit, self.area_unit) if problem.unit else float(value)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.problems)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.problems):
            return None
        problem = self.problems[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(problem, column)
        if role == self.SortRole:
            if 4 <= column <= 6:
                value = self.number(problem, self.NUMBERS[column - 4])
                return float("-inf") if value is None else value
            if column == 0:
                return 0 if problem.severity == "error" else 1
            return self._display(problem, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = Qt.AlignmentFlag.AlignRight if 4 <= column <= 6 else Qt.AlignmentFlag.AlignLeft
            return int(align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            from PySide6.QtWidgets import QApplication

            icon = (QStyle.StandardPixmap.SP_MessageBoxCritical if problem.severity == "error"
                    else QStyle.StandardPixmap.SP_MessageBoxWarning)
            return QApplication.style().standardIcon(icon)
        if role == Qt.ItemDataRole.ToolTipRole:
            return problem.message
        return None

    def _display(self, problem: Problem, column: int) -> str:
        if column == 0:
            return self.tr("Error") if problem.severity == "error" else self.tr("Warning")
        if column == 1:
            return self.resource_name(problem)
        if column == 2:
            return self.item_name(problem)
        if column == 3:
            return problem.message
        if column == 7:
            return self.unit(problem)
        decimals = decimals_for(problem.unit or "")
        return shown_number(self.number(problem, self.NUMBERS[column - 4]), decimals)


class ProblemsPanel(QWidget):
    """The checks' findings for one region and year; lives in a dock of the main window.

    ``checked`` is emitted each time a run of the checks reached the list.
    """

    checked = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.region = ""
        self.year = 0
        self._generation = 0
        self._task: Task | None = None
        self._waiting = False  # a result is due (the task may be done with its signal queued)
        self.summary = QLabel(self)
        self.rerun = QToolButton(self)
        self.rerun.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.rerun.setToolTip(self.tr("Run the checks again"))
        self.rerun.setAutoRaise(True)
        self.rerun.clicked.connect(self.refresh)
        self.model = ProblemsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(ProblemsModel.SortRole)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the checks' own order first
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((80, 90, 130, 400, 110, 110, 100, 70)):
            self.view.setColumnWidth(column, width)
        self.view.doubleClicked.connect(self._activated)
        self.view.installEventFilter(self)  # Enter goes to the cell too
        head = QHBoxLayout()
        head.addWidget(self.summary, 1)
        head.addWidget(self.rerun)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)  # one run for the notifications of one command
        self._timer.timeout.connect(self._start)
        ctx.data_changed.connect(self._data_changed)
        ctx.preferences_changed.connect(self._preferences_changed)
        ctx.project_closed.connect(self.clear)
        ctx.project_opened.connect(self.clear)
        self.clear()

    @property
    def busy(self) -> bool:
        """True while a run of the checks is pending or running."""
        return self._timer.isActive() or self._waiting

    def show_checks(self, region: str, year: int) -> None:
        """Check ``region``'s ``year`` (all resources) and list what is found."""
        self.region, self.year = str(region), int(year)
        self.refresh()

    def refresh(self) -> None:
        """Run the checks again for the shown region and year."""
        if self.region and self.year:
            self._timer.start()

    def clear(self) -> None:
        """Forget the shown region and year (project closed or changed)."""
        self._generation += 1
        self._timer.stop()
        self._waiting = False
        self.region, self.year = "", 0
        self.model.set_problems([], None)
        self.summary.setText(self.tr("Choose a year and run the checks (Accounts ▸ Check)."))

    def _start(self) -> None:
        project = self.ctx.project
        if project is None or not self.region:
            return
        self._generation += 1
        generation = self._generation
        self._waiting = True
        region, year, tolerance = self.region, self.year, self.ctx.preferences.tolerance
        self.summary.setText(self.tr("Checking {year}…").format(year=year))

        def work(_state: TaskState) -> list[Problem]:
            from balancesheet.checks import check

            return check(project, region, year, tolerance=tolerance)

        self._task = run_task(work, lambda result: self._done(generation, result),
                              lambda exc: self._failed(generation, exc))

    def _current(self, generation: int) -> bool:
        """True when the result of ``generation`` is the one awaited (and still wanted)."""
        if not shiboken6.isValid(self) or generation != self._generation:
            return False
        self._waiting = False
        return self.ctx.project is not None

    def _done(self, generation: int, problems: list[Problem]) -> None:
        if not self._current(generation):
            return
        project = self.ctx.require_project()
        self.model.set_problems(problems, project.catalog, self.ctx.preferences.area_unit)
        errors, warnings = self.model.counts()
        try:
            place = project.region(self.region).name
        except Exception:  # noqa: BLE001 - the name is only decoration
            place = self.region
        if problems:
            text = self.tr("{place} {year}: {errors} errors, {warnings} warnings").format(
                place=place, year=self.year, errors=errors, warnings=warnings)
        else:
            text = self.tr("{place} {year}: no problems found").format(place=place, year=self.year)
        self.summary.setText(text)
        self.checked.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if not self._current(generation):
            return
        self.summary.setText(self.tr("The checks could not run."))
        show_error(self, exc, language=self.ctx.language)

    def _data_changed(self, region: str, year: int, _resource: str) -> None:
        if self.region and region in ("", self.region) and year in (0, self.year, self.year - 1):
            self.refresh()

    def _preferences_changed(self) -> None:
        self.refresh()

    def problem_at(self, row: int) -> Problem:
        """The problem shown in view row ``row`` (after sorting)."""
        return self.model.problems[self.proxy.mapToSource(self.proxy.index(row, 0)).row()]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Enter on a problem goes to its cell, like a double-click."""
        if watched is self.view and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._activated(self.view.currentIndex())
            return True
        return super().eventFilter(watched, event)

    def _activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        problem = self.model.problems[self.proxy.mapToSource(index).row()]
        self.ctx.navigate.emit(problem.region, int(problem.year), problem.resource or "",
                               problem.item or "")
