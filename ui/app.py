"""Application start: ``balancesheet gui [DB]`` / ``balancesheet-gui``.

Order matters for a fast first paint: Qt and the settings first, the window shown, then the
project opened; pandas and the report machinery load only when a view needs them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QApplication

from ui.context import AppContext
from ui.errors import install_excepthook, setup_logging, show_error
from ui.look import install_translators, register_fonts
from ui.settings import Preferences

APP_NAME = "balancesheet"


class Application(QObject):
    """Owns the context and the main window; rebuilds the window when the language changes."""

    def __init__(self, app: QApplication, preferences: Preferences | None = None):
        super().__init__(app)
        self.app = app
        self.ctx = AppContext(preferences or Preferences(), self)
        self.window = None
        install_translators(app, self.ctx.language)
        self.build_window()

    def build_window(self):  # noqa: ANN201 - returns MainWindow (imported lazily)
        """Create (or re-create after a language change) the main window."""
        from ui.main_window import MainWindow

        old = self.window
        keys = []
        if old is not None:
            keys = [old.tabs.widget(i).property("view_key") for i in range(old.tabs.count())]
            geometry, state = old.saveGeometry(), old.saveState()
            old.close()
            old.deleteLater()
        self.window = MainWindow(self.ctx)
        if old is not None:
            self.window.restoreGeometry(geometry)
            self.window.restoreState(state)
        self.window.language_changed.connect(self.switch_language)
        if old is not None and self.ctx.project is not None:
            self.window.restore_views(keys)
        return self.window

    def switch_language(self, language: str) -> None:
        """Install ``language``'s translations and rebuild the window in it."""
        self.ctx.preferences.language = language
        install_translators(self.app, language)
        self.build_window().show()

    def open_initial(self, target: str | None) -> None:
        """Open ``target``, else the last project, else offer the start dialog."""
        if not target:
            recent = [p for p in self.ctx.preferences.recent_files[:1] if Path(p).exists()]
            target = recent[0] if recent else None
        if not target:
            self.offer_start()
            return
        window = self.window
        window.statusBar().showMessage(QCoreApplication.translate("MainWindow", "Opening {path}…").format(
            path=target))

        def failed(exc: BaseException) -> None:
            window.statusBar().clearMessage()
            show_error(window, exc, language=self.ctx.language)
            self.offer_start()

        self.ctx.open_project_in_background(target, failed)

    def offer_start(self) -> None:
        """The start dialog: open a file, create a project, or open the sample county."""
        from ui.start import StartDialog

        dialog = StartDialog(self.window)
        dialog.open()
        self.window.start_dialog = dialog


def _report_timings(app: QApplication, controller: Application, started: float) -> None:
    """Print when the window was first painted and when the project's first view was ready."""
    from PySide6.QtCore import QThreadPool

    window = controller.window
    app.processEvents()
    window.grab()  # renders the whole window as a screen would show it
    print(f"painted-at {time.time():.6f} in-process {time.perf_counter() - started:.3f}", flush=True)

    marks: list[str] = []

    def project_shown() -> None:
        app.processEvents()
        window.grab()
        print(f"project-at {time.time():.6f} in-process {time.perf_counter() - started:.3f}",
              flush=True)

    controller.ctx.project_opened.connect(lambda: QTimer.singleShot(0, project_shown))

    def poll() -> None:
        view = window.current_view()
        shown = (controller.ctx.project is not None and view is not None
                 and not getattr(view, "busy", False))
        if shown and not marks:
            window.grab()
            marks.append("ready-at")
            print(f"ready-at {time.time():.6f} in-process {time.perf_counter() - started:.3f}",
                  flush=True)
        if marks and QThreadPool.globalInstance().activeThreadCount() == 0:
            window.grab()
            print(f"checked-at {time.time():.6f} in-process {time.perf_counter() - started:.3f}",
                  flush=True)
            app.quit()
            return
        QTimer.singleShot(5, poll)

    QTimer.singleShot(0, poll)


def create_app(argv: list[str]) -> QApplication:
    """The QApplication with names, the bundled font and logging set up."""
    app = QApplication.instance() or QApplication(argv)
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("自然资源资产负债表")
    register_fonts(app)
    setup_logging()
    return app


def main(argv: list[str] | None = None) -> int:
    """Run the desktop application; ``argv`` may hold a project path or URL."""
    parser = argparse.ArgumentParser(prog="balancesheet gui")
    parser.add_argument("db", nargs="?", help="project file or postgresql:// URL")
    parser.add_argument("--quit-after-paint", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    started = time.perf_counter()
    app = create_app(sys.argv[:1])
    install_excepthook()
    controller = Application(app)
    controller.window.show()
    if args.quit_after_paint:  # bench/bench_gui_start.py: the window painted, then the project shown
        _report_timings(app, controller, started)
    controller.open_initial(args.db)
    code = int(app.exec())
    from ui.tasks import wait_for_tasks

    wait_for_tasks()
    controller.ctx.close_project()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
