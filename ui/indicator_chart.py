"""The indicator page of ChartsView: an indicator across the years against its targets."""

from __future__ import annotations

import html
import math

from PySide6.QtCharts import QLineSeries, QScatterSeries
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from ui.chart_pages import bar_of
from ui.charts import ChartPage, make_chart, shown_unit, to_shown, value_axis, year_axis
from ui.context import AppContext
from ui.formatting import format_number

MET_COLOUR, MISSED_COLOUR, TARGET_COLOUR = QColor(46, 139, 87), QColor(200, 30, 30), QColor(90, 90, 90)


class IndicatorPage(ChartPage):
    """An indicator across the years against its targets; met and missed years marked."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.indicator_combo = QComboBox(self)
        self.indicator_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for code, indicator in ctx.require_project().catalog.indicators.items():
            self.indicator_combo.addItem(f"{indicator.name}（{code}）", code)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar_of((self.tr("Indicator:"), self.indicator_combo)))
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        self.indicator_combo.currentIndexChanged.connect(self.redraw)

    def show_indicator(self, code: str) -> None:
        """Draw indicator ``code``."""
        self.indicator_combo.setCurrentIndex(max(0, self.indicator_combo.findData(code)))
        self.redraw()

    def set_data(self, data) -> None:  # noqa: ANN001
        """New numbers: start on the first indicator with a target (if nothing was chosen)."""
        first = self.data is None
        self.data = data
        if first:
            targeted = set(data.targets["indicator"]) if len(data.targets) else set()
            catalog = self.ctx.require_project().catalog.indicators
            with_targets = [c for c in catalog if c in targeted]
            if with_targets:
                self.indicator_combo.blockSignals(True)
                self.indicator_combo.setCurrentIndex(
                    max(0, self.indicator_combo.findData(with_targets[0])))
                self.indicator_combo.blockSignals(False)
        self.redraw()

    def redraw(self) -> None:
        """The indicator's line, a dashed line per target, met/missed points."""
        code = str(self.indicator_combo.currentData() or "")
        indicator = self.ctx.require_project().catalog.indicators.get(code)
        if indicator is None or self.data is None:
            self.replace_chart(make_chart())
            return
        area_unit = self.ctx.preferences.area_unit
        unit, years = indicator.unit, self.data.years
        shown = shown_unit(unit, area_unit)
        chart = make_chart(self.tr("{name}: actual and targets").format(name=indicator.name))
        axis_x = year_axis(years, self.tr("Year"))
        everything: list[float] = []
        all_series = [self._actual_series(code, years, unit, everything)]
        all_series += self._target_series(code, years, unit, everything)
        all_series += self._status_series(code, years, unit)
        axis_y = value_axis(self.tr("{name} ({unit})").format(name=indicator.name, unit=shown),
                            everything)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        for series in all_series:
            chart.addSeries(series)
            series.attachAxis(axis_x)
            series.attachAxis(axis_y)
        self.replace_chart(chart)
        self._summarise(code, unit)

    def _actual_series(self, code: str, years: list[int], unit: str,
                       everything: list[float]) -> QLineSeries:
        area_unit = self.ctx.preferences.area_unit
        series = QLineSeries()
        series.setName(self.tr("Actual"))
        series.setPen(QPen(QColor(31, 119, 180), 2.5))
        row = self.data.indicators.loc[code] if code in self.data.indicators.index else None
        for x, year in enumerate(years):
            value = float(row[year]) if row is not None else float("nan")
            if math.isfinite(value):
                value = to_shown(value, unit, area_unit)
                series.append(QPointF(x, value))
                everything.append(value)
        return series

    def _target_series(self, code: str, years: list[int], unit: str,
                       everything: list[float]) -> list[QLineSeries]:
        area_unit, shown = self.ctx.preferences.area_unit, shown_unit(unit, self.ctx.preferences.area_unit)
        out = []
        targets = self.data.targets[self.data.targets["indicator"] == code]
        for t in targets.itertuples():
            inside = [x for x, y in enumerate(years) if t.year_from <= y <= t.year_to]
            if not inside:
                continue
            value = to_shown(float(t.value), unit, area_unit)
            kind = self.tr("binding") if t.binding else self.tr("expected")
            series = QLineSeries()
            series.setName(self.tr("Target {op} {value} {unit} ({kind}, {a}–{b})").format(
                op="≥" if t.op == ">=" else "≤", value=format_number(value, 2), unit=shown, kind=kind,
                a=t.year_from, b=t.year_to))
            pen = QPen(TARGET_COLOUR, 2 if t.binding else 1.5)
            pen.setStyle(Qt.PenStyle.DashLine if t.binding else Qt.PenStyle.DotLine)
            series.setPen(pen)
            # the line covers the target's years, reaching half a step beyond the end points
            series.append(QPointF(inside[0] - 0.4, value))
            series.append(QPointF(inside[-1] + 0.4, value))
            everything.append(value)
            out.append(series)
        return out

    def _results(self, code: str) -> list:
        return [r for r in self.data.results if r.indicator == code]

    def _status_series(self, code: str, years: list[int], unit: str) -> list[QScatterSeries]:
        area_unit = self.ctx.preferences.area_unit
        met, missed = QScatterSeries(), QScatterSeries()
        met.setName(self.tr("Met"))
        missed.setName(self.tr("Missed"))
        for series, colour, size in ((met, MET_COLOUR, 10.0), (missed, MISSED_COLOUR, 13.0)):
            series.setColor(colour)
            series.setBorderColor(colour.darker(130))
            series.setMarkerSize(size)
        seen: set[tuple[int, str]] = set()
        for r in self._results(code):
            if r.actual is None or r.year not in years:
                continue
            status = "missed" if r.status == "missed" else "met"
            if (r.year, status) in seen:
                continue
            seen.add((r.year, status))
            point = QPointF(years.index(r.year), to_shown(r.actual, unit, area_unit))
            (missed if status == "missed" else met).append(point)
        return [s for s in (met, missed) if s.count()]

    def _summarise(self, code: str, unit: str) -> None:
        area_unit = self.ctx.preferences.area_unit
        shown = shown_unit(unit, area_unit)
        results = self._results(code)
        missed = [r for r in results if r.status == "missed"]
        if not results:
            self.summary.setText(self.tr("No target applies to this indicator."))
            return
        if not missed:
            self.summary.setText(self.tr("Every target met in the years with data."))
            return
        parts = [self.tr("{year}: {word} {gap} {unit}").format(
            year=r.year, word=self.tr("short by") if r.op == ">=" else self.tr("over by"),
            gap=format_number(to_shown(r.gap or 0.0, unit, area_unit), 2), unit=shown)
            for r in missed]
        colour = MISSED_COLOUR.name()
        listed = self.tr("Missed: {years}").format(years=self.tr(", ").join(parts))
        self.summary.setText(f"<span style='color:{colour}'>{html.escape(listed)}</span>")
