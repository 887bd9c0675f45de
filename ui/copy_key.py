"""Ctrl+C (the platform's Copy key) on a view, handled by the view's owner before any window shortcut."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget


class CopyKey(QObject):
    """Calls ``copy`` when Copy is pressed on any of ``views``; the window's Edit → Copy shortcut
    does not see the key (ShortcutOverride is accepted), so the view's own copy always runs."""

    def __init__(self, copy: Callable[[], None], *views: QWidget):
        super().__init__(views[0])
        self._copy = copy
        for view in views:
            view.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (isinstance(event, QKeyEvent)
                and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
                and event.matches(QKeySequence.StandardKey.Copy)):
            if event.type() == QEvent.Type.KeyPress:
                self._copy()
            event.accept()
            return True
        return False
