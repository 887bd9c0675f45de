"""Charts of a region (QtCharts): stock trends, additions and reductions by cause, indicators
against their targets. The numbers come from the core; this module only draws them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCharts import QBarCategoryAxis, QChart, QChartView, QValueAxis
from PySide6.QtCore import QCoreApplication, QLocale, QMargins, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QPainter
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ui.context import AppContext
from ui.errors import show_error
from ui.tasks import Task, TaskState, run_task

if TYPE_CHECKING:
    import pandas as pd

    from balancesheet.indicators import TargetResult
    from balancesheet.ledger import ValueTable


@dataclass
class ChartData:
    """Everything the charts of a region draw, computed once in a worker."""

    region: str
    years: list[int]
    values: ValueTable
    indicators: pd.DataFrame        # indicator code × year
    targets: pd.DataFrame           # load_targets()
    results: list[TargetResult]     # evaluate_targets()


def load_chart_data(project: Any, region: str, years: list[int]) -> ChartData:
    """Values of every item, indicators and evaluated targets of ``region`` for ``years``."""
    from balancesheet.indicators import evaluate_targets, indicator_series, load_targets
    from balancesheet.ledger import value_table

    values = value_table(project, region, years)
    return ChartData(region, years, values, indicator_series(project, region, years, values),
                     load_targets(project, region), evaluate_targets(project, region, years, values))


def shown_unit(unit: str, area_unit: str) -> str:
    """The unit a value of ``unit`` is shown in: areas in the preferred area unit."""
    from balancesheet.units import is_known, same_dimension

    if unit and is_known(unit) and same_dimension(unit, "公顷"):
        return area_unit
    return unit


def to_shown(value: float, unit: str, area_unit: str) -> float:
    """``value`` of ``unit`` in the unit shown (areas converted with the one converter)."""
    from balancesheet.units import convert

    target = shown_unit(unit, area_unit)
    return value if target == unit else float(convert(value, unit, target))


def measure_title(unit: str) -> str:
    """An axis title naming the kind of quantity and its unit: 面积（公顷）, 数量（立方米） …"""
    from balancesheet.units import is_known
    from balancesheet.units import unit as find_unit

    dimension = find_unit(unit).dimension if unit and is_known(unit) else ""
    texts = {  # literal strings, so that lupdate finds them
        "area": QCoreApplication.translate("ChartPage", "Area ({unit})"),
        "percent": QCoreApplication.translate("ChartPage", "Share ({unit})"),
        "count": QCoreApplication.translate("ChartPage", "Count ({unit})"),
        "money": QCoreApplication.translate("ChartPage", "Money ({unit})"),
    }
    text = texts.get(dimension) or QCoreApplication.translate("ChartPage", "Amount ({unit})")
    return text.format(unit=unit)


def make_chart(title: str = "") -> QChart:
    """A chart with Chinese-grouped numbers, the legend at the bottom, no animation."""
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setPointSizeF(max(font.pointSizeF(), 10) + 1)
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setLocalizeNumbers(True)
    chart.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(6, 6, 6, 6))
    return chart


def year_axis(years: list[int], title: str = "") -> QBarCategoryAxis:
    """A category axis labelled with the years (points sit at 0, 1, 2 …)."""
    axis = QBarCategoryAxis()
    axis.append([str(y) for y in years])
    axis.setTitleText(title)
    return axis


PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39")


def value_axis(title: str, values: list[float], headroom: float = 0.05) -> QValueAxis:
    """A value axis spanning ``values`` (never below 0 for values that are not) with nice ticks
    and a number format suited to their size; ``headroom`` is extra room above, as a fraction."""
    axis = QValueAxis()
    axis.setTitleText(title)
    finite = [v for v in values if v is not None and math.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    if high == low:
        pad = abs(high) * 0.05 or 1.0
        low, high = low - pad, high + pad
    span = high - low
    bottom = low - span * 0.05
    axis.setRange(0.0 if low >= 0 > bottom else bottom, high + span * max(headroom, 0.05))
    axis.applyNiceNumbers()
    step = (axis.max() - axis.min()) / max(axis.tickCount() - 1, 1)
    decimals = 0 if step >= 5 else 1 if step >= 0.5 else 2 if step >= 0.05 else 3
    axis.setLabelFormat(f"%.{decimals}f")
    return axis


class ChartPage(QWidget):
    """A page with a chart view; subclasses build their controls and fill ``chart``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.data: ChartData | None = None
        self.view = QChartView(make_chart(), self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumSize(400, 300)

    @property
    def chart(self) -> QChart:
        """The chart shown now."""
        return self.view.chart()

    def replace_chart(self, chart: QChart) -> None:
        """Show ``chart`` instead of the current one (which is deleted)."""
        old = self.view.chart()
        self.view.setChart(chart)
        if old is not None and old is not chart:
            old.deleteLater()

    def set_data(self, data: ChartData) -> None:
        """New numbers arrived: redraw."""
        self.data = data
        self.redraw()

    def redraw(self) -> None:  # pragma: no cover - overridden
        """Draw the chart from ``self.data``."""


class ChartsView(QWidget):
    """Charts of ``region``: stock trends, changes by cause, indicators against targets.

    ``ready`` is emitted when the data arrived and the charts are drawn. Public slots:
    ``reload()``, ``copy()`` (the current chart as an image).
    """

    ready = Signal()

    def __init__(self, ctx: AppContext, region: str, parent: QWidget | None = None):
        super().__init__(parent)
        from ui.chart_pages import CausePage, StockTrendPage
        from ui.indicator_chart import IndicatorPage
        from ui.matrix_model import stock_years

        self.ctx, self.region = ctx, region
        self.data: ChartData | None = None
        self._task: Task | None = None
        self._generation = 0
        self.years = stock_years(ctx, region)
        self.trends = StockTrendPage(ctx, self)
        self.causes = CausePage(ctx, region, self)
        self.indicators = IndicatorPage(ctx, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.trends, self.tr("Stock trends"))
        self.tabs.addTab(self.causes, self.tr("Changes by cause"))
        self.tabs.addTab(self.indicators, self.tr("Indicators and targets"))
        self.status = QLabel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        ctx.data_changed.connect(self._on_data_changed)
        ctx.preferences_changed.connect(self._redraw_all)
        self.reload()

    def pages(self) -> list[ChartPage]:
        """The three chart pages."""
        return [self.trends, self.causes, self.indicators]

    def reload(self) -> None:
        """Compute the charts' numbers again in a worker."""
        project = self.ctx.project
        if project is None:
            return
        if self._task is not None and not self._task.done:
            self._task.cancel()
        self._generation += 1
        generation, region = self._generation, self.region
        from ui.matrix_model import stock_years

        years = self.years = stock_years(self.ctx, region)
        if not years:
            self.status.setText(self.tr("This region has no stocks yet."))
            return

        def work(state: TaskState) -> tuple[int, ChartData]:
            state.check()
            return generation, load_chart_data(project, region, years)

        self.status.setText(self.tr("Computing…"))
        self.status.show()
        self._task = run_task(work, self._on_loaded, self._on_failed)

    def _on_loaded(self, result: tuple[int, ChartData]) -> None:
        generation, data = result
        if generation != self._generation:
            return
        self.data = data
        self.status.hide()
        for page in self.pages():
            page.set_data(data)
        self.ready.emit()

    def _on_failed(self, exc: BaseException) -> None:
        from balancesheet.errors import Cancelled

        if isinstance(exc, Cancelled):
            return
        self.status.setText(self.tr("The charts could not be computed."))
        show_error(self, exc, language=self.ctx.language)

    def _redraw_all(self) -> None:
        for page in self.pages():
            if page.data is not None:
                page.redraw()

    def _on_data_changed(self, region: str, _year: int, _resource: str) -> None:
        if region in ("", self.region):
            self.reload()

    def copy(self) -> None:
        """Copy the chart on the current page as an image."""
        page = self.tabs.currentWidget()
        if isinstance(page, ChartPage):
            QGuiApplication.clipboard().setPixmap(page.view.grab())
