"""The account editor: one region's 存量及变动表 of one year and resource, editable where values
are entered (leaf items' reported closing, and the opening = the previous year's closing), with
drill-down to the flows behind a change, problems marked on their cells, clipboard exchange with
Excel/WPS (tab-separated) and a find bar. Every edit is an undo command (ui.edit_commands);
recomputation (balancesheet.ledger.change_table) and checks (balancesheet.checks.check) run in a
worker after loading and after every change of the data they depend on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui import edit_commands
from ui.account_model import AccountTableModel, parse_tsv
from ui.drilldown import DrillCell, FlowsPanel
from ui.errors import show_error
from ui.tasks import Task, TaskState, run_task

if TYPE_CHECKING:
    from balancesheet.checks import Problem
    from balancesheet.editing import PeriodState, StockEdit
    from balancesheet.project import Project
    from ui.context import AppContext

MAX_LISTED = 25  # bad cells listed in a refused paste's message (the rest are counted)


@dataclass
class Loaded:
    """What the background computation hands to the editor."""

    rows: list[dict[str, Any]]
    problems: list[Problem]
    state: PeriodState
    previous: PeriodState
    region_name: str


def compute(project: Project, region: str, year: int, resource: str, tolerance: float,
            state: TaskState | None = None) -> Loaded:
    """The change table rows (plain dicts, NaN → None), the year's problems and lock states."""
    from balancesheet.checks import check
    from balancesheet.editing import period_state
    from balancesheet.ledger import change_table, value_table

    values = value_table(project, region, [year - 1, year])
    table = change_table(project, region, resource, year - 1, year, values)
    if state is not None:
        state.check()
    problems = check(project, region, year, tolerance=tolerance, resources=[resource],
                     values=values, tables={resource: table})
    frame = table.rows.astype(object).where(table.rows.notna(), None)
    rows = frame.to_dict("records")
    return Loaded(rows, problems, period_state(project, region, year),
                  period_state(project, region, year - 1), project.region(region).name)


class NumberDelegate(QStyledItemDelegate):
    """Right-aligned line editors for numbers."""

    def createEditor(self, parent: QWidget, option: Any, index: QModelIndex) -> QWidget:  # noqa: N802
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return editor


class AccountView(QTableView):
    """The table: the code and name columns stay in view when scrolling sideways (an overlaid
    frozen view, after Qt's "Frozen Column" example); Ctrl+C/V/F, Delete and Enter are handled
    here before any window shortcut."""

    drill = Signal(QModelIndex)
    copy_requested = Signal()
    paste_requested = Signal()
    find_requested = Signal()
    clear_requested = Signal()

    KEYS = {QKeySequence.StandardKey.Copy: "copy_requested",
            QKeySequence.StandardKey.Paste: "paste_requested",
            QKeySequence.StandardKey.Find: "find_requested",
            QKeySequence.StandardKey.Delete: "clear_requested"}

    def __init__(self, parent: QWidget | None = None, frozen_columns: int = 2):
        super().__init__(parent)
        self.frozen_columns = frozen_columns
        self.frozen = QTableView(self)
        self.frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.frozen.verticalHeader().hide()
        self.frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setStyleSheet("QTableView { border: none; border-right: 1px solid #b8bcc2; }")
        self.frozen.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.viewport().stackUnder(self.frozen)
        self.horizontalHeader().sectionResized.connect(self._column_resized)
        self.verticalHeader().sectionResized.connect(
            lambda row, _old, size: self.frozen.setRowHeight(row, size))
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)

    def setModel(self, model: Any) -> None:  # noqa: N802
        """Show ``model`` in both views, sharing the selection."""
        super().setModel(model)
        self.frozen.setModel(model)
        self.frozen.setSelectionModel(self.selectionModel())
        model.modelReset.connect(self.sync_frozen)
        self.sync_frozen()

    def sync_frozen(self) -> None:
        """Show only the frozen columns in the overlay, at the main view's widths."""
        model = self.model()
        if model is None:
            return
        if isinstance(model, AccountTableModel) and model.columns:
            # code, name and (for accounts of several units) unit: everything before the numbers
            self.frozen_columns = next((k for k, c in enumerate(model.columns) if c.numeric),
                                       len(model.columns))
        self.frozen.setSelectionBehavior(self.selectionBehavior())
        self.frozen.setSelectionMode(self.selectionMode())
        self.frozen.setWordWrap(self.wordWrap())
        self.frozen.verticalHeader().setDefaultSectionSize(
            self.verticalHeader().defaultSectionSize())
        for column in range(model.columnCount()):
            self.frozen.setColumnHidden(column, column >= self.frozen_columns)
            if column < self.frozen_columns:
                self.frozen.setColumnWidth(column, self.columnWidth(column))
        self.frozen.horizontalHeader().setFixedHeight(self.horizontalHeader().height())
        self._place_frozen()

    def _column_resized(self, column: int, _old: int, size: int) -> None:
        if column < self.frozen_columns:
            self.frozen.setColumnWidth(column, size)
            self._place_frozen()

    def _place_frozen(self) -> None:
        width = sum(self.columnWidth(c) for c in range(self.frozen_columns))
        self.frozen.horizontalHeader().setFixedHeight(self.horizontalHeader().height())
        self.frozen.setGeometry(self.verticalHeader().width() + self.frameWidth(),
                                self.frameWidth(), width,
                                self.viewport().height() + self.horizontalHeader().height())

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place_frozen()

    def updateGeometries(self) -> None:  # noqa: N802
        super().updateGeometries()
        if hasattr(self, "frozen"):
            self._place_frozen()

    def moveCursor(self, action: QAbstractItemView.CursorAction,  # noqa: N802
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Keep the cursor's cell from hiding under the frozen columns."""
        current = super().moveCursor(action, modifiers)
        frozen_width = sum(self.columnWidth(c) for c in range(self.frozen_columns))
        if action == QAbstractItemView.CursorAction.MoveLeft and current.isValid() \
                and current.column() >= self.frozen_columns \
                and self.visualRect(current).topLeft().x() < frozen_width:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() + self.visualRect(current).topLeft().x() - frozen_width)
        return current

    def scrollTo(self, index: QModelIndex,  # noqa: N802
                 hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
                 ) -> None:
        """Scroll so that ``index`` is visible beside the frozen columns."""
        if index.isValid() and index.column() < self.frozen_columns:
            bar = self.horizontalScrollBar()
            value = bar.value()
            super().scrollTo(index, hint)
            bar.setValue(value)  # the frozen columns are always in view
            return
        super().scrollTo(index, hint)
        if index.isValid():
            frozen_width = sum(self.columnWidth(c) for c in range(self.frozen_columns))
            left = self.visualRect(index).left()
            if left < frozen_width:
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() + left - frozen_width)

    def _signal_for(self, event: QKeyEvent) -> str | None:
        for key, name in self.KEYS.items():
            if event.matches(key):
                return name
        return None

    def event(self, event: QEvent) -> bool:  # noqa: D102
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and self._signal_for(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        name = self._signal_for(event)
        if name:
            getattr(self, name).emit()
            event.accept()
            return
        index = self.currentIndex()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and index.isValid() \
                and self.state() != QAbstractItemView.State.EditingState:
            model = self.model()
            if isinstance(model, AccountTableModel) and model.columns[index.column()].side:
                self.drill.emit(index)
                event.accept()
                return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """Find an item by code or name; Enter jumps to the next match, Esc closes."""

    search = Signal(str, bool)   # text, from the next row (True) or from the current one
    closed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("Item code or name"))
        self.edit.setClearButtonEnabled(True)
        self.edit.setMaximumWidth(280)
        self.status = QLabel(self)
        next_button = QToolButton(self)
        next_button.setText(self.tr("Next"))
        close_button = QToolButton(self)
        close_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        close_button.setToolTip(self.tr("Close the find bar (Esc)"))
        close_button.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Find:"), self))
        layout.addWidget(self.edit)
        layout.addWidget(next_button)
        layout.addWidget(self.status, 1)
        layout.addWidget(close_button)
        self.edit.textEdited.connect(lambda text: self.search.emit(text, False))
        self.edit.returnPressed.connect(lambda: self.search.emit(self.edit.text(), True))
        next_button.clicked.connect(lambda: self.search.emit(self.edit.text(), True))
        close_button.clicked.connect(self.close_bar)
        self.edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Esc in the search field closes the bar."""
        if watched is self.edit and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return True
        return super().eventFilter(watched, event)

    def open_bar(self) -> None:
        """Show and focus the search field."""
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        """Hide the bar."""
        self.hide()
        self.status.clear()
        self.closed.emit()


class AccountEditor(QWidget):
    """The 存量及变动表 of ``region``, ``year`` and ``resource`` as an editable table.

    Slots for the main window: copy(), paste(), find(), select_item(item), refresh().
    ``loaded`` is emitted each time a (re)computation has reached the table.
    """

    loaded = Signal()

    def __init__(self, ctx: AppContext, region: str, year: int, resource: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.region, self.year = str(region), int(year)
        self.account = ctx.require_project().catalog.account(resource)
        self.resource = self.account.resource
        self.state: PeriodState | None = None
        self.problems: list[Problem] = []
        self.region_name = ""
        self._generation = 0
        self._task: Task | None = None
        self._waiting = False  # a result is due (the task may be done with its signal queued)
        self._pending_item: str | None = None
        self._build()
        ctx.data_changed.connect(self._data_changed)
        ctx.locks_changed.connect(self._locks_changed)
        ctx.preferences_changed.connect(self.refresh)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)  # coalesce the notifications of one command
        self._timer.timeout.connect(self._start)
        self.refresh()

    # ------------------------------------------------------------------ construction
    def _build(self) -> None:
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self)
        self.banner = QFrame(self)
        self.banner.setObjectName("lockBanner")
        self.banner.setStyleSheet("#lockBanner { background: #fff4ce; border: 1px solid #e0b400; "
                                  "border-radius: 3px; } #lockBanner QLabel { color: #5c4400; }")
        icon = QLabel(self.banner)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(20, 20))
        self.banner_text = QLabel(self.banner)
        self.banner_text.setWordWrap(True)
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(8, 5, 8, 5)
        row.addWidget(icon)
        row.addWidget(self.banner_text, 1)
        self.banner.hide()
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        self.find_bar.search.connect(self._search)
        self.find_bar.closed.connect(lambda: self.view.setFocus())

        self.model = AccountTableModel(self)
        self.model.committer = self._commit
        self.model.reporter = self._warn
        self.view = AccountView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(NumberDelegate(self.view))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setHighlightSections(False)
        self.view.setCornerButtonEnabled(False)
        self.view.drill.connect(self.drill_down)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.copy_requested.connect(self.copy)
        self.view.paste_requested.connect(self.paste)
        self.view.find_requested.connect(self.find)
        self.view.clear_requested.connect(self.clear_selected)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

        self.flows = FlowsPanel(self.ctx, self)
        self.flows.hide()
        self.flows.closed.connect(lambda: self.view.setFocus())
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.flows)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(head)
        layout.addWidget(self.banner)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.splitter, 1)
        self._update_title()

    # ------------------------------------------------------------------ loading
    @property
    def busy(self) -> bool:
        """True while a (re)computation is pending or running."""
        return self._timer.isActive() or self._waiting

    def refresh(self) -> None:
        """Recompute the table and its checks (in a worker)."""
        self._timer.start()

    def _start(self) -> None:
        project = self.ctx.project
        if project is None:
            return
        self._generation += 1
        generation = self._generation
        self._waiting = True
        region, year, resource = self.region, self.year, self.resource
        tolerance = self.ctx.preferences.tolerance
        self.status.setText(self.tr("Calculating…"))

        def work(state: TaskState) -> Loaded:
            return compute(project, region, year, resource, tolerance, state)

        self._task = run_task(work, lambda result: self._loaded(generation, result),
                              lambda exc: self._failed(generation, exc))

    def _current(self, generation: int) -> bool:
        """True when the result of ``generation`` is the one awaited (and still wanted)."""
        if not shiboken6.isValid(self) or generation != self._generation:
            return False
        self._waiting = False
        return self.ctx.project is not None

    def _loaded(self, generation: int, result: Loaded) -> None:
        if not self._current(generation):
            return
        first = not self.model.rows
        self.state, self.problems, self.region_name = result.state, result.problems, result.region_name
        self.model.set_table(result.rows, region=self.region, year=self.year,
                             resource=self.resource, account_unit=self.account.unit,
                             editable=self._editable(), locked=result.state.locked,
                             opening_locked=result.previous.locked,
                             lock_reason=result.state.reason(),
                             area_unit=self.ctx.preferences.area_unit)
        self.model.set_problems(result.problems)
        if first:
            self._size_columns()
        self._update_title()
        self._update_banner()
        self._update_status()
        if self.flows.isVisible() and self.flows.cell is not None:
            self._refresh_flows()
        if self._pending_item:
            item, self._pending_item = self._pending_item, None
            self.select_item(item)
        self.loaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if not self._current(generation):
            return
        self.status.setText(self.tr("Calculation failed"))
        show_error(self, exc, language=self.ctx.language)

    def _editable(self) -> set[str]:
        from balancesheet.editing import editable_items

        return editable_items(self.account)

    def _size_columns(self) -> None:
        self.view.resizeColumnsToContents()
        name = self.model.column("name")
        if name >= 0 and self.view.columnWidth(name) > 260:
            self.view.setColumnWidth(name, 260)
        for k, column in enumerate(self.model.columns):
            if column.numeric:
                self.view.setColumnWidth(k, max(self.view.columnWidth(k), 96))
        self.view.sync_frozen()

    def _update_title(self) -> None:
        units = {r["unit"] for r in self.model.rows if r["kind"] != "group"}
        if len(units) > 1:
            unit = self.tr("see each row")
        else:
            from ui.account_model import shown_unit

            unit = shown_unit(next(iter(units)) if units else self.account.unit,
                              self.ctx.preferences.area_unit)
        self.title.setText(self.tr("{region} · {year} · {account} stocks and changes · unit: {unit}")
                           .format(region=self.region_name or self.region, year=self.year,
                                   account=self.account.name, unit=unit))

    def _update_banner(self) -> None:
        locked = self.state is not None and self.state.locked
        self.banner.setVisible(locked)
        if locked:
            assert self.state is not None
            self.banner_text.setText(self.state.reason())

    def _update_status(self) -> None:
        mine = [p for p in self.problems if p.resource == self.resource and p.year == self.year]
        errors = sum(p.severity == "error" for p in mine)
        warnings = len(mine) - errors
        if not mine:
            self.status.setText(self.tr("Checks passed"))
        else:
            self.status.setText(self.tr("{errors} errors, {warnings} warnings").format(
                errors=errors, warnings=warnings))

    # ------------------------------------------------------------------ notifications
    def _data_changed(self, region: str, year: int, _resource: str) -> None:
        if region not in ("", self.region) or year not in (0, self.year, self.year - 1):
            return
        self.refresh()  # any resource: links between accounts are checked too

    def _locks_changed(self, region: str, year: int) -> None:
        if region in ("", self.region) and year in (0, self.year, self.year - 1):
            self.refresh()

    # ------------------------------------------------------------------ editing
    def _commit(self, edits: list[StockEdit], text: str) -> bool:
        command = edit_commands.SetStocksCommand(self.ctx, edits, text)
        if not edit_commands.push(self.ctx, command, self):
            return False
        self.model.apply_local(edits)
        return True

    def _warn(self, text: str) -> None:
        QMessageBox.warning(self, self.tr("Value not accepted"), text)

    def clear_selected(self) -> None:
        """Clear the reported values of the selected editable cells (one undo step)."""
        indexes = [i for i in self.view.selectionModel().selectedIndexes()
                   if self.model.is_editable(i) and self.model.value(i) is not None]
        if indexes:
            self._commit([self.model.edit_for(i, None) for i in indexes],
                         self.tr("Clear {count} cells").format(count=len(indexes)))

    # ------------------------------------------------------------------ clipboard
    def copy(self) -> None:
        """Copy the selected rectangle as tab-separated text (plain numbers)."""
        indexes = self.view.selectionModel().selectedIndexes()
        if not indexes and self.view.currentIndex().isValid():
            indexes = [self.view.currentIndex()]
        if not indexes:
            return
        QApplication.clipboard().setText(self.model.block_text(
            {(i.row(), i.column()) for i in indexes}))

    def paste(self) -> None:
        """Paste a tab-separated block at the current cell: all values or none (one undo step)."""
        grid = parse_tsv(QApplication.clipboard().text())
        if not grid:
            return
        anchor = self.view.currentIndex()
        if not anchor.isValid():
            QMessageBox.information(self, self.tr("Paste"), self.tr(
                "Select the cell where the pasted block should start."))
            return
        edits, bad = self.model.paste_edits(grid, anchor.row(), anchor.column())
        if bad:
            listed = bad[:MAX_LISTED]
            more = len(bad) - len(listed)
            text = self.tr("Nothing was pasted: {count} cells cannot take the pasted value.").format(
                count=len(bad)) + "\n\n" + "\n".join(listed)
            if more:
                text += "\n" + self.tr("… and {count} more.").format(count=more)
            text += "\n\n" + self.tr("Correct the values (or the cell where you paste) and paste "
                                     "again.")
            QMessageBox.warning(self, self.tr("Paste refused"), text)
            return
        if edits:
            self._commit(edits, self.tr("Paste {count} cells").format(count=len(edits)))
            bottom = min(anchor.row() + len(grid), self.model.rowCount()) - 1
            right = min(anchor.column() + max(len(r) for r in grid), self.model.columnCount()) - 1
            self.view.selectionModel().select(
                self._range(anchor.row(), anchor.column(), bottom, right),
                self.view.selectionModel().SelectionFlag.ClearAndSelect)

    def _range(self, top: int, left: int, bottom: int, right: int) -> Any:
        from PySide6.QtCore import QItemSelection

        return QItemSelection(self.model.index(top, left), self.model.index(bottom, right))

    # ------------------------------------------------------------------ find and select
    def find(self) -> None:
        """Show the find bar."""
        self.find_bar.open_bar()

    def _search(self, text: str, after_current: bool) -> None:
        needle = text.strip().lower()
        if not needle or not self.model.rows:
            self.find_bar.status.clear()
            return
        count = len(self.model.rows)
        start = max(self.view.currentIndex().row(), 0) + (1 if after_current else 0)
        for step in range(count):
            row = self.model.rows[(start + step) % count]
            if str(row["item"]).lower().startswith(needle) or needle in str(row["name"]).lower():
                self.select_item(str(row["item"]), focus=False)
                self.find_bar.status.clear()
                return
        self.find_bar.status.setText(self.tr("Not found"))

    def select_item(self, item: str, focus: bool = True) -> None:
        """Select the row of ``item`` (code, alias or name); after loading if still loading."""
        if not self.model.rows:
            self._pending_item = item
            return
        row = self.model.row_of(item)
        if row < 0:
            resolved = self.account.resolve_item(item)
            row = self.model.row_of(resolved) if resolved else -1
        if row < 0:
            return
        column = self.model.column("observed_closing")
        index = self.model.index(row, column if column >= 0 else 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        if focus:
            self.view.setFocus()

    # ------------------------------------------------------------------ drill-down
    def _double_clicked(self, index: QModelIndex) -> None:
        if self.model.columns[index.column()].side:
            self.drill_down(index)

    def drill_down(self, index: QModelIndex) -> None:
        """List the flows behind an additions/reductions cell."""
        column = self.model.columns[index.column()]
        row = self.model.rows[index.row()]
        if not column.side:
            return
        if row["kind"] not in ("stock", "group"):
            self.status.setText(self.tr("Annual amounts and computed items have no change "
                                        "records."))
            return
        cell = DrillCell(self.region, self.year, self.resource, str(row["item"]), column.side,
                         column.factor)
        heading = self.tr("{item} {name} · {column} · {year}").format(
            item=row["item"], name=row["name"], column=column.title.split("\n")[0],
            year=self.year)
        self.flows.show_cell(cell, heading, self.model.value(index), self.model.locked)
        if self.splitter.sizes()[1] < 120:
            total = sum(self.splitter.sizes())
            self.splitter.setSizes([total * 3 // 5, total * 2 // 5])

    def _refresh_flows(self) -> None:
        cell = self.flows.cell
        assert cell is not None
        row = self.model.row_of(cell.item)
        prefix = "add" if cell.side == "add" else "red"
        key = (("additions" if cell.side == "add" else "reductions") if cell.factor is None
               else f"{prefix}_{cell.factor}")
        value = self.model.value(self.model.index(row, self.model.column(key))) if row >= 0 else None
        self.flows.locked = self.model.locked
        self.flows.reload()
        self.flows.set_cell_value(value, self.model.locked)

    # ------------------------------------------------------------------ context menu
    def _context_menu(self, pos: Any) -> None:
        menu = QMenu(self)
        index = self.view.indexAt(pos)

        def add(text: str, key: QKeySequence.StandardKey | None, slot: Any) -> QAction:
            shortcut = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) if key \
                else ""
            action = menu.addAction(text + (f"\t{shortcut}" if shortcut else ""))
            action.triggered.connect(slot)
            return action

        if index.isValid() and self.model.columns[index.column()].side:
            add(self.tr("Show change records"), None, lambda: self.drill_down(index))
            menu.addSeparator()
        add(self.tr("Copy"), QKeySequence.StandardKey.Copy, self.copy)
        add(self.tr("Paste"), QKeySequence.StandardKey.Paste, self.paste)
        add(self.tr("Clear values"), QKeySequence.StandardKey.Delete, self.clear_selected)
        menu.addSeparator()
        add(self.tr("Find item…"), QKeySequence.StandardKey.Find, self.find)
        menu.exec(self.view.viewport().mapToGlobal(pos))
