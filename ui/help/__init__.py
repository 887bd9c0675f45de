"""Help → User manual: the manual shipped with the package, shown as formatted text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout, QWidget

HERE = Path(__file__).resolve().parent


def manual_path(language: str) -> Path:
    """The manual in ``language`` (Chinese unless English was chosen)."""
    return HERE / ("manual_en.md" if language == "en" else "manual_zh_CN.md")


def show_manual(parent: QWidget | None, language: str) -> QDialog:
    """Open the manual in a non-modal window."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(QCoreApplication.translate("Help", "User manual"))
    dialog.resize(820, 680)
    browser = QTextBrowser(dialog)
    browser.setOpenExternalLinks(True)
    browser.setMarkdown(manual_path(language).read_text(encoding="utf-8"))
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    dialog.show()
    return dialog
