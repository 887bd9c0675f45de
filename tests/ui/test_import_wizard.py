"""The import wizard driven through its widgets: add files, check them (problems with row and
column), fix a column mapping, choose a sheet, replace an earlier import, import with progress,
cancel a long import (nothing written), and say which files were imported when one fails."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import rows, snapshot, write_csv, write_xlsx
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QThreadPool, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWizard
from shiboken6 import isValid

from balancesheet.editing import lock_year
from balancesheet.resources import sample_data_dir
from ui.context import AppContext
from ui.import_wizard import FILES, IMPORT, PREVIEW, ImportWizard, dropped_files
from ui.tasks import TaskState

R = "990121"
STOCK_H = ["region", "year", "resource", "item", "value", "unit"]
STOCKS_2026 = [[R, "2026", "land", "0101", "100.5", "公顷"], [R, "2026", "forest", "V11", "3000", "立方米"]]
Next, Back, Finish = QWizard.WizardButton.NextButton, QWizard.WizardButton.BackButton, \
    QWizard.WizardButton.FinishButton
BAD = sample_data_dir() / "problems" / "bad_import.csv"


def open_wizard(qtbot, ctx: AppContext, files: list[Path] | None = None) -> ImportWizard:  # noqa: ANN001
    wizard = ImportWizard(ctx, [str(f) for f in files or []])
    qtbot.addWidget(wizard)
    wizard.show()
    if files:
        wait_checked(qtbot, wizard)
    return wizard


def wait_checked(qtbot, wizard: ImportWizard) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: wizard.currentId() == PREVIEW and wizard.entries
                    and not any(e.checking for e in wizard.entries), timeout=60_000)


def click(qtbot, wizard: ImportWizard, which: QWizard.WizardButton) -> None:  # noqa: ANN001
    button = wizard.button(which)
    assert button.isVisible() and button.isEnabled(), f"{which} is not clickable"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_imported(qtbot, wizard: ImportWizard) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: wizard.currentId() == IMPORT and not wizard.import_page.running,
                    timeout=120_000)


def choose(qtbot, combo: QComboBox, data: str | None = None, text: str | None = None) -> None:  # noqa: ANN001
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


def issue_places(wizard: ImportWizard) -> list[tuple[str, str, str, str]]:
    model = wizard.preview_page.issues
    return [tuple(model.index(r, c).data() for c in (0, 2, 3, 5)) for r in range(model.rowCount())]


# --- happy path -----------------------------------------------------------------------------------

def test_add_check_and_import_through_the_buttons(qtbot, ctx: AppContext, tmp_path: Path,  # noqa: ANN001
                                                  monkeypatch: pytest.MonkeyPatch, messages) -> None:  # noqa: ANN001
    folder = tmp_path / "incoming"
    folder.mkdir()
    path = write_csv(folder / "stocks_2026.csv", STOCK_H, STOCKS_2026)
    ctx.preferences.set_directory("import", str(tmp_path))
    asked = []

    def get_files(parent, title, directory, filters):  # noqa: ANN001
        asked.append(directory)
        return [str(path)], filters

    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileNames", staticmethod(get_files))
    wizard = open_wizard(qtbot, ctx)
    assert wizard.currentId() == FILES and not wizard.button(Next).isEnabled()
    qtbot.mouseClick(wizard.files_page.add_button, Qt.MouseButton.LeftButton)
    assert asked == [str(tmp_path)] and ctx.preferences.directory("import") == str(folder)
    assert wizard.files_page.list.count() == 1
    click(qtbot, wizard, Next)
    wait_checked(qtbot, wizard)
    page = wizard.preview_page
    assert page.kind.currentData() == "stocks" and page.issues.rowCount() == 0
    assert page.sample.rowCount() == 2 and page.sample.headerData(0, Qt.Orientation.Vertical) == "2"
    assert "公顷" in page.units.text() and "立方米" in page.units.text()
    assert wizard.button(Next).text().replace("&", "") == "Import"
    assert rows(ctx.project, "SELECT COUNT(*) FROM stock WHERE year = 2026") == [(0,)]
    with qtbot.waitSignal(ctx.data_changed, timeout=60_000) as changed:
        click(qtbot, wizard, Next)
        wait_imported(qtbot, wizard)
    assert changed.args == ["", 0, ""]
    assert rows(ctx.project, "SELECT resource, item, value FROM stock WHERE year = 2026 ORDER BY item") == [
        ("land", "0101", 100.5), ("forest", "V11", 3000.0)]
    page = wizard.import_page
    assert "All 1 file(s) were imported" in page.verdict.text()
    assert page.bar.value() == page.bar.maximum() and not page.cancel_button.isEnabled()
    assert "stocks_2026.csv" in page.summary.toPlainText() and "新增 2" in page.summary.toPlainText()
    assert page.order.topLevelItem(0).text(2) == "Imported"
    assert not wizard.button(Back).isVisible() and wizard.entries == []
    click(qtbot, wizard, Finish)
    assert not wizard.isVisible() and messages == []


def test_regions_of_the_same_import_are_known_and_imported_first(qtbot, ctx: AppContext,  # noqa: ANN001
                                                                 tmp_path: Path) -> None:
    stocks = write_csv(tmp_path / "a_stocks.csv", STOCK_H, [["990122", "2026", "land", "0101", "5", "公顷"]])
    regions = write_csv(tmp_path / "b_regions.csv", ["region", "name", "parent"], [["990122", "新县", "990100"]])
    wizard = open_wizard(qtbot, ctx, [stocks, regions])
    qtbot.waitUntil(lambda: wizard.button(Next).isEnabled(), timeout=60_000)
    click(qtbot, wizard, Next)
    wait_imported(qtbot, wizard)
    order = wizard.import_page.order
    assert [order.topLevelItem(i).text(0) for i in range(2)] == ["b_regions.csv", "a_stocks.csv"]
    assert rows(ctx.project, "SELECT region_code, value FROM stock WHERE year = 2026") == [("990122", 5.0)]


# --- a bad file -----------------------------------------------------------------------------------

def test_bad_file_lists_problems_and_blocks_import(qtbot, ctx: AppContext) -> None:  # noqa: ANN001
    before = snapshot(ctx.project)
    wizard = open_wizard(qtbot, ctx, [BAD])
    assert issue_places(wizard) == [("bad_import.csv", "4", "from", "0199"), ("bad_import.csv", "5", "area", "12,3a"),
                                    ("bad_import.csv", "6", "area", "-3.50"), ("bad_import.csv", "7", "year", ""),
                                    ("bad_import.csv", "8", "year", "2099")]
    page = wizard.preview_page
    assert "5 problem" in page.files.item(0).text() and "Problems (5)" in page.issues_box.title()
    assert not wizard.button(Next).isEnabled()
    assert "bad_import.csv" in page.reason.text() and "Not ready" in page.reason.text()
    sample = page.sample  # the first rows, numbered as in the spreadsheet, problem cells marked
    assert sample.rowCount() == 7 and sample.headerData(2, Qt.Orientation.Vertical) == "4"
    assert sample.index(2, 2).data(Qt.ItemDataRole.ToolTipRole).startswith("项目代码")
    assert sample.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) is None
    wizard.next()  # even asked directly, the wizard stays on the check page
    assert wizard.currentId() == PREVIEW
    assert snapshot(ctx.project) == before


def test_models_pass_the_model_tester(qtbot, qtmodeltester, ctx: AppContext, tmp_path: Path) -> None:  # noqa: ANN001
    wizard = open_wizard(qtbot, ctx, [BAD])
    page = wizard.preview_page
    for model in (page.mapping, page.sample, page.issues):
        assert model.rowCount() > 0
        qtmodeltester.check(model)
    odd = write_csv(tmp_path / "odd.csv", ["甲", "乙"], [["1", "2"]])
    wizard.add_files([str(odd)])
    wait_checked(qtbot, wizard)
    page.files.setCurrentRow(1)
    assert page.mapping.rowCount() == 2 and page.issues.rowCount() == 1
    for model in (page.mapping, page.sample, page.issues):
        qtmodeltester.check(model)


# --- the column mapping ---------------------------------------------------------------------------

def test_unknown_header_fixed_with_the_mapping_combo(qtbot, ctx: AppContext, tmp_path: Path) -> None:  # noqa: ANN001
    path = write_csv(tmp_path / "odd.csv", ["区划代码", "年度", "变更前地类", "变更后地类", "地块面积", "变动原因"],
                     [[R, "2026", "0101", "0702", "1.5", "CON"], [R, "2026", "0103", "0301", "2", "ECO"]])
    wizard = open_wizard(qtbot, ctx, [path])
    page = wizard.preview_page
    assert page.kind.currentData() == "land_changes" and "closest" in page.kind_note.text()
    assert "面积（area）" in page.missing.text() and page.missing.isVisible()
    assert not wizard.button(Next).isEnabled()
    row = page.mapping.headers.index("地块面积")
    assert page.mapping.index(row, 1).data() == "(not imported)"
    combo = page.mapping_view.indexWidget(page.mapping.index(row, 1))
    assert isinstance(combo, QComboBox)
    choose(qtbot, combo, data="area")
    assert page.mapping.index(row, 1).data() == "面积（area） *"  # kept while the check runs
    wait_checked(qtbot, wizard)
    assert wizard.entries[0].columns["地块面积"] == "area"
    assert page.mapping.index(row, 1).data() == "面积（area） *"
    assert page.issues.rowCount() == 0 and not page.missing.isVisible()
    assert "as you mapped them" in page.kind_note.text()
    click(qtbot, wizard, Next)
    wait_imported(qtbot, wizard)
    assert rows(ctx.project, "SELECT from_item, to_item, value FROM flow WHERE year = 2026 ORDER BY value") == [
        ("0101", "0702", 1.5), ("0103", "0301", 2.0)]


def test_kind_override(qtbot, ctx: AppContext, tmp_path: Path) -> None:  # noqa: ANN001
    path = write_csv(tmp_path / "s.csv", STOCK_H, STOCKS_2026)
    wizard = open_wizard(qtbot, ctx, [path])
    page = wizard.preview_page
    choose(qtbot, page.kind, data="flows")
    wait_checked(qtbot, wizard)
    assert wizard.entries[0].kind == "flows" and "Chosen by you" in page.kind_note.text()
    assert "缺少列" in page.status.text() and not wizard.button(Next).isEnabled()
    choose(qtbot, page.kind, data="stocks")
    wait_checked(qtbot, wizard)
    assert wizard.button(Next).isEnabled()


# --- workbooks with several sheets ----------------------------------------------------------------

def test_the_only_sheet_with_a_known_header_is_read(qtbot, ctx: AppContext, tmp_path: Path) -> None:  # noqa: ANN001
    path = write_xlsx(tmp_path / "book.xlsx", {"说明": [["第二个工作表是 2026 年存量"]],
                                               "存量": [STOCK_H, *STOCKS_2026]})
    wizard = open_wizard(qtbot, ctx, [path])
    page = wizard.preview_page
    assert page.sheet.isVisible() and [page.sheet.itemText(i) for i in range(2)] == ["说明", "存量"]
    assert page.sheet.currentText() == "存量" and wizard.entries[0].sheet == "存量"
    assert wizard.button(Next).isEnabled()


def test_sheet_choice(qtbot, ctx: AppContext, tmp_path: Path) -> None:  # noqa: ANN001
    path = write_xlsx(tmp_path / "book.xlsx", {"2025": [STOCK_H, [R, "2025", "land", "0101", "99", "公顷"]],
                                               "存量": [STOCK_H, *STOCKS_2026]})
    wizard = open_wizard(qtbot, ctx, [path])
    page = wizard.preview_page
    # Two sheets could be imported: the wizard asks which, and shows none as chosen.
    assert page.sheet.isVisible() and [page.sheet.itemText(i) for i in range(2)] == ["2025", "存量"]
    assert page.sheet.currentIndex() == -1 and not wizard.button(Next).isEnabled()
    choose(qtbot, page.sheet, text="存量")
    wait_checked(qtbot, wizard)
    assert wizard.entries[0].sheet == "存量" and page.kind.currentData() == "stocks"
    assert page.issues.rowCount() == 0 and page.sample.rowCount() == 2
    click(qtbot, wizard, Next)
    wait_imported(qtbot, wizard)
    assert rows(ctx.project, "SELECT COUNT(*) FROM stock WHERE year = 2026") == [(2,)]


# --- replacing an earlier import ------------------------------------------------------------------

def test_file_imported_before_needs_replace(qtbot, ctx: AppContext, tmp_path: Path) -> None:  # noqa: ANN001
    from balancesheet.importer import import_file

    path = write_csv(tmp_path / "s.csv", STOCK_H, STOCKS_2026)
    import_file(ctx.project, path)
    wizard = open_wizard(qtbot, ctx, [path])
    page = wizard.preview_page
    assert page.replace.isVisible() and not page.replace.isChecked()
    assert "「s.csv」" in page.replace_note.text() and "tick Replace" in page.replace_note.text()
    assert not wizard.button(Next).isEnabled() and "tick Replace" in page.reason.text()
    qtbot.mouseClick(page.replace, Qt.MouseButton.LeftButton, pos=QPoint(8, page.replace.height() // 2))
    assert wizard.entries[0].replace and wizard.button(Next).isEnabled()
    click(qtbot, wizard, Next)
    wait_imported(qtbot, wizard)
    assert "未变 2" in wizard.import_page.summary.toPlainText()
    assert rows(ctx.project, "SELECT COUNT(*) FROM import_batch WHERE file_name = 's.csv'") == [(2,)]


# --- failure and cancel ---------------------------------------------------------------------------

def test_later_file_failing_says_what_was_imported(qtbot, ctx: AppContext, tmp_path: Path,  # noqa: ANN001
                                                   messages) -> None:  # noqa: ANN001
    stocks = write_csv(tmp_path / "stocks.csv", STOCK_H, STOCKS_2026)
    regions = write_csv(tmp_path / "regions.csv", ["region", "name", "parent"], [["990122", "新县", "990100"]])
    wizard = open_wizard(qtbot, ctx, [stocks, regions])
    qtbot.waitUntil(lambda: wizard.button(Next).isEnabled(), timeout=60_000)
    lock_year(ctx.project, R, 2026)  # after the check: the import itself refuses the stocks
    click(qtbot, wizard, Next)
    wait_imported(qtbot, wizard)
    page = wizard.import_page
    verdict = page.verdict.text()
    assert "stocks.csv could not be imported" in verdict and "Imported before that: regions.csv" in verdict
    assert [page.order.topLevelItem(i).text(2) for i in range(2)] == ["Imported", "Not imported"]
    assert "已结账锁定" in messages.texts()
    assert rows(ctx.project, "SELECT name FROM region WHERE code = '990122'") == [("新县",)]
    assert rows(ctx.project, "SELECT COUNT(*) FROM stock WHERE year = 2026") == [(0,)]
    assert [e.name for e in wizard.entries] == ["stocks.csv"]
    click(qtbot, wizard, Back)  # back to the check: the remaining file, checked again
    wait_checked(qtbot, wizard)
    assert wizard.preview_page.files.count() == 1
    assert "已结账锁定" in wizard.preview_page.status.text()


def test_cancel_a_long_import(qtbot, ctx: AppContext, tmp_path: Path,  # noqa: ANN001
                              monkeypatch: pytest.MonkeyPatch, messages) -> None:  # noqa: ANN001
    pairs = [("0101", "0702", "CON"), ("0103", "0301", "ECO"), ("0201", "0702", "CON")]
    path = write_csv(tmp_path / "big.csv", ["region", "year", "from", "to", "area", "cause", "unit"],
                     [[R, "2026", *pairs[i % 3][:2], f"{0.01 + (i % 97) / 100:.2f}", pairs[i % 3][2], "公顷"]
                      for i in range(300_000)])
    before = snapshot(ctx.project)
    wizard = open_wizard(qtbot, ctx, [path])
    assert wizard.button(Next).isEnabled(), wizard.preview_page.reason.text()

    # Hold the worker at its first report after validation until the user has clicked Cancel, so
    # that the cancel lands there whatever the machine's speed.
    original = TaskState.progress

    def held(state: TaskState, fraction: float, text: str = "") -> None:
        original(state, fraction, text)
        if "校验通过" in text:
            deadline = time.monotonic() + 60
            while not state.cancelled and time.monotonic() < deadline:
                time.sleep(0.01)

    monkeypatch.setattr(TaskState, "progress", held)
    click(qtbot, wizard, Next)
    page = wizard.import_page
    qtbot.waitUntil(lambda: "校验通过" in page.step.text(), timeout=120_000)
    assert page.running and page.cancel_button.isEnabled() and page.bar.value() > 0
    assert not wizard.button(Finish).isEnabled()
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    wait_imported(qtbot, wizard)
    assert "Import cancelled" in page.verdict.text() and "big.csv was not imported" in page.verdict.text()
    assert page.bar.value() == 0 and not page.cancel_button.isEnabled()
    assert page.cancel_button.text().replace("&", "") == "Cancel import"
    assert page.order.topLevelItem(0).text(2) == "Not imported"
    assert messages == []  # the user asked for it: told on the page, not in an error box
    assert snapshot(ctx.project) == before
    assert wizard.button(Back).isVisible() and wizard.button(Finish).isEnabled()


def test_escape_while_importing_cancels_instead_of_closing(qtbot, ctx: AppContext, tmp_path: Path,  # noqa: ANN001
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_csv(tmp_path / "s.csv", STOCK_H, STOCKS_2026)
    before = snapshot(ctx.project)
    wizard = open_wizard(qtbot, ctx, [path])
    original = TaskState.progress

    def held(state: TaskState, fraction: float, text: str = "") -> None:
        original(state, fraction, text)
        while not state.cancelled:
            time.sleep(0.01)
            original(state, fraction, text)

    monkeypatch.setattr(TaskState, "progress", held)
    click(qtbot, wizard, Next)
    qtbot.waitUntil(lambda: wizard.import_page.bar.value() == 0 and wizard.import_page.running)
    wizard.reject()  # Escape / the window's close
    assert wizard.isVisible()
    wait_imported(qtbot, wizard)
    assert "Import cancelled" in wizard.import_page.verdict.text()
    assert snapshot(ctx.project) == before


def test_closing_while_checking_is_safe(qtbot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import balancesheet.importer.preview as previews

    real = previews.preview

    def slow(*args: object, **kwargs: object) -> previews.Preview:
        time.sleep(0.5)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(previews, "preview", slow)
    wizard = ImportWizard(ctx, [str(BAD)])  # deleted by the test itself, not by qtbot
    wizard.show()
    qtbot.waitUntil(lambda: wizard.currentId() == PREVIEW)
    entry = wizard.entries[0]
    assert entry.checking
    wizard.reject()
    wizard.deleteLater()
    qtbot.waitUntil(lambda: not isValid(wizard))
    QThreadPool.globalInstance().waitForDone(30_000)
    QApplication.processEvents()
    assert entry.checking and entry.preview is None  # the late result went nowhere


# --- dropping files -------------------------------------------------------------------------------

def mime_with(*urls: QUrl) -> QMimeData:
    mime = QMimeData()
    mime.setUrls(list(urls))
    return mime


def test_dropped_files(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "a.csv", STOCK_H, [])
    book = write_xlsx(tmp_path / "b.XLSX", {"s": [STOCK_H]})
    (tmp_path / "c.txt").write_text("x")
    (tmp_path / "dir.csv").mkdir()
    mime = mime_with(QUrl.fromLocalFile(str(csv)), QUrl.fromLocalFile(str(book)),
                     QUrl.fromLocalFile(str(tmp_path / "c.txt")), QUrl.fromLocalFile(str(tmp_path / "gone.csv")),
                     QUrl.fromLocalFile(str(tmp_path / "dir.csv")), QUrl("https://example.org/x.csv"))
    assert dropped_files(mime) == [str(csv), str(book)]
    text_only = QMimeData()
    text_only.setText(str(csv))
    assert dropped_files(text_only) == [] and dropped_files(None) == []


def test_drop_on_the_file_list(qtbot, ctx: AppContext, tmp_path: Path) -> None:  # noqa: ANN001
    first = write_csv(tmp_path / "a.csv", STOCK_H, STOCKS_2026)
    second = write_csv(tmp_path / "b.csv", STOCK_H, STOCKS_2026)
    wizard = open_wizard(qtbot, ctx)
    target = wizard.files_page.list.viewport()
    for urls in ([first], [first, second]):  # the second drop adds only the new file
        mime = mime_with(*(QUrl.fromLocalFile(str(u)) for u in urls))
        enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(target, enter)
        assert enter.isAccepted()
        drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                          Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(target, drop)
        assert drop.isAccepted()
    assert [e.name for e in wizard.entries] == ["a.csv", "b.csv"]
    assert wizard.files_page.list.count() == 2 and wizard.button(Next).isEnabled()
    wizard.files_page.list.item(0).setSelected(True)
    qtbot.mouseClick(wizard.files_page.remove_button, Qt.MouseButton.LeftButton)
    assert [e.name for e in wizard.entries] == ["b.csv"]
    refused = mime_with(QUrl.fromLocalFile(str(tmp_path)))
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, refused, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert not enter.isAccepted()
