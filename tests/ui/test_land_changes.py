"""The land change records view: a lazy model sorted and filtered in SQL, totals, copy, find."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from balancesheet.units import convert
from ui.changes_model import AREA, BLOCK, CAUSE, RAW_ROLE, YEAR, matching_codes
from ui.land_changes import LandChangesView

REGION = "990121"


def _sql(ctx, where: str = "", params: dict | None = None) -> tuple[int, float]:  # noqa: ANN001
    frame = ctx.project.store.read_sql(
        "SELECT COUNT(*) AS n, SUM(value) AS total FROM flow WHERE region_code = :r "
        f"AND resource = 'land' {where}", {"r": REGION, **(params or {})})
    return int(frame.n[0]), float(frame.total[0] or 0.0)


def _wait(qtbot, view: LandChangesView) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: not view.model.busy, timeout=20_000)


@pytest.fixture
def view(ctx, qtbot) -> LandChangesView:  # noqa: ANN001
    widget = LandChangesView(ctx, REGION, 0)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    _wait(qtbot, widget)
    return widget


def test_lazy_model_passes_the_model_tester(view: LandChangesView, qtmodeltester) -> None:  # noqa: ANN001
    assert view.model.rowCount() > 20_000
    qtmodeltester.check(view.model)


def test_row_count_and_total_area_equal_sql(ctx, view: LandChangesView) -> None:  # noqa: ANN001
    count, total = _sql(ctx)
    assert view.model.rowCount() == count == view.model.count
    assert view.model.total == pytest.approx(total)
    assert f"{count:,}" in view.summary.text() and f"{total:,.2f}" in view.summary.text()
    assert view.year_combo.count() == 1 + 7  # all years + 2019…2025


def test_only_visible_rows_are_fetched(ctx, qtbot, view: LandChangesView) -> None:  # noqa: ANN001
    view.show()
    qtbot.waitExposed(view)
    view.table.scrollToBottom()
    last = view.model.rowCount() - 1
    assert view.model.index(last, YEAR).data(RAW_ROLE) == 2025  # sorted by year, then id
    newest = ctx.project.store.read_sql(
        "SELECT MAX(id) AS id FROM flow WHERE resource = 'land' AND year = 2025").id[0]
    assert view.model.record(last)[0] == newest
    cached_rows = sum(len(b) for b in view.model._cache.values())
    assert cached_rows <= 8 * BLOCK < view.model.rowCount()


def test_sorting_by_area_descending_puts_the_largest_first(ctx, qtbot, view) -> None:  # noqa: ANN001
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(AREA) + 5
    with qtbot.waitSignal(view.model.loaded, timeout=20_000):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    if header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder:  # first click sorts up
        with qtbot.waitSignal(view.model.loaded, timeout=20_000):
            view.table.sortByColumn(AREA, Qt.SortOrder.DescendingOrder)
    assert view.model.query.sort_column == AREA and view.model.query.descending
    largest = ctx.project.store.read_sql(
        "SELECT MAX(value) AS v FROM flow WHERE resource = 'land'").v[0]
    smallest = ctx.project.store.read_sql(
        "SELECT MIN(value) AS v FROM flow WHERE resource = 'land'").v[0]
    assert view.model.index(0, AREA).data(RAW_ROLE) == pytest.approx(largest)
    assert view.model.index(view.model.rowCount() - 1, AREA).data(RAW_ROLE) == pytest.approx(smallest)
    assert view.model.index(0, AREA).data() == f"{largest:,.2f}"


def test_sorting_by_cause_follows_the_catalog(ctx, qtbot, view) -> None:  # noqa: ANN001
    with qtbot.waitSignal(view.model.loaded, timeout=20_000):
        view.table.sortByColumn(CAUSE, Qt.SortOrder.AscendingOrder)
    causes = ctx.project.store.read_sql(
        "SELECT DISTINCT cause FROM flow WHERE resource = 'land'").cause.tolist()
    first = next(c for c in view.model.account.causes if c in causes)
    assert view.model.index(0, CAUSE).data() == view.model.account.causes[first].name


def test_filtering_by_cause_and_year_gives_the_sql_count(ctx, qtbot, view) -> None:  # noqa: ANN001
    with qtbot.waitSignal(view.model.loaded, timeout=20_000):
        view.cause_combo.setCurrentIndex(view.cause_combo.findData("CON"))
    assert view.model.rowCount() == _sql(ctx, "AND cause = 'CON'")[0]
    with qtbot.waitSignal(view.model.loaded, timeout=20_000):
        view.year_combo.setCurrentIndex(view.year_combo.findData(2021))
    count, total = _sql(ctx, "AND cause = 'CON' AND year = 2021")
    assert view.model.rowCount() == count > 0
    assert view.model.total == pytest.approx(total)
    assert {view.model.index(r, YEAR).data(RAW_ROLE) for r in range(min(count, 50))} == {2021}


def test_text_filter_matches_codes_and_names(ctx, qtbot, view) -> None:  # noqa: ANN001
    with qtbot.waitSignal(view.model.loaded, timeout=20_000):
        qtbot.keyClicks(view.filter_edit, "01")  # QTest types ASCII only
    assert set(matching_codes(view.model.account, "01")) == {"01", "0101", "0102", "0103"}
    expected = _sql(ctx, "AND (from_item IN ('0101', '0102', '0103') OR to_item IN "
                         "('0101', '0102', '0103'))")[0]
    assert view.model.rowCount() == expected > 0
    with qtbot.waitSignal(view.model.loaded, timeout=20_000):
        view.filter_edit.setText("水田")  # a name: only 0101
    assert view.model.rowCount() == _sql(ctx, "AND (from_item = '0101' OR to_item = '0101')")[0]
    assert "0101 水田" in {view.model.index(0, c).data() for c in (1, 2)}
    with qtbot.waitSignal(view.model.loaded, timeout=20_000):
        view.set_filter("no such class")
    assert view.model.rowCount() == 0 and view.model.count == 0


def test_constructor_year_filters(ctx, qtbot) -> None:  # noqa: ANN001
    widget = LandChangesView(ctx, REGION, 2023)
    qtbot.addWidget(widget)
    _wait(qtbot, widget)
    assert widget.year_combo.currentData() == 2023
    assert widget.model.rowCount() == _sql(ctx, "AND year = 2023")[0]


def test_areas_follow_the_unit_preference(ctx, view: LandChangesView) -> None:  # noqa: ANN001
    hectares = view.model.index(0, AREA).data(RAW_ROLE)
    ctx.preferences.area_unit = "亩"
    ctx.preferences_changed.emit()
    assert "亩" in view.model.headerData(AREA, Qt.Orientation.Horizontal)
    assert view.model.index(0, AREA).data(RAW_ROLE) == pytest.approx(convert(hectares, "公顷", "亩"))
    assert "亩" in view.summary.text()


def test_ctrl_c_copies_the_selected_records_as_tsv(ctx, qtbot, view) -> None:  # noqa: ANN001
    view.table.selectRow(0)
    view.table.selectionModel().select(
        view.model.index(2, 0), view.table.selectionModel().SelectionFlag.Select
        | view.table.selectionModel().SelectionFlag.Rows)
    QApplication.clipboard().clear()
    qtbot.keyClick(view.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QApplication.clipboard().text().splitlines()
    assert len(lines) == 3 and lines[0].split("\t")[0] == "Year"
    first = lines[1].split("\t")
    record = view.model.record(0)
    assert first[0] == str(record[1]) and first[1].startswith(record[2])
    assert float(first[AREA]) == pytest.approx(record[5]) and first[5] == "land_changes.csv"
    assert lines[2].split("\t")[0] == str(view.model.record(2)[1])


def test_find_focuses_the_filter(qtbot, view: LandChangesView) -> None:  # noqa: ANN001
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    view.table.setFocus()
    view.find()
    qtbot.waitUntil(view.filter_edit.hasFocus)


def test_new_records_appear_after_data_changed(ctx, qtbot, view) -> None:  # noqa: ANN001
    before = view.model.rowCount()
    with ctx.project.store.engine.begin() as conn:
        conn.execute(text("INSERT INTO flow (region_code, year, resource, from_item, to_item, cause, "
                          "value) VALUES (:r, 2025, 'land', '0101', '0701', 'CON', 123456.78)"),
                     {"r": REGION})
    with qtbot.waitSignal(view.model.loaded, timeout=20_000):
        ctx.notify_changed(REGION, 2025, "land")
    assert view.model.rowCount() == before + 1
    row = view.model.rowCount() - 1
    assert view.model.index(row, AREA).data() == "123,456.78"
    assert view.model.index(row, 5).data() == ""  # entered by hand: no source file
