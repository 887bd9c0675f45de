"""The change history dialog and restoring a backup from the File menu, as a user drives them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog

from balancesheet import editing
from balancesheet.backup import backup_project
from ui.context import AppContext
from ui.history import HistoryDialog
from ui.look import install_translators
from ui.main_window import MainWindow

REGION = "990121"


def _dialog(window: MainWindow, qtbot) -> HistoryDialog:  # noqa: ANN001
    window.act_history.trigger()
    dialog = next(w for w in window.findChildren(HistoryDialog) if w.isVisible())
    qtbot.waitUntil(lambda: dialog.refresh_button.isEnabled(), timeout=10_000)
    return dialog


def _stock(path: str, year: int, item: str) -> float:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT value FROM stock WHERE region_code = ? AND year = ? AND resource = 'land' "
                            "AND item = ?", (REGION, year, item)).fetchone()[0]


def test_history_shows_an_edit_with_its_old_and_new_value_and_copies(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    project = window.ctx.require_project()
    old = _stock(window.ctx.location, 2025, "0101")
    editing.set_stock(project, REGION, 2025, "land", "0101", old + 7.25)
    editing.lock_year(project, REGION, 2025, "年报已报送")
    editing.unlock_year(project, REGION, 2025, "补录耕地")
    dialog = _dialog(window, qtbot)
    assert dialog.region.currentData() == REGION and dialog.year.value() == 2025  # opened on the current year
    model = dialog.model
    texts = [[model.cell(r, c) for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert texts[0][2] == "解锁年度" and "补录耕地" in texts[0][5]
    assert texts[1][2] == "结账锁定年度" and "年报已报送" in texts[1][5]
    edit = next(t for t in texts if t[2] == "修改存量")
    assert "0101" in edit[3] and edit[4] == f"{old:,.4f}".rstrip("0").rstrip(".")
    assert edit[5] == f"{old + 7.25:,.4f}".rstrip("0").rstrip(".")
    assert "条" in dialog.summary.text()

    dialog.kind.setCurrentIndex(dialog.kind.findData("period"))
    qtbot.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.refresh_button.isEnabled() and model.rowCount() == 2, timeout=10_000)

    dialog.table.selectRow(0)
    qtbot.keySequence(dialog.table, QKeySequence.StandardKey.Copy)
    lines = QApplication.clipboard().text().splitlines()
    assert lines[0].split("\t")[:3] == ["时间", "用户", "操作"] and len(lines) == 2 and "补录耕地" in lines[1]
    dialog.close()


def test_history_exports_csv(window: MainWindow, qtbot, monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    dialog = _dialog(window, qtbot)
    dialog.year.setValue(0)  # every year
    qtbot.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.refresh_button.isEnabled() and dialog.model.rowCount() >= 5, timeout=10_000)
    target = tmp_path / "log.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    dialog.export_button.click()
    text = target.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("时间,用户,操作") and "导入存量表" in text
    dialog.close()


def test_restore_from_the_file_menu_brings_back_the_backup(window: MainWindow, qtbot, monkeypatch,  # noqa: ANN001
                                                          messages, tmp_path: Path) -> None:
    project = window.ctx.require_project()
    before = _stock(window.ctx.location, 2025, "0101")
    backup = backup_project(project, tmp_path / "b.db")
    editing.set_stock(project, REGION, 2025, "land", "0101", before + 100)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(backup), "")))
    window.act_restore.trigger()
    assert "恢复前" in messages.texts()  # the question says the current file is kept
    qtbot.waitUntil(lambda: "恢复前" in window.statusBar().currentMessage(), timeout=20_000)
    assert _stock(window.ctx.location, 2025, "0101") == before
    kept = list(Path(window.ctx.location).parent.glob("*恢复前*.db"))
    assert len(kept) == 1 and _stock(str(kept[0]), 2025, "0101") == before + 100


def test_restore_refuses_a_file_that_is_not_a_backup(window: MainWindow, monkeypatch, messages,  # noqa: ANN001
                                                     tmp_path: Path) -> None:
    bogus = tmp_path / "x.db"
    bogus.write_text("hello", encoding="utf-8")
    before = _stock(window.ctx.location, 2025, "0101")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(bogus), "")))
    window.act_restore.trigger()
    assert "不是" in messages.texts() and "Traceback" not in messages.texts()
    assert _stock(window.ctx.location, 2025, "0101") == before
    assert not list(Path(window.ctx.location).parent.glob("*恢复前*"))


def test_opening_an_old_file_says_it_was_upgraded_and_where_the_backup_is(qtbot, preferences, messages,  # noqa: ANN001
                                                                         tmp_path: Path) -> None:
    old = tmp_path / "旧项目.db"
    with sqlite3.connect(old) as conn:
        conn.executescript((Path(__file__).parents[1] / "fixtures" / "schema_v1.sql").read_text(encoding="utf-8"))
    install_translators(QApplication.instance(), "zh_CN")
    ctx = AppContext(preferences)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    ctx.open_project(old)
    qtbot.waitUntil(lambda: "升级" in messages.texts(), timeout=10_000)
    backup = next(tmp_path.glob("旧项目.backup-*-v1.db"))
    assert backup.name in messages.texts() and "项目已升级" in messages.texts()
    ctx.close_project()
