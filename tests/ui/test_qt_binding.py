"""The Qt binding the project installs does not corrupt Python's reference counts.

PySide6 6.12.0 drops a reference to None on every call of a method that returns nothing; on
CPython 3.11 (None is not immortal before 3.12) a session of normal use aborts with
"none_dealloc". pyproject.toml excludes that release; this test fails if such a binding slips in.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_keep_none_alive(qapp) -> None:  # noqa: ANN001
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        label.resize(10, 10)
    lost = before - sys.getrefcount(None)
    assert lost < 100, f"{lost} references to None lost in 4,000 void calls"


def test_report_preview_modules_are_installed() -> None:
    from PySide6 import QtPdf, QtPdfWidgets  # noqa: F401 - the PDF preview needs both
