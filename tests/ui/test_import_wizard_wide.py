"""The import wizard with a 存量及变动表 (kind wide): recognised, its columns shown as the layout's
fields, its unit line named, problems located by sheet, row and column, imported like any file."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from conftest import rows, snapshot
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from ui.context import AppContext
from ui.import_wizard import IMPORT, PREVIEW, ImportWizard

Next = QWizard.WizardButton.NextButton


def wide_table(path: Path, extra: list[list[object]] = ()) -> Path:  # type: ignore[assignment]
    """青岚县's 2026 land table as made by hand: unit line in 亩, merged two-row header, a subtotal."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "土地"
    ws.append(["青岚县2026年土地资源存量及变动表"])
    ws.append(["单位：亩"])
    ws.append(["项目", "期初存量", "本期增加", None, "期末存量"])
    ws.append([None, None, "人为因素", "合计", None])
    for cells in ("A3:A4", "B3:B4", "C3:D3", "E3:E4"):
        ws.merge_cells(cells)
    ws.append(["耕地", "", "", "", "3,000"])
    ws.append(["水田", "", "", "", "1,500"])
    ws.append(["水浇地", "", "", "", "600"])
    ws.append(["旱地", "", "", "", "900"])
    for row in extra:
        ws.append(row)
    wb.save(path)
    return path


def open_checked(qtbot, ctx: AppContext, path: Path) -> ImportWizard:  # noqa: ANN001
    wizard = ImportWizard(ctx, [str(path)])
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.currentId() == PREVIEW and wizard.entries
                    and not any(e.checking for e in wizard.entries), timeout=60_000)
    return wizard


def test_wide_table_is_recognised_shown_and_imported(qtbot, ctx: AppContext, tmp_path: Path) -> None:  # noqa: ANN001
    wizard = open_checked(qtbot, ctx, wide_table(tmp_path / "土地2026.xlsx"))
    page = wizard.preview_page
    assert page.kind.currentData() == "wide" and page.kind.currentText() == "存量及变动表（wide）"
    assert "Recognised" in page.kind_note.text() and page.issues.rowCount() == 0
    labels = {page.mapping.index(r, 0).data(): page.mapping.index(r, 1).data()
              for r in range(page.mapping.rowCount())}
    assert labels["E 期末存量"] == "期末存量（实测）（closing）"
    assert labels["C 本期增加/人为因素"] == "本期增加·人为因素（add_human）"
    assert "亩" in page.units.text()
    assert page.sample.rowCount() == 4 and page.sample.headerData(0, Qt.Orientation.Vertical) == "5"
    qtbot.waitUntil(lambda: wizard.button(Next).isEnabled(), timeout=60_000)
    qtbot.mouseClick(wizard.button(Next), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == IMPORT and not wizard.import_page.running, timeout=120_000)
    assert "存量及变动表 3 行" in wizard.import_page.summary.toPlainText()
    assert rows(ctx.project, "SELECT item, value FROM stock WHERE year = 2026 ORDER BY item") == [
        ("0101", 100.0), ("0102", 40.0), ("0103", 60.0)]


def test_wide_table_problems_are_located(qtbot, ctx: AppContext, tmp_path: Path) -> None:  # noqa: ANN001
    before = snapshot(ctx.project)
    path = wide_table(tmp_path / "bad.xlsx", [["水稻田", "", "", "", "5"]])
    wizard = open_checked(qtbot, ctx, path)
    page = wizard.preview_page
    model = page.issues
    assert [tuple(model.index(0, c).data() for c in range(6))][0][:4] == ("bad.xlsx", "土地", "9", "A 项目")
    assert "不在土地资源目录中" in model.index(0, 4).data()
    assert page.sample.index(4, 0).data(Qt.ItemDataRole.ToolTipRole)  # the cell is marked
    assert not wizard.button(Next).isEnabled()
    assert snapshot(ctx.project) == before


def test_exported_workbook_imports_all_its_tables(qtbot, ctx: AppContext, tmp_path: Path) -> None:  # noqa: ANN001
    from balancesheet.reports.render import balance_sheet_report

    out = tmp_path / "报表.xlsx"
    balance_sheet_report(ctx.project, "990121", 2023, out)
    wizard = open_checked(qtbot, ctx, out)
    page = wizard.preview_page
    assert page.kind.currentData() == "wide" and page.issues.rowCount() == 0
    assert page.sheet.count() == 9 and page.sheet.currentIndex() == -1  # every 存量及变动表 sheet, not one
    assert "土地、森林、水资源、湿地" in page.status.text()
    qtbot.waitUntil(lambda: wizard.button(Next).isEnabled(), timeout=60_000)
    qtbot.mouseClick(wizard.button(Next), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == IMPORT and not wizard.import_page.running, timeout=120_000)
    assert "存量及变动表 117 行，新增 0，更新 0，未变 117" in wizard.import_page.summary.toPlainText()
