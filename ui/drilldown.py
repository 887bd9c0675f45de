"""Drill-down from an addition or reduction of the 存量及变动表 to the flow records behind it
(balancesheet.drilldown.flows_behind); their values can be edited, records deleted and added,
each an undo command (ui.edit_commands)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui import edit_commands
from ui.account_model import decimals_for, shown_number, shown_unit, to_shown, to_stored
from ui.errors import show_error
from ui.formatting import parse_number

if TYPE_CHECKING:
    from balancesheet.catalog import Account
    from balancesheet.editing import FlowRecord
    from ui.context import AppContext

Index = QModelIndex | QPersistentModelIndex


class DrillCell:
    """Which cell is drilled into: an item's additions or reductions of one factor (or all)."""

    def __init__(self, region: str, year: int, resource: str, item: str, side: str,
                 factor: str | None):
        self.region, self.year, self.resource = region, int(year), resource
        self.item, self.side, self.factor = item, side, factor

    def key(self) -> tuple[Any, ...]:
        """Identity for comparisons."""
        return (self.region, self.year, self.resource, self.item, self.side, self.factor)


class FlowsModel(QAbstractTableModel):
    """Flow records: from, to, cause, value (shown in the preferred area unit; value editable)."""

    ValueRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.flows: list[FlowRecord] = []
        self.account: Account | None = None
        self.area_unit = "公顷"
        self.read_only = True
        self.committer: Any = None   # callable(flow, stored value) -> bool
        self.reporter: Any = None    # callable(text)
        self.headers = [self.tr("From"), self.tr("To"), self.tr("Cause"), self.tr("Value")]

    def set_flows(self, flows: list[FlowRecord], account: Account, area_unit: str,
                  read_only: bool) -> None:
        """Show ``flows`` of ``account``."""
        self.beginResetModel()
        self.flows, self.account, self.area_unit, self.read_only = (list(flows), account,
                                                                    area_unit, read_only)
        self.endResetModel()

    def unit_of(self, flow: FlowRecord) -> str:
        """The catalog unit of a flow (that of its items)."""
        assert self.account is not None
        code = flow.to_item or flow.from_item
        return self.account.items[code].unit if code in self.account.items else self.account.unit

    def shown(self, flow: FlowRecord) -> float | None:
        """A flow's value in the shown unit."""
        return to_shown(flow.value, self.unit_of(flow), self.area_unit)

    def total(self) -> float:
        """The sum of the listed values, in the shown unit."""
        return sum(self.shown(f) or 0.0 for f in self.flows)

    def _item(self, code: str | None) -> str:
        if code is None:
            return self.tr("(outside)")
        if self.account is not None and code in self.account.items:
            return f"{code} {self.account.items[code].name}"
        return code

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.flows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < 4:
            if section == 3 and self.flows:
                return f"{self.headers[3]}（{shown_unit(self.unit_of(self.flows[0]), self.area_unit)}）"
            return self.headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 3 and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.flows):
            return None
        flow = self.flows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self._item(flow.from_item)
            if column == 1:
                return self._item(flow.to_item)
            if column == 2:
                cause = self.account.causes.get(flow.cause) if self.account else None
                return f"{flow.cause} {cause.name}" if cause else flow.cause
            return shown_number(self.shown(flow), decimals_for(self.unit_of(flow)))
        if role == Qt.ItemDataRole.EditRole and column == 3:
            value = self.shown(flow)
            return "" if value is None else f"{value:.{decimals_for(self.unit_of(flow)) + 2}f}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = Qt.AlignmentFlag.AlignRight if column == 3 else Qt.AlignmentFlag.AlignLeft
            return int(align | Qt.AlignmentFlag.AlignVCenter)
        if role == self.ValueRole and column == 3:
            return self.shown(flow)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        flow = self.flows[index.row()]
        try:
            shown = parse_number(str(value))
        except ValueError:
            if self.reporter:
                self.reporter(self.tr("「{value}」 is not a number.").format(value=value))
            return False
        stored = to_stored(shown, self.unit_of(flow), self.area_unit)
        return bool(self.committer and self.committer(flow, stored))


class FlowDialog(QDialog):
    """Enter a new flow record: from item, to item, cause, value (in the shown unit)."""

    def __init__(self, account: Account, cell: DrillCell, area_unit: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.account, self.cell, self.area_unit = account, cell, area_unit
        self.setWindowTitle(self.tr("New change record"))
        leaves = account.stock_leaves()
        self.from_box, self.to_box = QComboBox(self), QComboBox(self)
        for box in (self.from_box, self.to_box):
            box.addItem(self.tr("(outside)"), None)
            for code in leaves:
                box.addItem(f"{code} {account.items[code].name}", code)
        from balancesheet.drilldown import subtree

        inside = [c for c in leaves if c in subtree(account, cell.item)]
        near = self.to_box if cell.side == "add" else self.from_box
        if inside:
            near.setCurrentIndex(near.findData(inside[0]))
        self.cause_box = QComboBox(self)
        for cause in account.causes.values():
            if cell.factor is None or cause.factor == cell.factor:
                self.cause_box.addItem(f"{cause.code} {cause.name}", cause.code)
        unit = shown_unit(account.items[inside[0]].unit if inside else account.unit, area_unit)
        self.value_edit = QLineEdit(self)
        self.value_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.value_edit.setPlaceholderText("0.00")
        form = QFormLayout()
        form.addRow(self.tr("From (reduces):"), self.from_box)
        form.addRow(self.tr("To (adds):"), self.to_box)
        form.addRow(self.tr("Cause:"), self.cause_box)
        form.addRow(self.tr("Value ({unit}):").format(unit=unit), self.value_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def record(self) -> FlowRecord:
        """The flow entered (value converted to the catalog unit); ValueError if not a number."""
        from balancesheet.editing import FlowRecord

        source, target = self.from_box.currentData(), self.to_box.currentData()
        shown = parse_number(self.value_edit.text())
        code = target or source
        unit = self.account.items[code].unit if code in self.account.items else self.account.unit
        return FlowRecord(self.cell.region, self.cell.year, self.cell.resource, source, target,
                          str(self.cause_box.currentData() or ""), to_stored(shown, unit,
                                                                            self.area_unit) or 0.0)


class FlowsPanel(QWidget):
    """The flows behind one cell, with their sum; edit, delete and add through the undo stack."""

    closed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.cell: DrillCell | None = None
        self.cell_value: float | None = None
        self.locked = False
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.total = QLabel(self)
        self.model = FlowsModel(self)
        self.model.committer = self._set_value
        self.model.reporter = self._report
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setAlternatingRowColors(True)
        self.add_button = QPushButton(self.tr("&Add record…"), self)
        self.delete_button = QPushButton(self.tr("&Delete selected"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.add_button.clicked.connect(self.new_flow)
        self.delete_button.clicked.connect(self.delete_selected)
        self.close_button.clicked.connect(self._close)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.close_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.total, 1)
        bottom.addWidget(self.add_button)
        bottom.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

    def show_cell(self, cell: DrillCell, heading: str, cell_value: float | None,
                  locked: bool) -> None:
        """List the flows behind ``cell`` (``heading`` names it; ``cell_value`` is what the table
        shows, for the comparison with the sum)."""
        self.cell, self.cell_value, self.locked = cell, cell_value, locked
        self.title.setText(heading)
        self.reload()
        self.show()

    def reload(self) -> None:
        """Query the flows again (after an edit or undo)."""
        project = self.ctx.project
        if self.cell is None or project is None:
            return
        from balancesheet.drilldown import flows_behind

        c = self.cell
        try:
            flows = flows_behind(project, c.region, c.year, c.resource, c.item, c.side, c.factor)
        except Exception as exc:  # noqa: BLE001 - shown as a message
            show_error(self, exc, language=self.ctx.language)
            return
        self.model.set_flows(flows, project.catalog.account(c.resource),
                             self.ctx.preferences.area_unit, self.locked)
        for button in (self.add_button, self.delete_button):
            button.setEnabled(not self.locked)
        self._update_total()

    def set_cell_value(self, value: float | None, locked: bool) -> None:
        """The table recomputed: the cell's new value (and lock state)."""
        self.cell_value = value
        if locked != self.locked:
            self.locked = locked
            self.reload()
        self._update_total()

    def _update_total(self) -> None:
        if not self.model.flows:
            self.total.setText(self.tr("No change records behind this cell."))
            return
        unit = shown_unit(self.model.unit_of(self.model.flows[0]), self.model.area_unit)
        decimals = decimals_for(self.model.unit_of(self.model.flows[0]))
        text = self.tr("{count} records, total {total} {unit}").format(
            count=len(self.model.flows), total=shown_number(self.model.total(), decimals), unit=unit)
        if self.cell_value is not None and abs(self.model.total() - self.cell_value) > 0.5e-6:
            text += self.tr(" (the table shows {value}; recalculating…)").format(
                value=shown_number(self.cell_value, decimals))
        if self.locked:
            text += self.tr(" — locked year, read-only")
        self.total.setText(text)

    # ------------------------------------------------------------------ edits
    def _set_value(self, flow: FlowRecord, stored: float | None) -> bool:
        if stored is None:
            return False
        text = self.tr("Change record value")
        return edit_commands.push(self.ctx, edit_commands.SetFlowValueCommand(
            self.ctx, flow, stored, text), self)

    def selected_flows(self) -> list[FlowRecord]:
        """The records of the selected rows."""
        rows = sorted({i.row() for i in self.view.selectionModel().selectedIndexes()})
        return [self.model.flows[r] for r in rows]

    def delete_selected(self) -> None:
        """Delete the selected records (one undo step)."""
        flows = self.selected_flows()
        if not flows:
            return
        text = (self.tr("Delete change record") if len(flows) == 1
                else self.tr("Delete {count} change records").format(count=len(flows)))
        edit_commands.push(self.ctx, edit_commands.DeleteFlowsCommand(self.ctx, flows, text), self)

    def new_flow(self) -> None:
        """Ask for a new record and add it."""
        project = self.ctx.project
        if self.cell is None or project is None:
            return
        dialog = FlowDialog(project.catalog.account(self.cell.resource), self.cell,
                            self.ctx.preferences.area_unit, self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                record = dialog.record()
            except ValueError:
                QMessageBox.warning(self, self.tr("New change record"),
                                    self.tr("Enter the value as a number."))
                continue
            if self.add(record):
                return

    def add(self, record: FlowRecord) -> bool:
        """Store ``record`` as an undo step; False (message shown) when refused."""
        return edit_commands.push(self.ctx, edit_commands.AddFlowCommand(
            self.ctx, record, self.tr("Add change record")), self)

    def _report(self, text: str) -> None:
        QMessageBox.warning(self, self.tr("Change records"), text)

    def _close(self) -> None:
        self.hide()
        self.cell = None
        self.closed.emit()
