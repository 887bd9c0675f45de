"""Chart pages of ChartsView: stock trends and changes by cause (indicators: indicator_chart)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QHorizontalBarSeries,
    QLineSeries,
)
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ui.charts import (
    PALETTE,
    ChartPage,
    make_chart,
    measure_title,
    shown_unit,
    to_shown,
    value_axis,
    year_axis,
)
from ui.context import AppContext
from ui.errors import show_error
from ui.formatting import format_number
from ui.tasks import Task, TaskState, run_task

if TYPE_CHECKING:
    from balancesheet.catalog import Account

CODE_ROLE = Qt.ItemDataRole.UserRole


def _resource_combo(ctx: AppContext, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    for resource, account in ctx.require_project().catalog.accounts.items():
        combo.addItem(account.name, resource)
    return combo


def bar_of(*pairs: tuple[str, QWidget]) -> QHBoxLayout:
    """A row of labelled controls, left-aligned."""
    bar = QHBoxLayout()
    for text, widget in pairs:
        if text:
            label = QLabel(text)
            label.setBuddy(widget)
            bar.addWidget(label)
        bar.addWidget(widget)
        bar.addSpacing(6)
    bar.addStretch(1)
    return bar


def _item_label(account: Account, code: str) -> str:
    if code in account.groups:
        return f"{code} {account.groups[code].name}"
    return f"{code} {account.items[code].name}"


def _item_unit(account: Account, code: str) -> str:
    return account.items[code].unit if code in account.items else account.unit


# ---------------------------------------------------------------------------------------- (a)
class StockTrendPage(ChartPage):
    """Stocks per item across the years: a line per checked item, items of one unit at a time."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.resource_combo = _resource_combo(ctx, self)
        self.unit_combo = QComboBox(self)
        self.items = QListWidget(self)
        self.items.setMinimumWidth(200)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.items)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar_of((self.tr("Resource:"), self.resource_combo),
                              (self.tr("Unit:"), self.unit_combo)))
        layout.addWidget(splitter, 1)
        self._fill_units()
        self.resource_combo.currentIndexChanged.connect(self._fill_units)
        self.unit_combo.currentIndexChanged.connect(self._fill_items)
        self.items.itemChanged.connect(self.redraw)

    @property
    def account(self) -> Account:
        """The account chosen."""
        return self.ctx.require_project().catalog.account(str(self.resource_combo.currentData()))

    def _codes(self) -> list[str]:
        account = self.account
        return list(account.order) + list(account.groups)

    def _fill_units(self) -> None:
        account = self.account
        units = list(dict.fromkeys(_item_unit(account, c) for c in self._codes()))
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        for unit in units:
            self.unit_combo.addItem(shown_unit(unit, self.ctx.preferences.area_unit), unit)
        self.unit_combo.blockSignals(False)
        self._fill_items()

    def _fill_items(self) -> None:
        account, unit = self.account, str(self.unit_combo.currentData() or "")
        codes = [c for c in self._codes() if _item_unit(account, c) == unit]
        checked = [c for c in account.main_items if c in codes] or codes[:1]
        self.items.blockSignals(True)
        self.items.clear()
        for code in codes:
            depth = account.depth(code) if code in account.items else 0
            item = QListWidgetItem("    " * depth + _item_label(account, code))
            item.setData(CODE_ROLE, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in checked else Qt.CheckState.Unchecked)
            self.items.addItem(item)
        self.items.blockSignals(False)
        self.redraw()

    def checked_codes(self) -> list[str]:
        """Codes of the items whose lines are drawn."""
        return [self.items.item(i).data(CODE_ROLE) for i in range(self.items.count())
                if self.items.item(i).checkState() == Qt.CheckState.Checked]

    def show_items(self, resource: str, codes: list[str]) -> None:
        """Draw the lines of ``codes`` of ``resource`` (switching to their unit)."""
        self.resource_combo.setCurrentIndex(max(0, self.resource_combo.findData(resource)))
        account = self.account
        if codes:
            self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(
                _item_unit(account, codes[0]))))
        self.items.blockSignals(True)
        for i in range(self.items.count()):
            item = self.items.item(i)
            wanted = item.data(CODE_ROLE) in codes
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        self.items.blockSignals(False)
        self.redraw()

    def redraw(self) -> None:
        """Draw one line per checked item over the years."""
        account, unit = self.account, str(self.unit_combo.currentData() or "")
        area_unit = self.ctx.preferences.area_unit
        shown = shown_unit(unit, area_unit)
        chart = make_chart(self.tr("{resource}: stocks by year").format(resource=account.name))
        if self.data is None:
            self.replace_chart(chart)
            return
        years = self.data.years
        axis_x = year_axis(years, self.tr("Year (end of year)"))
        everything: list[float] = []
        lines: list[QLineSeries] = []
        for number, code in enumerate(self.checked_codes()):
            series = QLineSeries()
            series.setName(_item_label(account, code))
            series.setPen(QPen(QColor(PALETTE[number % len(PALETTE)]), 2))
            series.setPointsVisible(True)
            values = self.data.values.series(account.resource, code).reindex(years)
            for x, value in enumerate(values.to_numpy(dtype=float)):
                if math.isfinite(value):
                    shown_value = to_shown(value, unit, area_unit)
                    series.append(QPointF(x, shown_value))
                    everything.append(shown_value)
            series.hovered.connect(self._hover_text(series.name(), years, shown))
            lines.append(series)
        axis_y = value_axis(measure_title(shown), everything)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        for series in lines:
            chart.addSeries(series)
            series.attachAxis(axis_x)
            series.attachAxis(axis_y)
        self.replace_chart(chart)

    def _hover_text(self, name: str, years: list[int], unit: str):  # noqa: ANN202
        def hovered(point: QPointF, state: bool) -> None:
            if not state:
                QToolTip.hideText()
                return
            index = min(max(int(round(point.x())), 0), len(years) - 1)
            QToolTip.showText(self.cursor().pos(), self.tr("{name}, end of {year}: {value} {unit}")
                              .format(name=name, year=years[index],
                                      value=format_number(point.y(), 2), unit=unit))
        return hovered


# ---------------------------------------------------------------------------------------- (b)
class CausePage(ChartPage):
    """Additions and reductions of one item in one year, by cause (horizontal bars)."""

    def __init__(self, ctx: AppContext, region: str, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.region = region
        self.table = None  # the ChangeTable drawn
        self._task: Task | None = None
        self._generation = 0
        self.resource_combo = _resource_combo(ctx, self)
        self.year_combo = QComboBox(self)
        self.item_combo = QComboBox(self)
        self.item_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.summary = QLabel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar_of((self.tr("Resource:"), self.resource_combo),
                              (self.tr("Year:"), self.year_combo),
                              (self.tr("Item:"), self.item_combo)))
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        self._fill_items()
        self.resource_combo.currentIndexChanged.connect(self._on_resource)
        self.year_combo.currentIndexChanged.connect(self.recompute)
        self.item_combo.currentIndexChanged.connect(self.redraw)

    @property
    def account(self) -> Account:
        """The account chosen."""
        return self.ctx.require_project().catalog.account(str(self.resource_combo.currentData()))

    def _fill_items(self) -> None:
        account = self.account
        self.item_combo.blockSignals(True)
        self.item_combo.clear()
        for code in list(account.order) + list(account.groups):
            if code in account.items and account.items[code].kind == "derived":
                continue
            depth = account.depth(code) if code in account.items else 0
            self.item_combo.addItem("  " * depth + _item_label(account, code), code)
        first = account.main_items[0] if account.main_items else ""
        self.item_combo.setCurrentIndex(max(0, self.item_combo.findData(first)))
        self.item_combo.blockSignals(False)

    def _on_resource(self) -> None:
        self._fill_items()
        self.recompute()

    def set_data(self, data) -> None:  # noqa: ANN001
        """New numbers: fill the years (those with a year before them) and recompute."""
        self.data = data
        years = [y for y in data.years if y - 1 in data.years]
        current = int(self.year_combo.currentData() or (years[-1] if years else 0))
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in years:
            self.year_combo.addItem(self.tr("{year}").format(year=y), y)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(current)))
        self.year_combo.blockSignals(False)
        self.recompute()

    def show_changes(self, resource: str, year: int, item: str) -> None:
        """Draw the changes of ``item`` of ``resource`` in ``year``."""
        for combo in (self.resource_combo, self.year_combo):
            combo.blockSignals(True)
        self.resource_combo.setCurrentIndex(max(0, self.resource_combo.findData(resource)))
        self._fill_items()
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(year)))
        self.item_combo.blockSignals(True)
        self.item_combo.setCurrentIndex(max(0, self.item_combo.findData(item)))
        self.item_combo.blockSignals(False)
        for combo in (self.resource_combo, self.year_combo):
            combo.blockSignals(False)
        self.recompute()

    def recompute(self) -> None:
        """Compute the year's 存量及变动表 of the resource in a worker, then draw."""
        if self.data is None or self.ctx.project is None or self.year_combo.currentData() is None:
            return
        if self._task is not None and not self._task.done:
            self._task.cancel()
        self._generation += 1
        project, region, values = self.ctx.project, self.region, self.data.values
        resource, year, generation = self.account.resource, int(self.year_combo.currentData()), \
            self._generation

        def work(state: TaskState) -> tuple:
            from balancesheet.ledger import change_table

            state.check()
            return generation, change_table(project, region, resource, year - 1, year, values)

        self.summary.setText(self.tr("Computing…"))
        self._task = run_task(work, self._on_table, self._on_failed)

    def _on_table(self, result: tuple) -> None:
        generation, table = result
        if generation != self._generation:
            return
        self.table = table
        self.redraw()

    def _on_failed(self, exc: BaseException) -> None:
        from balancesheet.errors import Cancelled

        if not isinstance(exc, Cancelled):
            self.summary.setText("")
            show_error(self, exc, language=self.ctx.language)

    def by_cause(self) -> tuple[list[str], list[float], list[float]]:
        """(cause codes, additions, reductions) of the chosen item, in the account's unit."""
        table, code = self.table, str(self.item_combo.currentData() or "")
        if table is None or table.resource != self.account.resource:
            return [], [], []
        adds = table.additions_by_cause.loc[code] if code in table.additions_by_cause.index else None
        reds = table.reductions_by_cause.loc[code] if code in table.reductions_by_cause.index else None
        causes = [c for c in self.account.causes
                  if (adds is not None and adds.get(c, 0) != 0) or (reds is not None and reds.get(c, 0) != 0)]
        known = set(self.account.causes)
        extra = [c for frame in (adds, reds) if frame is not None for c in frame.index
                 if c not in known and frame[c] != 0]
        causes += list(dict.fromkeys(extra))
        add_values = [float(adds.get(c, 0.0)) if adds is not None else 0.0 for c in causes]
        red_values = [float(reds.get(c, 0.0)) if reds is not None else 0.0 for c in causes]
        return causes, add_values, red_values

    def redraw(self) -> None:
        """Bars of additions and reductions per cause for the chosen item."""
        account = self.account
        code = str(self.item_combo.currentData() or "")
        year = self.year_combo.currentData()
        unit = _item_unit(account, code) if code else account.unit
        area_unit = self.ctx.preferences.area_unit
        shown = shown_unit(unit, area_unit)
        title = self.tr("{item}: changes in {year} by cause").format(
            item=_item_label(account, code) if code else account.name, year=year)
        chart = make_chart(title)
        causes, adds, reds = self.by_cause()
        adds = [to_shown(v, unit, area_unit) for v in adds]
        reds = [to_shown(v, unit, area_unit) for v in reds]
        if not causes:
            self.summary.setText(self.tr("No additions or reductions of this item in {year}.")
                                 .format(year=year) if self.table is not None else "")
            self.replace_chart(chart)
            return
        # horizontal bars run bottom-up: reverse so the catalog's order reads from the top
        names = [account.causes[c].name if c in account.causes else c for c in causes][::-1]
        series = QHorizontalBarSeries()
        for label, numbers, colour in ((self.tr("Additions"), adds[::-1], QColor(70, 130, 180)),
                                       (self.tr("Reductions"), reds[::-1], QColor(220, 110, 60))):
            bar_set = QBarSet(label)
            bar_set.append(numbers)
            bar_set.setColor(colour)
            bar_set.setLabelColor(QColor(40, 40, 40))
            series.append(bar_set)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsPrecision(12)
        series.setLabelsFormat("@value")
        series.hovered.connect(self._hover_text(names, shown))
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append(names)
        axis_x = value_axis(measure_title(shown), [0.0, *adds, *reds],
                            headroom=0.15)  # room for the labels
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_y)
        series.attachAxis(axis_x)
        self.replace_chart(chart)
        self.summary.setText(self.tr("Total additions {add} {unit}, total reductions {red} {unit}")
                             .format(add=format_number(sum(adds), 2), red=format_number(sum(reds), 2),
                                     unit=shown))

    def _hover_text(self, names: list[str], unit: str):  # noqa: ANN202
        def hovered(state: bool, index: int, bar_set: QBarSet) -> None:
            if not state:
                QToolTip.hideText()
                return
            QToolTip.showText(self.cursor().pos(), self.tr("{cause} – {kind}: {value} {unit}").format(
                cause=names[index], kind=bar_set.label(), value=format_number(bar_set.at(index), 2),
                unit=unit))
        return hovered
