"""Fixtures for the desktop application's tests: offscreen Qt, private settings, the sample county,
and dialogs that never block (message boxes are recorded; file dialogs must be patched per test)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QMessageBox  # noqa: E402

from ui.context import AppContext  # noqa: E402
from ui.settings import Preferences  # noqa: E402


class MessageLog(list):
    """Every message box shown during a test: (icon name, title, text, detailed text)."""

    def texts(self) -> str:
        return "\n".join(f"{t} {x} {d}" for _, t, x, d in self)


@pytest.fixture(autouse=True)
def messages(monkeypatch: pytest.MonkeyPatch) -> MessageLog:
    """Record message boxes instead of blocking; answer Yes/Ok to questions."""
    log = MessageLog()

    def exec_(box: QMessageBox) -> int:
        log.append((box.icon().name, box.windowTitle(), box.text(), box.detailedText()))
        buttons = box.standardButtons()
        for choice in (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Ok):
            if buttons & choice:
                return int(choice.value)
        return int(QMessageBox.StandardButton.Ok.value)

    def static(icon: str):
        def show(parent, title, text, *args, **kwargs):  # noqa: ANN001
            log.append((icon, title, text, ""))
            buttons = args[0] if args else kwargs.get("buttons", QMessageBox.StandardButton.Ok)
            if buttons & QMessageBox.StandardButton.Yes:
                return QMessageBox.StandardButton.Yes
            return QMessageBox.StandardButton.Ok
        return staticmethod(show)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    for name, icon in (("warning", "Warning"), ("critical", "Critical"),
                       ("information", "Information"), ("question", "Question")):
        monkeypatch.setattr(QMessageBox, name, static(icon))

    def refuse(*_a, **_k):
        raise AssertionError("a file dialog opened in a test; patch it with monkeypatch")

    for name in ("getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(refuse))
    return log


@pytest.fixture(autouse=True)
def no_leftover_work(qapp) -> Iterator[None]:  # noqa: ANN001
    """Each test's background work ends within the test (no task outlives its widgets), and each
    test starts with no translation installed (English source text) whatever the one before did."""
    from ui.look import install_translators

    install_translators(qapp, "en")
    yield
    from PySide6.QtCore import QThreadPool

    assert QThreadPool.globalInstance().waitForDone(60_000), "background work did not finish"
    qapp.processEvents()


@pytest.fixture
def preferences(tmp_path: Path) -> Preferences:
    """Preferences in a private INI file (never the user's real settings)."""
    return Preferences(QSettings(str(tmp_path / "app.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def sample_copy(sample_db: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the sample county database file."""
    copy = tmp_path / "county.db"
    shutil.copy(sample_db, copy)
    return copy


@pytest.fixture
def ctx(qapp, preferences: Preferences, sample_copy: Path) -> Iterator[AppContext]:  # noqa: ANN001
    """An application context with the sample county open."""
    context = AppContext(preferences)
    context.open_project(sample_copy)
    yield context
    context.close_project()


@pytest.fixture
def window(qtbot, preferences: Preferences, sample_copy: Path):  # noqa: ANN001, ANN201
    """The main window, in Chinese, with the sample county open on its first view."""
    from PySide6.QtWidgets import QApplication

    from ui.look import install_translators
    from ui.main_window import MainWindow

    install_translators(QApplication.instance(), "zh_CN")
    context = AppContext(preferences)
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.show()
    context.open_project(sample_copy)
    qtbot.waitUntil(lambda: win.tabs.count() == 1, timeout=10_000)
    yield win
    context.close_project()
