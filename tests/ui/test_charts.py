"""Charts: the series drawn hold the core's numbers (stocks, changes by cause, indicators, targets)."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCharts import QBarCategoryAxis, QHorizontalBarSeries, QLineSeries, QScatterSeries
from PySide6.QtCore import Qt

from balancesheet.indicators import evaluate_targets, indicator_series, load_targets
from balancesheet.ledger import change_table, value_table
from balancesheet.units import convert
from ui.charts import ChartsView, value_axis

REGION = "990121"
YEARS = list(range(2018, 2026))


@pytest.fixture
def view(ctx, qtbot) -> ChartsView:  # noqa: ANN001
    widget = ChartsView(ctx, REGION)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    qtbot.waitUntil(lambda: widget.data is not None, timeout=20_000)
    qtbot.waitUntil(lambda: widget.causes.table is not None, timeout=20_000)
    return widget


def _points(series) -> list[tuple[float, float]]:  # noqa: ANN001
    return [(p.x(), p.y()) for p in series.points()]


def _of(chart, kind) -> list:  # noqa: ANN001
    return [s for s in chart.series() if isinstance(s, kind)]


def test_stock_trends_draw_a_line_per_main_item(ctx, view: ChartsView) -> None:  # noqa: ANN001
    page = view.trends
    account = ctx.project.catalog.account("land")
    lines = _of(page.chart, QLineSeries)
    main = [c for c in [*account.order, *account.groups] if c in account.main_items]  # list order
    assert len(main) == len(account.main_items) == 8
    assert [s.name() for s in lines] == [
        f"{c} {account.groups[c].name if c in account.groups else account.items[c].name}"
        for c in main]
    values = value_table(ctx.project, REGION, YEARS)
    for series, code in zip(lines, main, strict=True):
        expected = values.series("land", code).reindex(YEARS).to_list()
        assert [x for x, _ in _points(series)] == list(range(len(YEARS)))
        assert [y for _, y in _points(series)] == pytest.approx(expected)
    axis = page.chart.axes(Qt.Orientation.Horizontal)[0]
    assert isinstance(axis, QBarCategoryAxis) and axis.categories() == [str(y) for y in YEARS]
    assert "公顷" in page.chart.axes(Qt.Orientation.Vertical)[0].titleText()


def test_stock_trends_of_another_resource_and_unit(ctx, view: ChartsView) -> None:  # noqa: ANN001
    view.trends.show_items("forest", ["V1", "V11"])
    assert view.trends.unit_combo.currentData() == "立方米"
    lines = _of(view.trends.chart, QLineSeries)
    assert len(lines) == 2 and all(s.count() == len(YEARS) for s in lines)
    expected = value_table(ctx.project, REGION, YEARS).series("forest", "V11").reindex(YEARS)
    assert [p[1] for p in _points(lines[1])] == pytest.approx(expected.to_list())
    first = view.trends.items.item(0)
    assert first.data(Qt.ItemDataRole.UserRole) == "V1"
    first.setCheckState(Qt.CheckState.Unchecked)  # the user unticks a line
    assert [s.name() for s in _of(view.trends.chart, QLineSeries)] == ["V11 天然林蓄积"]


def test_stock_trends_in_mu(ctx, view: ChartsView) -> None:  # noqa: ANN001
    before = _points(_of(view.trends.chart, QLineSeries)[1])
    ctx.preferences.area_unit = "亩"
    ctx.preferences_changed.emit()
    after = _points(_of(view.trends.chart, QLineSeries)[1])
    assert [y for _, y in after] == pytest.approx([convert(y, "公顷", "亩") for _, y in before])
    assert "亩" in view.trends.chart.axes(Qt.Orientation.Vertical)[0].titleText()


def test_changes_by_cause_equal_the_change_table(ctx, qtbot, view: ChartsView) -> None:  # noqa: ANN001
    page = view.causes
    assert page.year_combo.currentData() == 2025 and page.item_combo.currentData() == "01"
    core = change_table(ctx.project, REGION, "land", 2024, 2025)
    adds, reds = core.additions_by_cause.loc["01"], core.reductions_by_cause.loc["01"]
    (series,) = _of(page.chart, QHorizontalBarSeries)
    added, reduced = series.barSets()
    names = page.chart.axes(Qt.Orientation.Vertical)[0].categories()
    account = ctx.project.catalog.account("land")
    code_of = {c.name: c.code for c in account.causes.values()}
    assert len(names) == len({c for c in adds.index if adds[c]} | {c for c in reds.index if reds[c]})
    for i, name in enumerate(names):
        assert added.at(i) == pytest.approx(adds.get(code_of[name], 0.0))
        assert reduced.at(i) == pytest.approx(reds.get(code_of[name], 0.0))
    assert names[-1] == account.causes["CON"].name  # catalog order from the top: CON first
    page.show_changes("forest", 2022, "V1")
    qtbot.waitUntil(lambda: page.table is not None and page.table.resource == "forest", timeout=20_000)
    core = change_table(ctx.project, REGION, "forest", 2021, 2022)
    (series,) = _of(page.chart, QHorizontalBarSeries)
    total_added = sum(series.barSets()[0].at(i) for i in range(series.barSets()[0].count()))
    assert total_added == pytest.approx(float(core.additions_by_cause.loc["V1"].sum()))
    assert "MRT" in core.reductions_by_cause.columns


def test_indicator_against_targets_marks_missed_years(ctx, view: ChartsView) -> None:  # noqa: ANN001
    page = view.indicators
    assert page.indicator_combo.currentData() == "CULT"  # first catalog indicator with a target
    actual = indicator_series(ctx.project, REGION, YEARS).loc["CULT"].to_list()
    lines = _of(page.chart, QLineSeries)
    assert [p[1] for p in _points(lines[0])] == pytest.approx(actual)
    targets = load_targets(ctx.project, REGION)
    cult = targets[targets.indicator == "CULT"]
    assert len(lines) == 1 + len(cult) == 3
    assert {p[1] for s in lines[1:] for p in _points(s)} == set(cult.value.astype(float))
    scatter = {s.name(): s for s in _of(page.chart, QScatterSeries)}
    results = [r for r in evaluate_targets(ctx.project, REGION, YEARS) if r.indicator == "CULT"]
    missed_years = [r.year for r in results if r.status == "missed"]
    assert missed_years == [2023, 2024, 2025]
    assert [YEARS[int(p[0])] for p in _points(scatter["Missed"])] == missed_years
    assert scatter["Met"].count() == len(results) - 3
    assert "56.45" in page.summary.text() and "152.54" in page.summary.text()


def test_an_indicator_without_targets(view: ChartsView) -> None:
    view.indicators.show_indicator("WRT")
    assert len(_of(view.indicators.chart, QLineSeries)) == 1
    assert not _of(view.indicators.chart, QScatterSeries)
    assert "No target" in view.indicators.summary.text()


def test_value_axis_keeps_positive_data_above_zero() -> None:
    axis = value_axis("t", [3.0, 120_000.0])
    assert axis.min() == 0 and axis.max() >= 120_000
    axis = value_axis("t", [56_577.46, 57_408.37])
    assert 56_000 <= axis.min() < 56_577.46 and axis.labelFormat() == "%.0f"
    assert not math.isnan(value_axis("t", []).max())
