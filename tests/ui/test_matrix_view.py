"""The transition matrix view: the table equals the core's matrix, the heat map paints, notes."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtWidgets import QApplication

from balancesheet.ledger import transition_matrix
from balancesheet.units import convert
from ui.heatmap import HeatMap, cell_colours
from ui.matrix_model import RAW_ROLE
from ui.matrix_view import TransitionMatrixView

REGION = "990121"


@pytest.fixture
def view(ctx, qtbot) -> TransitionMatrixView:  # noqa: ANN001
    widget = TransitionMatrixView(ctx, REGION, 2019, 2025)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    qtbot.waitUntil(lambda: widget.matrix is not None, timeout=20_000)
    return widget


def _values(view: TransitionMatrixView) -> np.ndarray:
    model = view.model
    return np.array([[model.index(r, c).data(RAW_ROLE) for c in range(model.columnCount())]
                     for r in range(model.rowCount())])


def test_matrix_model_passes_the_model_tester(view: TransitionMatrixView, qtmodeltester) -> None:  # noqa: ANN001
    qtmodeltester.check(view.model)


def test_table_equals_the_core_matrix_2019_2025(ctx, view: TransitionMatrixView) -> None:  # noqa: ANN001
    core = transition_matrix(ctx.project, REGION, 2019, 2025)
    n = len(core.classes)
    shown = _values(view)
    assert shown.shape == (n + 1, n + 1)
    np.testing.assert_allclose(shown[:n, :n], core.cells)
    np.testing.assert_allclose(shown[:n, n], core.row_sums)
    np.testing.assert_allclose(shown[n, :n], core.column_sums)
    assert shown[n, n] == pytest.approx(238_645.00)  # the county's total area
    model = view.model
    assert model.headerData(1, Qt.Orientation.Horizontal) == f"{core.classes[1]}\n{core.names[1]}"
    assert "公顷" in model.headerData(n, Qt.Orientation.Horizontal)
    assert model.index(1, 1).data() == f"{core.cells[1, 1]:,.2f}"
    assert model.index(1, 1).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_areas_follow_the_unit_preference(ctx, view: TransitionMatrixView) -> None:  # noqa: ANN001
    hectares = _values(view)
    ctx.preferences.area_unit = "亩"
    ctx.preferences_changed.emit()
    np.testing.assert_allclose(_values(view), convert(hectares, "公顷", "亩"))
    assert "亩" in view.model.headerData(view.model.size, Qt.Orientation.Horizontal)


def test_the_gross_flow_note_is_shown(view: TransitionMatrixView) -> None:
    assert view.matrix is not None and len(view.matrix.notes) == 1
    assert "毛流量" in view.notes.text() and not view.notes.isHidden()


def test_span_and_level_selectors_recompute(ctx, qtbot, view) -> None:  # noqa: ANN001
    with qtbot.waitSignal(view.computed, timeout=20_000):
        view.from_combo.setCurrentIndex(view.from_combo.findData(2024))
    core = transition_matrix(ctx.project, REGION, 2024, 2025)
    np.testing.assert_allclose(_values(view)[:-1, :-1], core.cells)
    assert view.notes.isHidden()  # one year: no gross-flow note
    with qtbot.waitSignal(view.computed, timeout=20_000):
        view.level_combo.setCurrentIndex(view.level_combo.findData(2))
    core2 = transition_matrix(ctx.project, REGION, 2024, 2025, level=2)
    assert view.model.size == len(core2.classes) > 40
    np.testing.assert_allclose(_values(view)[:-1, :-1], core2.cells)


def test_an_empty_span_is_refused_without_a_message_box(qtbot, view, messages) -> None:  # noqa: ANN001
    view.to_combo.setCurrentIndex(view.to_combo.findData(2019))
    assert "later" in view.status.text()
    assert not messages


@pytest.mark.parametrize("size", [QSize(320, 240), QSize(800, 600), QSize(1280, 800), QSize(2400, 1600)])
def test_heat_map_paints_at_several_sizes(qtbot, view: TransitionMatrixView, size: QSize) -> None:  # noqa: ANN001
    heat = HeatMap()  # on its own, so it takes exactly the size asked for
    qtbot.addWidget(heat)
    heat.set_matrix(view.matrix.classes, view.matrix.names, view.model.values[:-1, :-1], "公顷")
    heat.resize(size)
    image = heat.grab().toImage()
    assert image.size() == size
    r, c = 1, 3  # 01 耕地 → 03 林地: a large off-diagonal transfer
    rect = heat.cell_rect(r, c)
    assert heat.cell_at(rect.center()) == (r, c)
    expected = tuple(int(v) for v in cell_colours(heat.values)[r, c])
    corner = image.pixelColor(int(rect.left()) + 3, int(rect.top()) + 3)  # beside any label
    assert (corner.red(), corner.green(), corner.blue()) == expected
    assert heat.cell_at(QPointF(1, 1)) is None


def test_level_two_heat_map_paints(qtbot, view: TransitionMatrixView) -> None:  # noqa: ANN001
    with qtbot.waitSignal(view.computed, timeout=20_000):
        view.set_span(2018, 2025, level=2)
    view.show_heatmap()
    for size in (QSize(640, 480), QSize(1280, 800)):
        view.heatmap.resize(size)
        assert not view.heatmap.grab().isNull()


def test_off_diagonal_cells_are_warmer_than_the_diagonal() -> None:
    values = np.array([[1000.0, 10.0], [0.0, 5000.0]])
    rgb = cell_colours(values).astype(int)
    assert tuple(rgb[1, 0]) == (252, 252, 252)  # nothing moved: blank
    assert rgb[0, 1, 0] - rgb[0, 1, 2] > 100      # warm (red ≫ blue) off the diagonal
    assert rgb[0, 0, 2] > rgb[0, 0, 0]            # cool on the diagonal


def test_heat_map_tooltip_names_both_classes(view: TransitionMatrixView) -> None:
    m = view.matrix
    text = view.heatmap.tooltip_text(1, 3)
    assert text == f"From 01 耕地 to 03 林地: {m.cells[1, 3]:,.2f} 公顷"
    assert "unchanged" in view.heatmap.tooltip_text(2, 2)
    assert view.model.index(1, 3).data(Qt.ItemDataRole.ToolTipRole) == text


def test_copy_puts_the_matrix_on_the_clipboard_as_tsv(qtbot, view) -> None:  # noqa: ANN001
    m = view.matrix
    QApplication.clipboard().clear()
    view.copy()
    lines = QApplication.clipboard().text().splitlines()
    assert len(lines) == len(m.classes) + 2
    assert lines[0].split("\t")[1] == f"{m.classes[0]} {m.names[0]}"
    row = lines[2].split("\t")
    assert row[0] == f"{m.classes[1]} {m.names[1]}"
    assert [float(v) for v in row[1:-1]] == pytest.approx(list(m.cells[1]), abs=0.005)
    view.table.setCurrentIndex(view.model.index(1, 3))  # one cell selected: only it
    qtbot.keyClick(view.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QApplication.clipboard().text().splitlines()
    assert len(lines) == 2 and float(lines[1].split("\t")[1]) == pytest.approx(m.cells[1, 3], abs=0.005)
