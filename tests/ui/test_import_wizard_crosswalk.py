"""The import wizard's choices that the core and the command line offer: the land classification
of a file (二调/三调), the shares of 二调 classes that split across several 三调 classes (checked
to add up to 100 %, then imported split), the region and year of a 存量及变动表 that does not state
them, and the sheet of a workbook whose sheets could all be imported."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import rows, snapshot, write_csv, write_xlsx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QWizard
from shiboken6 import isValid

from ui.context import AppContext
from ui.import_models import SplitModel
from ui.import_wizard import IMPORT, PREVIEW, ImportWizard

R = "990121"
STOCK_H = ["region", "year", "resource", "item", "value", "unit"]
LAND_2015 = "SELECT item, value FROM stock WHERE resource = 'land' AND year = 2015 ORDER BY item"
Next = QWizard.WizardButton.NextButton
CHECK = Qt.ItemDataRole.CheckStateRole


def open_wizard(qtbot, ctx: AppContext, files: list[Path]) -> ImportWizard:  # noqa: ANN001
    wizard = ImportWizard(ctx, [str(f) for f in files])
    qtbot.addWidget(wizard)
    wizard.resize(1280, 800)
    wizard.show()
    wait_checked(qtbot, wizard)
    return wizard


def wait_checked(qtbot, wizard: ImportWizard) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: wizard.currentId() == PREVIEW and wizard.entries
                    and not any(e.checking for e in wizard.entries), timeout=60_000)


def wait_imported(qtbot, wizard: ImportWizard) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: wizard.currentId() == IMPORT and not wizard.import_page.running,
                    timeout=120_000)


def click(qtbot, wizard: ImportWizard, which: QWizard.WizardButton) -> None:  # noqa: ANN001
    button = wizard.button(which)
    assert button.isVisible() and button.isEnabled(), f"{which} is not clickable"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose(qtbot, combo: QComboBox, data: str | None = None,  # noqa: ANN001
           text: str | None = None) -> None:
    """Pick an entry of a combo the way a user does: open its list, go to the entry, press Enter."""
    index = combo.findData(data) if text is None else combo.findText(text)
    assert index >= 0, (data, text)
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    view.setCurrentIndex(view.model().index(index, combo.modelColumn()))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.isVisible())
    assert combo.currentIndex() == index


def old_stocks(path: Path, items: list[tuple[str, object]], year: str = "2015") -> Path:
    """Land stocks of 青岚县 written with GB/T 21010-2007 (二调) codes."""
    return write_csv(path, STOCK_H, [[R, year, "land", code, str(v), "公顷"] for code, v in items])


def enter_share(qtbot, wizard: ImportWizard, code: str, target: str,  # noqa: ANN001
                text: str) -> None:
    """Type a share into the split table as a user does: select the cell, F2, type, Enter."""
    box = wizard.preview_page.split_box
    index = box.share_index(code, target)
    assert index.isValid(), (code, target)
    box.view.setCurrentIndex(index)
    qtbot.keyClick(box.view, Qt.Key.Key_F2)
    editors = [e for e in box.view.findChildren(QDoubleSpinBox, "share_editor") if e.isVisible()]
    assert len(editors) == 1
    qtbot.keyClicks(editors[0], text)
    qtbot.keyClick(editors[0], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not isValid(editors[0]) or not editors[0].isVisible())  # (queued by Qt)


def tick_all_to(qtbot, wizard: ImportWizard, code: str, target: str) -> None:  # noqa: ANN001
    """Tick "All to this class" with the keyboard (Space on the cell)."""
    box = wizard.preview_page.split_box
    index = box.all_index(code, target)
    box.view.setCurrentIndex(index)
    qtbot.keyClick(box.view, Qt.Key.Key_Space)


# --- split classes ---------------------------------------------------------------------------

def test_split_shares_checked_then_imported_split(qtbot, ctx: AppContext,  # noqa: ANN001
                                                   tmp_path: Path) -> None:
    path = old_stocks(tmp_path / "二调2015.csv",
                      [("011", 100), ("031", 200.5), ("127", 9), ("013", 4)])
    before = snapshot(ctx.project)
    wizard = open_wizard(qtbot, ctx, [path])
    page = wizard.preview_page
    box = page.split_box
    assert page.classification.isVisible()
    assert page.classification.currentText() == "Detect automatically"
    assert box.isVisible() and not wizard.button(Next).isEnabled()
    model = page.splits
    assert [model.index(r, SplitModel.NEW).data() for r in range(model.rowCount())] == [
        "0301 乔木林地", "0302 竹林地", "0303 红树林地", "0304 森林沼泽",
        "1206 裸土地", "1207 裸岩石砾地"]
    assert model.index(0, SplitModel.OLD).data() == "031 有林地"
    assert box.view.rowSpan(0, SplitModel.OLD) == 4
    assert "第 3 行" not in model.index(0, SplitModel.OLD).data()  # the rows are in the tooltip
    assert "3" in model.index(0, SplitModel.OLD).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(4, SplitModel.TOTAL).data() == "not chosen"

    enter_share(qtbot, wizard, "031", "0301", "70")
    enter_share(qtbot, wizard, "031", "0302", "20")
    assert model.index(0, SplitModel.TOTAL).data() == "90.00"
    assert box.error.isVisible() and box.error.text() == (
        "031 有林地: the shares add up to 90.00 %; they must add up to 100 %.")
    assert wizard.entries[0].splits == {} and not wizard.button(Next).isEnabled()
    assert "Shares to correct" in page.files.item(0).text()

    enter_share(qtbot, wizard, "031", "0302", "30")  # 70 + 30: the file is checked again
    assert not box.error.isVisible()
    wait_checked(qtbot, wizard)
    assert wizard.entries[0].splits == {"031": {"0301": 0.7, "0302": 0.3}}
    assert not wizard.button(Next).isEnabled()  # 127 裸地 is not chosen yet
    assert "127 裸地" in page.status.text()

    tick_all_to(qtbot, wizard, "127", "1207")
    assert model.index(5, SplitModel.ALL).data(CHECK) == Qt.CheckState.Checked
    assert model.index(5, SplitModel.SHARE).data() == "100.00"
    wait_checked(qtbot, wizard)
    assert page.issues.rowCount() == 0, page.status.text()
    note = page.classification_note.text()
    assert "4 rows" in note and "031→0301×70%、0302×30%" in note and "127→1207" in note
    assert snapshot(ctx.project) == before  # checking wrote nothing

    qtbot.waitUntil(lambda: wizard.button(Next).isEnabled())
    click(qtbot, wizard, Next)
    wait_imported(qtbot, wizard)
    assert "二调地类换算" in wizard.import_page.summary.toPlainText()
    got = dict(rows(ctx.project, LAND_2015))
    assert got.keys() == {"0101", "0103", "0301", "0302", "1207"}
    assert got["0301"] == pytest.approx(140.35) and got["0302"] == pytest.approx(60.15)
    assert got["0301"] + got["0302"] == pytest.approx(200.5)
    assert (got["0101"], got["0103"], got["1207"]) == (100.0, 4.0, 9.0)


def test_split_class_sent_wholly_to_one_class(qtbot, qtmodeltester, ctx: AppContext,  # noqa: ANN001
                                              tmp_path: Path) -> None:
    path = old_stocks(tmp_path / "裸地.csv", [("011", 50), ("127", 12.5)])
    wizard = open_wizard(qtbot, ctx, [path])
    page = wizard.preview_page
    qtmodeltester.check(page.splits)
    tick_all_to(qtbot, wizard, "127", "1206")
    assert wizard.entries[0].shares == {"127": {"1206": 100.0}}
    wait_checked(qtbot, wizard)
    qtmodeltester.check(page.splits)
    assert "127→1206" in page.classification_note.text()
    tick_all_to(qtbot, wizard, "127", "1207")  # the other one: the first is unticked
    model = page.splits
    assert [model.index(r, SplitModel.ALL).data(CHECK) for r in range(2)] == [
        Qt.CheckState.Unchecked, Qt.CheckState.Checked]
    wait_checked(qtbot, wizard)
    assert wizard.entries[0].splits == {"127": {"1207": 1.0}}
    qtbot.waitUntil(lambda: wizard.button(Next).isEnabled())
    click(qtbot, wizard, Next)
    wait_imported(qtbot, wizard)
    assert rows(ctx.project, LAND_2015) == [("0101", 50.0), ("1207", 12.5)]


# --- the classification ----------------------------------------------------------------------

def test_classification_chosen_for_codes_that_could_be_either(qtbot,  # noqa: ANN001
                                                              ctx: AppContext,
                                                              tmp_path: Path) -> None:
    # 101, 102, 103: 二调 classes (铁路用地 …), or 三调 0101 水田 … stored as numbers.
    path = old_stocks(tmp_path / "codes.csv", [("101", 10), ("102", 20), ("103", 30)])
    wizard = open_wizard(qtbot, ctx, [path])
    page = wizard.preview_page
    assert page.classification.isVisible() and not wizard.button(Next).isEnabled()
    assert "既可能是二调地类" in page.issues.index(0, 4).data()
    assert not page.split_box.isVisible()

    choose(qtbot, page.classification, data="2007")  # read as 二调: 101 and 103 split
    wait_checked(qtbot, wizard)
    assert wizard.entries[0].classification == "2007" and page.split_box.isVisible()
    assert {page.splits.index(r, SplitModel.OLD).data() for r in range(page.splits.rowCount())} == {
        "101 铁路用地", "103 街巷用地"}

    choose(qtbot, page.classification, data="2017")  # read as 三调: nothing converted
    wait_checked(qtbot, wizard)
    assert wizard.entries[0].classification == "2017"
    assert not page.split_box.isVisible() and page.issues.rowCount() == 0
    assert "read as 三调 classes" in page.classification_note.text()
    qtbot.waitUntil(lambda: wizard.button(Next).isEnabled())
    click(qtbot, wizard, Next)
    wait_imported(qtbot, wizard)
    assert rows(ctx.project, LAND_2015) == [("0101", 10.0), ("0102", 20.0), ("0103", 30.0)]


def test_new_codes_show_no_crosswalk_choices_to_make(qtbot, ctx: AppContext,  # noqa: ANN001
                                                     tmp_path: Path) -> None:
    path = old_stocks(tmp_path / "new.csv", [("0101", 10), ("0301", 5)], year="2026")
    wizard = open_wizard(qtbot, ctx, [path])
    page = wizard.preview_page
    assert page.classification.isVisible() and not page.split_box.isVisible()
    assert "No 二调 codes found" in page.classification_note.text()
    assert not page.region.isVisible() and not page.year.isVisible()
    assert wizard.button(Next).isEnabled()


# --- a 存量及变动表 without region or year -------------------------------------------------------------

def wide_table(path: Path, title: str) -> Path:
    """A land 存量及变动表 in hectares whose title is ``title``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([title])
    ws.append(["单位：公顷"])
    ws.append(["项目", "期初存量", "本期增加", None, "期末存量"])
    ws.append([None, None, "人为因素", "合计", None])
    for cells in ("A3:A4", "B3:B4", "C3:D3", "E3:E4"):
        ws.merge_cells(cells)
    for name, value in (("耕地", "300"), ("水田", "150"), ("水浇地", "60"), ("旱地", "90")):
        ws.append([name, "", "", "", value])
    wb.save(path)
    return path


def test_wide_table_without_region_and_year_asks_for_them(qtbot, ctx: AppContext,  # noqa: ANN001
                                                          tmp_path: Path) -> None:
    path = wide_table(tmp_path / "土地.xlsx", "土地资源存量及变动表")
    wizard = open_wizard(qtbot, ctx, [path])
    page = wizard.preview_page
    assert page.kind.currentData() == "wide" and not wizard.button(Next).isEnabled()
    assert page.region.isVisible() and page.year.isVisible() and not page.classification.isVisible()
    assert page.region.currentIndex() == -1 and page.year.text() == "(not given)"
    assert "does not state its region" in page.region_note.text()
    assert "does not state its year" in page.year_note.text()
    assert [page.region.itemData(i) for i in range(page.region.count())] == ["990100", R]

    choose(qtbot, page.region, data=R)
    wait_checked(qtbot, wizard)
    assert wizard.entries[0].region == R and "Chosen by you" in page.region_note.text()
    assert not wizard.button(Next).isEnabled()
    assert "does not state its year" in page.year_note.text()

    page.year.setFocus()
    page.year.lineEdit().selectAll()
    qtbot.keyClicks(page.year, "2026")
    qtbot.keyClick(page.year, Qt.Key.Key_Return)
    assert wizard.entries[0].year == 2026
    wait_checked(qtbot, wizard)
    assert page.issues.rowCount() == 0, page.status.text()
    qtbot.waitUntil(lambda: wizard.button(Next).isEnabled())
    click(qtbot, wizard, Next)
    wait_imported(qtbot, wizard)
    stocks = "SELECT region_code, item, value FROM stock WHERE year = 2026 ORDER BY item"
    assert rows(ctx.project, stocks) == [(R, "0101", 150.0), (R, "0102", 60.0), (R, "0103", 90.0)]


def test_wide_table_stating_region_and_year_shows_them(qtbot, ctx: AppContext,  # noqa: ANN001
                                                       tmp_path: Path) -> None:
    path = wide_table(tmp_path / "青岚.xlsx", "青岚县2026年土地资源存量及变动表")
    wizard = open_wizard(qtbot, ctx, [path])
    page = wizard.preview_page
    assert page.region.currentData() == R and page.year.value() == 2026
    assert "Stated in the file" in page.region_note.text()
    assert "Stated in the file" in page.year_note.text()
    entry = wizard.entries[0]
    assert entry.region is None and entry.year is None  # the file's, not given again
    assert wizard.button(Next).isEnabled()
    page.year.setFocus()
    page.year.lineEdit().selectAll()
    qtbot.keyClicks(page.year, "2025")  # differs from the title: the core says so
    qtbot.keyClick(page.year, Qt.Key.Key_Return)
    wait_checked(qtbot, wizard)
    assert not wizard.button(Next).isEnabled() and "2026" in page.issues.index(0, 4).data()


# --- several sheets --------------------------------------------------------------------------

def test_several_importable_sheets_are_offered(qtbot, ctx: AppContext,  # noqa: ANN001
                                               tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {
        "2015": [STOCK_H, [R, 2015, "land", "011", 5, "公顷"]],
        "2016": [STOCK_H, [R, 2016, "land", "127", 6, "公顷"]],
        "说明": [["两个年度"]]})
    wizard = open_wizard(qtbot, ctx, [path])
    page = wizard.preview_page
    assert page.sheet.isVisible() and page.sheet.currentIndex() == -1
    assert [page.sheet.itemText(i) for i in range(page.sheet.count())] == ["2015", "2016", "说明"]
    assert "choose one" in page.sheet_note.text() and not wizard.button(Next).isEnabled()
    choose(qtbot, page.sheet, text="2016")
    wait_checked(qtbot, wizard)
    assert wizard.entries[0].sheet == "2016" and page.sheet_note.text() == ""
    assert page.split_box.isVisible()  # that sheet's 127 裸地 splits
    tick_all_to(qtbot, wizard, "127", "1206")
    wait_checked(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.button(Next).isEnabled())
    click(qtbot, wizard, Next)
    wait_imported(qtbot, wizard)
    assert rows(ctx.project, "SELECT year, item, value FROM stock WHERE year IN (2015, 2016)") == [
        (2016, "1206", 6.0)]
