"""Failures as messages a user can act on; details (tracebacks) go to a log file, not the face."""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QMessageBox, QWidget

from balancesheet.errors import UserError

log = logging.getLogger("balancesheet.ui")


def data_dir() -> Path:
    """The user's data folder for this app (log file, sample project)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    path = Path(base or Path.home() / ".balancesheet")
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_path() -> Path:
    """Where failures are logged."""
    return data_dir() / "balancesheet.log"


def setup_logging() -> None:
    """Log to a rotating file in the data folder."""
    if any(isinstance(h, RotatingFileHandler) for h in log.handlers):
        return
    handler = RotatingFileHandler(log_path(), maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def user_message(exc: BaseException, language: str = "zh_CN") -> str:
    """The text a user reads for ``exc``: its own message for a UserError, else a generic one."""
    if isinstance(exc, UserError):
        if language == "en" and exc.message_en:
            return exc.message_en
        return exc.message
    return QCoreApplication.translate("Errors", "Something went wrong that the program did not expect. Nothing was saved from the "
               "failed operation. The details were written to the log file: {path}").format(
        path=log_path())


def details(exc: BaseException) -> str:
    """The detail text: every issue of a UserError, or the traceback of anything else."""
    if isinstance(exc, UserError):
        return "\n".join(str(i) for i in exc.issues)
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None,
               language: str = "zh_CN") -> QMessageBox.StandardButton:
    """Show ``exc`` as a message box (details collapsed); unexpected errors are logged."""
    if not isinstance(exc, UserError):
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if isinstance(exc, UserError) else QMessageBox.Icon.Critical)
    box.setWindowTitle(title or QCoreApplication.translate("Errors", "Error"))
    box.setText(user_message(exc, language))
    more = details(exc)
    if more:
        box.setDetailedText(more)
    return QMessageBox.StandardButton(box.exec())


def install_excepthook() -> None:
    """Show uncaught exceptions in a message box (and log them) instead of printing a traceback."""
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        exc.__traceback__ = tb
        show_error(None, exc)

    sys.excepthook = hook
