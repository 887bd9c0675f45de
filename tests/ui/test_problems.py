"""The problems panel on the sample county with the demo problems: the list, the count line,
units, sorting, double-click/Enter to the offending cell, re-checking after changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from balancesheet import editing
from balancesheet.importer import import_file
from balancesheet.resources import sample_data_dir
from balancesheet.units import convert
from ui.context import AppContext
from ui.look import install_translators
from ui.problems import ProblemsModel, ProblemsPanel

R = "990121"


@pytest.fixture(autouse=True)
def english(qapp):  # noqa: ANN001, ANN201
    """Source-language texts (another test may have installed the Chinese translators)."""
    install_translators(qapp, "en")
    yield
    install_translators(qapp, "en")


@pytest.fixture
def with_errors(ctx: AppContext) -> AppContext:
    """The sample county with sample_data/problems/stocks_with_errors.csv imported on top."""
    import_file(ctx.require_project(), sample_data_dir() / "problems" / "stocks_with_errors.csv")
    return ctx


def open_panel(qtbot, ctx: AppContext, year: int = 2025) -> ProblemsPanel:  # noqa: ANN001
    panel = ProblemsPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1200, 300)
    panel.show()
    panel.show_checks(R, year)
    settle(qtbot, panel)
    return panel


def settle(qtbot, panel: ProblemsPanel) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: not panel.busy, timeout=20_000)


def row_of(panel: ProblemsPanel, kind: str, item: str) -> int:
    for row in range(panel.proxy.rowCount()):
        problem = panel.problem_at(row)
        if problem.kind == kind and problem.item == item:
            return row
    raise AssertionError(f"no {kind} problem on {item}")


def test_demo_problems_are_listed_with_a_count(qtbot, with_errors: AppContext) -> None:  # noqa: ANN001
    panel = open_panel(qtbot, with_errors)
    problems = panel.model.problems
    found = {(p.resource, p.kind, p.item) for p in problems}
    assert {("land", "balance", "0101"), ("land", "land_total", "T"), ("forest", "balance", "F11"),
            ("forest", "link", "F1"), ("wetland", "balance", "SD1106")} <= found
    assert all(p.severity == "error" for p in problems)
    assert panel.summary.text().endswith(f"{len(problems)} errors, 0 warnings")
    row = row_of(panel, "balance", "0101")
    index = panel.proxy.index(row, 0)
    assert panel.proxy.data(index) == "Error"
    assert panel.proxy.data(index.siblingAtColumn(1)) == "土地资源"
    assert panel.proxy.data(index.siblingAtColumn(2)) == "0101 水田"
    assert "0101" in panel.proxy.data(index.siblingAtColumn(3))
    assert panel.proxy.data(index.siblingAtColumn(6)) == "12.34"
    assert panel.proxy.data(index.siblingAtColumn(4)) == "40,482.59"
    assert panel.proxy.data(index.siblingAtColumn(5),
                            Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert panel.proxy.data(index.siblingAtColumn(7)) == "公顷"


def test_the_count_line_in_chinese(qtbot, with_errors: AppContext) -> None:  # noqa: ANN001
    install_translators(QApplication.instance(), "zh_CN")
    panel = open_panel(qtbot, with_errors)
    errors = len(panel.model.problems)
    assert panel.summary.text().endswith(f"{errors} 个错误，0 个警告")
    assert panel.proxy.data(panel.proxy.index(0, 0)) == "错误"


def test_double_click_goes_to_the_cell(qtbot, with_errors: AppContext) -> None:  # noqa: ANN001
    panel = open_panel(qtbot, with_errors)
    view = panel.view
    row = row_of(panel, "balance", "0101")
    rect = view.visualRect(panel.proxy.index(row, 3))
    with qtbot.waitSignal(with_errors.navigate, timeout=2000) as signal:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [R, 2025, "land", "0101"]
    # sorted by another column, the row still names its own problem; Enter works too
    view.sortByColumn(6, Qt.SortOrder.AscendingOrder)
    row = row_of(panel, "balance", "F11")
    view.setCurrentIndex(panel.proxy.index(row, 0))
    with qtbot.waitSignal(with_errors.navigate, timeout=2000) as signal:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert signal.args == [R, 2025, "forest", "F11"]


def test_sorting_by_difference(qtbot, with_errors: AppContext) -> None:  # noqa: ANN001
    panel = open_panel(qtbot, with_errors)
    panel.view.sortByColumn(6, Qt.SortOrder.AscendingOrder)
    values = [panel.problem_at(r).difference for r in range(panel.proxy.rowCount())]
    numbers = [v for v in values if v is not None]
    assert numbers == sorted(numbers) and numbers[0] == pytest.approx(-250.0)


def test_rechecks_when_the_data_change(qtbot, with_errors: AppContext) -> None:  # noqa: ANN001
    panel = open_panel(qtbot, with_errors)
    project = with_errors.require_project()
    assert ("balance", "0101") in {(p.kind, p.item) for p in panel.model.problems}
    editing.set_stock(project, R, 2025, "land", "0101", 40482.59)  # the clean value
    with_errors.notify_changed(R, 2025, "land")
    settle(qtbot, panel)
    kinds = {(p.kind, p.item) for p in panel.model.problems}
    assert ("balance", "0101") not in kinds and ("land_total", "T") not in kinds
    assert ("balance", "F11") in kinds
    # a change of another region or of a later year does not re-run the checks
    with_errors.notify_changed("990100", 2025, "land")
    with_errors.notify_changed(R, 2026, "land")
    assert not panel.busy


def test_previous_year_change_rechecks(qtbot, with_errors: AppContext) -> None:  # noqa: ANN001
    panel = open_panel(qtbot, with_errors, 2024)
    assert ("balance", "SD1106") in {(p.kind, p.item) for p in panel.model.problems}
    editing.set_stock(with_errors.require_project(), R, 2023, "wetland", "SD1106", 1000.0)
    with_errors.notify_changed(R, 2023, "wetland")
    assert panel.busy
    settle(qtbot, panel)
    sd = next(p for p in panel.model.problems if p.item == "SD1106" and p.kind == "balance")
    assert "1,000.00" in sd.message  # the new opening


def test_clean_county_has_no_problems(qtbot, ctx: AppContext) -> None:  # noqa: ANN001
    panel = open_panel(qtbot, ctx)
    assert panel.model.rowCount() == 0
    assert panel.summary.text().endswith("no problems found")


def test_numbers_in_mu(qtbot, with_errors: AppContext) -> None:  # noqa: ANN001
    with_errors.preferences.area_unit = "亩"
    panel = open_panel(qtbot, with_errors)
    row = row_of(panel, "balance", "0101")
    problem = panel.problem_at(row)
    index = panel.proxy.index(row, 5)
    assert panel.proxy.data(index.siblingAtColumn(7)) == "亩"
    shown = float(panel.proxy.data(index).replace(",", ""))
    assert shown == pytest.approx(convert(problem.actual, "公顷", "亩"), abs=0.005)


def test_tolerance_preference_is_used(qtbot, with_errors: AppContext) -> None:  # noqa: ANN001
    with_errors.preferences.tolerance = 300.0
    panel = open_panel(qtbot, with_errors)
    assert not panel.model.problems  # every demo difference is below 300
    with_errors.preferences.tolerance = 0.02
    with_errors.preferences_changed.emit()
    settle(qtbot, panel)
    assert panel.model.problems


def test_project_closed_clears_the_list(qtbot, with_errors: AppContext) -> None:  # noqa: ANN001
    panel = open_panel(qtbot, with_errors)
    assert panel.model.rowCount() > 0
    location = Path(with_errors.location)
    with_errors.close_project()
    assert panel.model.rowCount() == 0 and not panel.busy
    with_errors.open_project(location)


def test_problems_model_contract(qtbot, qtmodeltester, with_errors: AppContext) -> None:  # noqa: ANN001
    # One tester per test: checking the sorting proxy too would mix its signals with its source's.
    panel = open_panel(qtbot, with_errors)
    qtmodeltester.check(panel.model, force_py=True)
    qtmodeltester.check(ProblemsModel(), force_py=True)
