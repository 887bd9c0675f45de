"""The main window as a user drives it: navigator, tabs, menus and shortcuts, locking, backup,
drag and drop, preferences, language switching, start-up and errors."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QPushButton

from ui.app import Application
from ui.context import AppContext
from ui.look import install_translators
from ui.main_window import MainWindow

REGION = "990121"


def _labels(tree_item) -> list[str]:  # noqa: ANN001
    return [tree_item.child(i).text(0) for i in range(tree_item.childCount())]


def test_navigator_shows_regions_years_resources_and_officials(window: MainWindow) -> None:
    nav = window.navigator
    regions = nav.topLevelItem(0)
    county = next(regions.child(i) for i in range(regions.childCount()) if REGION in regions.child(i).text(0))
    years = [t for t in _labels(county) if t.endswith("年") or "年" in t]
    assert years[0].startswith("2025") and years[-1].startswith("2018") and len(years) == 8
    y2025 = nav.find_key(("year", REGION, 2025))
    assert _labels(y2025)[:4] == ["土地", "森林", "水资源", "湿地"] or len(_labels(y2025)) >= 6
    officials = nav.topLevelItem(1)
    assert officials.childCount() == 3 and "周明远" in officials.child(0).text(0)


def test_project_opens_on_the_latest_land_account_and_the_status_bar_says_where(window: MainWindow) -> None:
    assert window.tabs_by_key and ("account", REGION, 2025, "land") in window.tabs_by_key
    assert "2025" in window.status_place.text() and REGION in window.status_place.text()
    assert window.status_lock.text() == "可编辑"
    assert "county.db" in window.windowTitle()


def test_activating_an_entry_opens_one_tab_per_view(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    item = window.navigator.find_key(("account", REGION, 2024, "forest"))
    window.navigator.itemActivated.emit(item, 0)
    assert window.tabs.count() == 2 and "森林" in window.tabs.tabText(1)
    window.navigator.itemActivated.emit(item, 0)
    assert window.tabs.count() == 2  # the same view is not opened twice
    window.close_tab(1)
    assert window.tabs.count() == 1 and ("account", REGION, 2024, "forest") not in window.tabs_by_key


def test_menus_hold_the_standard_commands_with_their_shortcuts(window: MainWindow) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["文件(&F)", "编辑(&E)", "核算(&A)", "审计(&U)", "视图(&V)", "帮助(&H)"]
    shortcuts = {a.shortcut().toString() for a in window.findChildren(type(window.act_undo))}
    for key in ("Ctrl+Z", "Ctrl+Y", "Ctrl+C", "Ctrl+V", "Ctrl+F", "Ctrl+S", "Ctrl+O", "Ctrl+P", "Ctrl+N"):
        assert key in shortcuts, key
    assert window.act_open.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)


def test_lock_and_unlock_through_the_menu(window: MainWindow, monkeypatch, messages) -> None:  # noqa: ANN001
    from balancesheet.editing import period_state

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("年报已报出", True)))
    window.act_lock.trigger()
    project = window.ctx.require_project()
    assert period_state(project, REGION, 2025).locked
    assert window.status_lock.text() == "已结账锁定"
    assert "已结账" in window.navigator.find_key(("year", REGION, 2025)).text(0)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("  ", True)))
    window.act_unlock.trigger()
    assert period_state(project, REGION, 2025).locked  # no reason, no unlock
    assert "原因" in messages.texts()
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("更正 0101 数据", True)))
    window.act_unlock.trigger()
    assert not period_state(project, REGION, 2025).locked
    with sqlite3.connect(window.ctx.location) as conn:
        new = conn.execute("SELECT new FROM change_log WHERE action = 'unlock'").fetchone()[0]
    assert "更正 0101 数据" in new


def test_backup_writes_a_consistent_copy(window: MainWindow, monkeypatch, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    target = tmp_path / "copy.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    window.act_backup.trigger()  # in a worker: the window stays responsive on a large project
    qtbot.waitUntil(lambda: "copy.db" in window.statusBar().currentMessage(), timeout=20_000)
    with sqlite3.connect(target) as copy, sqlite3.connect(window.ctx.location) as original:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = "SELECT COUNT(*), ROUND(SUM(value), 2) FROM flow"
        assert copy.execute(count).fetchone() == original.execute(count).fetchone()


def test_opening_a_missing_file_explains_instead_of_crashing(window: MainWindow, monkeypatch, messages,  # noqa: ANN001
                                                               tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere.db")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (missing, "")))
    window.act_open.trigger()
    assert "不存在" in messages.texts() and "Traceback" not in messages.texts()
    assert window.ctx.project is not None  # the open project stays open


def test_dropping_a_table_on_the_window_opens_the_import_wizard(window: MainWindow, tmp_path: Path) -> None:
    csv = tmp_path / "stocks.csv"
    csv.write_text("region,year,resource,item,value,unit\n990121,2026,land,0101,1,公顷\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(csv))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    wizard = window.import_wizard
    assert wizard.isVisible()
    wizard.close()


def test_area_unit_and_preferences_are_remembered(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    with qtbot.waitSignal(window.ctx.preferences_changed):
        window.unit_actions["亩"].trigger()
    assert window.ctx.preferences.area_unit == "亩"
    assert window.unit_actions["亩"].isChecked() and not window.unit_actions["公顷"].isChecked()


def test_window_geometry_is_remembered(qtbot, preferences) -> None:  # noqa: ANN001
    ctx = AppContext(preferences)
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    first.resize(700, 500)  # within the offscreen screen (800×600)
    first.show()
    first.close()
    second = MainWindow(ctx)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (700, 500)


def test_language_switch_rebuilds_the_window_in_english_and_back(qapp, preferences, sample_copy) -> None:  # noqa: ANN001
    controller = Application(qapp, preferences)
    controller.ctx.open_project(sample_copy)
    try:
        assert controller.window.menuBar().actions()[0].text() == "文件(&F)"
        controller.switch_language("en")
        assert controller.window.menuBar().actions()[0].text() == "&File"
        assert preferences.language == "en"
        controller.switch_language("zh_CN")
        assert controller.window.menuBar().actions()[1].text() == "编辑(&E)"
    finally:
        controller.ctx.close_project()
        controller.window.close()
        install_translators(qapp, "zh_CN")


def test_without_a_project_the_start_dialog_offers_the_sample(qapp, qtbot, preferences, monkeypatch,  # noqa: ANN001
                                                               sample_db: Path, tmp_path: Path) -> None:
    import shutil

    import ui.start

    made = tmp_path / "sample_county.db"
    shutil.copy(sample_db, made)
    monkeypatch.setattr(ui.start, "sample_path", lambda: made)
    controller = Application(qapp, preferences)
    controller.open_initial(None)
    dialog = controller.window.start_dialog
    assert dialog.isVisible()
    sample_button = next(b for b in dialog.findChildren(QPushButton) if "示例" in b.text())
    qtbot.mouseClick(sample_button, Qt.MouseButton.LeftButton)
    assert controller.ctx.project is not None and controller.ctx.location == str(made)
    assert not dialog.isVisible()
    controller.ctx.close_project()
    controller.window.close()


def test_the_application_starts_and_paints_with_a_project(sample_copy: Path, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path),
               XDG_DATA_HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "ui.app", str(sample_copy), "--quit-after-paint"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "painted-at" in done.stdout and "Traceback" not in done.stderr


def test_cli_has_the_gui_command(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path),
               XDG_DATA_HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "balancesheet", "gui", "--help"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "db" in done.stdout
